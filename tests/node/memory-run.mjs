// Run by memory.test.mjs as `node --expose-gc memory-run.mjs SIM_URL CALLS`: makes
// CALLS calls on one client (successes of several methods and every kind of error, a
// few at a time), and prints one JSON line with the wasm memory, the externref table
// and the JS heap before and after, each measured after a full GC.
import { readFileSync } from "node:fs";
import * as pkg from "../../pkg/index.js";
import { initSync } from "../../pkg/gitpod_prebuilds.js";

const [simUrl, callsArg, concurrencyArg] = process.argv.slice(2);
const CALLS = Number(callsArg ?? 10_000);
const CONCURRENCY = Number(concurrencyArg ?? 8);
if (typeof globalThis.gc !== "function") throw new Error("run with --expose-gc");

// The package's ES modules (the code node.cjs bundles) with the wasm given to the glue's
// initSync, which hands back the instance's exports: the memory to measure.
const wasm = initSync({ module: readFileSync(new URL("../../pkg/gitpod_prebuilds_bg.wasm", import.meta.url)) });
const info = await (await fetch(`${simUrl}/_sim/info`)).json();
const client = new pkg.PrebuildClient({ baseUrl: `${simUrl}/api`, token: "memory", maxRetries: 0 });
const missing = "00000000-0000-4000-8000-000000000000";
const { prebuilds } = await client.listPrebuilds({ pageSize: 20 });

// Each kind of call, so no path can leak unseen: answers of several shapes, a 404,
// a validation error, a 503, a body that is not JSON, a timeout.
const kinds = [
  () => client.getPrebuild({ prebuildId: prebuilds[0].id }),
  () => client.listPrebuilds({ pageSize: 25 }),
  () => client.listWarmPools({ filter: { projectIds: [info.projects[0].id] } }),
  () => client.createPrebuildLogsToken({ prebuildId: prebuilds[1].id }),
  () => client.getPrebuild({ prebuildId: missing }),
  () => client.getPrebuild({ prebuildId: "not-a-uuid" }),
  () => client.listPrebuilds({}, { headers: { "x-sim-fault": "503" } }),
  () => client.listPrebuilds({}, { headers: { "x-sim-fault": "malformed" } }),
  () => client.getWarmPool({ warmPoolId: missing }, { timeoutMs: 1, headers: { "x-sim-fault": "delay=50" } }),
];

let done = 0;
const outcomes = {};
async function run(n) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const r = await kinds[i % kinds.length]().then(() => "ok", (e) => e.name);
      outcomes[r] = (outcomes[r] ?? 0) + 1;
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

async function measure() {
  // Let timers and sockets of finished calls settle, collect fully (more than once:
  // a pass can leave finalisation work to the next), and take the least of three
  // readings: the heap's floor, without what happens to be in flight.
  let heapUsed = Infinity;
  for (let round = 0; round < 3; round++) {
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 2; i++) {
      gc();
      await new Promise((r) => setImmediate(r));
    }
    heapUsed = Math.min(heapUsed, process.memoryUsage().heapUsed);
  }
  const m = process.memoryUsage();
  return {
    wasmMemory: wasm.memory.buffer.byteLength,
    externrefs: wasm.__wbindgen_externrefs?.length ?? null,
    heapUsed,
    arrayBuffers: m.arrayBuffers,
    rss: m.rss,
  };
}

// Warm up: the allocator, the connection pool and the JIT reach their steady state.
await run(3_000);
const before = await measure();
done = 0;
for (const k of Object.keys(outcomes)) delete outcomes[k];
const t0 = performance.now();
await run(CALLS);
const seconds = (performance.now() - t0) / 1000;
const after = await measure();
console.log(JSON.stringify({ calls: done, seconds, outcomes, before, after }));
