// Loads that replace each other, as a list's reloads do: starting one aborts the one
// before, and an answer that arrives after a newer load started is dropped.

/** A slot for one load at a time. */
export function latestRequest() {
  let current = null;
  return {
    /**
     * Starts a load and aborts the one before. `signal` goes to the call; `isLatest()`
     * tells, after each await, whether this load still counts.
     */
    start() {
      current?.abort();
      const controller = new AbortController();
      current = controller;
      return { signal: controller.signal, isLatest: () => current === controller };
    },
  };
}
