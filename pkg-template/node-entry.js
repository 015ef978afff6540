// The Node entry (export condition "node": Node, Deno and Bun, and bundles made for
// them by esbuild, webpack or Next.js). assemble.mjs bundles it into node.cjs; the wasm
// comes inlined, from wasm-base64.cjs: no file is read at run time (so Deno needs no
// --allow-read, and a server bundler has no .wasm to move or lose), and it is
// instantiated when the package is loaded, so the first call does not wait. node.mjs
// (Node's `import`) and node-module.mjs (bundlers) re-export node.cjs, so `import` and
// `require` share one copy: one set of error classes for `instanceof`.
import { initSync } from "./gitpod_prebuilds.js";
import { base64 } from "./wasm-base64.cjs";

// The global Buffer (Node, Deno, Bun), not node:buffer: a require() of a built-in would
// break esbuild's ESM bundles for Node ("Dynamic require ... is not supported").
initSync({
  module:
    typeof Buffer === "function" ? Buffer.from(base64, "base64") : Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)),
});

export * from "./client.js";
