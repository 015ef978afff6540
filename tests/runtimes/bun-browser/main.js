// A page bundled by Bun (`bun build main.js --target=browser`), with no option for the
// package: bun build emits no .wasm asset.
import { start } from "../shared/browser.mjs";

start();
