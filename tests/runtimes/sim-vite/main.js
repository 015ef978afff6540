// gitpod-prebuilds/sim in a page built by Vite 8 (`vite build`, served by `vite
// preview`): nothing about the package in the config. Vite emits the simulator's .wasm
// (sim/prebuild_sim_bg.wasm) as an asset, which sim.js fetches.
import { startSim } from "../shared/sim-browser.mjs";

startSim();
