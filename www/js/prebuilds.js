// The prebuilds table (filters, paging, "load more") and the create form.

import { call, isAbort } from "./api.js";
import { classesOfProject, directory } from "./directory.js";
import { flash } from "./activity.js";
import { classOptions, idLabel, nameOf, projectOptions, shortClassLabel, subjectLabel, subjectOptions } from "./names.js";
import { $, busy, el, fillDatalist, setChildren, show } from "./dom.js";
import { badge, enumLabel, formatBytes, timeEl } from "./format.js";
import { clearError, showError } from "./errors.js";
import { clearFieldErrors, formError, showFieldError } from "./form-errors.js";
import { checkedValues, fillCheckList, idsOf, resetFilters } from "./filter-lists.js";

export const PHASES = [
  "PREBUILD_PHASE_PENDING",
  "PREBUILD_PHASE_STARTING",
  "PREBUILD_PHASE_RUNNING",
  "PREBUILD_PHASE_STOPPING",
  "PREBUILD_PHASE_SNAPSHOTTING",
  "PREBUILD_PHASE_COMPLETED",
  "PREBUILD_PHASE_FAILED",
  "PREBUILD_PHASE_CANCELLING",
  "PREBUILD_PHASE_CANCELLED",
  "PREBUILD_PHASE_DELETING",
  "PREBUILD_PHASE_DELETED",
];
const TRIGGERS = ["PREBUILD_TRIGGER_MANUAL", "PREBUILD_TRIGGER_SCHEDULED"];

const state = {
  items: [], // prebuilds in table order
  nextToken: "",
  loaded: false,
  generation: 0,
  controller: null,
  selectedId: "",
  onOpen: () => {},
};

// ---------------------------------------------------------------- filters

const FILTER_FIELDS = {
  "filter.projectIds": "pb-filter-projects-other",
  "filter.creatorIds": "pb-filter-creators-other",
  "filter.executorIds": "pb-filter-executors-other",
  pageSize: "pb-page-size",
};

function isFilterField(field) {
  return typeof field === "string" && (field.startsWith("filter") || field.startsWith("pageSize") || field.startsWith("pagination"));
}

function readFilter() {
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

function filterCount(filter) {
  return Object.values(filter).reduce((n, list) => n + list.length, 0);
}

function fillFilterLists() {
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

// ---------------------------------------------------------------- table

function rowCells(p) {
  const m = p.metadata ?? {};
  const s = p.status ?? {};
  return [
    ["Project", idLabel(m.projectId)],
    ["Environment class", shortClassLabel(m.environmentClassId)],
    ["Trigger", enumLabel(m.triggeredBy)],
    ["Creator", subjectLabel(m.creator, { compact: true })],
    ["Phase", badge(s.phase)],
    ["Created", timeEl(m.createdAt)],
    ["Updated", timeEl(m.updatedAt)],
    ["Snapshot", formatBytes(s.snapshotSizeBytes)],
  ];
}

function makeRow(p) {
  const open = el("button", {
    type: "button",
    class: "link-btn mono",
    text: p.id.slice(0, 8),
    title: p.id,
    attrs: { "aria-label": `Open prebuild ${p.id}` },
    on: { click: () => state.onOpen(p.id, findItem(p.id)) },
  });
  const tr = el("tr", { dataset: { id: p.id } }, el("td", { class: "id-cell", dataset: { label: "ID" } }, open));
  for (const [label, content] of rowCells(p)) {
    tr.append(el("td", { dataset: { label }, class: label === "Snapshot" ? "num" : "" }, content));
  }
  return tr;
}

function updateRow(tr, p) {
  const cells = rowCells(p);
  cells.forEach(([, content], i) => setChildren(tr.cells[i + 1], content));
  tr.dataset.phase = p.status?.phase ?? "";
}

function findItem(id) {
  return state.items.find((p) => p.id === id);
}

function render() {
  const tbody = $("pb-rows");
  const existing = new Map([...tbody.rows].map((tr) => [tr.dataset.id, tr]));
  const wanted = state.items.map((p) => {
    let tr = existing.get(p.id);
    if (tr) {
      existing.delete(p.id);
      updateRow(tr, p);
    } else {
      tr = makeRow(p);
      tr.dataset.phase = p.status?.phase ?? "";
    }
    tr.classList.toggle("is-selected", p.id === state.selectedId);
    return tr;
  });
  for (const tr of existing.values()) tr.remove();
  wanted.forEach((tr, i) => {
    if (tbody.rows[i] !== tr) tbody.insertBefore(tr, tbody.rows[i] ?? null);
  });
  renderFooter();
}

function renderFooter() {
  const n = state.items.length;
  const more = Boolean(state.nextToken);
  $("pb-count").textContent = state.loaded
    ? `Showing ${n} prebuild${n === 1 ? "" : "s"}${more ? " · more available" : ""}`
    : "";
  show($("pb-more"), more);
  const empty = $("pb-empty");
  if (state.loaded && n === 0) {
    const active = filterCount(readFilter()) > 0;
    setChildren(
      empty,
      el("p", { text: active ? "No prebuilds match these filters." : "No prebuilds yet." }),
      active
        ? el("button", { type: "button", class: "btn btn-small", text: "Clear filters", on: { click: clearFilters } })
        : el("p", { class: "muted", text: "Create one with the form on this page." }),
    );
    show(empty, true);
  } else {
    show(empty, false);
  }
  $("pb-table").classList.toggle("is-empty", n === 0);
}

/** Loads the first page again (keeps rows until the answer arrives). */
export async function reloadPrebuilds() {
  await load(false);
}

async function load(append) {
  const generation = ++state.generation;
  state.controller?.abort();
  const controller = new AbortController();
  state.controller = controller;
  const filter = readFilter();
  const pageSize = Number($("pb-page-size").value);
  $("pb-filter-count").textContent = filterCount(filter) ? `(${filterCount(filter)} active)` : "";
  clearFieldErrors($("pb-filters"));
  clearError($("pb-filters-error"));
  clearError($("pb-error"));
  const more = $("pb-more");
  if (append) busy(more, true, "Loading…");
  else show($("pb-loading"), true);
  $("pb-table").setAttribute("aria-busy", "true");
  try {
    const params = { pageSize };
    if (Object.keys(filter).length) params.filter = filter;
    if (append) params.token = state.nextToken;
    const res = await call("listPrebuilds", params, { signal: controller.signal });
    if (generation !== state.generation) return;
    const page = Array.isArray(res.prebuilds) ? res.prebuilds : [];
    if (append) {
      const seen = new Set(state.items.map((p) => p.id));
      state.items.push(...page.filter((p) => !seen.has(p.id)));
    } else {
      state.items = page;
    }
    state.nextToken = res.pagination?.nextToken ?? "";
    state.loaded = true;
    render();
  } catch (err) {
    if (isAbort(err) || generation !== state.generation) return;
    if (err?.name === "ValidationError" && isFilterField(err.field)) {
      $("pb-filters-box").open = true;
      if (!showFieldError(err, FILTER_FIELDS)) showError($("pb-filters-error"), err);
    } else {
      showError($("pb-error"), err, {
        context: append ? "Loading more prebuilds failed" : "Loading prebuilds failed",
        retry: () => load(append),
      });
    }
    renderFooter();
  } finally {
    if (generation === state.generation) {
      show($("pb-loading"), false);
      $("pb-table").removeAttribute("aria-busy");
      busy(more, false, "");
    }
  }
}

function clearFilters() {
  resetFilters($("pb-filters"));
  load(false);
}

// ---------------------------------------------------------------- updates from elsewhere

/** Puts a prebuild into the table (updating its row, or adding it on top). */
export function upsertPrebuild(prebuild, { prepend = false } = {}) {
  const i = state.items.findIndex((p) => p.id === prebuild.id);
  if (i >= 0) state.items[i] = prebuild;
  else if (prepend) state.items.unshift(prebuild);
  else return;
  state.loaded = true;
  render();
  if (prepend && i < 0) {
    const tr = $("pb-rows").querySelector(`tr[data-id="${CSS.escape(prebuild.id)}"]`);
    tr?.classList.add("is-new");
  }
}

/** Removes a prebuild that no longer exists. */
export function removePrebuild(id) {
  const before = state.items.length;
  state.items = state.items.filter((p) => p.id !== id);
  if (state.items.length !== before) render();
}

/** Marks the row shown in the details panel. */
export function selectPrebuild(id) {
  state.selectedId = id;
  for (const tr of $("pb-rows").rows) tr.classList.toggle("is-selected", tr.dataset.id === id);
}

// ---------------------------------------------------------------- create

const CREATE_FIELDS = {
  projectId: "pb-create-project",
  environmentClassId: "pb-create-class",
  "spec.timeout": "pb-create-timeout",
  spec: "pb-create-timeout",
};

function updateCreateHints() {
  const projectId = $("pb-create-project").value.trim();
  const project = directory.projects.find((p) => p.id === projectId);
  $("pb-create-project-name").textContent = project ? `Project: ${project.name}` : "";
  fillDatalist($("pb-class-options"), classOptions(classesOfProject(projectId)));
  const classId = $("pb-create-class").value.trim();
  const defaultClass = project?.defaultEnvironmentClassId;
  $("pb-create-class-name").textContent = classId
    ? directory.names.has(classId)
      ? `Class: ${nameOf(classId)}`
      : ""
    : `Empty: the project's default class${defaultClass ? ` (${nameOf(defaultClass)})` : ""}.`;
}

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
    upsertPrebuild(prebuild, { prepend: true });
    state.onOpen(prebuild.id, prebuild, { focus: false });
  } catch (err) {
    if (err?.name === "ValidationError" && showFieldError(err, CREATE_FIELDS)) return;
    formError($("pb-create-error"), err, "Could not create the prebuild");
  } finally {
    busy(button, false, "");
  }
}

// ---------------------------------------------------------------- set-up

/** Refreshes everything that depends on the simulator's directory. */
export function refreshPrebuildChoices() {
  fillFilterLists();
  const project = $("pb-create-project");
  if (!project.value && directory.projects.length) project.value = directory.projects[0].id;
  updateCreateHints();
}

/** Wires the section; `onOpen(id, prebuild?, opts?)` shows a prebuild's details. */
export function initPrebuilds({ onOpen }) {
  state.onOpen = onOpen;
  fillFilterLists();
  const filters = $("pb-filters");
  filters.addEventListener("submit", (e) => {
    e.preventDefault();
    load(false);
  });
  filters.addEventListener("change", (e) => {
    if (e.target.type === "checkbox") load(false);
  });
  $("pb-filters-clear").addEventListener("click", clearFilters);
  $("pb-page-size").addEventListener("change", () => load(false));
  $("pb-more").addEventListener("click", () => load(true));
  $("pb-refresh").addEventListener("click", () => load(false));
  $("pb-create-form").addEventListener("submit", submitCreate);
  $("pb-create-project").addEventListener("input", updateCreateHints);
  $("pb-create-class").addEventListener("input", updateCreateHints);
}
