// The simulator entry (gitpod-prebuilds/sim) in a fresh Node process (spawned by
// run.mjs): node bench/sim-child.mjs PKG_DIR CALLS. Prints one JSON line:
//   start        ms from before `await import(sim.js)` to `createSimulator()` resolved
//   firstCall    ms from the same start to the first getPrebuild answered through sim.fetch
//   perSecond    getPrebuild calls per second through PrebuildClient + sim.fetch, CALLS
//                sequential calls after 200 of warm-up (the client's own work included)
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const [pkgDir, calls] = process.argv.slice(2);
const t0 = performance.now();
const { createSimulator } = await import(pathToFileURL(join(pkgDir, "sim.js")).href);
const sim = await createSimulator({ seed: 7, clock: "manual" });
const t1 = performance.now();
const { PrebuildClient } = await import(pathToFileURL(join(pkgDir, "node.mjs")).href);
const client = new PrebuildClient({ baseUrl: sim.baseUrl, token: sim.token, fetch: sim.fetch });
const first = (await client.listPrebuilds({ pageSize: 1 })).prebuilds[0].id;
await client.getPrebuild({ prebuildId: first });
const t2 = performance.now();
for (let i = 0; i < 200; i += 1) await client.getPrebuild({ prebuildId: first });
const n = Number(calls);
const t3 = performance.now();
for (let i = 0; i < n; i += 1) await client.getPrebuild({ prebuildId: first });
const t4 = performance.now();
sim.close();
console.log(JSON.stringify({ start: t1 - t0, firstCall: t2 - t0, perSecond: (n * 1000) / (t4 - t3) }));
