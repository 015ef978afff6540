// A page bundled by esbuild (`esbuild main.js --bundle --format=esm`), with no loader or
// option for the package: esbuild emits no .wasm asset.
import { start } from "../shared/browser.mjs";

start();
