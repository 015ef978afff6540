// How values from the API are shown: enum names as words, phases as coloured badges,
// times as "3 min ago", sizes as "1.2 GB", durations and ids in short form.

import { el } from "./dom.js";

const PHASE_PREFIXES = ["PREBUILD_PHASE_", "WARM_POOL_PHASE_", "PREBUILD_TRIGGER_", "PRINCIPAL_"];

/** "PREBUILD_PHASE_SNAPSHOTTING" -> "Snapshotting"; unknown shapes are kept. */
export function enumLabel(value) {
  if (!value) return "—";
  let s = String(value);
  for (const p of PHASE_PREFIXES) {
    if (s.startsWith(p)) {
      s = s.slice(p.length);
      break;
    }
  }
  s = s.replace(/_/g, " ").toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The CSS modifier for a phase badge. */
export function phaseTone(phase) {
  const p = String(phase || "").replace(/^(PREBUILD|WARM_POOL)_PHASE_/, "");
  switch (p) {
    case "COMPLETED":
    case "READY":
      return "ok";
    case "FAILED":
    case "DEGRADED":
      return "bad";
    case "RUNNING":
    case "STARTING":
      return "active";
    case "SNAPSHOTTING":
      return "snap";
    case "CANCELLING":
    case "CANCELLED":
      return "warn";
    case "DELETING":
    case "DELETED":
      return "gone";
    case "PENDING":
      return "wait";
    default:
      return "neutral";
  }
}

/** A phase badge element. */
export function badge(phase) {
  return el("span", { class: `badge badge-${phaseTone(phase)}`, text: enumLabel(phase), title: phase || "" });
}

/** "3 min ago" / "in 2 h" for an RFC 3339 time; "—" when absent or invalid. */
export function relativeTime(iso, now = Date.now()) {
  if (!iso) return "—";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  const diff = Math.round((now - t) / 1000);
  const abs = Math.abs(diff);
  let text;
  if (abs < 5) return "just now";
  if (abs < 60) text = `${abs} s`;
  else if (abs < 3600) text = `${Math.floor(abs / 60)} min`;
  else if (abs < 86400) text = `${Math.floor(abs / 3600)} h`;
  else if (abs < 86400 * 60) text = `${Math.floor(abs / 86400)} d`;
  else return new Date(t).toLocaleDateString();
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

/** Absolute local time for tooltips. */
export function absoluteTime(iso) {
  if (!iso) return "";
  const t = Date.parse(iso);
  return Number.isNaN(t) ? String(iso) : new Date(t).toLocaleString();
}

/** A <time> element showing a relative time, refreshed by `refreshTimes`. */
export function timeEl(iso) {
  const node = el("time", { text: relativeTime(iso), title: absoluteTime(iso) });
  if (iso) {
    node.dateTime = iso;
    node.dataset.relative = "1";
  }
  return node;
}

/** Updates every relative <time> on the page. */
export function refreshTimes(root = document) {
  const now = Date.now();
  for (const node of root.querySelectorAll("time[data-relative]")) {
    node.textContent = relativeTime(node.dateTime, now);
  }
}

/** Bytes (a decimal string or number, 64-bit safe) as "1.2 GB"; "—" for 0 or absent. */
export function formatBytes(value) {
  let n;
  try {
    n = BigInt(value ?? 0);
  } catch {
    return String(value);
  }
  if (n <= 0n) return "—";
  const units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
  let unit = 0;
  let whole = n;
  while (whole >= 1000n && unit < units.length - 1) {
    whole /= 1000n;
    unit++;
  }
  if (unit === 0) return `${n} B`;
  const scaled = Number(n) / 1000 ** unit;
  return `${scaled >= 100 ? scaled.toFixed(0) : scaled.toFixed(1)} ${units[unit]}`;
}

/** "3600s" -> "1 h"; other shapes are shown as sent. */
export function formatDuration(value) {
  if (!value) return "—";
  const m = /^(\d+)(?:\.(\d+))?s$/.exec(String(value));
  if (!m) return String(value);
  const secs = Number(m[1]);
  if (secs % 3600 === 0 && secs > 0) return `${secs / 3600} h`;
  if (secs % 60 === 0 && secs > 0) return `${secs / 60} min`;
  return `${value}`;
}

/** The first block of a UUID, for compact tables. */
export function shortId(id) {
  if (!id) return "—";
  return id.length > 12 ? id.slice(0, 8) : id;
}
