// DOM and formatting helpers. Every string from the API goes through text nodes
// (textContent, createTextNode, attribute setters), never through innerHTML.

/** Shortcut for document.getElementById that fails loudly on a typo. */
export function $(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing element #${id}`);
  return node;
}

/**
 * Creates an element. `props` may hold `class`, `text`, `title`, `dataset`, `attrs`
 * (plain attributes), `on` (event listeners) and any DOM property (type, value...).
 * Children are nodes or strings; strings become text nodes.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "attrs") for (const [a, v] of Object.entries(value)) node.setAttribute(a, v);
    else if (key === "on") for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
    else node[key] = value;
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** Replaces all children of `node`. */
export function setChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

/** Shows or hides an element (the `hidden` attribute). */
export function show(node, visible = true) {
  node.hidden = !visible;
}

// ---------------------------------------------------------------- formatting

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

/** Whether `url` is an http(s) URL that is safe to use as a link. */
export function safeHttpUrl(url) {
  try {
    const u = new URL(url, location.href);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- errors

/**
 * A readable description of an error from the client: the class, the HTTP status and
 * Connect code when there are any, and the message.
 */
export function describeError(err) {
  if (!err || typeof err !== "object") return { name: "Error", meta: "", message: String(err) };
  const name = err.name || err.constructor?.name || "Error";
  const parts = [];
  if (typeof err.status === "number" && err.status) parts.push(`HTTP ${err.status}`);
  if (err.code) parts.push(String(err.code));
  return { name, meta: parts.join(" · "), message: err.message || "" };
}

/** One-line text for logs and status lines. */
export function errorText(err) {
  const d = describeError(err);
  return `${d.name}${d.meta ? ` (${d.meta})` : ""}: ${d.message}`;
}

/** A hint that helps the user act on an error. */
const SETTINGS_FIELDS = ["baseUrl", "token", "timeoutMs", "maxRetries", "headers", "fetch"];

export function errorHint(err) {
  if (err?.name === "ValidationError" && SETTINGS_FIELDS.includes(err.field)) {
    return "The client refused the connection settings: change them in Settings.";
  }
  switch (err?.name) {
    case "AuthenticationError":
      return "Check the API token in Settings.";
    case "PermissionDeniedError":
      return "The token is not allowed to do this.";
    case "RateLimitError":
      return "Too many requests: wait a moment and try again.";
    case "APIConnectionError":
      return "The server could not be reached. Check the base URL in Settings and your network.";
    case "APIConnectionTimeoutError":
      return "The server took too long to answer.";
    case "ResponseDecodeError":
      return "The server sent something that is not a valid answer.";
    case "InternalServerError":
      return "The server had trouble; retrying later may help.";
    default:
      return "";
  }
}

/**
 * Fills a notice box with an error: class, status and code, the message, an optional
 * hint and an optional "Try again" button.
 */
export function showError(box, err, { retry, context } = {}) {
  const d = describeError(err);
  const hint = errorHint(err);
  setChildren(
    box,
    el(
      "p",
      { class: "error-title" },
      context ? `${context}: ` : "",
      el("strong", { class: "error-name", text: d.name }),
      d.meta ? el("span", { class: "error-meta", text: ` ${d.meta}` }) : null,
    ),
    el("p", { class: "error-message prewrap", text: d.message }),
    hint ? el("p", { class: "error-hint", text: hint }) : null,
    retry ? el("button", { type: "button", class: "btn btn-small", text: "Try again", on: { click: retry } }) : null,
  );
  box.hidden = false;
}

/** Hides and empties a notice box. */
export function clearError(box) {
  box.replaceChildren();
  box.hidden = true;
}

// ---------------------------------------------------------------- field errors

/**
 * Shows a ValidationError next to the input it is about. `fields` maps the error's
 * field path (or a prefix of it) to an input id. Returns false when no field matched.
 */
export function showFieldError(err, fields) {
  const path = String(err.field || "");
  const key = Object.keys(fields).find((k) => path === k || path.startsWith(`${k}.`) || path.startsWith(`${k}[`));
  if (!key) return false;
  const input = $(fields[key]);
  const box = $(`${fields[key]}-error`);
  box.textContent = err.message;
  box.hidden = false;
  input.setAttribute("aria-invalid", "true");
  input.focus();
  return true;
}

/** Clears the field errors of a form. */
export function clearFieldErrors(form) {
  for (const box of form.querySelectorAll(".field-error")) {
    box.textContent = "";
    box.hidden = true;
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

/** Shows a form-level message. */
export function formError(box, err, context) {
  if (err) showError(box, err, { context });
  else clearError(box);
}

// ---------------------------------------------------------------- dialogs

/** Asks for confirmation in the page's <dialog>; resolves to true when confirmed. */
export function confirmDialog(title, text, okLabel = "Delete") {
  const dialog = $("confirm-dialog");
  $("confirm-title").textContent = title;
  $("confirm-text").textContent = text;
  $("confirm-ok").textContent = okLabel;
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    dialog.showModal();
  });
}

/** Sets a button's busy state (disabled with aria-busy). */
export function busy(button, isBusy, label) {
  button.disabled = isBusy;
  button.setAttribute("aria-busy", String(isBusy));
  if (label !== undefined) {
    if (isBusy) {
      button.dataset.label = button.textContent;
      button.textContent = label;
    } else if (button.dataset.label) {
      button.textContent = button.dataset.label;
      delete button.dataset.label;
    }
  }
}

/** Resolves at once when the page is visible, else when it becomes visible. */
export function whenVisible() {
  if (document.visibilityState !== "hidden") return Promise.resolve();
  return new Promise((resolve) => {
    const onChange = () => {
      if (document.visibilityState === "hidden") return;
      document.removeEventListener("visibilitychange", onChange);
      resolve();
    };
    document.addEventListener("visibilitychange", onChange);
  });
}

/** Copies text to the clipboard, with a fallback for pages without clipboard access. */
export async function copyText(text, input) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (input) {
      input.focus();
      input.select();
      try {
        return document.execCommand("copy");
      } catch {
        return false;
      }
    }
    return false;
  }
}

// ---------------------------------------------------------------- filter check lists

/**
 * Fills a filter group: one checkbox per known option and, when `otherId` is given, a
 * text input for further ids (comma or space separated). Keeps what was checked.
 */
export function fillCheckList(container, { name, options, otherId, otherLabel }) {
  const checked = new Set(checkedValues(container));
  const other = otherId ? document.getElementById(otherId)?.value ?? "" : "";
  container.replaceChildren();
  for (const opt of options) {
    const id = `${container.id}-${opt.value}`.replace(/[^A-Za-z0-9_-]/g, "_");
    const box = el("input", { type: "checkbox", id, name, value: opt.value, checked: checked.has(opt.value) });
    container.append(el("div", { class: "check" }, box, el("label", { htmlFor: id, text: opt.label, title: opt.title ?? "" })));
  }
  if (otherId) {
    const input = el("input", {
      type: "text",
      id: otherId,
      name: `${name}-other`,
      value: other,
      spellcheck: false,
      placeholder: "id, id, …",
      attrs: { "aria-describedby": `${otherId}-error` },
    });
    container.append(
      el(
        "div",
        { class: "field other-ids" },
        el("label", { htmlFor: otherId, text: otherLabel }),
        input,
        el("p", { class: "field-error", id: `${otherId}-error`, hidden: true }),
      ),
    );
  }
}

/** The values of the checked boxes in a container. */
export function checkedValues(container) {
  return [...container.querySelectorAll("input[type=checkbox]:checked")].map((b) => b.value);
}

/** Checked values plus the ids typed into the "other" input, without duplicates. */
export function idsOf(container, otherId) {
  const typed = (document.getElementById(otherId)?.value ?? "").split(/[\s,]+/).filter(Boolean);
  return [...new Set([...checkedValues(container), ...typed])];
}

/** Unchecks every box and empties every text input in a form. */
export function resetFilters(form) {
  for (const box of form.querySelectorAll("input[type=checkbox]")) box.checked = false;
  for (const input of form.querySelectorAll("input[type=text]")) input.value = "";
}

/** Fills a <datalist> with { value, label } options. */
export function fillDatalist(list, options) {
  list.replaceChildren(...options.map((o) => el("option", { value: o.value, label: o.label ?? "" })));
}
