// What the details panel shows of one prebuild: its phase, the snapshot progress, how
// it ended (completed, failed, a warning), its fields, which actions apply, and the
// line that says how the panel is following it.

import { $, el, setChildren, show } from "./dom.js";
import { absoluteTime, badge, enumLabel, formatBytes, formatDuration, timeEl } from "./format.js";
import { idLabel, subjectLabel } from "./names.js";
import { CANCELLABLE_PHASES, GOING_PHASES } from "./prebuild-phases.js";

let shownJson = ""; // the prebuild last drawn, to skip drawing an identical one again

function field(label, ...value) {
  return [el("dt", { text: label }), el("dd", {}, ...value)];
}

// Text, not a link: the URL answers only with a logs token in a header, which a link
// cannot send. The log itself is streamed below the fields.
function logUrlValue(url) {
  if (!url) return el("span", { class: "muted", text: "—" });
  return el("span", { class: "break", text: url, title: "Needs a logs token; the log is shown below" });
}

/** Empties the panel for another prebuild, which shows as loading until drawn. */
export function resetDetailsView(id) {
  shownJson = "";
  setChildren($("details-fields"));
  show($("details-done"), false);
  show($("details-failure"), false);
  show($("details-warning"), false);
  show($("details-progress-box"), false);
  $("details-id").textContent = id;
  setChildren($("details-phase"), el("span", { class: "muted", text: "Loading…" }));
}

/** Draws a prebuild (nothing happens when it is the same as the last one drawn). */
export function drawPrebuild(p) {
  const json = JSON.stringify(p);
  if (json === shownJson) return;
  shownJson = json;
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
    field("Log URL", logUrlValue(s.logUrl)),
    field("Versions", `spec ${spec.specVersion ?? "0"} · status ${s.statusVersion ?? "0"}`),
    field("Organization", idLabel(m.organizationId)),
  );

  $("details-cancel").disabled = !CANCELLABLE_PHASES.has(phase) || spec.desiredPhase === "PREBUILD_PHASE_CANCELLED";
  $("details-delete").disabled = GOING_PHASES.has(phase);
  $("details-token").disabled = GOING_PHASES.has(phase);
}

/** Shows that the prebuild no longer exists; its actions no longer apply. */
export function drawGone() {
  setChildren($("details-phase"), badge("PREBUILD_PHASE_DELETED"));
  $("details").dataset.phase = "gone";
  showLiveStatus("This prebuild no longer exists.", "done");
  show($("details-progress-box"), false);
  for (const id of ["details-cancel", "details-delete", "details-token"]) $(id).disabled = true;
}

/** The line under the phase: how the panel follows the prebuild (`tone`: live, done, trouble). */
export function showLiveStatus(text, tone) {
  const live = $("details-live");
  live.textContent = text;
  live.className = `live live-${tone}`;
}
