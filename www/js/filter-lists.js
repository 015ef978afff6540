// The filter forms of the lists: one checkbox per known option, a text input for
// further ids, and reading what is chosen.

import { el } from "./dom.js";

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
