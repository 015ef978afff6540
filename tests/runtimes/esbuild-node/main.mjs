// A Node program bundled by esbuild (`esbuild main.mjs --bundle --platform=node`, as
// CommonJS and as an ES module), run from its output directory with no node_modules
// and no .wasm beside it.
import * as pkg from "gitpod-prebuilds";
import { check } from "../shared/check.mjs";
import { report, sim } from "../shared/report.mjs";

report(() => check(pkg, { baseUrl: `${sim}/api` }));
