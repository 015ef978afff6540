// Call parameters and options as JSON text, for the Rust reader (which reads the wire's
// JSON with the same code). JSON.stringify, with what it would lose kept visible:
// a BigInt becomes a number (its decimal text when beyond 2^53, which 64-bit fields
// read exactly), NaN and the infinities their names (which no numeric field accepts),
// a Map or a Headers object a plain object of its entries. Functions and undefined are
// left out, as in any JSON.

const keep = (_key, value) =>
  typeof value === "bigint"
    ? (value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : String(value))
    : typeof value === "number" && !Number.isFinite(value)
      ? String(value)
      : value instanceof Map || (typeof Headers === "function" && value instanceof Headers)
        ? Object.fromEntries(value)
        : value;

/** `value` as JSON text; `undefined` reads as null. Throws for cycles. */
export function toJson(value) {
  return JSON.stringify(value === undefined ? null : value, keep) ?? "null";
}
