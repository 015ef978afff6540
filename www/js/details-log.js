// The open prebuild's log, streamed live into the details panel with
// client.streamPrebuildLogs: lines appear as the prebuild writes them, ANSI colours
// become styled text (never HTML), and the view follows the end unless the user
// scrolled up to read (a button brings it back). The status line says whether the log
// is waiting to start, streaming, reconnecting or complete.

import { getClient, isAbort } from "./api.js";
import { ansiRuns, plainStyle } from "./ansi.js";
import { $, show } from "./dom.js";
import { errorText } from "./errors.js";
import { settings } from "./settings.js";

// How close to the bottom (in pixels) still counts as "at the end".
const END_SLACK = 8;

let following = true;

function atEnd(box) {
  return box.scrollHeight - box.scrollTop - box.clientHeight <= END_SLACK;
}

function setStatus(text, kind = "") {
  const node = $("details-log-status");
  node.textContent = text;
  node.dataset.state = kind;
}

function appendLines(lines, style) {
  const box = $("details-log");
  const stick = following;
  const fragment = document.createDocumentFragment();
  for (const line of lines) {
    const row = document.createElement("div");
    row.className = "log-line";
    for (const run of ansiRuns(line, style)) {
      const span = document.createElement("span");
      if (run.classes.length) span.className = run.classes.join(" ");
      span.textContent = run.text;
      row.append(span);
    }
    if (!row.childNodes.length) row.append("\u200b"); // an empty line keeps its height
    fragment.append(row);
  }
  box.append(fragment);
  if (stick) box.scrollTop = box.scrollHeight;
}

/** Empties the log view (a new prebuild opened). */
export function resetLog() {
  $("details-log").replaceChildren();
  following = true;
  show($("details-log-end"), false);
  setStatus("");
}

/** Streams `prebuildId`'s log until it ends or `signal` aborts (the panel closed or switched). */
export async function followLog(prebuildId, signal) {
  resetLog();
  setStatus("Connecting…", "busy");
  const style = plainStyle();
  let count = 0;
  // Lines are drawn once per animation frame, however fast they arrive.
  let batch = [];
  let frame = 0;
  const flush = () => {
    frame = 0;
    if (signal.aborted) return;
    appendLines(batch, style);
    batch = [];
  };
  const onStatus = (s) => {
    if (signal.aborted) return;
    if (s.state === "waiting") setStatus("Waiting for logs: the prebuild has not started writing one yet…", "busy");
    else if (s.state === "streaming") setStatus("Streaming live", "live");
    else if (s.state === "reconnecting") {
      setStatus(`Reconnecting in ${Math.max(1, Math.round(s.waitMs / 1000))} s (attempt ${s.attempt}): ${s.reason}`, "trouble");
    }
  };
  try {
    const client = await getClient();
    for await (const line of client.streamPrebuildLogs({ prebuildId }, { signal, onStatus, intervalMs: settings.pollMs })) {
      count += 1;
      batch.push(line);
      frame ||= requestAnimationFrame(flush);
    }
    if (frame) cancelAnimationFrame(frame);
    flush();
    if (!signal.aborted) setStatus(`End of log · ${count} ${count === 1 ? "line" : "lines"}`, "done");
  } catch (err) {
    if (frame) cancelAnimationFrame(frame);
    if (signal.aborted || isAbort(err)) return;
    flush();
    setStatus(`The log stopped: ${errorText(err)}`, "trouble");
  }
}

/** Wires scrolling: following stops when the user scrolls up and resumes at the end. */
export function initDetailsLog() {
  const box = $("details-log");
  box.addEventListener("scroll", () => {
    following = atEnd(box);
    show($("details-log-end"), !following);
  });
  $("details-log-end").addEventListener("click", () => {
    following = true;
    box.scrollTop = box.scrollHeight;
    show($("details-log-end"), false);
  });
}
