// PrebuildClient: the package's public class. A thin shell over the WebAssembly
// WasmClient, which holds all request logic (validation, wire format, retries,
// decoding). This file only adds what JavaScript itself must do: lazy loading of the
// wasm, environment fallbacks, and async iteration.
import initWasm, { WasmClient } from "./gitpod_prebuilds.js";

export * from "./errors.js";

let loading;

/**
 * Loads the WebAssembly module. Optional: every method waits for it. Pass a URL,
 * Response, bytes or a compiled WebAssembly.Module where the default location
 * (next to this file) does not work.
 */
export function init(moduleOrPath) {
  loading ??= initWasm(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath }).then(
    () => undefined,
    (e) => {
      loading = undefined; // let a later call try again
      throw e;
    },
  );
  return loading;
}

const env = (name) => {
  const v = globalThis.process?.env?.[name];
  return v === "" ? undefined : v;
};

/** A client for Gitpod's PrebuildService. */
export class PrebuildClient {
  #options;
  #inner;

  /** Options are checked on first use: a bad option rejects every call with a ValidationError. */
  constructor(options = {}) {
    const o = { ...options };
    o.baseUrl ??= env("GITPOD_BASE_URL");
    o.token ??= env("GITPOD_API_KEY");
    // A relative base URL ("/api") means the page's own origin.
    if (typeof o.baseUrl === "string" && globalThis.location?.href && !/^[a-z][a-z\d+.-]*:/i.test(o.baseUrl)) {
      o.baseUrl = new URL(o.baseUrl, globalThis.location.href).href;
    }
    this.#options = o;
  }

  #call(method, params, options) {
    this.#inner ??= init().then(() => new WasmClient(this.#options));
    return this.#inner.then((client) => client.call(method, params, options));
  }

  async *#items(method, key, params, options) {
    let token = params?.token;
    do {
      const page = await this.#call(method, { ...params, token }, options);
      yield* page[key];
      token = page.pagination.nextToken;
    } while (token);
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

  /** Every prebuild of every page, fetching the next page only when needed. */
  iterPrebuilds(params, options) { return this.#items("listPrebuilds", "prebuilds", params, options); }
  /** Every warm pool of every page, fetching the next page only when needed. */
  iterWarmPools(params, options) { return this.#items("listWarmPools", "warmPools", params, options); }
}
