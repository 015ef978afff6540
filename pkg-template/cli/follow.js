// Following a prebuild to its end (`prebuilds create --wait/--logs`, `prebuilds logs
// --follow`): progress on stderr, the log through a callback, the outcome as an exit code.
import { EXIT } from "./exit.js";
import { formatSeconds } from "./duration.js";
import { printable, shortName } from "./format.js";

const TERMINAL = new Set([
  "PREBUILD_PHASE_COMPLETED",
  "PREBUILD_PHASE_FAILED",
  "PREBUILD_PHASE_CANCELLED",
  "PREBUILD_PHASE_DELETED",
]);

/** Whether a prebuild phase is one it never leaves. */
export const isTerminal = (phase) => TERMINAL.has(phase);

/** 0 for a COMPLETED prebuild, 1 for any other end (FAILED, CANCELLED, DELETED). */
export const exitCodeOf = (prebuild) =>
  prebuild.status.phase === "PREBUILD_PHASE_COMPLETED" ? EXIT.OK : EXIT.PREBUILD_FAILED;

// How long the log may take to end once the prebuild has: the service writes the last
// lines and closes the stream right after; this only guards against a stream that hangs.
const LOG_TAIL_MS = 10_000;

const phaseText = (p) =>
  shortName(p.status.phase, "PREBUILD_PHASE_") +
  (p.status.phase === "PREBUILD_PHASE_SNAPSHOTTING" ? ` ${p.status.snapshotCompletionPercentage}%` : "");

/** "in 5m12s" from creation to completion, when the prebuild has both times. */
function took(p) {
  const ms = Date.parse(p.status.completionTime) - Date.parse(p.metadata.createdAt);
  return Number.isFinite(ms) && ms >= 0 ? ` in ${formatSeconds(ms / 1000)}` : "";
}

/** The log, read while the prebuild runs: { done (never rejects), error, stop }. */
function readLog(client, prebuildId, onLine, onError) {
  const abort = new AbortController();
  const log = { error: undefined, stop: () => abort.abort() };
  log.done = (async () => {
    for await (const line of client.streamPrebuildLogs({ prebuildId }, { signal: abort.signal })) onLine(line);
  })().catch((e) => {
    if (abort.signal.aborted) return;
    log.error = e;
    onError(e);
  });
  return log;
}

/**
 * Waits until the prebuild ends and resolves with it. Writes a line to stderr for each
 * new phase (and snapshot percentage) and one when it ended. With `onLine`, its log
 * lines go there as they come; a failing log then either ends the follow with that
 * error (`logErrors: "fail"`, for `logs`, whose job is the log) or is noted on stderr
 * while the wait goes on (`"warn"`, for `create --wait --logs`, whose job is the
 * outcome). A prebuild that disappears while followed (deleted) resolves as last seen.
 */
export async function follow(ctx, prebuildId, { onLine, logErrors = "fail" } = {}) {
  const { client, signal, stderr } = ctx;
  const id = printable(prebuildId);
  const waiting = new AbortController();
  const stopWaiting = () => waiting.abort();
  signal.addEventListener("abort", stopWaiting, { once: true });
  const log =
    onLine &&
    readLog(client, prebuildId, onLine, (e) => {
      if (logErrors === "fail") waiting.abort();
      else stderr.write(`gitpod-prebuilds: could not read the log (${e.name}: ${e.message}); still waiting for the prebuild\n`);
    });
  try {
    let shown = "";
    let seen;
    const onUpdate = (p) => {
      seen = p;
      const text = phaseText(p);
      // The end gets a line of its own below.
      if (text !== shown && !isTerminal(p.status.phase)) stderr.write(`waiting for prebuild ${id}: ${text}\n`);
      shown = text;
    };
    let final;
    try {
      final = await client.waitForPrebuild({ prebuildId }, { signal: waiting.signal, onUpdate });
    } catch (e) {
      if (log?.error && logErrors === "fail") throw log.error;
      if (e?.name !== "NotFoundError" || !seen) throw e;
      stderr.write(`prebuild ${id} is gone: it was deleted\n`);
      final = seen;
    }
    if (log) {
      let timer;
      const late = new Promise((resolve) => (timer = setTimeout(resolve, LOG_TAIL_MS, true)));
      if (await Promise.race([log.done.then(() => false), late])) {
        log.stop();
        stderr.write(`gitpod-prebuilds: the log did not end within ${LOG_TAIL_MS / 1000} s of the prebuild; stopped reading it\n`);
      }
      clearTimeout(timer);
      if (log.error && logErrors === "fail") throw log.error;
    }
    const failure = final.status.failureMessage ? `: ${printable(final.status.failureMessage)}` : "";
    stderr.write(`prebuild ${id} ended ${phaseText(final)}${took(final)}${failure}\n`);
    if (final.status.warningMessage) stderr.write(`warning: ${printable(final.status.warningMessage)}\n`);
    return final;
  } finally {
    signal.removeEventListener("abort", stopWaiting);
    log?.stop();
  }
}
