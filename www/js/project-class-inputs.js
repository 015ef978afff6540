// The project and environment class inputs of the create forms: the project's name
// under its input, the project's classes as suggestions for the class input, and the
// chosen class's name.

import { fillDatalist } from "./dom.js";
import { classesOfProject, directory } from "./directory.js";
import { classOptions, nameOf } from "./names.js";

/**
 * Wires a form's project and class inputs (and the hints and class suggestions under
 * them) so that typing in either updates the hints. `emptyClassHint(project)` is the
 * hint under an empty class input. Returns the update, for when the directory changes.
 */
export function wireProjectClassInputs({ projectInput, projectHint, classInput, classHint, classList, emptyClassHint = () => "" }) {
  const update = () => {
    const projectId = projectInput.value.trim();
    const project = directory.projects.find((p) => p.id === projectId);
    projectHint.textContent = project ? `Project: ${project.name}` : "";
    fillDatalist(classList, classOptions(classesOfProject(projectId)));
    const classId = classInput.value.trim();
    if (!classId) classHint.textContent = emptyClassHint(project);
    else classHint.textContent = directory.names.has(classId) ? `Class: ${nameOf(classId)}` : "";
  };
  projectInput.addEventListener("input", update);
  classInput.addEventListener("input", update);
  return update;
}
