// Assembles the npm package in pkg/ from the wasm-bindgen output and this template.
// Usage: node pkg-template/assemble.mjs <wasm-bindgen-out-dir> <optimized.wasm> <pkg-dir>
//        <sim-wasm-bindgen-out-dir>
// (Build tool only: not part of the published package.)
//
// What it makes (the export conditions in package.json choose among the entries):
//   index.js, client.js, errors.js, gitpod_prebuilds.js, snippets/**, .wasm
//       browsers, workers and bundlers: ES modules, minified; the wasm is fetched next
//       to gitpod_prebuilds.js on first use
//   wasm-inline.js   the wasm gzipped and base64-encoded: client.js imports it only when
//                    the .wasm next to it cannot be loaded (esbuild, bun build)
//   node.cjs         Node, Deno, Bun: one CommonJS bundle, the wasm inlined (from
//                    wasm-base64.cjs); node.mjs (Node's `import`) and node-module.mjs
//                    (bundlers: the "module" condition) re-export it, so both module
//                    systems share one copy
//   workerd.js       Cloudflare Workers: one ES module bundle that imports the .wasm
//   cli.mjs, cli/**  the gitpod-prebuilds command (package.json "bin"), on node.mjs
//   sim.js, sim/**   gitpod-prebuilds/sim: the simulator in-process (sim/core.js), its
//                    own wasm in sim/ (loaded only by the sim entries: nothing the
//                    client imports reaches it)
//   sim-workerd.js   gitpod-prebuilds/sim in Cloudflare Workers: sim/core.js with the
//                    .wasm imported as a module (nothing it imports refers to node:fs)
import { copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, transform } from "esbuild";

const [raw, wasm, outArg, simRaw] = process.argv.slice(2);
if (!raw || !wasm || !outArg || !simRaw) {
  console.error("usage: assemble.mjs <wasm-bindgen-out-dir> <optimized.wasm> <pkg-dir> <sim-wasm-bindgen-out-dir>");
  process.exit(2);
}
const out = resolve(outArg);
const template = dirname(fileURLToPath(import.meta.url));
const root = join(template, "..");

/** Every file under `dir`, as paths relative to `base`. */
const walk = (dir, base = dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path, base) : [relative(base, path)];
  });

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
copyFileSync(join(raw, "gitpod_prebuilds.js"), join(out, "gitpod_prebuilds.js"));
copyFileSync(wasm, join(out, "gitpod_prebuilds_bg.wasm"));
cpSync(join(raw, "snippets"), join(out, "snippets"), { recursive: true });
const snippets = walk(join(out, "snippets")).filter((f) => f.endsWith(".js")).map((f) => join("snippets", f));
for (const f of ["client.js", "index.js", "index.d.ts", "gitpod_prebuilds_bg.wasm.d.ts", "package.json", "README.md"]) {
  copyFileSync(join(template, f), join(out, f));
}
copyFileSync(join(template, "index.d.ts"), join(out, "index.d.cts"));
// The gitpod-prebuilds command: Node only, copied as written (not minified: its
// `#!/usr/bin/env node` line must stay first, and nothing downloads it per page view).
copyFileSync(join(template, "cli.mjs"), join(out, "cli.mjs"));
cpSync(join(template, "cli"), join(out, "cli"), { recursive: true });
copyFileSync(join(root, "LICENSE"), join(out, "LICENSE"));

// The error classes live in a wasm-bindgen snippet (the Rust side creates them);
// re-export that very module so `instanceof` holds for users.
const errors = snippets.find((f) => f.endsWith("/src/wasm/errors.js"));
if (!errors) throw new Error(`no src/wasm/errors.js among the snippets: ${snippets.join(", ")}`);
writeFileSync(join(out, "errors.js"), `export * from "./${errors}";\n`);

// The inlined copies of the wasm. For browsers whose bundler did not emit the .wasm:
// gzipped first (base64 of the gzip is about as large as the gzipped .wasm, and
// compresses little further), inflated by DecompressionStream. For Node: plain base64
// in a CommonJS module of its own (node.cjs requires it): decoding it takes a
// fraction of a millisecond where gunzip would take several, and Node's ESM loader
// does not scan a required file for exports.
const bytes = readFileSync(wasm);
writeFileSync(
  join(out, "wasm-inline.js"),
  "// gitpod_prebuilds_bg.wasm, gzipped and base64-encoded.\n" +
    `export const base64 = "${gzipSync(bytes, { level: 9 }).toString("base64")}";\n` +
    "/** The wasm as a Response that init() can instantiate while it streams. */\n" +
    "export default () =>\n" +
    '  new Response(new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))]).stream().pipeThrough(new DecompressionStream("gzip")), {\n' +
    '    headers: { "content-type": "application/wasm" },\n' +
    "  });\n",
);
writeFileSync(
  join(out, "wasm-base64.cjs"),
  `// gitpod_prebuilds_bg.wasm, base64-encoded (for node.cjs).\nexports.base64 = "${bytes.toString("base64")}";\n`,
);

// How the bundled entries treat the wasm: the browser's inlined copy is left out (they
// instantiate the wasm before anything could ask for it); Node's base64 copy and the
// .wasm itself stay separate files, imported by their relative paths.
const wasmFiles = {
  name: "wasm-files",
  setup(b) {
    b.onResolve({ filter: /^\.\/wasm-inline\.js$/ }, () => ({ path: "wasm-inline", namespace: "stub" }));
    b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
      contents: 'export default () => { throw new Error("this entry has no inlined wasm"); };',
    }));
    b.onResolve({ filter: /^\.\/(wasm-base64\.cjs|gitpod_prebuilds_bg\.wasm)$/ }, (a) => ({ path: a.path, external: true }));
  },
};

// The bundled entries, made from the template's sources.
const entry = (name) => {
  const path = join(out, `.${name}`);
  copyFileSync(join(template, name), path);
  return path;
};
const nodeEntry = entry("node-entry.js");
const workerdEntry = entry("workerd-entry.js");

// node.cjs: CommonJS, so that require() works in every Node version; the wasm inlined.
// `import.meta.url` is only read where the glue looks for the .wasm by URL, which this
// entry never does (it instantiates the inlined copy first): defined away so that no
// bundler sees a file URL to rewrite. module.exports ends as a plain object (no
// __esModule marker), so that every bundler's `import m from "./node.cjs"` in node.mjs
// gives the exports themselves.
await build({
  entryPoints: [nodeEntry],
  outfile: join(out, "node.cjs"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node18",
  define: { "import.meta.url": "undefined", ENV: "true" },
  plugins: [wasmFiles],
  footer: { js: "module.exports = { ...module.exports };" },
  minify: true, // less for an ESM loader to scan for export names when it imports this
  legalComments: "none",
  logLevel: "warning",
});
const names = Object.keys(createRequire(import.meta.url)(join(out, "node.cjs"))).sort();
if (!names.includes("PrebuildClient") || !names.includes("ValidationError")) throw new Error(`node.cjs exports ${names}`);
// Both re-export node.cjs, so that `import` and `require` in one process share one copy
// of the package (one set of error classes for `instanceof`, one wasm instance).
const reexport = `export const {\n  ${names.join(",\n  ")},\n} = cjs;\n`;
// node.mjs, for Node, Deno and Bun at run time: node.cjs through require(). An `import`
// of CommonJS makes Node's ESM loader start its export-name scanner and run it over the
// file: about 8 ms of a cold start, as much as the rest of loading the package.
writeFileSync(
  join(out, "node.mjs"),
  `// The Node entry for \`import\`: node.cjs's exports, loaded through require() (faster than\n` +
    `// an ESM import of CommonJS), so that \`import\` and \`require\` share one copy of the package.\n` +
    `import { createRequire } from "node:module";\n\nconst cjs = createRequire(import.meta.url)("./node.cjs");\n\n` +
    reexport,
);
// node-module.mjs, for bundlers that build for Node (esbuild, webpack, Next.js: the
// "module" condition, which Node itself never matches): a static import they can follow.
writeFileSync(
  join(out, "node-module.mjs"),
  `// The Node entry for bundlers: node.cjs's exports through a static import they follow, so\n` +
    `// that \`import\` and \`require\` in one bundle share one copy of the package.\n` +
    `import cjs from "./node.cjs";\n\n` +
    reexport,
);

// workerd.js: an ES module; the .wasm import stays for Workers tooling to compile
// (Workers cannot compile bytes at run time, so no inlined copy would help).
await build({
  entryPoints: [workerdEntry],
  outfile: join(out, "workerd.js"),
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  define: { ENV: "false" },
  plugins: [wasmFiles],
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
rmSync(nodeEntry);
rmSync(workerdEntry);

// What a browser downloads is minified (ES modules stay ES modules; the error classes
// carry their names on their prototypes, so renaming is harmless): every snippet that
// wasm-bindgen wrote, whatever their names.
const shipped = ["gitpod_prebuilds.js", "client.js", "index.js", "wasm-inline.js", ...snippets];
for (const f of shipped) {
  const path = join(out, f);
  const { code } = await transform(readFileSync(path, "utf8"), {
    minify: true,
    treeShaking: true,
    format: "esm",
    target: "es2022",
    define: { ENV: "false" },
  });
  writeFileSync(path, code);
}
// gitpod-prebuilds/sim: its two entries, sim.js and sim-workerd.js (export condition
// "workerd"), on one implementation, sim/core.js, beside its glue and wasm in sim/ (the
// wasm as wasm-opt left it in <sim-raw>/optimized.wasm). ES modules, not bundled, and
// minified like the client's files, except sim.js: minifying would inline its variable
// module name and drop the bundler hints, leaving a literal `import("node:fs/promises")`
// for browser bundlers to trip on. Nothing the client imports refers to them.
mkdirSync(join(out, "sim"));
copyFileSync(join(simRaw, "optimized.wasm"), join(out, "sim", "prebuild_sim_bg.wasm"));
for (const [from, to] of [
  [join(simRaw, "prebuild_sim.js"), join(out, "sim", "prebuild_sim.js")],
  [join(template, "sim-core.js"), join(out, "sim", "core.js")],
  [join(template, "sim-workerd.js"), join(out, "sim-workerd.js")],
]) {
  const { code } = await transform(readFileSync(from, "utf8"), { minify: true, format: "esm", target: "es2022" });
  writeFileSync(to, code);
}
copyFileSync(join(template, "sim.js"), join(out, "sim.js"));
copyFileSync(join(template, "sim.d.ts"), join(out, "sim.d.ts"));
console.log(`assembled ${out}`);
