// The "Create prebuild" form: project, optional class and timeout, the client's
// validation next to the field it is about, and the server's answer under the form.

import { call } from "./api.js";
import { flash } from "./activity.js";
import { $, busy } from "./dom.js";
import { directory } from "./directory.js";
import { clearError } from "./errors.js";
import { clearFieldErrors, formError, showFieldError } from "./form-errors.js";
import { nameOf } from "./names.js";
import { wireProjectClassInputs } from "./project-class-inputs.js";

// Where the client's ValidationError paths are shown.
const CREATE_FIELDS = {
  projectId: "pb-create-project",
  environmentClassId: "pb-create-class",
  "spec.timeout": "pb-create-timeout",
  spec: "pb-create-timeout",
};

let updateHints = () => {};
let onCreated = () => {};

async function submitCreate(event) {
  event.preventDefault();
  const form = $("pb-create-form");
  const button = $("pb-create-submit");
  clearFieldErrors(form);
  clearError($("pb-create-error"));
  const projectId = $("pb-create-project").value.trim();
  const environmentClassId = $("pb-create-class").value.trim();
  let timeout = $("pb-create-timeout").value.trim();
  if (/^\d+(\.\d+)?$/.test(timeout)) timeout = `${timeout}s`; // "600" means seconds
  const params = { projectId, spec: {} };
  if (environmentClassId) params.environmentClassId = environmentClassId;
  if (timeout) params.spec.timeout = timeout;
  busy(button, true, "Creating…");
  try {
    const { prebuild } = await call("createPrebuild", params);
    flash(`Prebuild ${prebuild.id.slice(0, 8)} created.`, "ok");
    onCreated(prebuild);
  } catch (err) {
    if (err?.name === "ValidationError" && showFieldError(err, CREATE_FIELDS)) return;
    formError($("pb-create-error"), err, "Could not create the prebuild");
  } finally {
    busy(button, false, "");
  }
}

/** Pre-fills the project (the directory's first) and updates the hints. */
export function refreshPrebuildCreateForm() {
  const project = $("pb-create-project");
  if (!project.value && directory.projects.length) project.value = directory.projects[0].id;
  updateHints();
}

/** Wires the form; `created(prebuild)` gets each prebuild it creates. */
export function initPrebuildCreateForm({ created }) {
  onCreated = created;
  updateHints = wireProjectClassInputs({
    projectInput: $("pb-create-project"),
    projectHint: $("pb-create-project-name"),
    classInput: $("pb-create-class"),
    classHint: $("pb-create-class-name"),
    classList: $("pb-class-options"),
    emptyClassHint: (project) => {
      const defaultClass = project?.defaultEnvironmentClassId;
      return `Empty: the project's default class${defaultClass ? ` (${nameOf(defaultClass)})` : ""}.`;
    },
  });
  $("pb-create-form").addEventListener("submit", submitCreate);
}
