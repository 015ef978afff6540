// Platform I/O for the WebAssembly client: one fetch attempt with a timeout and the
// caller's AbortSignal, and an abortable sleep. Failures reject with a plain
// { kind, message } that the Rust side turns into an error class.

const failure = (kind, message = "") => ({ kind, message });

/// One attempt. `headerLines` is "name\nvalue\nname\nvalue..." (names and values were
/// checked to hold no line breaks). The timeout covers reading the body, and holds even
/// when a custom fetch ignores its signal.
export function send(fetchFn, url, headerLines, body, timeoutMs, signal) {
  const doFetch = fetchFn ?? globalThis.fetch;
  if (typeof doFetch !== "function") {
    return Promise.reject(failure("connection", "no fetch: this runtime has no global fetch; pass one as the fetch option"));
  }
  if (signal?.aborted) return Promise.reject(failure("abort"));
  const headers = {};
  const parts = headerLines.split("\n");
  for (let i = 0; i + 1 < parts.length; i += 2) headers[parts[i]] = parts[i + 1];

  const controller = new AbortController();
  let stop;
  const stopped = new Promise((_, reject) => (stop = reject));
  const timer = setTimeout(() => {
    stop(failure("timeout"));
    controller.abort();
  }, timeoutMs);
  const onAbort = () => {
    stop(failure("abort"));
    controller.abort();
  };
  signal?.addEventListener?.("abort", onAbort, { once: true });

  const attempt = (async () => {
    const res = await doFetch(url, { method: "POST", headers, body, signal: controller.signal });
    const text = await res.text();
    const header = (name) => res.headers?.get?.(name) ?? undefined;
    return {
      status: res.status,
      body: text,
      shouldRetry: header("x-should-retry"),
      retryAfterMs: header("retry-after-ms"),
      retryAfter: header("retry-after"),
    };
  })();
  attempt.catch(() => {}); // a late failure after a timeout must not go unhandled
  return Promise.race([attempt, stopped])
    .catch((e) => {
      if (e && typeof e.kind === "string" && !(e instanceof Error)) throw e;
      throw failure("connection", String(e?.message ?? e));
    })
    .finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener?.("abort", onAbort);
    });
}

/// Waits `ms` milliseconds; the signal's abort ends the wait early with a failure.
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(failure("abort"));
    const onAbort = () => {
      clearTimeout(timer);
      reject(failure("abort"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener?.("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener?.("abort", onAbort, { once: true });
  });
}
