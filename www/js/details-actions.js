// Cancelling and deleting the prebuild open in the details panel. Both ask the panel
// to follow the prebuild again at once, so the next phase shows without waiting for
// the next poll.

import { call, isAbort } from "./api.js";
import { flash } from "./activity.js";
import { confirmDialog } from "./confirm-dialog.js";
import { $, busy } from "./dom.js";
import { showError } from "./errors.js";
import { CANCELLABLE_PHASES, GOING_PHASES } from "./prebuild-phases.js";

// The panel, as these actions see it (set by `initDetailsActions`).
let panel = null;

async function cancel() {
  const button = $("details-cancel");
  busy(button, true, "Cancelling…");
  try {
    const { prebuild } = await call("cancelPrebuild", { prebuildId: panel.currentId() });
    panel.update(prebuild);
    flash("Cancellation requested.", "ok");
    panel.followAgain();
  } catch (err) {
    if (!isAbort(err)) showError($("details-error"), err, { context: "Cancel failed" });
  } finally {
    busy(button, false, "");
    const shown = panel.currentPrebuild();
    if (shown) button.disabled = !CANCELLABLE_PHASES.has(shown.status?.phase);
  }
}

async function remove() {
  const id = panel.currentId();
  const ok = await confirmDialog("Delete this prebuild?", `Prebuild ${id} and its snapshot will be deleted.`);
  if (!ok || id !== panel.currentId()) return;
  const button = $("details-delete");
  busy(button, true, "Deleting…");
  try {
    await call("deletePrebuild", { prebuildId: id });
    flash("Deletion started.", "ok");
    panel.followAgain();
  } catch (err) {
    if (err?.name === "NotFoundError") panel.markGone();
    else if (!isAbort(err)) showError($("details-error"), err, { context: "Delete failed" });
  } finally {
    busy(button, false, "");
    if (panel.isGone() || GOING_PHASES.has(panel.currentPrebuild()?.status?.phase)) button.disabled = true;
  }
}

/**
 * Wires the Cancel and Delete buttons. `details` is the panel: `currentId()`,
 * `currentPrebuild()`, `isGone()`, `update(prebuild)` (show a newer state),
 * `followAgain()` and `markGone()`.
 */
export function initDetailsActions(details) {
  panel = details;
  $("details-cancel").addEventListener("click", cancel);
  $("details-delete").addEventListener("click", remove);
}
