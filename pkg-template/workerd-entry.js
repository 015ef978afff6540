// The Cloudflare Workers entry (export condition "workerd": wrangler, the Workers Vite
// plugin, vitest-pool-workers). Workers compile no WebAssembly from bytes at run time
// and have no URL for the package's files, so the .wasm is imported as a module, which
// Workers tooling turns into a compiled WebAssembly.Module. assemble.mjs bundles this
// into workerd.js (the .wasm import left as it is, the inlined copy left out).
import wasm from "./gitpod_prebuilds_bg.wasm";
import { initSync } from "./gitpod_prebuilds.js";

initSync({ module: wasm });

export * from "./client.js";
