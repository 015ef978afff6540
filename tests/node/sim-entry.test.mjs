// gitpod-prebuilds/sim from the built package: the simulator in-process, its fetch
// behind a real PrebuildClient, its manual and real clocks, faults, logs, and the
// documents of /_sim/info and /_sim/stats compared with a real prebuild-sim's. Also:
// the client's files do not refer to the simulator, and do not grow.
//
// The package is pkg/, or the directory GITPOD_PREBUILDS_PKG names: the runtime matrix
// runs this file against the package installed from its packed tarball (row sim-node-suite).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startSim } from "./sim.mjs";
import { packageSizes } from "../../bench/lib/size.mjs";

const PKG = pathToFileURL(resolve(process.env.GITPOD_PREBUILDS_PKG ?? fileURLToPath(new URL("../../pkg", import.meta.url))) + "/");
const { createSimulator } = await import(new URL("sim.js", PKG).href);
const pkg = await import(new URL("node.mjs", PKG).href);
const read = (f) => readFileSync(new URL(f, PKG), "utf8");


let real;
before(async () => {
  real = await startSim(["--seed", "7"]);
});
after(() => real?.stop());

const clientOf = (sim, options = {}) => new pkg.PrebuildClient({ baseUrl: sim.baseUrl, token: sim.token, fetch: sim.fetch, ...options });
const projectNamed = (info, name) => info.projects.find((p) => p.name === name);
const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/** Advances `sim` by `stepMs` every few real ms until `promise` settles; returns its result. */
async function advancing(sim, promise, stepMs = 1000) {
  let done = false;
  const settled = promise.finally(() => (done = true));
  while (!done) {
    sim.advance(stepMs);
    await delay(2);
  }
  return settled;
}

/** The shape of a JSON value: object keys and value types, arrays by their first item. */
const shape = (v) =>
  Array.isArray(v)
    ? [v.length ? shape(v[0]) : "empty"]
    : v === null
      ? "null"
      : typeof v === "object"
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape(v[k])]))
        : typeof v;

test("the package exports ./sim with its types first, and a workerd entry", () => {
  const manifest = JSON.parse(read("package.json"));
  assert.deepEqual(manifest.exports["./sim"], {
    workerd: { types: "./sim.d.ts", default: "./sim-workerd.js" },
    types: "./sim.d.ts",
    default: "./sim.js",
  });
  assert.deepEqual(Object.keys(manifest.exports["./sim"].workerd), ["types", "default"]);
  for (const f of ["sim.js", "sim-workerd.js", "sim.d.ts", "sim/"]) assert.ok(manifest.files.includes(f), f);
});

// Workers have no node:fs (wrangler warns at such an import without nodejs_compat): the
// workerd entry and every module it reaches name no Node module; it imports the .wasm.
test("the workerd entry imports its .wasm and no Node module", () => {
  const entry = read("sim-workerd.js");
  assert.match(entry, /from\s*"\.\/sim\/prebuild_sim_bg\.wasm"/);
  assert.match(entry, /from\s*"\.\/sim\/core\.js"/);
  for (const f of ["sim-workerd.js", "sim/core.js", "sim/prebuild_sim.js"]) assert.ok(!/node:|fs\/promises/.test(read(f)), f);
  assert.match(read("sim/core.js"), /from\s*"\.\/prebuild_sim\.js"/);
});

// The other entry reads its .wasm from disk in Node through a module name that bundlers
// for the browser must not try to resolve: no literal node: import, and the hints kept.
test("sim.js names node:fs/promises only through a variable, with the bundlers' ignore hints", () => {
  const entry = read("sim.js");
  assert.doesNotMatch(entry, /import\(\s*["'`]node:/);
  assert.match(entry, /import\(\s*\/\* webpackIgnore: true \*\/ \/\* @vite-ignore \*\/ fs\)/);
});

test("createSimulator gives a fetch the client works with; the manual clock moves prebuilds to COMPLETED and FAILED", async () => {
  const sim = await createSimulator({ seed: 7, clock: "manual" });
  try {
    const client = clientOf(sim);
    const info = sim.info();
    const { prebuilds } = await client.listPrebuilds({ pageSize: 5 });
    assert.equal(prebuilds.length, 5);

    const web = projectNamed(info, "acme/web-app");
    const legacy = projectNamed(info, "acme/legacy-monolith");
    assert.ok(web && legacy);
    const { prebuild: a } = await client.createPrebuild({ projectId: web.id, spec: {} });
    const { prebuild: b } = await client.createPrebuild({ projectId: legacy.id, spec: {} });
    assert.equal(a.status.phase, "PREBUILD_PHASE_PENDING");

    // Without advance, nothing moves, however long we wait.
    await delay(30);
    assert.equal((await client.getPrebuild({ prebuildId: a.id })).prebuild.status.phase, "PREBUILD_PHASE_PENDING");

    assert.equal(sim.advance(info.tickMs * 18), 18);
    assert.equal((await client.getPrebuild({ prebuildId: a.id })).prebuild.status.phase, "PREBUILD_PHASE_COMPLETED");
    const failed = (await client.getPrebuild({ prebuildId: b.id })).prebuild;
    assert.equal(failed.status.phase, "PREBUILD_PHASE_FAILED");
    assert.ok(failed.status.failureMessage);
  } finally {
    sim.close();
  }
});

test("the same validation and errors as the binary", async () => {
  const sim = await createSimulator({ seed: 7 });
  try {
    const client = clientOf(sim);
    await assert.rejects(client.getPrebuild({ prebuildId: "00000000-0000-4000-8000-000000000000" }), pkg.NotFoundError);
    // Raw requests: the same status and body from both.
    const calls = [
      ["GetPrebuild", "{"],
      ["GetPrebuild", '{"prebuildId":"nope"}'],
      ["NoSuchMethod", "{}"],
      ["ListPrebuilds", '{"pagination":{"pageSize":-1}}'],
    ];
    for (const [method, body] of calls) {
      const init = { method: "POST", headers: { authorization: "Bearer t", "content-type": "application/json" }, body };
      const mine = await sim.fetch(`${sim.baseUrl}/gitpod.v1.PrebuildService/${method}`, init);
      const theirs = await fetch(`${real.url}/api/gitpod.v1.PrebuildService/${method}`, init);
      assert.equal(mine.status, theirs.status, method);
      assert.deepEqual(await mine.json(), await theirs.json(), method);
    }
    const unauthenticated = await sim.fetch(`${sim.baseUrl}/gitpod.v1.PrebuildService/ListPrebuilds`, { method: "POST", body: "{}" });
    assert.equal(unauthenticated.status, 401);
    // The simulator lives on after bad input.
    assert.equal((await client.listPrebuilds({ pageSize: 1 })).prebuilds.length, 1);
  } finally {
    sim.close();
  }
});

test("info() and stats() have the shape of the binary's /_sim/info and /_sim/stats", async () => {
  const sim = await createSimulator({ seed: 7, tickMs: 20 });
  try {
    const theirInfo = real.info;
    const myInfo = sim.info();
    assert.deepEqual(shape(myInfo), shape(theirInfo));
    assert.deepEqual(myInfo.projects.map((p) => p.id), theirInfo.projects.map((p) => p.id));
    assert.equal(myInfo.seed, theirInfo.seed);

    // The same calls to both (a served one, a 503 by header, a reset): the same counters.
    const call = (base, f, fault) =>
      f(`${base}/gitpod.v1.PrebuildService/ListPrebuilds`, {
        method: "POST",
        headers: { authorization: "Bearer t", "content-type": "application/json", ...(fault ? { "x-sim-fault": fault } : {}) },
        body: '{"pagination":{"pageSize":1}}',
      }).then(
        (r) => r.arrayBuffer(),
        () => null,
      );
    await fetch(`${real.url}/_sim/reset`, { method: "POST" });
    for (const fault of [undefined, "503", "reset"]) {
      await call(sim.baseUrl, sim.fetch, fault);
      await call(`${real.url}/api`, fetch, fault);
    }
    const theirStats = await (await fetch(`${real.url}/_sim/stats`)).json();
    const myStats = sim.stats();
    assert.deepEqual(shape(myStats), shape(theirStats));
    assert.deepEqual(myStats, theirStats);
    assert.equal(myStats.faultCount, 2);

    const r = sim.reset();
    assert.equal(r.reset, true);
    assert.equal(sim.stats().requests, 0);
  } finally {
    sim.close();
  }
});

test("a 503 by header is retried by the client; a reset rejects like a network failure", async () => {
  const sim = await createSimulator();
  try {
    const client = clientOf(sim);
    const { prebuilds } = await client.listPrebuilds({ pageSize: 1 }, { headers: { "x-sim-fault": "503;times=1;key=a" } });
    assert.equal(prebuilds.length, 1);
    const stats = sim.stats();
    assert.equal(stats.requests, 2);
    assert.deepEqual(stats.faults, { 503: 1 });
    assert.deepEqual(stats.statuses, { 200: 1, 503: 1 });

    const raw = sim.fetch(`${sim.baseUrl}/gitpod.v1.PrebuildService/ListPrebuilds`, {
      method: "POST",
      headers: { authorization: "Bearer t", "x-sim-fault": "reset" },
      body: "{}",
    });
    await assert.rejects(raw, TypeError);
    await assert.rejects(client.listPrebuilds({}, { maxRetries: 0, headers: { "x-sim-fault": "reset" } }), pkg.PrebuildClientError);
    // Retried after a reset, as after any connection failure.
    assert.equal((await client.listPrebuilds({ pageSize: 1 }, { headers: { "x-sim-fault": "reset;times=1;key=b" } })).prebuilds.length, 1);
  } finally {
    sim.close();
  }
});

test("a delay waits on the simulator's clock; a stall holds the body until its signal aborts", async () => {
  const sim = await createSimulator();
  try {
    const url = `${sim.baseUrl}/gitpod.v1.PrebuildService/ListPrebuilds`;
    const init = (fault, signal) => ({ method: "POST", headers: { authorization: "Bearer t", "x-sim-fault": fault }, body: "{}", signal });
    let answered = false;
    const late = sim.fetch(url, init("delay=5000")).then((r) => ((answered = true), r));
    while (sim.stats().requests === 0) await delay(2); // the simulator has the request
    sim.advance(4999);
    await delay(20);
    assert.equal(answered, false);
    sim.advance(1);
    assert.equal((await late).status, 200);

    const abort = new AbortController();
    const stalled = await sim.fetch(url, init("stall", abort.signal));
    assert.equal(stalled.status, 200);
    const text = stalled.text();
    setTimeout(() => abort.abort(), 30);
    await assert.rejects(text, { name: "AbortError" });

    const never = sim.fetch(url, init("delay=60000", abort.signal));
    await assert.rejects(never, { name: "AbortError" });
  } finally {
    sim.close();
  }
});

test("waitForPrebuild with a small intervalMs finishes while a loop advances the clock", async () => {
  const sim = await createSimulator({ seed: 7, tickMs: 1000 });
  try {
    const client = clientOf(sim);
    const web = projectNamed(sim.info(), "acme/web-app");
    const { prebuild } = await client.createPrebuild({ projectId: web.id, spec: {} });
    const started = Date.now();
    const simStart = sim.now();
    const done = await advancing(sim, client.waitForPrebuild({ prebuildId: prebuild.id }, { intervalMs: 5, maxIntervalMs: 5 }));
    assert.equal(done.status.phase, "PREBUILD_PHASE_COMPLETED");
    assert.ok(sim.now() - simStart >= 18_000, "18 simulated seconds passed");
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms of real time`);
  } finally {
    sim.close();
  }
});

test("logs at status.logUrl: tokens checked, streamed as the clock moves, through streamPrebuildLogs", async () => {
  const sim = await createSimulator({ seed: 7 });
  try {
    const client = clientOf(sim);
    const web = projectNamed(sim.info(), "acme/web-app");
    const { prebuild } = await client.createPrebuild({ projectId: web.id, spec: {} });
    sim.advance(1000);
    const { prebuild: running } = await client.getPrebuild({ prebuildId: prebuild.id });
    assert.ok(running.status.logUrl.startsWith("http://prebuild-sim.localhost/logs/"), running.status.logUrl);
    assert.equal((await sim.fetch(running.status.logUrl, { headers: { authorization: "Bearer nope" } })).status, 401);

    const { accessToken } = await client.createPrebuildLogsToken({ prebuildId: prebuild.id });
    const response = await sim.fetch(running.status.logUrl, { headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal(response.status, 200);
    const reader = response.body.getReader();
    // What is there now comes at once, a piece a line; then nothing until the clock moves.
    let pieces = 0;
    let next = reader.read();
    for (;;) {
      const got = await Promise.race([next, delay(30).then(() => null)]);
      if (got === null) break;
      assert.ok(got.value.length > 0);
      pieces += 1;
      next = reader.read();
    }
    assert.ok(pieces > 0);
    assert.equal(sim.stats().logs.open, 1);
    sim.advance(1000);
    assert.ok((await next).value.length > 0);
    await reader.cancel();
    assert.equal(sim.stats().logs.open, 0);

    const lines = [];
    const follow = (async () => {
      for await (const line of client.streamPrebuildLogs({ prebuildId: prebuild.id }, { intervalMs: 5 })) lines.push(line);
    })();
    await advancing(sim, follow);
    assert.match(lines.at(-1), /Prebuild completed/);
    assert.equal(new Set(lines).size > 10, true);
  } finally {
    sim.close();
  }
});

test("a log followed over many ticks leaves no listeners on its signal, and ends cleanly", async () => {
  const sim = await createSimulator({ seed: 7 });
  try {
    const client = clientOf(sim);
    const web = projectNamed(sim.info(), "acme/web-app");
    const { prebuild } = await client.createPrebuild({ projectId: web.id, spec: {} });
    sim.advance(1000);
    const { prebuild: running } = await client.getPrebuild({ prebuildId: prebuild.id });
    const { accessToken } = await client.createPrebuildLogsToken({ prebuildId: prebuild.id });
    const abort = new AbortController();
    const response = await sim.fetch(running.status.logUrl, { headers: { authorization: `Bearer ${accessToken}` }, signal: abort.signal });
    const text = await advancing(sim, response.text());
    assert.match(text, /Prebuild completed/);
    // The Request made from the init follows the signal with one listener; the waits add none.
    assert.ok(getEventListeners(abort.signal, "abort").length <= 1, `${getEventListeners(abort.signal, "abort").length} listeners`);
    assert.equal(sim.stats().logs.open, 0);
    assert.equal(sim.stats().logs.completed, 1);
  } finally {
    sim.close();
  }
});

test("the real clock follows Date.now()", async () => {
  const sim = await createSimulator({ clock: "real", tickMs: 5 });
  try {
    assert.throws(() => sim.advance(10), TypeError);
    const client = clientOf(sim);
    const web = projectNamed(sim.info(), "acme/web-app");
    const { prebuild } = await client.createPrebuild({ projectId: web.id, spec: {} });
    const done = await client.waitForPrebuild({ prebuildId: prebuild.id }, { intervalMs: 10, maxIntervalMs: 20, deadlineMs: 10_000 });
    assert.equal(done.status.phase, "PREBUILD_PHASE_COMPLETED");
  } finally {
    sim.close();
  }
});

test("bad options are errors, and a closed simulator refuses calls", async () => {
  await assert.rejects(createSimulator({ seed: -1 }), /seed/);
  await assert.rejects(createSimulator({ faultRate: 2 }), /faultRate/);
  await assert.rejects(createSimulator({ clock: "sometimes" }), TypeError);
  const sim = await createSimulator({ token: "only-this" });
  assert.equal(sim.token, "only-this");
  const ok = await clientOf(sim).listPrebuilds({ pageSize: 1 });
  assert.equal(ok.prebuilds.length, 1);
  await assert.rejects(clientOf(sim, { token: "other" }).listPrebuilds({}), pkg.AuthenticationError);
  sim.close();
  assert.throws(() => sim.info(), TypeError);
  await assert.rejects(sim.fetch(`${sim.baseUrl}/gitpod.v1.PrebuildService/ListPrebuilds`, { method: "POST", body: "{}" }), TypeError);
});

// What a page downloads for the client is kept by make test-size (tests/size/budget.mjs);
// here: none of it is the simulator's.
test("the client's files do not load the simulator", async () => {
  const sizes = await packageSizes(fileURLToPath(PKG));
  assert.ok(!sizes.files.some((f) => f.file.startsWith("sim")), sizes.files.map((f) => f.file).join(", "));
  for (const f of ["node.cjs", "workerd.js", "index.js", "client.js", "gitpod_prebuilds.js"]) {
    assert.ok(!read(f).includes("prebuild_sim"), f);
  }
});
