// The simulator in this page (the static build, see config.js): gitpod-prebuilds/sim
// with a real clock, so prebuilds and warm pools move on their own as with the binary.
// Requests to its origin (the API, /_sim/*, the logs at status.logUrl) are answered by
// its fetch; every other URL goes to the network as usual.
//
// The page's query string can set the simulator's options: ?seed=2&tick-ms=100&fault-rate=0.2

import { IN_PAGE_SIM } from "./config.js";

/** The API base URL of the in-page simulator (gitpod-prebuilds/sim's fixed origin). */
export const PAGE_SIM_BASE_URL = "http://prebuild-sim.localhost/api";

const SIM_URL = new URL("../pkg/sim.js", import.meta.url).href;
const PARAMS = { seed: "seed", "tick-ms": "tickMs", "fault-rate": "faultRate", "commit-share": "commitShare", prebuilds: "prebuilds" };

let sim = null;
let starting = null;

/** The simulator's options from the page's query string (numbers only; others are ignored). */
function optionsFromQuery() {
  const options = {};
  const query = new URLSearchParams(location.search);
  for (const [param, key] of Object.entries(PARAMS)) {
    const raw = query.get(param);
    if (raw === null || raw.trim() === "") continue;
    const n = Number(raw);
    if (Number.isFinite(n)) options[key] = n;
  }
  return options;
}

/** Starts the in-page simulator once (nothing unless this is the static build). */
export function startPageSim() {
  if (!IN_PAGE_SIM) return Promise.resolve(null);
  starting ??= import(SIM_URL)
    .then(({ createSimulator }) => createSimulator({ ...optionsFromQuery(), clock: "real" }))
    .then((s) => {
      if (new URL(s.baseUrl).origin !== new URL(PAGE_SIM_BASE_URL).origin) throw new Error(`the in-page simulator answers at ${s.baseUrl}`);
      sim = s;
      return s;
    })
    .catch((err) => {
      throw Object.assign(new Error(`The simulator could not start in this page: ${err?.message ?? err}`, { cause: err }), { pageSim: true });
    });
  return starting;
}

/** Whether the in-page simulator answers `url` (an absolute URL). */
export function servedByPageSim(url) {
  if (!IN_PAGE_SIM) return false;
  try {
    return new URL(url).origin === new URL(PAGE_SIM_BASE_URL).origin;
  } catch {
    return false;
  }
}

/** fetch: the in-page simulator for its origin, the network otherwise. */
export async function pageFetch(input, init) {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (!servedByPageSim(new URL(url, location.href).href)) return globalThis.fetch(input, init);
  const s = sim ?? (await startPageSim());
  return s.fetch(input, init);
}
