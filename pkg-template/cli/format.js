// Human output: aligned tables, key-value views, colour, enum names and times. JSON
// output is one document, indented, ending with a newline.

/** One JSON document for stdout. */
export const toJson = (value) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Whether to colour what goes to `stream`: only a terminal, never with NO_COLOR set to
 * anything (https://no-color.org) or TERM=dumb.
 */
export const wantsColor = (stream, env) => Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== "dumb";

const STYLES = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, cyan: 36 };

/** Styling functions that do nothing when `enabled` is false. */
export function palette(enabled) {
  const style = {};
  for (const [name, code] of Object.entries(STYLES)) {
    style[name] = enabled ? (text) => `\x1b[${code}m${text}\x1b[0m` : (text) => text;
  }
  return style;
}

// Text from the server is shown, never interpreted: control characters (escape
// sequences, line breaks) would move the cursor or break the columns.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** `value` as one printable line: control characters written as \n, \x1b... */
export const printable = (value) =>
  String(value ?? "").replace(CONTROL, (c) =>
    c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );

// What the terminal shows of a cell: our own colour codes take no room.
const visibleWidth = (text) => [...text.replace(/\x1b\[\d+m/g, "")].length;

/**
 * Rows under a header, columns padded to their widest cell, two spaces apart, no
 * trailing spaces. Cells are printable text or already-styled text from `palette`.
 */
export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(visibleWidth(h), ...rows.map((r) => visibleWidth(r[i]))));
  const line = (cells) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + " ".repeat(widths[i] - visibleWidth(c))))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `${l}\n`).join("");
}

/** "key:  value" lines, values aligned; pairs whose value is empty are left out. */
export function keyValues(pairs) {
  const shown = pairs.filter(([, v]) => v !== undefined && v !== null && v !== "");
  const width = Math.max(...shown.map(([k]) => k.length)) + 2;
  return shown.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}\n`).join("");
}

/** An enum name without its prefix ("PREBUILD_PHASE_COMPLETED" -> "COMPLETED"); unknown names as sent. */
export const shortName = (value, prefix) => {
  const text = printable(value);
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
};

/** How long ago an RFC 3339 time was ("5m ago", "3d ago", "in 2m" for a clock ahead of ours). */
export function ago(time, now = Date.now()) {
  const at = Date.parse(time);
  if (Number.isNaN(at)) return printable(time);
  const seconds = Math.round((now - at) / 1000);
  const size = Math.abs(seconds);
  const text =
    size < 60 ? `${size}s` : size < 3600 ? `${Math.floor(size / 60)}m` : size < 86400 ? `${Math.floor(size / 3600)}h` : `${Math.floor(size / 86400)}d`;
  return seconds < 0 ? `in ${text}` : `${text} ago`;
}

/** An RFC 3339 time with how long ago it was: "2026-12-03T14:56:55.745Z (5m ago)". */
export const timeAndAgo = (time) => (time ? `${printable(time)} (${ago(time)})` : "");

/** A byte count (64-bit integer text) as people read it: "1.2 GB (1234567890 B)". */
export function bytes(text) {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) return "";
  const units = ["B", "kB", "MB", "GB", "TB", "PB"];
  const i = Math.min(units.length - 1, Math.floor(Math.log10(n) / 3));
  return i === 0 ? `${printable(text)} B` : `${(n / 1000 ** i).toFixed(1)} ${units[i]} (${printable(text)} B)`;
}
