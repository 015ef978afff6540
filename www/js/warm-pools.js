// The warm pools section: the list (with filters), followed live by polling while any
// pool is still changing, and deleting a pool. The forms are in warm-pool-forms.js.

import { call, isAbort } from "./api.js";
import { flash } from "./activity.js";
import { confirmDialog } from "./confirm-dialog.js";
import { $, busy, show } from "./dom.js";
import { clearError, showError } from "./errors.js";
import { clearFilterErrors, filterCount, showFilterCount, wireFilterForm } from "./filter-lists.js";
import { latestRequest } from "./latest-request.js";
import { warmPoolName } from "./names.js";
import { settings } from "./settings.js";
import { renderEmptyState, showingText, syncRows } from "./tables.js";
import { whenVisible } from "./waiting.js";
import { fillWarmPoolFilters, readWarmPoolFilter, showWarmPoolFilterError } from "./warm-pool-filters.js";
import { initWarmPoolForms, openWarmPoolEdit, refreshWarmPoolCreateForm } from "./warm-pool-forms.js";
import { isSettled } from "./warm-pool-phases.js";
import { warmPoolRows } from "./warm-pool-table.js";

const state = {
  items: [],
  loaded: false,
  timer: 0,
  quietRounds: 0, // polls in a row that changed nothing
  lastJson: "",
  rows: null, // make and update for the table's rows
};
const loads = latestRequest();
let clearFilters = () => {};

// ---------------------------------------------------------------- following live

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

function render() {
  syncRows($("wp-rows"), state.items, state.rows);
  const n = state.items.length;
  $("wp-count").textContent = state.loaded ? showingText(n, "warm pool") : "";
  renderEmptyState({
    table: $("wp-table"),
    box: $("wp-empty"),
    loaded: state.loaded,
    count: n,
    noun: "warm pool",
    filtered: filterCount(readWarmPoolFilter()) > 0,
    hint: "A warm pool keeps environments started from a project's latest prebuild ready.",
    onClearFilters: () => clearFilters(),
  });
}

/** Loads every page of warm pools matching the filters. */
async function load({ quiet = false } = {}) {
  const { signal, isLatest } = loads.start();
  clearTimeout(state.timer);
  const filter = readWarmPoolFilter();
  showFilterCount($("wp-filter-count"), filter);
  if (!quiet) {
    clearFilterErrors($("wp-filters"), $("wp-filters-error"));
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
      const res = await call("listWarmPools", params, { signal, quiet });
      pools.push(...(Array.isArray(res.warmPools) ? res.warmPools : []));
      token = res.pagination?.nextToken ?? "";
    } while (token && pools.length < 1000);
    if (!isLatest()) return;
    clearError($("wp-error"));
    const json = JSON.stringify(pools);
    state.quietRounds = json === state.lastJson ? state.quietRounds + 1 : 0;
    state.lastJson = json;
    state.items = pools;
    state.loaded = true;
    render();
    schedulePoll();
  } catch (err) {
    if (isAbort(err) || !isLatest()) return;
    if (showWarmPoolFilterError(err)) return;
    showError($("wp-error"), err, { context: "Loading warm pools failed", retry: () => load() });
    if (quiet) {
      // Keep following, more slowly, so the page recovers on its own.
      state.quietRounds = 10;
      schedulePoll();
    }
  } finally {
    if (isLatest()) {
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

/** Shows a pool created or updated here at once, and follows it until it settles. */
function showSaved(pool) {
  const i = state.items.findIndex((p) => p.id === pool.id);
  if (i >= 0) state.items[i] = pool;
  else state.items.push(pool);
  state.loaded = true;
  render();
  state.quietRounds = 0;
  schedulePoll();
}

function findPool(id) {
  return state.items.find((p) => p.id === id);
}

// ---------------------------------------------------------------- delete

async function remove(id, button) {
  const pool = findPool(id);
  const name = pool ? warmPoolName(pool) : id;
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
  fillWarmPoolFilters();
  refreshWarmPoolCreateForm();
}

/** Wires the section; `onOpenPrebuild(id)` opens a prebuild's details. */
export function initWarmPools({ onOpenPrebuild }) {
  state.rows = warmPoolRows({ onEdit: openWarmPoolEdit, onDelete: remove, onOpenPrebuild });
  fillWarmPoolFilters();
  clearFilters = wireFilterForm($("wp-filters"), $("wp-filters-clear"), () => reloadWarmPools());
  $("wp-refresh").addEventListener("click", () => reloadWarmPools());
  initWarmPoolForms({ saved: showSaved, find: findPool });
}
