// A page bundled by webpack 5 (`webpack --config webpack.config.mjs`): webpack emits the
// .wasm that `new URL(..., import.meta.url)` names as an asset.
import { start } from "../shared/browser.mjs";

start();
