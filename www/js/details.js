// The details panel of one prebuild: follows it live by polling getPrebuild, and offers
// cancel, delete and a logs token.

import { call, isAbort } from "./api.js";
import { settings } from "./settings.js";
import { flash } from "./activity.js";
import { idLabel, subjectLabel } from "./names.js";
import { $, busy, el, safeHttpUrl, setChildren, show } from "./dom.js";
import { absoluteTime, badge, enumLabel, formatBytes, formatDuration, relativeTime, timeEl } from "./format.js";
import { clearError, showError } from "./errors.js";
import { confirmDialog } from "./confirm-dialog.js";
import { copyText } from "./clipboard.js";
import { whenVisible } from "./waiting.js";

// Phases that do not change any more (DELETED is not one: the prebuild goes away next,
// and the panel follows it until then).
const FINAL = new Set(["PREBUILD_PHASE_COMPLETED", "PREBUILD_PHASE_FAILED", "PREBUILD_PHASE_CANCELLED"]);
const CANCELLABLE = new Set([
  "PREBUILD_PHASE_PENDING",
  "PREBUILD_PHASE_STARTING",
  "PREBUILD_PHASE_RUNNING",
  "PREBUILD_PHASE_STOPPING",
  "PREBUILD_PHASE_SNAPSHOTTING",
]);
const GOING = new Set(["PREBUILD_PHASE_DELETING", "PREBUILD_PHASE_DELETED"]);

const state = {
  id: "",
  prebuild: null,
  snapshot: "", // JSON of the last rendered prebuild, to skip identical renders
  generation: 0,
  timer: 0,
  controller: null,
  failures: 0,
  lastUpdate: 0,
  gone: false,
  onChange: () => {},
  onGone: () => {},
  onSelect: () => {},
};

// ---------------------------------------------------------------- following

function stopFollowing() {
  state.generation += 1;
  clearTimeout(state.timer);
  state.controller?.abort();
  state.controller = null;
}

function follow() {
  stopFollowing();
  state.failures = 0;
  const generation = state.generation;
  setLive("Following live…", "live");
  tick(generation);
}

async function tick(generation) {
  const controller = new AbortController();
  state.controller = controller;
  try {
    const { prebuild } = await call("getPrebuild", { prebuildId: state.id }, { quiet: true, signal: controller.signal });
    if (generation !== state.generation) return;
    state.failures = 0;
    clearError($("details-error"));
    render(prebuild);
    state.onChange(prebuild);
    if (FINAL.has(prebuild.status?.phase)) {
      setLive(`Final phase · checked ${relativeTime(new Date().toISOString())}`, "done");
      return;
    }
    setLive("Following live", "live");
  } catch (err) {
    if (isAbort(err) || generation !== state.generation) return;
    if (err?.name === "NotFoundError") {
      renderGone();
      return;
    }
    state.failures += 1;
    const wait = Math.min(settings.pollMs * 2 ** state.failures, 15000);
    showError($("details-error"), err, { context: "Live update failed", retry: follow });
    setLive(`Connection trouble · trying again in ${Math.max(1, Math.round(wait / 1000))} s`, "trouble");
    schedule(generation, wait);
    return;
  }
  schedule(generation, settings.pollMs);
}

// The next poll, once the page is visible again (no polling in a background tab).
function schedule(generation, wait) {
  state.timer = setTimeout(async () => {
    await whenVisible();
    if (generation === state.generation) tick(generation);
  }, wait);
}

function setLive(text, tone) {
  const live = $("details-live");
  live.textContent = text;
  live.className = `live live-${tone}`;
}

// ---------------------------------------------------------------- rendering

function field(label, ...value) {
  return [el("dt", { text: label }), el("dd", {}, ...value)];
}

function render(p) {
  const json = JSON.stringify(p);
  state.prebuild = p;
  state.lastUpdate = Date.now();
  if (json === state.snapshot) return;
  state.snapshot = json;
  const m = p.metadata ?? {};
  const spec = p.spec ?? {};
  const s = p.status ?? {};
  const phase = s.phase ?? "";
  $("details-id").textContent = p.id;
  setChildren($("details-phase"), badge(phase));
  $("details").dataset.phase = phase;

  // Progress while snapshotting.
  const snapshotting = phase === "PREBUILD_PHASE_SNAPSHOTTING";
  show($("details-progress-box"), snapshotting);
  if (snapshotting) {
    const pct = Math.max(0, Math.min(100, Number(s.snapshotCompletionPercentage) || 0));
    $("details-progress").value = pct;
    $("details-progress-text").textContent = `${pct}%`;
  }

  // Done: completion time and size.
  const done = $("details-done");
  if (phase === "PREBUILD_PHASE_COMPLETED") {
    setChildren(
      done,
      el("strong", { text: "Completed " }),
      s.completionTime ? timeEl(s.completionTime) : "",
      s.completionTime ? el("span", { class: "muted", text: ` (${absoluteTime(s.completionTime)})` }) : "",
      el("br"),
      `Snapshot size: ${formatBytes(s.snapshotSizeBytes)}`,
    );
    show(done, true);
  } else {
    show(done, false);
  }

  $("details-failure-text").textContent = s.failureMessage ?? "";
  show($("details-failure"), Boolean(s.failureMessage));
  $("details-warning-text").textContent = s.warningMessage ?? "";
  show($("details-warning"), Boolean(s.warningMessage));

  const logUrl = safeHttpUrl(s.logUrl);
  const logValue = s.logUrl
    ? logUrl
      ? el("a", { href: logUrl, text: s.logUrl, target: "_blank", rel: "noopener noreferrer", class: "break" })
      : el("span", { class: "break", text: s.logUrl })
    : el("span", { class: "muted", text: "—" });

  setChildren(
    $("details-fields"),
    field("Project", idLabel(m.projectId)),
    field("Environment class", idLabel(m.environmentClassId)),
    field("Trigger", enumLabel(m.triggeredBy)),
    field("Creator", subjectLabel(m.creator)),
    field("Executor", subjectLabel(m.executor)),
    field("Desired phase", enumLabel(spec.desiredPhase)),
    field("Timeout", formatDuration(spec.timeout)),
    field("Created", timeEl(m.createdAt)),
    field("Updated", timeEl(m.updatedAt)),
    field("Completed", s.completionTime ? timeEl(s.completionTime) : "—"),
    field("Snapshot size", formatBytes(s.snapshotSizeBytes)),
    field("Environment", s.environmentId ? idLabel(s.environmentId) : "—"),
    field("Log URL", logValue),
    field("Versions", `spec ${spec.specVersion ?? "0"} · status ${s.statusVersion ?? "0"}`),
    field("Organization", idLabel(m.organizationId)),
  );

  $("details-cancel").disabled = !CANCELLABLE.has(phase) || spec.desiredPhase === "PREBUILD_PHASE_CANCELLED";
  $("details-delete").disabled = GOING.has(phase);
  $("details-token").disabled = GOING.has(phase);
}

function renderGone() {
  stopFollowing();
  state.gone = true;
  setChildren($("details-phase"), badge("PREBUILD_PHASE_DELETED"));
  $("details").dataset.phase = "gone";
  setLive("This prebuild no longer exists.", "done");
  show($("details-progress-box"), false);
  for (const id of ["details-cancel", "details-delete", "details-token"]) $(id).disabled = true;
  state.onGone(state.id);
}

// ---------------------------------------------------------------- actions

async function cancel() {
  const button = $("details-cancel");
  busy(button, true, "Cancelling…");
  try {
    const { prebuild } = await call("cancelPrebuild", { prebuildId: state.id });
    render(prebuild);
    state.onChange(prebuild);
    flash("Cancellation requested.", "ok");
    follow();
  } catch (err) {
    if (!isAbort(err)) showError($("details-error"), err, { context: "Cancel failed" });
  } finally {
    busy(button, false, "");
    if (state.prebuild) button.disabled = !CANCELLABLE.has(state.prebuild.status?.phase);
  }
}

async function remove() {
  const id = state.id;
  const ok = await confirmDialog("Delete this prebuild?", `Prebuild ${id} and its snapshot will be deleted.`);
  if (!ok || id !== state.id) return;
  const button = $("details-delete");
  busy(button, true, "Deleting…");
  try {
    await call("deletePrebuild", { prebuildId: id });
    flash("Deletion started.", "ok");
    follow();
  } catch (err) {
    if (err?.name === "NotFoundError") renderGone();
    else if (!isAbort(err)) showError($("details-error"), err, { context: "Delete failed" });
  } finally {
    busy(button, false, "");
    if (state.gone || GOING.has(state.prebuild?.status?.phase)) button.disabled = true;
  }
}

async function createToken() {
  const button = $("details-token");
  const id = state.id;
  busy(button, true, "Creating…");
  try {
    const { accessToken } = await call("createPrebuildLogsToken", { prebuildId: id });
    if (id !== state.id) return;
    const issued = new Date();
    const until = new Date(issued.getTime() + 3600 * 1000);
    $("details-token-value").value = accessToken ?? "";
    const validity = $("details-token-validity");
    validity.replaceChildren(
      "Valid for one hour, until ",
      el("time", { dateTime: until.toISOString(), text: until.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) }),
      ". Treat it like a password.",
    );
    show($("details-token-box"), true);
    $("details-token-value").focus();
    $("details-token-value").select();
  } catch (err) {
    if (!isAbort(err)) showError($("details-error"), err, { context: "Logs token failed" });
  } finally {
    busy(button, false, "");
  }
}

async function copyToken() {
  const input = $("details-token-value");
  const button = $("details-token-copy");
  const ok = await copyText(input.value, input);
  button.textContent = ok ? "Copied" : "Press Ctrl+C";
  setTimeout(() => {
    button.textContent = "Copy";
  }, 2000);
}

// ---------------------------------------------------------------- public

/** Opens the panel for a prebuild and follows it. `prebuild` (optional) shows at once. */
export function openDetails(id, prebuild, { focus = true } = {}) {
  if (id !== state.id) {
    state.snapshot = "";
    state.prebuild = null;
    state.gone = false;
    show($("details-token-box"), false);
    $("details-token-value").value = "";
    clearError($("details-error"));
    setChildren($("details-fields"));
    show($("details-done"), false);
    show($("details-failure"), false);
    show($("details-warning"), false);
    show($("details-progress-box"), false);
    $("details-id").textContent = id;
    setChildren($("details-phase"), el("span", { class: "muted", text: "Loading…" }));
  }
  state.id = id;
  state.gone = false;
  if (prebuild) render(prebuild);
  const panel = $("details");
  show(panel, true);
  state.onSelect(id);
  if (focus) panel.focus();
  follow();
}

/** Closes the panel and stops following. */
export function closeDetails() {
  stopFollowing();
  state.id = "";
  show($("details"), false);
  state.onSelect("");
}

/** Follows the open prebuild again (after settings change). */
export function refollow() {
  if (state.id && !state.gone) follow();
}

/** Wires the panel. */
export function initDetails({ onChange, onGone, onSelect }) {
  state.onChange = onChange;
  state.onGone = onGone;
  state.onSelect = onSelect;
  $("details-close").addEventListener("click", closeDetails);
  $("details-cancel").addEventListener("click", cancel);
  $("details-delete").addEventListener("click", remove);
  $("details-token").addEventListener("click", createToken);
  $("details-token-copy").addEventListener("click", copyToken);
  $("details").addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !document.querySelector("dialog[open]")) closeDetails();
  });
}
