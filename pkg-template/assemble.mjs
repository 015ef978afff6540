// Assembles the npm package in pkg/ from the wasm-bindgen output and this template.
// Usage: node pkg-template/assemble.mjs <wasm-bindgen-out-dir> <optimized.wasm> <pkg-dir>
// (Build tool only: not part of the published package.)
import { cpSync, copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, transform } from "esbuild";

const [raw, wasm, out] = process.argv.slice(2);
if (!raw || !wasm || !out) {
  console.error("usage: assemble.mjs <wasm-bindgen-out-dir> <optimized.wasm> <pkg-dir>");
  process.exit(2);
}
const template = dirname(fileURLToPath(import.meta.url));
const root = join(template, "..");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
copyFileSync(join(raw, "gitpod_prebuilds.js"), join(out, "gitpod_prebuilds.js"));
copyFileSync(wasm, join(out, "gitpod_prebuilds_bg.wasm"));
cpSync(join(raw, "snippets"), join(out, "snippets"), { recursive: true });
for (const f of ["client.js", "index.js", "node.mjs", "index.d.ts", "package.json", "README.md"]) {
  copyFileSync(join(template, f), join(out, f));
}
copyFileSync(join(template, "index.d.ts"), join(out, "index.d.cts"));
copyFileSync(join(root, "LICENSE"), join(out, "LICENSE"));

// The error classes live in a wasm-bindgen snippet (the Rust side creates them);
// re-export that very module so `instanceof` holds for users.
const [snippet] = readdirSync(join(out, "snippets"));
writeFileSync(join(out, "errors.js"), `export * from "./snippets/${snippet}/src/wasm/errors.js";\n`);

// What a browser downloads is minified (ES modules stay ES modules; the error classes
// carry their names on their prototypes, so renaming is harmless).
const snippetFiles = readdirSync(join(out, "snippets"), { recursive: true })
  .filter((f) => f.endsWith(".js"))
  .map((f) => join("snippets", f));
const shipped = ["gitpod_prebuilds.js", "client.js", "index.js", ...snippetFiles];
for (const f of shipped) {
  const path = join(out, f);
  const { code } = await transform(readFileSync(path, "utf8"), { minify: true, format: "esm", target: "es2022" });
  writeFileSync(path, code);
}

// CommonJS for require(): the ESM Node entry bundled, with import.meta.url shimmed.
const shim = join(out, ".import-meta-url.js");
writeFileSync(shim, 'export const importMetaUrl = require("node:url").pathToFileURL(__filename).href;\n');
await build({
  entryPoints: [join(out, "node.mjs")],
  outfile: join(out, "node.cjs"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node18",
  inject: [shim],
  define: { "import.meta.url": "importMetaUrl" },
  logLevel: "warning",
});
rmSync(shim);
console.log(`assembled ${out}`);
