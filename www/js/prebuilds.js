// The prebuilds section: the list (filters, page size, "load more"), kept in step with
// what the details panel and the create form learn about single prebuilds.

import { call, isAbort } from "./api.js";
import { $, busy, show } from "./dom.js";
import { clearError, showError } from "./errors.js";
import { clearFilterErrors, filterCount, showFilterCount, wireFilterForm } from "./filter-lists.js";
import { latestRequest } from "./latest-request.js";
import { initPrebuildCreateForm, refreshPrebuildCreateForm } from "./prebuild-create-form.js";
import { fillPrebuildFilters, readPrebuildFilter, showPrebuildFilterError } from "./prebuild-filters.js";
import { makePrebuildRow, updatePrebuildRow } from "./prebuild-table.js";
import { renderEmptyState, showingText, syncRows } from "./tables.js";

const state = {
  items: [], // prebuilds in table order
  nextToken: "",
  loaded: false,
  selectedId: "",
  onOpen: () => {},
};
const loads = latestRequest();
let clearFilters = () => {};

// ---------------------------------------------------------------- table

function findItem(id) {
  return state.items.find((p) => p.id === id);
}

function render() {
  const rows = syncRows($("pb-rows"), state.items, {
    make: (p) => makePrebuildRow(p, (id) => state.onOpen(id, findItem(id))),
    update: updatePrebuildRow,
  });
  for (const tr of rows) tr.classList.toggle("is-selected", tr.dataset.id === state.selectedId);
  renderFooter();
}

function renderFooter() {
  const n = state.items.length;
  const more = Boolean(state.nextToken);
  $("pb-count").textContent = state.loaded ? `${showingText(n, "prebuild")}${more ? " · more available" : ""}` : "";
  show($("pb-more"), more);
  renderEmptyState({
    table: $("pb-table"),
    box: $("pb-empty"),
    loaded: state.loaded,
    count: n,
    noun: "prebuild",
    filtered: filterCount(readPrebuildFilter()) > 0,
    hint: "Create one with the form on this page.",
    onClearFilters: () => clearFilters(),
  });
}

// ---------------------------------------------------------------- loading

/** Loads the first page again (keeps rows until the answer arrives). */
export async function reloadPrebuilds() {
  await load(false);
}

async function load(append) {
  const { signal, isLatest } = loads.start();
  const filter = readPrebuildFilter();
  const pageSize = Number($("pb-page-size").value);
  showFilterCount($("pb-filter-count"), filter);
  clearFilterErrors($("pb-filters"), $("pb-filters-error"));
  clearError($("pb-error"));
  const more = $("pb-more");
  if (append) busy(more, true, "Loading…");
  else show($("pb-loading"), true);
  $("pb-table").setAttribute("aria-busy", "true");
  try {
    const params = { pageSize };
    if (Object.keys(filter).length) params.filter = filter;
    if (append) params.token = state.nextToken;
    const res = await call("listPrebuilds", params, { signal });
    if (!isLatest()) return;
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
    if (isAbort(err) || !isLatest()) return;
    if (!showPrebuildFilterError(err)) {
      showError($("pb-error"), err, {
        context: append ? "Loading more prebuilds failed" : "Loading prebuilds failed",
        retry: () => load(append),
      });
    }
    renderFooter();
  } finally {
    if (isLatest()) {
      show($("pb-loading"), false);
      $("pb-table").removeAttribute("aria-busy");
      busy(more, false, "");
    }
  }
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

// ---------------------------------------------------------------- set-up

/** Refreshes everything that depends on the simulator's directory. */
export function refreshPrebuildChoices() {
  fillPrebuildFilters();
  refreshPrebuildCreateForm();
}

/** Wires the section; `onOpen(id, prebuild?, opts?)` shows a prebuild's details. */
export function initPrebuilds({ onOpen }) {
  state.onOpen = onOpen;
  fillPrebuildFilters();
  clearFilters = wireFilterForm($("pb-filters"), $("pb-filters-clear"), () => load(false));
  $("pb-page-size").addEventListener("change", () => load(false));
  $("pb-more").addEventListener("click", () => load(true));
  $("pb-refresh").addEventListener("click", () => load(false));
  initPrebuildCreateForm({
    created: (prebuild) => {
      upsertPrebuild(prebuild, { prepend: true });
      state.onOpen(prebuild.id, prebuild, { focus: false });
    },
  });
}
