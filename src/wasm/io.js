// Platform I/O for the WebAssembly client: one fetch attempt with a timeout and the
// caller's AbortSignal, and an abortable sleep. Failures reject with a plain
// { kind, message } that the Rust side turns into an error class.

const failure = (kind, message = "") => ({ kind, message });

/// `message` with the bearer token cut out: a custom fetch (a logging or proxy wrapper)
/// may put the request's headers into the errors it throws, and that text becomes the
/// APIConnectionError's message.
const redact = (message, headers) => {
  const token = /^bearer\s+(.+)$/i.exec(headers.authorization ?? "")?.[1];
  return token ? message.split(token).join("[redacted]") : message;
};

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
    // Bytes, not text: they cross into WebAssembly in one copy.
    let bytes = new Uint8Array(await res.arrayBuffer());
    // A UTF-8 byte-order mark is not part of the text (Response.text() drops it too).
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    const header = (name) => res.headers?.get?.(name) ?? undefined;
    return {
      status: res.status,
      body: bytes,
      shouldRetry: header("x-should-retry"),
      retryAfterMs: header("retry-after-ms"),
      retryAfter: header("retry-after"),
    };
  })();
  attempt.catch(() => {}); // a late failure after a timeout must not go unhandled
  return Promise.race([attempt, stopped])
    .catch((e) => {
      if (e && typeof e.kind === "string" && !(e instanceof Error)) throw e;
      throw failure("connection", redact(String(e?.message ?? e), headers));
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
