// Errors from the client in words the user can act on: the error class, HTTP status and
// Connect code, the message, and a hint where one helps.

import { el, setChildren } from "./dom.js";

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

// The client options the Settings panel controls: a ValidationError about one of them
// is fixed there, not in the form that made the call.
const SETTINGS_FIELDS = ["baseUrl", "token", "timeoutMs", "maxRetries", "headers", "fetch"];

/** A hint that helps the user act on an error. */
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
