// The forms that write a warm pool: "Create warm pool" (project, class, min and max
// size) and the edit dialog (min and max size). The client's validation shows next to
// the field it is about; the server's answer under the form.

import { call } from "./api.js";
import { flash } from "./activity.js";
import { $, busy } from "./dom.js";
import { directory } from "./directory.js";
import { clearError } from "./errors.js";
import { clearFieldErrors, formError, showFieldError } from "./form-errors.js";
import { nameOf, warmPoolName } from "./names.js";
import { wireProjectClassInputs } from "./project-class-inputs.js";

// Where the client's ValidationError paths are shown.
const CREATE_FIELDS = {
  projectId: "wp-create-project",
  environmentClassId: "wp-create-class",
  minSize: "wp-create-min",
  maxSize: "wp-create-max",
  desiredSize: "wp-create-max",
};
const EDIT_FIELDS = { minSize: "wp-edit-min", maxSize: "wp-edit-max" };

const state = {
  editing: null, // the pool in the edit dialog
  updateHints: () => {},
  saved: () => {},
  find: () => undefined,
};

// ---------------------------------------------------------------- sizes

/** Reads an integer input: undefined when empty, NaN when not a whole number. */
function readInt(inputId) {
  const input = $(inputId);
  const raw = input.value.trim();
  if (raw === "" && input.validity.badInput) return NaN;
  if (raw === "") return undefined;
  const n = Number(raw);
  return Number.isInteger(n) ? n : NaN;
}

function intError(inputId, label) {
  const box = $(`${inputId}-error`);
  box.textContent = `${label} must be a whole number.`;
  box.hidden = false;
  $(inputId).setAttribute("aria-invalid", "true");
  $(inputId).focus();
}

/**
 * The min and max size inputs as request fields (an empty input is left out), or null
 * after showing that one is not a whole number. Ranges are the client's to check.
 */
function readSizes(minId, maxId) {
  const minSize = readInt(minId);
  const maxSize = readInt(maxId);
  if (Number.isNaN(minSize)) {
    intError(minId, "Min size");
    return null;
  }
  if (Number.isNaN(maxSize)) {
    intError(maxId, "Max size");
    return null;
  }
  const sizes = {};
  if (minSize !== undefined) sizes.minSize = minSize;
  if (maxSize !== undefined) sizes.maxSize = maxSize;
  return sizes;
}

// ---------------------------------------------------------------- create

async function submitCreate(event) {
  event.preventDefault();
  clearFieldErrors($("wp-create-form"));
  clearError($("wp-create-error"));
  const sizes = readSizes("wp-create-min", "wp-create-max");
  if (!sizes) return;
  const params = {
    projectId: $("wp-create-project").value.trim(),
    environmentClassId: $("wp-create-class").value.trim(),
    ...sizes,
  };
  const button = $("wp-create-submit");
  busy(button, true, "Creating…");
  try {
    const { warmPool } = await call("createWarmPool", params);
    flash(`Warm pool for ${nameOf(warmPool.metadata?.projectId)} created.`, "ok");
    state.saved(warmPool);
  } catch (err) {
    if (err?.name === "ValidationError" && showFieldError(err, CREATE_FIELDS)) return;
    const context = err?.code === "already_exists" ? "A warm pool for this project and class exists already" : "Could not create the warm pool";
    formError($("wp-create-error"), err, context);
  } finally {
    busy(button, false, "");
  }
}

/** Pre-fills the pair the simulator suggests (a free project and class) and updates the hints. */
export function refreshWarmPoolCreateForm() {
  const pair = directory.hints?.freePair;
  const project = $("wp-create-project");
  const cls = $("wp-create-class");
  if (pair && !project.value && !cls.value) {
    if (typeof pair.projectId === "string") project.value = pair.projectId;
    if (typeof pair.environmentClassId === "string") cls.value = pair.environmentClassId;
  }
  state.updateHints();
}

// ---------------------------------------------------------------- edit

/** Opens the edit dialog for a pool of the list. */
export function openWarmPoolEdit(id) {
  const pool = state.find(id);
  if (!pool) return;
  state.editing = pool;
  clearFieldErrors($("wp-edit-form"));
  clearError($("wp-edit-error"));
  $("wp-edit-subtitle").textContent = warmPoolName(pool);
  $("wp-edit-min").value = pool.spec?.minSize ?? "";
  $("wp-edit-max").value = pool.spec?.maxSize ?? "";
  $("wp-edit-dialog").showModal();
  $("wp-edit-min").focus();
}

function closeEdit() {
  state.editing = null;
  $("wp-edit-dialog").close();
}

async function submitEdit(event) {
  event.preventDefault();
  const pool = state.editing;
  if (!pool) return;
  clearFieldErrors($("wp-edit-form"));
  clearError($("wp-edit-error"));
  const sizes = readSizes("wp-edit-min", "wp-edit-max");
  if (!sizes) return;
  const button = $("wp-edit-save");
  busy(button, true, "Saving…");
  try {
    const { warmPool } = await call("updateWarmPool", { warmPoolId: pool.id, ...sizes });
    state.saved(warmPool);
    flash("Warm pool updated.", "ok");
    closeEdit();
  } catch (err) {
    if (err?.name === "ValidationError" && showFieldError(err, EDIT_FIELDS)) return;
    formError($("wp-edit-error"), err, "Could not update the warm pool");
  } finally {
    busy(button, false, "");
  }
}

// ---------------------------------------------------------------- set-up

/**
 * Wires both forms. `saved(pool)` gets each pool created or updated; `find(id)` gives
 * a pool of the list (for the edit dialog).
 */
export function initWarmPoolForms({ saved, find }) {
  state.saved = saved;
  state.find = find;
  state.updateHints = wireProjectClassInputs({
    projectInput: $("wp-create-project"),
    projectHint: $("wp-create-project-name"),
    classInput: $("wp-create-class"),
    classHint: $("wp-create-class-name"),
    classList: $("wp-class-options"),
  });
  $("wp-create-form").addEventListener("submit", submitCreate);
  $("wp-edit-form").addEventListener("submit", submitEdit);
  $("wp-edit-cancel").addEventListener("click", closeEdit);
}
