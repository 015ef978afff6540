// What the bytes of the wasm are: builds a copy with function names (same optimisation
// as `make pkg`: wasm-bindgen, then wasm-opt -O3, but keeping the name section) and lists
// twiggy's top items and the code size per crate / module.
//
//   node bench/wasm-breakdown.mjs [N]     (after make pkg; N top items, default 30)
//
// Writes target/bench/wasm-breakdown.md and prints it. Needs twiggy (cargo install twiggy).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { homedir } from "node:os";
import { gzip } from "./lib/size.mjs";
import { buildNamed } from "./lib/named.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TOP = Number(process.argv[2] ?? 30);
if (!existsSync(join(ROOT, "node_modules/.bin/wasm-opt"))) throw new Error("run make pkg first (needs node_modules)");
const TWIGGY = existsSync(join(homedir(), ".cargo/bin/twiggy")) ? join(homedir(), ".cargo/bin/twiggy") : "twiggy";
const { input: INPUT, named, stripped } = buildNamed(ROOT);

const rows = JSON.parse(execFileSync(TWIGGY, ["top", "-n", "100000", "--format", "json", named], { encoding: "utf8", maxBuffer: 1 << 28 }));
const shipped = rows.filter((r) => !/^"function names" subsection$|^custom section 'name'|^custom section 'producers'|^custom section 'target_features'/.test(r.name));
const total = shipped.reduce((a, r) => a + r.shallow_size, 0);

/** A short group name for an item: crate::module for Rust, else a kind. */
function group(name) {
  if (name.startsWith("data segment")) return "data segments (strings, tables)";
  if (/^(type|import|export|table|elem|memory|global|code section headers|wasm magic bytes|custom section)/.test(name) || name.startsWith('"')) return "wasm sections and headers";
  if (/externref shim|__wbindgen|__wbg_|__externref|wasm_bindgen::|wasm_bindgen\[|closure\d+ externref/.test(name)) return "wasm-bindgen (shims, runtime)";
  if (/future_to_promise::\{\{closure\}\}/.test(name)) return "the call future (WasmClient::call inlined, all methods)";
  if (/^<?(js_sys|wasm_bindgen_futures)/.test(name)) return "js-sys, wasm-bindgen-futures";
  if (/dlmalloc|__rdl_|__rust_(alloc|dealloc|realloc)|alloc::raw_vec|RawVec|alloc::alloc/.test(name)) return "allocator, Vec growth";
  // `<T as Trait>::f`: the type's path, or the trait's when the type is a primitive.
  const qualified = /^<(?:&(?:mut )?)?([^<>]*?) as ([^<>]*?)(?:<.*)?>::/.exec(name);
  const path = qualified ? (qualified[1].includes("::") ? qualified[1] : qualified[2]) : name;
  const m = /^<?(?:&(?:mut )?)?([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::([A-Za-z_][A-Za-z0-9_]*)/.exec(path);
  if (m) {
    if (m[1] === "gitpod_prebuilds") return `gitpod_prebuilds::${m[2]}`;
    if (m[1] === "core" && m[2] === "fmt") return "core::fmt";
    if (m[1] === "core" && m[2] === "ops") return "closures (core::ops::FnOnce, mostly our code)";
    return m[1];
  }
  return "other";
}

if (process.env.BREAKDOWN_GROUP) {
  for (const r of shipped) if (group(r.name) === process.env.BREAKDOWN_GROUP) console.log(r.shallow_size, r.name);
}
const groups = new Map();
for (const r of shipped) {
  const g = group(r.name);
  const e = groups.get(g) ?? { bytes: 0, items: 0 };
  e.bytes += r.shallow_size;
  e.items += 1;
  groups.set(g, e);
}

const fmt = (n) => n.toLocaleString("en-US");
const pct = (n) => `${((100 * n) / total).toFixed(1)} %`;
const short = (n) => n.replace(/::h[0-9a-f]{16}$/, "").replace(/\[[0-9a-f]{16}\]/g, "");
const out = [];
out.push(`## wasm size breakdown`);
out.push("");
out.push(
  `Input: \`${INPUT.replace(ROOT + "/", "")}\` through wasm-bindgen and \`wasm-opt -O3\` (as \`make pkg\`), names kept for this ` +
    `analysis. Shipped size without names: ${fmt(readFileSync(stripped).length)} B raw, ${fmt(gzip(readFileSync(stripped)))} B gzip -9. ` +
    `Sizes below are twiggy shallow sizes (raw bytes, before compression), name section excluded.`,
);
out.push("");
out.push("| group | bytes | share | items |");
out.push("|---|--:|--:|--:|");
for (const [g, e] of [...groups].sort((a, b) => b[1].bytes - a[1].bytes)) out.push(`| ${g} | ${fmt(e.bytes)} | ${pct(e.bytes)} | ${e.items} |`);
out.push(`| **total** | **${fmt(total)}** | 100 % | ${shipped.length} |`);
out.push("");
out.push(`Top ${TOP} items (\`twiggy top\`):`);
out.push("");
out.push("| bytes | share | item |");
out.push("|--:|--:|---|");
for (const r of shipped.slice(0, TOP)) out.push(`| ${fmt(r.shallow_size)} | ${pct(r.shallow_size)} | \`${short(r.name).replace(/\|/g, "\\|")}\` |`);
const text = out.join("\n") + "\n";
writeFileSync(join(ROOT, "target/bench/wasm-breakdown.md"), text);
console.log(text);
