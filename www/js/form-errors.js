// Errors in forms: a ValidationError next to the input it is about (marked invalid and
// focused), or a message for the whole form.

import { $ } from "./dom.js";
import { clearError, showError } from "./errors.js";

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
