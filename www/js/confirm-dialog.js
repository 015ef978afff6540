// The page's one confirmation dialog (index.html's #confirm-dialog), for actions that
// cannot be undone.

import { $ } from "./dom.js";

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
