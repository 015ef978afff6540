// gitpod-prebuilds/sim: the prebuild-sim simulator in-process (sim/core.js, shared with
// the Workers entry sim-workerd.js). This entry (Node, Deno, Bun, browsers, bundlers)
// finds the simulator's wasm next to it: read from disk where its URL is a file's (Node,
// Deno, Bun), fetched elsewhere. Nothing the client imports refers to this file or its wasm.
import { create } from "./sim/core.js";

/** What to instantiate: `source` (the user's `wasm` option) or the file next to this one; a file: URL read from disk. */
async function wasmOf(source) {
  const from = source ?? new URL("./sim/prebuild_sim_bg.wasm", import.meta.url);
  if (!(from instanceof URL && from.protocol === "file:")) return from;
  const fs = "node:fs/promises"; // a variable: bundlers for the browser leave it alone
  return (await import(/* webpackIgnore: true */ /* @vite-ignore */ fs)).readFile(from);
}

/**
 * A simulator: `createSimulator(options)` resolves with `{ baseUrl, token, fetch, info,
 * stats, reset, advance, now, close }` (see sim.d.ts).
 */
export function createSimulator(options) {
  return create(options, wasmOf);
}
