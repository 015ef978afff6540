// PrebuildClient: the package's public class. A thin shell over the WebAssembly
// WasmClient, which holds all request logic (validation, wire format, retries,
// decoding). This file only adds what JavaScript itself must do: lazy loading of the
// wasm, environment fallbacks, and async iteration.
import initWasm, { WasmClient } from "./gitpod_prebuilds.js";
import { PrebuildClientError } from "./errors.js";

export * from "./errors.js";

let loading;

/**
 * Loads the WebAssembly module. Optional: every method waits for it. Pass a URL,
 * Response, bytes or a compiled WebAssembly.Module where the default location
 * (next to this file) does not work.
 *
 * With no argument, when the .wasm next to this file cannot be loaded (a bundler such
 * as esbuild or `bun build` copied this file but not the .wasm), the inlined copy in
 * wasm-inline.js is loaded instead: a separate module, fetched only then.
 */
export function init(moduleOrPath) {
  loading ??= (
    moduleOrPath === undefined
      ? initWasm().catch((first) =>
          import("./wasm-inline.js").then(
            (m) => initWasm({ module_or_path: m.default() }),
            () => Promise.reject(first),
          ),
        )
      : initWasm({ module_or_path: moduleOrPath })
  ).then(
    () => undefined,
    (e) => {
      loading = undefined; // let a later call try again
      throw new PrebuildClientError(
        "gitpod-prebuilds could not load its WebAssembly module; pass it to init() before the first call (its URL, " +
          `a Response, its bytes or a WebAssembly.Module: see "Runtimes and bundlers" in the README). ${e}`,
        { cause: e },
      );
    },
  );
  return loading;
}

// Node, Deno and Bun (the Node entry, node.cjs) fall back to GITPOD_BASE_URL and
// GITPOD_API_KEY; assemble.mjs builds the browser and Workers files with ENV false, so
// this is not in them. Deno: only variables already allowed are read (no prompt and no
// NotCapable error without --allow-env); the constructor never throws.
const env = (name) => {
  try {
    const deno = globalThis.Deno;
    if (deno && deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") return undefined;
    const v = globalThis.process?.env?.[name];
    return v === "" ? undefined : v;
  } catch {
    return undefined;
  }
};

/**
 * Every item of every page, fetching a page when the one before is used up. Written
 * out rather than as an async generator: `yield*` over a page costs several promise
 * ticks per item, 4 ms of a 10,000-item walk in Node 20; this costs one.
 */
class Items {
  #fetch;
  #key;
  #token;
  #items = [];
  #at = 0;
  #more = true; // a page is still to come
  #loading; // the page being fetched, shared by every next() that waits for it
  #ended = false; // by return(), throw() or a failed page, as a generator ends

  constructor(fetchPage, key, token) {
    this.#fetch = fetchPage;
    this.#key = key;
    this.#token = token;
  }

  next() {
    if (!this.#ended && this.#at < this.#items.length) return Promise.resolve({ value: this.#items[this.#at++], done: false });
    if (this.#ended || !this.#more) return this.return();
    this.#loading ??= this.#fetch(this.#token).then(
      (page) => {
        this.#loading = undefined;
        if (this.#ended) return; // return() came first: the page is not kept
        this.#items = page[this.#key];
        this.#at = 0;
        this.#token = page.pagination.nextToken;
        this.#more = !!this.#token;
      },
      (e) => {
        this.#loading = undefined;
        this.return();
        throw e;
      },
    );
    // Waiters resume in the order they called, so each takes the next item.
    return this.#loading.then(() => this.next());
  }

  return(value) {
    this.#ended = true;
    this.#items = [];
    return Promise.resolve({ value, done: true });
  }

  throw(e) {
    this.return();
    return Promise.reject(e);
  }
}
// On the prototype of every async generator's prototype, as a generator would be: it
// gives Symbol.asyncIterator and, where the runtime has it, Symbol.asyncDispose
// (`await using`).
Object.setPrototypeOf(Items.prototype, Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype));

/** A client for Gitpod's PrebuildService. */
export class PrebuildClient {
  #options;
  #inner;

  /** Options are checked on first use: a bad option rejects every call with a ValidationError. */
  constructor(options = {}) {
    const o = { ...options };
    if (ENV) {
      o.baseUrl ??= env("GITPOD_BASE_URL");
      o.token ??= env("GITPOD_API_KEY");
    }
    // A relative base URL ("/api") means the page's own origin.
    if (typeof o.baseUrl === "string" && globalThis.location?.href && !/^[a-z][a-z\d+.-]*:/i.test(o.baseUrl)) {
      try {
        o.baseUrl = new URL(o.baseUrl, globalThis.location.href).href;
      } catch {} // left as it is: the first call rejects with a ValidationError on baseUrl
    }
    this.#options = o;
  }

  #client() {
    this.#inner ??= init().then(
      () => new WasmClient(this.#options),
      (e) => {
        this.#inner = undefined; // a later call tries to load again
        throw e;
      },
    );
    return this.#inner;
  }

  #call(method, params, options) {
    return this.#client().then((client) => client.call(method, params, options));
  }

  // A wasm follower (WasmWatch, WasmLogs) as an async iterator. It gets its own
  // AbortController, so that `break` (or a throwing loop body) stops a poll or a log
  // stream in flight; the caller's signal is forwarded to it.
  async *#follow(start, options) {
    const { until, intervalMs, maxIntervalMs, deadlineMs, onUpdate, onStatus, signal, ...request } = options ?? {};
    const stop = new AbortController();
    const forward = () => stop.abort(signal.reason);
    if (signal?.aborted) forward();
    else signal?.addEventListener?.("abort", forward, { once: true });
    let follower;
    try {
      follower = start(await this.#client(), { until, intervalMs, maxIntervalMs, deadlineMs }, { ...request, signal: stop.signal });
      for (let next; (next = await follower.next()) !== undefined; ) yield next;
    } finally {
      signal?.removeEventListener?.("abort", forward);
      stop.abort();
      follower?.free();
    }
  }

  async #wait(states, onUpdate) {
    let last;
    for await (const state of states) {
      last = state;
      onUpdate?.(state);
    }
    return last;
  }

  #items(method, key, params, options) {
    return new Items((token) => this.#call(method, { ...params, token }, options), key, params?.token);
  }

  createPrebuild(params, options) { return this.#call("createPrebuild", params, options); }
  getPrebuild(params, options) { return this.#call("getPrebuild", params, options); }
  listPrebuilds(params, options) { return this.#call("listPrebuilds", params, options); }
  cancelPrebuild(params, options) { return this.#call("cancelPrebuild", params, options); }
  deletePrebuild(params, options) { return this.#call("deletePrebuild", params, options); }
  createPrebuildLogsToken(params, options) { return this.#call("createPrebuildLogsToken", params, options); }
  createWarmPool(params, options) { return this.#call("createWarmPool", params, options); }
  getWarmPool(params, options) { return this.#call("getWarmPool", params, options); }
  listWarmPools(params, options) { return this.#call("listWarmPools", params, options); }
  updateWarmPool(params, options) { return this.#call("updateWarmPool", params, options); }
  deleteWarmPool(params, options) { return this.#call("deleteWarmPool", params, options); }

  /** The prebuild now, then each change, until its phase is in `until`. */
  watchPrebuild(params, options) { return this.#follow((c, wait, req) => c.watch("prebuild", params, wait, req), options); }
  /** The warm pool now, then each change, until its phase is in `until`. */
  watchWarmPool(params, options) { return this.#follow((c, wait, req) => c.watch("warmPool", params, wait, req), options); }
  /** Resolves with the prebuild once its phase is in `until` (by default a final one). */
  waitForPrebuild(params, options) { return this.#wait(this.watchPrebuild(params, options), options?.onUpdate); }
  /** Resolves with the warm pool once its phase is in `until` (by default READY, DEGRADED or DELETED). */
  waitForWarmPool(params, options) { return this.#wait(this.watchWarmPool(params, options), options?.onUpdate); }
  /** The prebuild's log, one line at a time, to its end; `onStatus` hears of waits and reconnects. */
  async *streamPrebuildLogs(params, options) {
    // `idleTimeoutMs` is a log stream's own setting, read with the wait options.
    const { idleTimeoutMs, ...rest } = options ?? {};
    for await (const event of this.#follow((c, wait, req) => c.logs(params, { ...wait, idleTimeoutMs }, req), rest)) {
      if (Array.isArray(event)) yield* event;
      else options?.onStatus?.(event);
    }
  }

  /** Every prebuild of every page, fetching the next page only when needed. */
  iterPrebuilds(params, options) { return this.#items("listPrebuilds", "prebuilds", params, options); }
  /** Every warm pool of every page, fetching the next page only when needed. */
  iterWarmPools(params, options) { return this.#items("listWarmPools", "warmPools", params, options); }
}
