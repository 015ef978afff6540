// The details panel of one prebuild: opening, switching and closing it, and following
// the open prebuild's state and log live. What it shows is drawn by details-view.js;
// its actions are in details-actions.js and details-logs-token.js; the log view is
// details-log.js.
//
// Whatever follows the open prebuild runs under the panel's session: an AbortSignal
// that aborts when the panel closes or opens another prebuild, so nothing of the
// previous prebuild keeps running or drawing. The state is followed by a `for await`
// loop over client.watchPrebuild (prebuild-updates.js), under a signal of its own (tied to the session) so
// that an action can restart it without touching anything else that follows the
// prebuild.

import { isAbort } from "./api.js";
import { $, show } from "./dom.js";
import { clearError, showError } from "./errors.js";
import { relativeTime } from "./format.js";
import { initDetailsActions } from "./details-actions.js";
import { followLog, initDetailsLog, resetLog } from "./details-log.js";
import { initLogsToken, resetLogsToken } from "./details-logs-token.js";
import { drawGone, drawPrebuild, resetDetailsView, showLiveStatus } from "./details-view.js";
import { FINAL_PHASES } from "./prebuild-phases.js";
import { followPrebuild } from "./prebuild-updates.js";

const panel = {
  id: "", // the open prebuild, "" while closed
  prebuild: null, // its last known state
  gone: false, // it no longer exists
  session: null, // AbortController: aborts when the panel closes or switches prebuild
  stateFollow: null, // AbortController of the state loop only
  onChange: () => {},
  onGone: () => {},
  onSelect: () => {},
};

// ---------------------------------------------------------------- session

/**
 * Makes `id` the open prebuild: stops everything that followed the previous one and
 * empties each part of the panel. A part that follows something of the prebuild's own
 * (a stream) starts after this, under `panel.session.signal`.
 */
function switchTo(id) {
  panel.session?.abort();
  panel.session = new AbortController();
  panel.stateFollow = null;
  panel.id = id;
  panel.prebuild = null;
  panel.gone = false;
  clearError($("details-error"));
  resetDetailsView(id);
  resetLogsToken();
  resetLog();
  followLog(id, panel.session.signal);
}

function endSession() {
  panel.session?.abort();
  resetLog();
  panel.session = null;
  panel.stateFollow = null;
  panel.id = "";
}

// ---------------------------------------------------------------- following the state

function showPrebuild(prebuild) {
  panel.prebuild = prebuild;
  drawPrebuild(prebuild);
}

function update(prebuild) {
  showPrebuild(prebuild);
  panel.onChange(prebuild);
}

function stopFollowingState() {
  panel.stateFollow?.abort();
  panel.stateFollow = null;
}

/** (Re)starts following the open prebuild's state, from a fresh read. */
function followState() {
  if (!panel.session) return;
  stopFollowingState();
  const own = new AbortController();
  panel.stateFollow = own;
  showLiveStatus("Following live…", "live");
  runStateLoop(panel.id, AbortSignal.any([panel.session.signal, own.signal]));
}

async function runStateLoop(prebuildId, signal) {
  const onTrouble = (err, wait) => {
    showError($("details-error"), err, { context: "Live update failed", retry: followState });
    showLiveStatus(`Connection trouble · trying again in ${Math.max(1, Math.round(wait / 1000))} s`, "trouble");
  };
  try {
    for await (const prebuild of followPrebuild({ prebuildId }, { signal, onTrouble })) {
      if (signal.aborted) return;
      clearError($("details-error"));
      update(prebuild);
      if (FINAL_PHASES.has(prebuild.status?.phase)) {
        showLiveStatus(`Final phase · checked ${relativeTime(new Date().toISOString())}`, "done");
        return;
      }
      showLiveStatus("Following live", "live");
    }
  } catch (err) {
    if (signal.aborted || isAbort(err)) return;
    if (err?.name === "NotFoundError") markGone();
    else showError($("details-error"), err, { context: "Live update failed", retry: followState });
  }
}

function markGone() {
  stopFollowingState();
  panel.gone = true;
  drawGone();
  panel.onGone(panel.id);
}

// ---------------------------------------------------------------- public

/** Opens the panel for a prebuild and follows it. `prebuild` (optional) shows at once. */
export function openDetails(id, prebuild, { focus = true } = {}) {
  if (id !== panel.id) switchTo(id);
  panel.gone = false;
  if (prebuild) showPrebuild(prebuild);
  const node = $("details");
  show(node, true);
  panel.onSelect(id);
  if (focus) node.focus();
  followState();
}

/** Closes the panel and stops everything that follows its prebuild. */
export function closeDetails() {
  endSession();
  show($("details"), false);
  panel.onSelect("");
}

/** Follows the open prebuild again (after settings change). */
export function refollow() {
  if (panel.id && !panel.gone) followState();
}

/** Wires the panel. */
export function initDetails({ onChange, onGone, onSelect }) {
  panel.onChange = onChange;
  panel.onGone = onGone;
  panel.onSelect = onSelect;
  initDetailsActions({
    currentId: () => panel.id,
    currentPrebuild: () => panel.prebuild,
    isGone: () => panel.gone,
    update,
    followAgain: followState,
    markGone,
  });
  initLogsToken({ currentId: () => panel.id });
  initDetailsLog();
  $("details-close").addEventListener("click", closeDetails);
  $("details").addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !document.querySelector("dialog[open]")) closeDetails();
  });
}
