// Transfer size of what a browser loads for the package: the ES modules reachable from
// index.js (as esbuild resolves them), plus the wasm the glue fetches next to itself.
// Not wasm-inline.js: client.js imports that copy of the wasm only when the .wasm
// cannot be loaded (a bundler that emits no .wasm), so a browser loads one or the other.
import { readFileSync, existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import zlib from "node:zlib";

export const gzip = (buf) => zlib.gzipSync(buf, { level: 9 }).length;
export const brotli = (buf) =>
  zlib.brotliCompressSync(buf, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_LGWIN]: zlib.constants.BROTLI_MAX_WINDOW_BITS,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
    },
  }).length;
const measure = (buf) => ({ raw: buf.length, gzip: gzip(buf), brotli: brotli(buf) });

/** esbuild plugin: the inlined wasm stays out (see above), as a chunk a bundler splits off. */
const withoutInlinedWasm = {
  name: "without-inlined-wasm",
  setup(b) {
    b.onResolve({ filter: /\/wasm-inline\.js$/ }, (a) => ({ path: a.path, external: true }));
  },
};

/** The files reachable from `entry` through static and dynamic imports (esbuild's metafile). */
async function moduleGraph(entry) {
  const esbuild = await import("esbuild");
  const out = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    platform: "browser",
    logLevel: "silent",
    absWorkingDir: dirname(entry),
    plugins: [withoutInlinedWasm],
  });
  // The metafile lists dependencies first: reversed, the entry comes first.
  return Object.keys(out.metafile.inputs).map((f) => resolve(dirname(entry), f)).reverse();
}

/** Sizes per file and totals. `glue` is the wasm-bindgen JS (gitpod_prebuilds.js). */
export async function packageSizes(pkgDir) {
  const js = await moduleGraph(resolve(pkgDir, "index.js"));
  const wasm = resolve(pkgDir, "gitpod_prebuilds_bg.wasm");
  if (!existsSync(wasm)) throw new Error(`${wasm} is missing: run make pkg`);
  const files = [...js, wasm].map((f) => ({ file: relative(pkgDir, f), ...measure(readFileSync(f)) }));
  const sum = (list) => ({
    raw: list.reduce((a, f) => a + f.raw, 0),
    gzip: list.reduce((a, f) => a + f.gzip, 0),
    brotli: list.reduce((a, f) => a + f.brotli, 0),
  });
  const wasmGlue = files.filter((f) => f.file === "gitpod_prebuilds_bg.wasm" || f.file === "gitpod_prebuilds.js");
  return { files, wasmPlusGlue: sum(wasmGlue), allFiles: sum(files) };
}

/** esbuild --bundle --minify --platform=browser of `entry` (or of `contents`), as one ES module. */
export async function bundleSize(opts) {
  const esbuild = await import("esbuild");
  const out = await esbuild.build({
    ...opts,
    bundle: true,
    minify: true,
    platform: "browser",
    format: "esm",
    write: false,
    logLevel: "silent",
  });
  return measure(Buffer.from(out.outputFiles[0].contents));
}

/**
 * Our JS bundled and minified as a bundler user would ship it, plus the wasm beside it
 * (a bundler that emits the .wasm: the inlined copy is a chunk it never loads).
 */
export async function ourBundle(pkgDir) {
  const jsBundle = await bundleSize({ entryPoints: [join(pkgDir, "index.js")], plugins: [withoutInlinedWasm] });
  const wasm = measure(readFileSync(join(pkgDir, "gitpod_prebuilds_bg.wasm")));
  return {
    js: jsBundle,
    wasm,
    total: { raw: jsBundle.raw + wasm.raw, gzip: jsBundle.gzip + wasm.gzip, brotli: jsBundle.brotli + wasm.brotli },
  };
}

/** @gitpod/sdk 0.6.0 bundled for a script that calls one method and walks one list. */
export async function peerBundle(rootDir) {
  return bundleSize({
    stdin: {
      contents: `import Gitpod from "@gitpod/sdk";
import { AbstractPage } from "@gitpod/sdk/core/pagination.mjs";
class PrebuildsPage extends AbstractPage {
  getPaginatedItems() { return this.body.prebuilds ?? []; }
  nextPageRequestOptions() { const t = this.body.pagination?.nextToken; return t ? { ...this.options, query: { ...this.options.query, token: t } } : null; }
}
export const client = new Gitpod({ bearerToken: "x" });
export const get = (prebuildId) => client.post("/gitpod.v1.PrebuildService/GetPrebuild", { body: { prebuildId } });
export const list = () => client.getAPIList("/gitpod.v1.PrebuildService/ListPrebuilds", PrebuildsPage, { method: "post", body: {} });
`,
      resolveDir: rootDir,
      loader: "js",
    },
  });
}
