// The filter forms of the lists: one checkbox per known option, a text input for
// further ids, reading what is chosen, applying and clearing, and showing a filter the
// client refuses next to its input.

import { el } from "./dom.js";
import { clearError, showError } from "./errors.js";
import { clearFieldErrors, showFieldError } from "./form-errors.js";

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
function resetFilters(form) {
  for (const box of form.querySelectorAll("input[type=checkbox]")) box.checked = false;
  for (const input of form.querySelectorAll("input[type=text]")) input.value = "";
}

/** How many values a filter holds (a filter maps its keys to non-empty lists). */
export function filterCount(filter) {
  return Object.values(filter).reduce((n, list) => n + list.length, 0);
}

/** "(2 active)" next to a filter box's summary; nothing when no filter is on. */
export function showFilterCount(node, filter) {
  const count = filterCount(filter);
  node.textContent = count ? `(${count} active)` : "";
}

/**
 * Wires a filter form: submitting it or ticking a box calls `apply`; `clearButton`
 * unchecks and empties everything first. Returns that clearing, for other buttons.
 */
export function wireFilterForm(form, clearButton, apply) {
  const clear = () => {
    resetFilters(form);
    apply();
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    apply();
  });
  form.addEventListener("change", (e) => {
    if (e.target.type === "checkbox") apply();
  });
  clearButton.addEventListener("click", clear);
  return clear;
}

/**
 * Shows a ValidationError about a filter: opens the filter box and puts the message
 * next to the input `fields` maps its path to, or under the form when none matches.
 */
export function showFilterError(err, { box, fields, errorBox }) {
  box.open = true;
  if (!showFieldError(err, fields)) showError(errorBox, err);
}

/** Hides the filter form's errors (before the next load). */
export function clearFilterErrors(form, errorBox) {
  clearFieldErrors(form);
  clearError(errorBox);
}
