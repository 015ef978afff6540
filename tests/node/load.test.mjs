// Load under faults: one client, many concurrent calls of mixed methods against a
// simulator that fails a share of API calls (--fault-rate: 503, 429 or a TCP reset).
// A counting fetch records every attempt of every call; the simulator's /_sim/stats
// counts what it injected and served. Checked: every call settles once with the answer
// to its own request; a call fails only when all 1 + maxRetries attempts were faulted,
// or, for createPrebuild, at its first reset (not retried: the client cannot tell
// whether the server acted, and says `mayHaveBeenCreated`); each call's attempts are
// 1 + the faults it met; the client's totals equal the simulator's; nothing was served
// twice. Prints calls, faults, retries, failures and latency percentiles.
//
// LOAD_CALLS (default 300) calls at once, LOAD_ROUNDS (default 1) times, LOAD_FAULT_RATE
// (default 0.2). `make soak` runs 1,000 calls x 10 rounds.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSim, requestOf } from "./sim.mjs";
import * as pkg from "../../pkg/node.mjs";

const CALLS = Number(process.env.LOAD_CALLS ?? 300);
const ROUNDS = Number(process.env.LOAD_ROUNDS ?? 1);
const FAULT_RATE = Number(process.env.LOAD_FAULT_RATE ?? 0.2);
const MAX_RETRIES = 2;
const TOKEN = "load-test-token";

let sim;
before(async () => {
  // A clock that does not move: every call's outcome depends on faults alone.
  sim = await startSim(["--fault-rate", String(FAULT_RATE), "--tick-ms", "86400000", "--token", TOKEN]);
});
after(() => sim?.stop());

const stats = async () => (await fetch(`${sim.url}/_sim/stats`)).json();

/** Ids to work on, found through the faulty API with a patient client. */
async function targets() {
  const c = new pkg.PrebuildClient({ baseUrl: `${sim.url}/api`, token: TOKEN, maxRetries: 10 });
  const project = sim.info.projects.find((p) => p.prebuildsEnabled);
  const { prebuilds: finished } = await c.listPrebuilds({ pageSize: 50, filter: { phases: ["PREBUILD_PHASE_COMPLETED"] } });
  const { prebuilds: running } = await c.listPrebuilds({
    pageSize: 50,
    filter: { phases: ["PREBUILD_PHASE_PENDING", "PREBUILD_PHASE_STARTING", "PREBUILD_PHASE_RUNNING"] },
  });
  const { warmPools } = await c.listWarmPools({ pageSize: 100 });
  const ready = warmPools.filter((w) => w.status.phase === "WARM_POOL_PHASE_READY");
  assert.ok(finished.length >= 10 && running.length >= 3 && ready.length >= 1, "the seed has what the mix needs");
  return { project, finished, running, ready };
}

/** The mix: a call to make for call number i, and how to check its answer. */
function mix(t) {
  const pick = (list, i) => list[i % list.length];
  return [
    ["getPrebuild", (i) => ({ prebuildId: pick(t.finished, i).id }), (r, p) => assert.equal(r.prebuild.id, p.prebuildId)],
    ["listPrebuilds", (i) => ({ pageSize: 1 + (i % 7) }), (r, p) => assert.equal(r.prebuilds.length, p.pageSize)],
    ["createPrebuild", () => ({ projectId: t.project.id, spec: { timeout: "1800s" } }), (r, p) => {
      assert.equal(r.prebuild.metadata.projectId, p.projectId);
      assert.equal(r.prebuild.spec.timeout, "1800s");
    }],
    ["cancelPrebuild", (i) => ({ prebuildId: pick(t.running, i).id }), (r, p) => {
      assert.equal(r.prebuild.id, p.prebuildId);
      assert.equal(r.prebuild.status.phase, "PREBUILD_PHASE_CANCELLING");
    }],
    ["createPrebuildLogsToken", (i) => ({ prebuildId: pick(t.finished, i).id }), (r) => assert.match(r.accessToken, /^simlogs\./)],
    ["getWarmPool", (i) => ({ warmPoolId: pick(t.ready, i).id }), (r, p) => assert.equal(r.warmPool.id, p.warmPoolId)],
    ["listWarmPools", () => ({ pageSize: 3 }), (r) => assert.equal(r.warmPools.length, 3)],
    ["updateWarmPool", (i) => ({ warmPoolId: pick(t.ready, i).id, minSize: 0, maxSize: 20 }), (r, p) => {
      assert.equal(r.warmPool.id, p.warmPoolId);
      assert.equal(r.warmPool.spec.maxSize, 20);
    }],
  ];
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

test(`load: ${CALLS} concurrent calls x ${ROUNDS} round(s) on one client, fault rate ${FAULT_RATE}`, async () => {
  const t = await targets();
  const methods = mix(t);
  assert.equal((await fetch(`${sim.url}/_sim/reset`, { method: "POST" })).status, 200, "state and counters back to zero");
  const zero = await stats();
  assert.equal(zero.requests, 0);

  // Every attempt, by call: "ok", "503", "429", "reset", or something unexpected.
  const attempts = new Map();
  // Written against the global fetch's signature: the client passes one Request.
  const countingFetch = async (input, init) => {
    const id = requestOf(input, init).headers.get("x-load-call");
    const list = attempts.get(id);
    try {
      const res = await fetch(input, init);
      list.push(res.status === 200 ? "ok" : String(res.status));
      return res;
    } catch (e) {
      list.push(e?.cause?.code === "ECONNRESET" || /reset|socket|closed|terminated/i.test(String(e?.cause?.message ?? e)) ? "reset" : `other:${e?.cause?.code ?? e}`);
      throw e;
    }
  };
  const client = new pkg.PrebuildClient({ baseUrl: `${sim.url}/api`, token: TOKEN, maxRetries: MAX_RETRIES, fetch: countingFetch });

  const outcomes = [];
  const latencies = [];
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    const calls = Array.from({ length: CALLS }, (_, k) => {
      const i = round * CALLS + k;
      const [method, params, check] = methods[i % methods.length];
      const id = String(i);
      attempts.set(id, []);
      const p = params(i);
      const t0 = performance.now();
      let settled = 0;
      return client[method](p, { headers: { "x-load-call": id } }).then(
        (value) => ({ id, method, p, check, value, settled: ++settled, ms: performance.now() - t0 }),
        (error) => ({ id, method, p, check, error, settled: ++settled, ms: performance.now() - t0 }),
      );
    });
    outcomes.push(...(await Promise.all(calls)));
  }
  const seconds = (performance.now() - started) / 1000;

  const total = CALLS * ROUNDS;
  assert.equal(outcomes.length, total, "every call settled");
  assert.equal(new Set(outcomes.map((o) => o.id)).size, total, "each call answered once");
  const tally = { ok: 0, 503: 0, 429: 0, reset: 0 };
  let failures = 0;
  let createResets = 0;
  const createdOk = new Set();
  for (const o of outcomes) {
    latencies.push(o.ms);
    const seen = attempts.get(o.id);
    for (const a of seen) {
      assert.ok(a in tally, `call ${o.id} (${o.method}): an attempt that is neither an answer nor an injected fault: ${a}`);
      tally[a] += 1;
    }
    const faults = seen.filter((a) => a !== "ok").length;
    if (o.error) {
      failures += 1;
      const last = seen.at(-1);
      assert.equal(faults, seen.length, `call ${o.id} failed though an attempt was answered: ${seen}`);
      if (o.method === "createPrebuild" && last === "reset") {
        // A reset may come after the server acted: a create is not retried after one.
        createResets += 1;
        assert.equal(o.error.mayHaveBeenCreated, true, `call ${o.id}: ${o.error.message}`);
        assert.ok(!seen.slice(0, -1).includes("reset"), `call ${o.id}: retried after a reset: ${seen}`);
      } else {
        // Any other call fails only when every attempt was a fault, with the last fault's class.
        assert.equal(seen.length, MAX_RETRIES + 1, `call ${o.id} failed after ${seen.length} attempts: ${o.error.name} ${o.error.message}`);
        assert.equal(o.error.mayHaveBeenCreated, undefined, `call ${o.id}`);
      }
      const want = { 503: pkg.InternalServerError, 429: pkg.RateLimitError, reset: pkg.APIConnectionError }[last];
      assert.ok(o.error instanceof want, `call ${o.id}: ${o.error.name} after ${last}`);
    } else {
      assert.equal(seen.at(-1), "ok", `call ${o.id}: the last attempt was answered`);
      assert.equal(seen.length, 1 + faults, `call ${o.id}: attempts = 1 + faults (${seen})`);
      assert.ok(faults <= MAX_RETRIES);
      o.check(o.value, o.p);
      if (o.method === "createPrebuild") createdOk.add(o.value.prebuild.id);
    }
  }
  const s = await stats();
  const attemptsTotal = [...attempts.values()].reduce((n, a) => n + a.length, 0);
  const faultsTotal = tally[503] + tally[429] + tally.reset;
  // What the client saw is what the simulator did.
  assert.equal(s.requests, attemptsTotal, "every attempt reached the simulator once");
  assert.equal(s.faults["503"] ?? 0, tally[503], "503s injected = 503s seen");
  assert.equal(s.faults["429"] ?? 0, tally[429], "429s injected = 429s seen");
  assert.equal(s.faults.reset ?? 0, tally.reset, "resets injected = connection errors seen");
  assert.equal(s.faultCount, faultsTotal);
  assert.equal(s.served, tally.ok, "served = answered attempts");
  assert.equal(s.served, total - failures, "each successful call was served exactly once");
  const createCalls = outcomes.filter((o) => o.method === "createPrebuild" && !o.error).length;
  assert.equal(s.methods.CreatePrebuild?.served ?? 0, createCalls, "no prebuild created twice");
  assert.equal(createdOk.size, createCalls, "every created prebuild is distinct");
  // Other failures need three faults in a row: about rate^3 of the calls; far more means
  // the retries did not happen.
  assert.ok(failures - createResets <= Math.max(5, total * FAULT_RATE ** 3 * 4), `${failures - createResets} failures`);
  if (FAULT_RATE > 0 && total >= 100) assert.ok(faultsTotal > 0, "faults were injected");

  latencies.sort((a, b) => a - b);
  const line =
    `load: ${total} calls (${CALLS} concurrent x ${ROUNDS}, ${methods.length} methods, one client) at fault rate ${FAULT_RATE}: ` +
    `${attemptsTotal} attempts, ${faultsTotal} faults (503: ${tally[503]}, 429: ${tally[429]}, reset: ${tally.reset}), ` +
    `${attemptsTotal - total} retries, ${failures} failures (${failures - createResets} after ${MAX_RETRIES + 1} faulted attempts, ` +
    `${createResets} createPrebuild calls at a reset, flagged mayHaveBeenCreated), ` +
    `${total - failures} succeeded; latency p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, ` +
    `max ${latencies.at(-1).toFixed(0)} ms; ${seconds.toFixed(1)} s; simulator counters match`;
  console.log(line);
});
