// Memory after N calls, in a fresh Node process started with --expose-gc by run.mjs:
//   node --expose-gc bench/memory-child.mjs KIND PKG_DIR BASE_URL TOKEN PREBUILD_ID N
// KIND: ours | floor | peer. Prints one JSON line with process.memoryUsage() after a
// warm-up of 200 calls (`base`) and after N more calls (`after`), both after full GCs,
// and for ours the size of the wasm linear memory. The wasm memory is not part of the
// package's public API: it is read from the wasm-bindgen glue's initSync(), which
// returns the already-initialised instance's exports; so ours loads the package's
// separate ES modules (the code the Node entry bundles into node.cjs), whose glue is
// that module.
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import * as C from "./lib/clients.mjs";

const [kind, pkgDir, baseUrl, token, prebuildId, nText] = process.argv.slice(2);
const n = Number(nText);
if (typeof globalThis.gc !== "function") throw new Error("run with --expose-gc");

const client =
  kind === "ours" ? await C.ours(pkgDir, baseUrl, token, undefined, { split: true }) : kind === "peer" ? await C.peer(baseUrl, token) : C.floor(baseUrl, token);
let wasmMemory = () => null;
if (kind === "ours") {
  const glue = await import(pathToFileURL(join(pkgDir, "gitpod_prebuilds.js")).href);
  const exports = glue.initSync(); // returns the existing instance's exports
  wasmMemory = () => exports.memory.buffer.byteLength;
}

const settle = async () => {
  for (let i = 0; i < 3; i += 1) {
    globalThis.gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss, wasmMemory: wasmMemory() };
};

for (let i = 0; i < 200; i += 1) await client.get(prebuildId);
const base = await settle();
let last;
for (let i = 0; i < n; i += 1) last = await client.get(prebuildId);
if (last?.prebuild?.id !== prebuildId) throw new Error(`${kind}: unexpected answer`);
const after = await settle();
console.log(JSON.stringify({ kind, calls: n, base, after }));
