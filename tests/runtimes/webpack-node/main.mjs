// A Node program bundled by webpack 5 (`target: "node"`), run from its output directory
// with no node_modules and no .wasm beside it.
import * as pkg from "gitpod-prebuilds";
import { check } from "../shared/check.mjs";
import { report, sim } from "../shared/report.mjs";

report(() => check(pkg, { baseUrl: `${sim}/api` }));
