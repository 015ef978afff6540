// The size budget: what a page downloads to use the package (every ES module reachable
// from pkg/index.js, as a browser fetches them, plus the .wasm; not wasm-inline.js,
// which a page loads only instead of the .wasm, nor the Node and Workers bundles),
// gzip -9, must stay within BUDGET. Prints every file's bytes either way, as the JS
// world's size-limit does, and exits 1 when over.
//
//   node tests/size/budget.mjs [pkg-dir]      (make test-size, after make pkg)
import { resolve } from "node:path";
import { packageSizes } from "../../bench/lib/size.mjs";

/** Bytes, gzip -9, of everything a page downloads (issue #16: at most 90,000 B). */
export const BUDGET = 90_000;

const dir = resolve(process.argv[2] ?? "pkg");
const sizes = await packageSizes(dir);
const n = (x) => x.toLocaleString("en-US");
const width = Math.max(...sizes.files.map((f) => f.file.length), 5);
console.log(`size budget: what a page downloads from ${dir} (gzip -9)`);
for (const f of sizes.files) {
  console.log(`  ${f.file.padEnd(width)}  ${n(f.raw).padStart(9)} raw  ${n(f.gzip).padStart(8)} gzip`);
}
const total = sizes.allFiles.gzip;
const verdict =
  total <= BUDGET ? `within the budget of ${n(BUDGET)} B (${n(BUDGET - total)} B left)` : `OVER the budget of ${n(BUDGET)} B by ${n(total - BUDGET)} B`;
console.log(`  ${"total".padEnd(width)}  ${n(sizes.allFiles.raw).padStart(9)} raw  ${n(total).padStart(8)} gzip: ${verdict}`);
if (total > BUDGET) process.exit(1);
