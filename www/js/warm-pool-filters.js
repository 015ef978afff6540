// The warm pools' filter form: projects and environment classes, read into the filter
// ListWarmPools takes, and the client's objections to it.

import { $ } from "./dom.js";
import { directory } from "./directory.js";
import { fillCheckList, idsOf, showFilterError } from "./filter-lists.js";
import { classOptions, projectOptions } from "./names.js";

// Where the client's ValidationError paths are shown.
const FILTER_FIELDS = {
  "filter.projectIds": "wp-filter-projects-other",
  "filter.environmentClassIds": "wp-filter-classes-other",
};

/** The filter the form describes, as ListWarmPools takes it. */
export function readWarmPoolFilter() {
  const filter = {};
  const projects = idsOf($("wp-filter-projects"), "wp-filter-projects-other");
  const classes = idsOf($("wp-filter-classes"), "wp-filter-classes-other");
  if (projects.length) filter.projectIds = projects;
  if (classes.length) filter.environmentClassIds = classes;
  return filter;
}

/** Fills the check lists with the directory's projects and classes. */
export function fillWarmPoolFilters() {
  fillCheckList($("wp-filter-projects"), {
    name: "wp-project",
    options: projectOptions(),
    otherId: "wp-filter-projects-other",
    otherLabel: directory.sim ? "Other project IDs" : "Project IDs",
  });
  fillCheckList($("wp-filter-classes"), {
    name: "wp-class",
    options: classOptions(),
    otherId: "wp-filter-classes-other",
    otherLabel: directory.sim ? "Other class IDs" : "Environment class IDs",
  });
}

/**
 * Shows a ValidationError about the filter in the filter form; returns false (showing
 * nothing) for any other error.
 */
export function showWarmPoolFilterError(err) {
  if (err?.name !== "ValidationError" || !String(err.field ?? "").startsWith("filter")) return false;
  showFilterError(err, { box: $("wp-filters-box"), fields: FILTER_FIELDS, errorBox: $("wp-filters-error") });
  return true;
}
