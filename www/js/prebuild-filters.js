// The prebuilds' filter form: phases, triggers, projects, creators and executors, read
// into the filter ListPrebuilds takes, and the client's objections to it.

import { $ } from "./dom.js";
import { directory } from "./directory.js";
import { enumLabel } from "./format.js";
import { checkedValues, fillCheckList, idsOf, showFilterError } from "./filter-lists.js";
import { projectOptions, subjectOptions } from "./names.js";
import { PHASES, TRIGGERS } from "./prebuild-phases.js";

// Where the client's ValidationError paths are shown (the page size belongs to the
// filters too: it is the other thing that shapes the list).
const FILTER_FIELDS = {
  "filter.projectIds": "pb-filter-projects-other",
  "filter.creatorIds": "pb-filter-creators-other",
  "filter.executorIds": "pb-filter-executors-other",
  pageSize: "pb-page-size",
};

/** The filter the form describes, as ListPrebuilds takes it. */
export function readPrebuildFilter() {
  const filter = {};
  const phases = checkedValues($("pb-filter-phases"));
  const triggers = checkedValues($("pb-filter-triggers"));
  const projects = idsOf($("pb-filter-projects"), "pb-filter-projects-other");
  const creators = idsOf($("pb-filter-creators"), "pb-filter-creators-other");
  const executors = idsOf($("pb-filter-executors"), "pb-filter-executors-other");
  if (projects.length) filter.projectIds = projects;
  if (creators.length) filter.creatorIds = creators;
  if (executors.length) filter.executorIds = executors;
  if (phases.length) filter.phases = phases;
  if (triggers.length) filter.triggeredBy = triggers;
  return filter;
}

/** Fills the check lists: phases and triggers, and the directory's projects and subjects. */
export function fillPrebuildFilters() {
  fillCheckList($("pb-filter-phases"), {
    name: "phase",
    options: PHASES.map((p) => ({ value: p, label: enumLabel(p), title: p })),
  });
  fillCheckList($("pb-filter-triggers"), {
    name: "trigger",
    options: TRIGGERS.map((t) => ({ value: t, label: enumLabel(t), title: t })),
  });
  fillCheckList($("pb-filter-projects"), {
    name: "project",
    options: projectOptions(),
    otherId: "pb-filter-projects-other",
    otherLabel: directory.sim ? "Other project IDs" : "Project IDs",
  });
  fillCheckList($("pb-filter-creators"), {
    name: "creator",
    options: subjectOptions(),
    otherId: "pb-filter-creators-other",
    otherLabel: directory.sim ? "Other creator IDs" : "Creator IDs",
  });
  fillCheckList($("pb-filter-executors"), {
    name: "executor",
    options: subjectOptions(),
    otherId: "pb-filter-executors-other",
    otherLabel: directory.sim ? "Other executor IDs" : "Executor IDs",
  });
}

/**
 * Shows a ValidationError about the filter or paging in the filter form; returns false
 * (showing nothing) for any other error.
 */
export function showPrebuildFilterError(err) {
  const field = err?.name === "ValidationError" ? err.field : undefined;
  const about = typeof field === "string" && (field.startsWith("filter") || field.startsWith("pageSize") || field.startsWith("pagination"));
  if (!about) return false;
  showFilterError(err, { box: $("pb-filters-box"), fields: FILTER_FIELDS, errorBox: $("pb-filters-error") });
  return true;
}
