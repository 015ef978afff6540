// Memory: 10,000 calls in one Node process (every kind of success and error, a few at
// a time) leave the wasm linear memory, its table of JS references and the JS heap
// flat. Runs memory-run.mjs in a child `node --expose-gc` (the test runner's own
// process cannot collect on demand) and prints the figures.
//
// MEMORY_CALLS (default 10,000) sets the number of calls; `make soak` runs 100,000.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { startSim } from "./sim.mjs";

const CALLS = Number(process.env.MEMORY_CALLS ?? 10_000);
const LIMIT = 1024 * 1024;
let sim;
before(async () => {
  sim = await startSim(["--tick-ms", "86400000"]);
});
after(() => sim?.stop());

const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const signedKb = (n) => `${n >= 0 ? "+" : ""}${(n / 1024).toFixed(0)} KB`;

test(`${CALLS} calls leave wasm memory and the JS heap flat (growth under 1 MB after GC)`, async () => {
  const script = fileURLToPath(new URL("./memory-run.mjs", import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", script, sim.url, String(CALLS)], {
    maxBuffer: 1 << 20,
    timeout: 10 * 60_000,
  });
  const r = JSON.parse(stdout.trim().split("\n").at(-1));
  assert.equal(r.calls, CALLS);
  // Every kind of call ran, successes and errors alike.
  for (const kind of ["ok", "NotFoundError", "ValidationError", "InternalServerError", "ResponseDecodeError", "APIConnectionTimeoutError"]) {
    assert.ok(r.outcomes[kind] > 0, `${kind}: ${JSON.stringify(r.outcomes)}`);
  }
  const wasmGrowth = r.after.wasmMemory - r.before.wasmMemory;
  const heapGrowth = r.after.heapUsed - r.before.heapUsed;
  console.log(
    `memory: ${CALLS} calls in ${r.seconds.toFixed(1)} s (${JSON.stringify(r.outcomes)}); ` +
      `wasm memory ${kb(r.before.wasmMemory)} -> ${kb(r.after.wasmMemory)} (${signedKb(wasmGrowth)}), ` +
      `JS references held by wasm ${r.before.externrefs} -> ${r.after.externrefs} table slots, ` +
      `JS heap after GC ${kb(r.before.heapUsed)} -> ${kb(r.after.heapUsed)} (${signedKb(heapGrowth)}), ` +
      `array buffers ${kb(r.before.arrayBuffers)} -> ${kb(r.after.arrayBuffers)}, rss ${kb(r.before.rss)} -> ${kb(r.after.rss)}`,
  );
  assert.ok(wasmGrowth < LIMIT, `wasm memory grew by ${wasmGrowth} bytes`);
  assert.ok(heapGrowth < LIMIT, `the JS heap grew by ${heapGrowth} bytes`);
  if (r.before.externrefs !== null) {
    assert.ok(r.after.externrefs - r.before.externrefs < 64, "the wasm side keeps no JS values alive");
  }
});
