// Waiting between live updates: the page does not poll while its tab is in the
// background, so a wait ends only once the page is visible again, or at once when
// what it waits for is stopped (its signal aborts).

/** Resolves at once when the page is visible, else when it becomes visible or `signal` aborts. */
export function whenVisible(signal) {
  if (document.visibilityState !== "hidden" || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      document.removeEventListener("visibilitychange", onChange);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const onChange = () => {
      if (document.visibilityState !== "hidden") done();
    };
    document.addEventListener("visibilitychange", onChange);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Waits `ms`, then until the page is visible; resolves early when `signal` aborts. */
export async function pause(ms, signal) {
  await new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
  await whenVisible(signal);
}
