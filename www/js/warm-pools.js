// Warm pools: table with filters, create, edit min/max, delete, and live status while
// pools settle (polling the list).

import { call, isAbort } from "./api.js";
import { classesOfProject, directory } from "./directory.js";
import { settings } from "./settings.js";
import { flash } from "./activity.js";
import { classOptions, idLabel, nameOf, projectOptions } from "./names.js";
import { $, busy, el, fillDatalist, setChildren, show } from "./dom.js";
import { badge, shortId } from "./format.js";
import { clearError, showError } from "./errors.js";
import { clearFieldErrors, formError, showFieldError } from "./form-errors.js";
import { confirmDialog } from "./confirm-dialog.js";
import { fillCheckList, idsOf, resetFilters } from "./filter-lists.js";
import { whenVisible } from "./waiting.js";

const state = {
  items: [],
  loaded: false,
  generation: 0,
  controller: null,
  timer: 0,
  quietRounds: 0, // polls in a row that changed nothing
  lastJson: "",
  editing: null, // the pool in the edit dialog
  onOpenPrebuild: () => {},
};

// ---------------------------------------------------------------- settled or not

// A pool is settled when it is READY with its desired instances running, or DEGRADED
// (that waits for an operator). PENDING (waiting for a prebuild), scaling and deleting
// pools are followed live.
function isSettled(pool) {
  const s = pool.status ?? {};
  if (s.phase === "WARM_POOL_PHASE_READY") return (s.runningInstances ?? 0) === (s.desiredSize ?? 0);
  return s.phase === "WARM_POOL_PHASE_DEGRADED";
}

function schedulePoll() {
  clearTimeout(state.timer);
  const settling = state.items.filter((p) => !isSettled(p));
  const live = $("wp-live");
  if (!settling.length) {
    live.textContent = state.loaded && state.items.length ? "All pools settled" : "";
    live.className = "live live-done";
    return;
  }
  // Poll briskly while things change, slower while nothing does (a pool can wait for a
  // prebuild for a long time).
  const slow = state.quietRounds >= 10;
  const wait = slow ? Math.max(settings.pollMs * 5, 5000) : settings.pollMs;
  live.textContent = `Following ${settling.length} pool${settling.length === 1 ? "" : "s"} live`;
  live.className = "live live-live";
  state.timer = setTimeout(async () => {
    await whenVisible();
    load({ quiet: true });
  }, wait);
}

// ---------------------------------------------------------------- table

const FILTER_FIELDS = {
  "filter.projectIds": "wp-filter-projects-other",
  "filter.environmentClassIds": "wp-filter-classes-other",
};

function readFilter() {
  const filter = {};
  const projects = idsOf($("wp-filter-projects"), "wp-filter-projects-other");
  const classes = idsOf($("wp-filter-classes"), "wp-filter-classes-other");
  if (projects.length) filter.projectIds = projects;
  if (classes.length) filter.environmentClassIds = classes;
  return filter;
}

function fillFilterLists() {
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

function size(v) {
  return v === undefined || v === null ? "—" : String(v);
}

function rowCells(pool) {
  const m = pool.metadata ?? {};
  const spec = pool.spec ?? {};
  const s = pool.status ?? {};
  const phase = el("div", { class: "phase-cell" }, badge(s.phase));
  if (!isSettled(pool) && s.phase !== "WARM_POOL_PHASE_DELETED") {
    phase.append(el("span", { class: "spinner spinner-small", title: "changing", attrs: { "aria-hidden": "true" } }));
  }
  if (s.failureMessage) phase.append(el("p", { class: "cell-message prewrap", text: s.failureMessage }));
  const snapshot = spec.snapshotId
    ? el("button", {
        type: "button",
        class: "link-btn mono",
        text: shortId(spec.snapshotId),
        title: `Open prebuild ${spec.snapshotId}`,
        attrs: { "aria-label": `Open snapshot prebuild ${spec.snapshotId}` },
        on: { click: () => state.onOpenPrebuild(spec.snapshotId) },
      })
    : el("span", { class: "muted", text: "none yet" });
  const instances = el(
    "span",
    { class: "instances", title: "running / stopped / desired" },
    el("span", { class: "inst-running", text: String(s.runningInstances ?? 0) }),
    " / ",
    el("span", { class: "inst-stopped", text: String(s.stoppedInstances ?? 0) }),
    " / ",
    el("span", { class: "inst-desired", text: String(s.desiredSize ?? 0) }),
  );
  return [
    ["Project", idLabel(m.projectId)],
    ["Environment class", idLabel(m.environmentClassId)],
    ["Runner", idLabel(m.runnerId)],
    ["Phase", phase],
    ["Snapshot", snapshot],
    ["Instances", instances],
    ["Min / max", `${size(spec.minSize)} / ${size(spec.maxSize)}`],
  ];
}

function makeRow(pool) {
  const tr = el("tr", { dataset: { id: pool.id } });
  for (const [label] of rowCells(pool)) {
    tr.append(el("td", { dataset: { label }, class: label === "Instances" || label === "Min / max" ? "num" : "" }));
  }
  const name = `${nameOf(pool.metadata?.projectId)} / ${nameOf(pool.metadata?.environmentClassId)}`;
  tr.append(
    el(
      "td",
      { class: "row-actions", dataset: { label: "Actions" } },
      el("button", {
        type: "button",
        class: "btn btn-small wp-edit",
        text: "Edit",
        attrs: { "aria-label": `Edit warm pool ${name}` },
        on: { click: () => openEdit(pool.id) },
      }),
      el("button", {
        type: "button",
        class: "btn btn-small btn-danger wp-delete",
        text: "Delete",
        attrs: { "aria-label": `Delete warm pool ${name}` },
        on: { click: (e) => remove(pool.id, e.currentTarget) },
      }),
    ),
  );
  return tr;
}

function updateRow(tr, pool) {
  rowCells(pool).forEach(([, content], i) => setChildren(tr.cells[i], content));
  const phase = pool.status?.phase ?? "";
  tr.dataset.phase = phase;
  tr.classList.toggle("is-settling", !isSettled(pool));
  const going = phase === "WARM_POOL_PHASE_DELETING" || phase === "WARM_POOL_PHASE_DELETED";
  for (const b of tr.querySelectorAll(".row-actions button")) if (b.getAttribute("aria-busy") !== "true") b.disabled = going;
}

function render() {
  const tbody = $("wp-rows");
  const existing = new Map([...tbody.rows].map((tr) => [tr.dataset.id, tr]));
  const rows = state.items.map((pool) => {
    let tr = existing.get(pool.id);
    if (tr) existing.delete(pool.id);
    else tr = makeRow(pool);
    updateRow(tr, pool);
    return tr;
  });
  for (const tr of existing.values()) tr.remove();
  rows.forEach((tr, i) => {
    if (tbody.rows[i] !== tr) tbody.insertBefore(tr, tbody.rows[i] ?? null);
  });
  const n = state.items.length;
  $("wp-count").textContent = state.loaded ? `Showing ${n} warm pool${n === 1 ? "" : "s"}` : "";
  const empty = $("wp-empty");
  if (state.loaded && n === 0) {
    const active = Object.keys(readFilter()).length > 0;
    setChildren(
      empty,
      el("p", { text: active ? "No warm pools match these filters." : "No warm pools yet." }),
      active
        ? el("button", { type: "button", class: "btn btn-small", text: "Clear filters", on: { click: clearFilters } })
        : el("p", { class: "muted", text: "A warm pool keeps environments started from a project's latest prebuild ready." }),
    );
    show(empty, true);
  } else {
    show(empty, false);
  }
  $("wp-table").classList.toggle("is-empty", n === 0);
}

/** Loads every page of warm pools matching the filters. */
async function load({ quiet = false } = {}) {
  const generation = ++state.generation;
  clearTimeout(state.timer);
  state.controller?.abort();
  const controller = new AbortController();
  state.controller = controller;
  const filter = readFilter();
  const count = (filter.projectIds?.length ?? 0) + (filter.environmentClassIds?.length ?? 0);
  $("wp-filter-count").textContent = count ? `(${count} active)` : "";
  if (!quiet) {
    clearFieldErrors($("wp-filters"));
    clearError($("wp-filters-error"));
    show($("wp-loading"), !state.loaded || state.items.length === 0);
  }
  $("wp-table").setAttribute("aria-busy", "true");
  try {
    const pools = [];
    let token = "";
    do {
      const params = { pageSize: 100 };
      if (Object.keys(filter).length) params.filter = filter;
      if (token) params.token = token;
      const res = await call("listWarmPools", params, { signal: controller.signal, quiet });
      pools.push(...(Array.isArray(res.warmPools) ? res.warmPools : []));
      token = res.pagination?.nextToken ?? "";
    } while (token && pools.length < 1000);
    if (generation !== state.generation) return;
    clearError($("wp-error"));
    const json = JSON.stringify(pools);
    state.quietRounds = json === state.lastJson ? state.quietRounds + 1 : 0;
    state.lastJson = json;
    state.items = pools;
    state.loaded = true;
    render();
    schedulePoll();
  } catch (err) {
    if (isAbort(err) || generation !== state.generation) return;
    if (err?.name === "ValidationError" && String(err.field ?? "").startsWith("filter")) {
      $("wp-filters-box").open = true;
      if (!showFieldError(err, FILTER_FIELDS)) showError($("wp-filters-error"), err);
      return;
    }
    showError($("wp-error"), err, { context: "Loading warm pools failed", retry: () => load() });
    if (quiet) {
      // Keep following, more slowly, so the page recovers on its own.
      state.quietRounds = 10;
      schedulePoll();
    }
  } finally {
    if (generation === state.generation) {
      show($("wp-loading"), false);
      $("wp-table").removeAttribute("aria-busy");
    }
  }
}

/** Loads the list again and follows changes. */
export function reloadWarmPools() {
  state.quietRounds = 0;
  return load();
}

function clearFilters() {
  resetFilters($("wp-filters"));
  reloadWarmPools();
}

function upsert(pool) {
  const i = state.items.findIndex((p) => p.id === pool.id);
  if (i >= 0) state.items[i] = pool;
  else state.items.push(pool);
  state.loaded = true;
  render();
}

// ---------------------------------------------------------------- create

const CREATE_FIELDS = {
  projectId: "wp-create-project",
  environmentClassId: "wp-create-class",
  minSize: "wp-create-min",
  maxSize: "wp-create-max",
  desiredSize: "wp-create-max",
};

/** Reads an integer input; "" means unset. Shows an error and returns NaN when bad. */
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

function updateCreateHints() {
  const projectId = $("wp-create-project").value.trim();
  const project = directory.projects.find((p) => p.id === projectId);
  $("wp-create-project-name").textContent = project ? `Project: ${project.name}` : "";
  fillDatalist($("wp-class-options"), classOptions(classesOfProject(projectId)));
  const classId = $("wp-create-class").value.trim();
  $("wp-create-class-name").textContent = directory.names.has(classId) ? `Class: ${nameOf(classId)}` : "";
}

async function submitCreate(event) {
  event.preventDefault();
  const form = $("wp-create-form");
  clearFieldErrors(form);
  clearError($("wp-create-error"));
  const minSize = readInt("wp-create-min");
  const maxSize = readInt("wp-create-max");
  if (Number.isNaN(minSize)) return intError("wp-create-min", "Min size");
  if (Number.isNaN(maxSize)) return intError("wp-create-max", "Max size");
  const params = {
    projectId: $("wp-create-project").value.trim(),
    environmentClassId: $("wp-create-class").value.trim(),
  };
  if (minSize !== undefined) params.minSize = minSize;
  if (maxSize !== undefined) params.maxSize = maxSize;
  const button = $("wp-create-submit");
  busy(button, true, "Creating…");
  try {
    const { warmPool } = await call("createWarmPool", params);
    flash(`Warm pool for ${nameOf(warmPool.metadata?.projectId)} created.`, "ok");
    upsert(warmPool);
    state.quietRounds = 0;
    schedulePoll();
  } catch (err) {
    if (err?.name === "ValidationError" && showFieldError(err, CREATE_FIELDS)) return;
    const context = err?.code === "already_exists" ? "A warm pool for this project and class exists already" : "Could not create the warm pool";
    formError($("wp-create-error"), err, context);
  } finally {
    busy(button, false, "");
  }
}

// ---------------------------------------------------------------- edit

function openEdit(id) {
  const pool = state.items.find((p) => p.id === id);
  if (!pool) return;
  state.editing = pool;
  const form = $("wp-edit-form");
  clearFieldErrors(form);
  clearError($("wp-edit-error"));
  $("wp-edit-subtitle").textContent = `${nameOf(pool.metadata?.projectId)} · ${nameOf(pool.metadata?.environmentClassId)}`;
  $("wp-edit-min").value = pool.spec?.minSize ?? "";
  $("wp-edit-max").value = pool.spec?.maxSize ?? "";
  $("wp-edit-dialog").showModal();
  $("wp-edit-min").focus();
}

async function submitEdit(event) {
  event.preventDefault();
  const pool = state.editing;
  if (!pool) return;
  const form = $("wp-edit-form");
  clearFieldErrors(form);
  clearError($("wp-edit-error"));
  const minSize = readInt("wp-edit-min");
  const maxSize = readInt("wp-edit-max");
  if (Number.isNaN(minSize)) return intError("wp-edit-min", "Min size");
  if (Number.isNaN(maxSize)) return intError("wp-edit-max", "Max size");
  const params = { warmPoolId: pool.id };
  if (minSize !== undefined) params.minSize = minSize;
  if (maxSize !== undefined) params.maxSize = maxSize;
  const button = $("wp-edit-save");
  busy(button, true, "Saving…");
  try {
    const { warmPool } = await call("updateWarmPool", params);
    upsert(warmPool);
    flash("Warm pool updated.", "ok");
    state.editing = null;
    $("wp-edit-dialog").close();
    state.quietRounds = 0;
    schedulePoll();
  } catch (err) {
    if (err?.name === "ValidationError" && showFieldError(err, { minSize: "wp-edit-min", maxSize: "wp-edit-max" })) return;
    formError($("wp-edit-error"), err, "Could not update the warm pool");
  } finally {
    busy(button, false, "");
  }
}

// ---------------------------------------------------------------- delete

async function remove(id, button) {
  const pool = state.items.find((p) => p.id === id);
  const name = pool ? `${nameOf(pool.metadata?.projectId)} · ${nameOf(pool.metadata?.environmentClassId)}` : id;
  const ok = await confirmDialog("Delete this warm pool?", `The warm pool ${name} and its instances will be removed.`);
  if (!ok) return;
  busy(button, true);
  try {
    await call("deleteWarmPool", { warmPoolId: id });
    flash("Warm pool deletion started.", "ok");
  } catch (err) {
    if (err?.name !== "NotFoundError" && !isAbort(err)) showError($("wp-error"), err, { context: "Delete failed" });
  } finally {
    busy(button, false);
  }
  await reloadWarmPools();
}

// ---------------------------------------------------------------- set-up

/** Refreshes everything that depends on the simulator's directory. */
export function refreshWarmPoolChoices() {
  fillFilterLists();
  // The simulator names a project and class with a completed prebuild and no pool yet.
  const pair = directory.hints?.freePair;
  const project = $("wp-create-project");
  const cls = $("wp-create-class");
  if (pair && !project.value && !cls.value) {
    if (typeof pair.projectId === "string") project.value = pair.projectId;
    if (typeof pair.environmentClassId === "string") cls.value = pair.environmentClassId;
  }
  updateCreateHints();
}

/** Wires the section; `onOpenPrebuild(id)` opens a prebuild's details. */
export function initWarmPools({ onOpenPrebuild }) {
  state.onOpenPrebuild = onOpenPrebuild;
  fillFilterLists();
  const filters = $("wp-filters");
  filters.addEventListener("submit", (e) => {
    e.preventDefault();
    reloadWarmPools();
  });
  filters.addEventListener("change", (e) => {
    if (e.target.type === "checkbox") reloadWarmPools();
  });
  $("wp-filters-clear").addEventListener("click", clearFilters);
  $("wp-refresh").addEventListener("click", () => reloadWarmPools());
  $("wp-create-form").addEventListener("submit", submitCreate);
  $("wp-create-project").addEventListener("input", updateCreateHints);
  $("wp-create-class").addEventListener("input", updateCreateHints);
  $("wp-edit-form").addEventListener("submit", submitEdit);
  $("wp-edit-cancel").addEventListener("click", () => {
    state.editing = null;
    $("wp-edit-dialog").close();
  });
}
