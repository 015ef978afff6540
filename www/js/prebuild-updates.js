// A prebuild's state over time, from client.watchPrebuild: the prebuild now, then each
// change, ending after a final phase. A watch that fails (the network is down for
// longer than the client's retries) is started again after a pause that doubles with
// each failure in a row, reported to `onTrouble(err, waitMs)`; the restarted watch
// begins with the state at that moment.

import { getClient, isAbort } from "./api.js";
import { FINAL_PHASES } from "./prebuild-phases.js";
import { settings } from "./settings.js";
import { pause } from "./waiting.js";

// The longest pause between failed watches.
const MAX_BACKOFF_MS = 15000;

/**
 * Yields the prebuild now and after each change, until a final phase or until `signal`
 * aborts (or the consumer leaves its loop); throws the NotFoundError once the prebuild
 * no longer exists.
 */
export async function* followPrebuild({ prebuildId }, { signal, onTrouble = () => {} }) {
  let failures = 0;
  while (!signal.aborted) {
    try {
      const client = await getClient();
      // Until the page's final phases: DELETED is not one, so a deleted prebuild is
      // followed until it is gone (a NotFoundError).
      const options = {
        signal,
        until: [...FINAL_PHASES],
        intervalMs: settings.pollMs,
        maxIntervalMs: Math.max(settings.pollMs, 5000),
      };
      for await (const prebuild of client.watchPrebuild({ prebuildId }, options)) {
        failures = 0;
        yield prebuild;
      }
      return;
    } catch (err) {
      if (isAbort(err) || signal.aborted) return;
      if (err?.name === "NotFoundError") throw err;
      failures += 1;
      const wait = Math.min(settings.pollMs * 2 ** failures, MAX_BACKOFF_MS);
      onTrouble(err, wait);
      await pause(wait, signal);
    }
  }
}
