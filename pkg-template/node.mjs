// Entry for Node (ESM): the wasm is read from disk and instantiated at import, so the
// first call does not wait.
import { readFileSync } from "node:fs";
import { initSync } from "./gitpod_prebuilds.js";

initSync({ module: readFileSync(new URL("./gitpod_prebuilds_bg.wasm", import.meta.url)) });

export * from "./client.js";
