// The status line (an aria-live region) and the activity log. Nothing here ever
// receives a token: callers pass method names, counts and error descriptions only.

import { $, el } from "./dom.js";

const MAX_ENTRIES = 200;
const stickies = new Map(); // id -> { text, tone }: stays until cleared ("retrying...")
let flashed = null; // { text, tone }: fades after a while
let flashTimer = 0;

/** Adds a line to the activity log. `tone` is info, ok, retry or error. */
export function log(tone, text) {
  const list = $("activity-log");
  const now = new Date();
  const item = el(
    "li",
    { class: `log-${tone}` },
    el("time", { text: now.toLocaleTimeString(), dateTime: now.toISOString() }),
    el("span", { class: "log-text", text }),
  );
  list.prepend(item);
  while (list.children.length > MAX_ENTRIES) list.lastElementChild.remove();
}

/** Shows a transient status message (it fades after `ms`). */
export function flash(text, tone = "info", ms = 5000) {
  flashed = { text, tone };
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => {
    flashed = null;
    update();
  }, ms);
  update();
}

/** Shows a status that stays until `clearSticky` is called with the same id. */
export function setSticky(id, text, tone) {
  stickies.set(id, { text, tone });
  update();
}

/** Whether a sticky status other than "busy" is shown. */
export function hasSticky() {
  return [...stickies.keys()].some((id) => id !== "busy");
}

/** Removes a sticky status set with `id`. */
export function clearSticky(id) {
  if (stickies.delete(id)) update();
}

// Retries first, then recent news, then "working...".
function update() {
  const retry = [...stickies.entries()].reverse().find(([id]) => id !== "busy");
  const current = retry?.[1] ?? flashed ?? stickies.get("busy") ?? null;
  render(current?.text ?? "", current?.tone ?? "info");
}

let shown = "";

function render(text, tone) {
  if (shown === `${tone}|${text}`) return; // unchanged: do not re-announce
  shown = `${tone}|${text}`;
  const box = $("status");
  box.className = `status status-${tone}${text ? " is-visible" : ""}`;
  box.replaceChildren();
  if (text) {
    if (tone === "retry" || tone === "busy") box.append(el("span", { class: "spinner", attrs: { "aria-hidden": "true" } }));
    box.append(el("span", { text }));
  }
}

/** Wires the "Clear" button of the log. */
export function initActivity() {
  $("activity-clear").addEventListener("click", () => $("activity-log").replaceChildren());
}
