// A prebuild's state over time, read by polling GetPrebuild. It is an async iterator
// that yields the prebuild after every read, so the code that follows a prebuild is a
// `for await` loop that does not depend on how the updates arrive: a streaming source
// with the same shape can take this one's place.

import { call, isAbort } from "./api.js";
import { settings } from "./settings.js";
import { pause } from "./waiting.js";

// The longest pause between failed reads.
const MAX_BACKOFF_MS = 15000;

/**
 * Yields the prebuild now and then once per live update interval (while the page is
 * visible). A failed read is tried again after a pause that doubles with each failure
 * in a row, reported to `onTrouble(err, waitMs)`. Ends when `signal` aborts or the
 * consumer leaves its loop; throws the NotFoundError once the prebuild no longer exists.
 */
export async function* pollPrebuild({ prebuildId }, { signal, onTrouble = () => {} }) {
  let failures = 0;
  while (!signal.aborted) {
    let prebuild;
    try {
      ({ prebuild } = await call("getPrebuild", { prebuildId }, { quiet: true, signal }));
    } catch (err) {
      if (isAbort(err) || signal.aborted) return;
      if (err?.name === "NotFoundError") throw err;
      failures += 1;
      const wait = Math.min(settings.pollMs * 2 ** failures, MAX_BACKOFF_MS);
      onTrouble(err, wait);
      await pause(wait, signal);
      continue;
    }
    failures = 0;
    yield prebuild;
    await pause(settings.pollMs, signal);
  }
}
