// The sim rows' script (sim-check.mjs) in a page, as a bundler builds it: both entries
// imported as a user would, gitpod-prebuilds/sim fetching its .wasm from wherever the
// bundler put it. startSim() puts the result (or the error) in window.__result and into
// the page.
import { PrebuildClient } from "gitpod-prebuilds";
import { createSimulator } from "gitpod-prebuilds/sim";
import { simCheck } from "./sim-check.mjs";
import { showResult } from "./page-result.mjs";

export function startSim() {
  return showResult(simCheck({ createSimulator, PrebuildClient }));
}
