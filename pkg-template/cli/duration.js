// Durations as people type them ("90s", "30m", "1h30m", "2h", or plain seconds) and as
// the API writes them (protobuf Duration JSON: "5400s").

/** What --timeout accepts, for help and error messages. */
export const DURATION_FORMS = "hours, minutes and seconds such as 90s, 30m, 1h30m or 2h, or a whole number of seconds";

const UNITS = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/i;

/**
 * The protobuf Duration JSON for `text` ("1h30m" -> "5400s"), or undefined when it is
 * not one of DURATION_FORMS. Whole seconds only; the range is the API's to check.
 */
export function parseDuration(text) {
  const t = String(text);
  if (/^\d+$/.test(t)) return `${BigInt(t)}s`;
  const m = UNITS.exec(t);
  if (!t || !m) return undefined;
  const [, h = "0", min = "0", s = "0"] = m;
  // BigInt: an absurd value stays exact text for the API to refuse, not 1e+21.
  return `${BigInt(h) * 3600n + BigInt(min) * 60n + BigInt(s)}s`;
}

/** Seconds as people read them: 5400 -> "1h30m", 59 -> "59s", 0 -> "0s". */
export function formatSeconds(seconds) {
  let rest = Math.max(0, Math.round(seconds));
  const parts = [];
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60]]) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest || !parts.length) parts.push(`${rest}s`);
  return parts.join("");
}

/** A protobuf Duration JSON ("5400s", "1.5s") as people read it ("1h30m"), or the text itself. */
export function readableDuration(text) {
  const m = /^(\d+)(?:\.\d+)?s$/.exec(String(text ?? ""));
  return m ? formatSeconds(Number(m[1])) : String(text ?? "");
}
