// A page bundled by esbuild with the .wasm kept as a file of its own, the one line the
// README gives for that: esbuild's `file` loader for .wasm, and its URL passed to init()
// (`esbuild main.js --bundle --format=esm --loader:.wasm=file`).
import { init } from "gitpod-prebuilds";
import wasmUrl from "gitpod-prebuilds/gitpod_prebuilds_bg.wasm";
import { start } from "../shared/browser.mjs";

init(wasmUrl);
start();
