// gitpod-prebuilds/sim's one implementation (pkg/sim/core.js), shared by its entries:
// sim.js (Node, Deno, Bun, browsers, bundlers) and sim-workerd.js (Cloudflare Workers,
// export condition "workerd"), which differ only in where the wasm comes from. The
// prebuild-sim simulator in-process: its own wasm (sim/prebuild_sim_bg.wasm, the Rust
// core of the prebuild-sim binary) decides every answer; this file carries out what
// takes time or touches a connection, as the binary's server does with sockets and
// timers: the clock, delays, stalls, resets and log streams. Nothing the client imports
// refers to this file or its wasm, and nothing here refers to a runtime's modules.
import initWasm, { WasmSim } from "./prebuild_sim.js";

/** The origin the simulator answers at (a .localhost name: the client sends tokens there over http). */
const ORIGIN = "http://prebuild-sim.localhost";
const OPTIONS = ["seed", "prebuilds", "tickMs", "faultRate", "commitShare", "token", "logsTokenTtlMs", "logChunkBytes"];
/** Statuses whose responses have no body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

let loading;

/** Loads the simulator's wasm once: what the entry's `wasmOf(source)` gives for `source`, the user's `wasm` option. */
function load(source, wasmOf) {
  loading ??= (async () => {
    await initWasm({ module_or_path: await wasmOf(source) });
  })().catch((e) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

const abortError = (signal) => signal.reason ?? new DOMException("This operation was aborted", "AbortError");

/**
 * A simulator: an entry's `createSimulator(options)` calls this, which resolves with
 * `{ baseUrl, token, fetch, info, stats, reset, advance, now, close }` (see sim.d.ts).
 * `wasmOf(source)` gives the wasm to instantiate (anything wasm-bindgen's init takes)
 * for the user's `wasm` option, `source` (undefined when not given).
 */
export async function create(options = {}, wasmOf) {
  if (options === null || typeof options !== "object") throw new TypeError("createSimulator: options must be an object");
  const { clock = "manual", wasm } = options;
  if (clock !== "manual" && clock !== "real") throw new TypeError(`createSimulator: clock must be "manual" or "real", not ${JSON.stringify(clock)}`);
  const settings = { publicUrl: ORIGIN };
  for (const key of OPTIONS) if (options[key] !== undefined) settings[key] = options[key];
  await load(wasm, wasmOf);

  const real = clock === "real";
  const start = Date.now();
  let offset = 0; // the manual clock: ms since start
  const now = () => (real ? Date.now() : start + offset);
  const secret = crypto.getRandomValues(new Uint32Array(4));
  let core = new WasmSim(JSON.stringify(settings), start, secret);
  let closed = false;

  // Who waits: sleepers wait for a time on the simulator's clock (the manual clock
  // wakes them in advance(), the real one by timers), watchers for any change of the
  // simulator (a request, a tick, a reset). A wait cleans up after itself whichever
  // way it ends, so that a long log stream leaves no listeners behind.
  const sleepers = new Set();
  const watchers = new Set();
  const changed = () => {
    const woken = [...watchers];
    watchers.clear();
    for (const w of woken) w();
  };
  /**
   * Resolves at `at` on the simulator's clock (not at all when `at` is not finite) or,
   * with `watch`, at the next change first; rejects when `signal` aborts or the
   * simulator closes.
   */
  const wait = (at, signal, watch = false) =>
    new Promise((resolve, reject) => {
      if (closed) return reject(new TypeError("the simulator is closed"));
      if (signal?.aborted) return reject(abortError(signal));
      const s = { at, over: false };
      const onAbort = () => s.reject(abortError(signal));
      const done = (f) => {
        if (s.over) return;
        s.over = true;
        sleepers.delete(s);
        watchers.delete(s.resolve);
        clearTimeout(s.timer);
        signal?.removeEventListener("abort", onAbort);
        f();
      };
      s.resolve = () => done(resolve);
      s.reject = (e) => done(() => reject(e));
      signal?.addEventListener("abort", onAbort, { once: true });
      if (watch) watchers.add(s.resolve);
      if (Number.isFinite(at)) {
        sleepers.add(s);
        if (real) s.timer = setTimeout(s.resolve, Math.max(0, at - Date.now()));
        else if (at <= now()) s.resolve();
      }
    });
  const sleepUntil = (at, signal) => wait(at, signal);
  const nextChange = (at, signal) => wait(at, signal, true);

  // The real clock's ticks.
  let timer;
  const schedule = () => {
    if (!real || closed) return;
    timer = setTimeout(() => {
      if (core.advance(Date.now()) > 0) changed();
      schedule();
    }, Math.max(0, core.nextTickMs() - Date.now()));
    timer.unref?.(); // a simulator left open does not keep Node running
  };
  schedule();

  /** A log stream as a ReadableStream that grows as the clock moves. */
  const logBody = (stream, signal) => {
    let ended = false;
    const end = () => {
      if (!ended) {
        ended = true;
        if (!closed) core.closeLog(stream);
      }
    };
    return new ReadableStream(
      {
        async pull(controller) {
          for (;;) {
            if (closed) {
              end();
              return controller.error(new TypeError("terminated", { cause: new Error("the simulator is closed") }));
            }
            const poll = core.pollLog(stream, now());
            const pieces = poll.pieces;
            for (const p of pieces) controller.enqueue(p);
            const state = poll.state;
            if (state === "ended") {
              end();
              return controller.close();
            }
            if (state !== "open") {
              end();
              return controller.error(new TypeError("terminated", { cause: new Error(poll.reason) }));
            }
            if (pieces.length > 0) return;
            try {
              await nextChange(poll.wakeAt, signal);
            } catch (e) {
              end();
              return controller.error(e);
            }
          }
        },
        cancel: end,
      },
      { highWaterMark: 0 },
    );
  };

  /** A whole body whose second half waits `ms` on the simulator's clock (a stall). */
  const stalledBody = (bytes, ms, signal) => {
    const half = bytes.length >> 1;
    return new ReadableStream({
      async start(controller) {
        if (half > 0) controller.enqueue(bytes.slice(0, half));
      },
      async pull(controller) {
        try {
          await sleepUntil(now() + ms, signal);
        } catch (e) {
          return controller.error(e);
        }
        if (bytes.length > half) controller.enqueue(bytes.slice(half));
        controller.close();
      },
    });
  };

  /** The global fetch's signature, answered in-process. */
  const simFetch = async (input, init) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    // The caller's own signal: a Request's copy of it stops following it once the
    // Request is garbage-collected (undici follows it through a weak reference).
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    if (closed) throw new TypeError("fetch failed", { cause: new Error("the simulator is closed") });
    if (signal?.aborted) throw abortError(signal);
    const url = new URL(request.url);
    if (url.origin !== ORIGIN) throw new TypeError("fetch failed", { cause: new Error(`the simulator answers at ${ORIGIN}, not ${url.origin}`) });
    const body = new Uint8Array(await request.arrayBuffer());
    const headers = [];
    request.headers.forEach((value, name) => headers.push(name, value));
    const query = url.search ? url.search.slice(1) : undefined;
    let out = core.handle(request.method, url.pathname, query, headers, body, now());
    changed();
    while (out.kind === "wait") {
      const id = out.deferred;
      try {
        await sleepUntil(now() + out.ms, signal);
      } catch (e) {
        core.dropDeferred(id);
        throw e;
      }
      out = core.resume(id, now());
      changed();
    }
    if (out.kind === "reset") {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("read ECONNRESET (x-sim-fault: reset)"), { code: "ECONNRESET" }) });
    }
    const responseHeaders = new Headers();
    const pairs = out.headers;
    for (let i = 0; i + 1 < pairs.length; i += 2) responseHeaders.set(pairs[i], pairs[i + 1]);
    const status = out.status;
    let responseBody;
    if (out.stream !== 0) {
      responseBody = logBody(out.stream, signal);
    } else {
      const bytes = out.body;
      if (out.delivery === "late") await sleepUntil(now() + out.ms, signal);
      responseBody = out.delivery === "stall" ? stalledBody(bytes, out.ms, signal) : bytes;
    }
    return new Response(NULL_BODY.has(status) ? null : responseBody, { status, headers: responseHeaders });
  };

  const json = (text) => JSON.parse(text);
  const open = () => {
    if (closed) throw new TypeError("the simulator is closed");
  };
  return {
    baseUrl: `${ORIGIN}/api`,
    token: options.token ?? "sim-token",
    fetch: simFetch,
    info: () => (open(), json(core.info())),
    stats: () => (open(), json(core.stats())),
    reset: () => {
      open();
      const r = json(core.reset());
      changed();
      return r;
    },
    now,
    advance(ms) {
      open();
      if (real) throw new TypeError('advance() moves the manual clock; this simulator has clock: "real"');
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) throw new RangeError("advance(ms): ms must be a finite number >= 0");
      offset += ms;
      const ticks = core.advance(now());
      for (const s of [...sleepers].sort((a, b) => a.at - b.at)) if (s.at <= now()) s.resolve();
      changed();
      return ticks;
    },
    close() {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      for (const s of [...sleepers]) s.reject(new TypeError("the simulator is closed"));
      changed();
      core.free();
      core = undefined;
    },
  };
}
