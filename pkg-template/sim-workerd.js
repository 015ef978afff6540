// gitpod-prebuilds/sim in Cloudflare Workers (export condition "workerd": wrangler, the
// Workers Vite plugin, vitest-pool-workers): the same simulator as sim.js (sim/core.js).
// Workers have no file system and compile no WebAssembly from bytes at run time, so the
// .wasm is imported as a module, which Workers tooling turns into a compiled
// WebAssembly.Module. Nothing this entry imports refers to a Node module.
import wasm from "./sim/prebuild_sim_bg.wasm";
import { create } from "./sim/core.js";

/** What to instantiate: `source` (the user's `wasm` option) or the imported module. */
const wasmOf = (source) => source ?? wasm;

/**
 * A simulator: `createSimulator(options)` resolves with `{ baseUrl, token, fetch, info,
 * stats, reset, advance, now, close }` (see sim.d.ts).
 */
export function createSimulator(options) {
  return create(options, wasmOf);
}
