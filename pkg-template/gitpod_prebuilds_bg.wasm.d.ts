// Types of the `gitpod-prebuilds/gitpod_prebuilds_bg.wasm` subpath: the package's
// WebAssembly module, for runtimes and bundlers where its default location does not
// work. What an import of it gives depends on the tool: a compiled WebAssembly.Module
// (Cloudflare Workers, wrangler) or the URL of the emitted file (esbuild's `file`
// loader, Vite's `?url`). Either can be passed to `init()`.
declare const wasm: import("./index.js").WebAssemblyModule | string;
export default wasm;
