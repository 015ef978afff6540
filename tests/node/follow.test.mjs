// waitForPrebuild, watchPrebuild, waitForWarmPool and watchWarmPool against a real
// simulator with a 20 ms lifecycle tick: whole lifecycles (completed, failed,
// cancelled and deleted while waiting), onUpdate once per statusVersion, deadline,
// abort, break, and bad options.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSim, requestOf } from "./sim.mjs";
import * as pkg from "../../pkg/node.mjs";

let sim, frozen;
before(async () => {
  [sim, frozen] = await Promise.all([startSim(), startSim(["--tick-ms", "86400000"])]);
});
after(() => Promise.all([sim?.stop(), frozen?.stop()]));

const project = (s, outcome) => s.info.projects.find((p) => p.prebuildsEnabled && p.prebuildOutcome === outcome);

/**
 * A client whose fetch records the statusVersion and phase of every getPrebuild /
 * getWarmPool answer, to compare with what the helpers hand out.
 */
function recordingClient(s) {
  const polls = [];
  const fetchAndRecord = async (input, init) => {
    const response = await fetch(input, init);
    const url = requestOf(input, init).url;
    if (/\/Get(Prebuild|WarmPool)$/.test(url) && response.ok) {
      const body = await response.clone().json();
      const item = body.prebuild ?? body.warmPool;
      polls.push({ version: item.status.statusVersion, phase: item.status.phase });
    }
    return response;
  };
  const client = new pkg.PrebuildClient({ baseUrl: `${s.url}/api`, token: "t", fetch: fetchAndRecord });
  return { client, polls };
}

const distinctVersions = (polls) => polls.map((p) => p.version).filter((v, i, all) => all.indexOf(v) === i);

test("waitForPrebuild follows a prebuild to COMPLETED, calling onUpdate once per statusVersion", async () => {
  const { client, polls } = recordingClient(sim);
  const { prebuild } = await client.createPrebuild({ projectId: project(sim, "completes").id, spec: {} });
  const updates = [];
  const done = await client.waitForPrebuild(
    { prebuildId: prebuild.id },
    { intervalMs: 5, onUpdate: (p) => updates.push(p) },
  );
  assert.equal(done.id, prebuild.id);
  assert.equal(done.status.phase, "PREBUILD_PHASE_COMPLETED");
  // Every version the polls saw, in order, each handed to onUpdate exactly once.
  assert.deepEqual(updates.map((p) => p.status.statusVersion), distinctVersions(polls));
  assert.ok(updates.length >= 3, `a whole lifecycle has several states, saw ${updates.length}`);
  assert.ok(polls.length > updates.length, "some polls saw no change and were not reported");
  assert.deepEqual(updates.at(-1), done);
  assert.notEqual(updates[0].status.phase, "PREBUILD_PHASE_COMPLETED");
});

test("a failing project's prebuild resolves FAILED with its failure message", async () => {
  const client = new pkg.PrebuildClient({ baseUrl: `${sim.url}/api`, token: "t" });
  const { prebuild } = await client.createPrebuild({ projectId: project(sim, "fails").id, spec: {} });
  const done = await client.waitForPrebuild({ prebuildId: prebuild.id }, { intervalMs: 5 });
  assert.equal(done.status.phase, "PREBUILD_PHASE_FAILED");
  assert.ok(done.status.failureMessage.length > 0);
});

for (const [what, act, phase] of [
  ["cancelled", (c, id) => c.cancelPrebuild({ prebuildId: id }), "PREBUILD_PHASE_CANCELLED"],
  ["deleted", (c, id) => c.deletePrebuild({ prebuildId: id }), "PREBUILD_PHASE_DELETED"],
]) {
  test(`a prebuild ${what} while waiting resolves ${phase.slice(15)}`, async () => {
    const client = new pkg.PrebuildClient({ baseUrl: `${sim.url}/api`, token: "t" });
    const { prebuild } = await client.createPrebuild({ projectId: project(sim, "completes").id, spec: {} });
    const phases = [];
    let acted;
    const done = await client.waitForPrebuild(
      { prebuildId: prebuild.id },
      {
        intervalMs: 5,
        onUpdate: (p) => {
          phases.push(p.status.phase);
          acted ??= act(client, prebuild.id);
        },
      },
    );
    await acted;
    assert.equal(done.status.phase, phase);
    assert.ok(!phases.includes("PREBUILD_PHASE_COMPLETED"), phases.join());
    assert.equal(phases.at(-1), phase);
  });
}

test("a prebuild that disappears while waiting rejects with NotFoundError", async () => {
  // The simulator forgets a deleted prebuild some ticks after DELETED: waiting for a
  // phase it never reaches (COMPLETED only) sees it go.
  const client = new pkg.PrebuildClient({ baseUrl: `${sim.url}/api`, token: "t" });
  const { prebuild } = await client.createPrebuild({ projectId: project(sim, "completes").id, spec: {} });
  await client.deletePrebuild({ prebuildId: prebuild.id });
  const seen = [];
  await assert.rejects(
    client.waitForPrebuild({ prebuildId: prebuild.id }, { until: ["COMPLETED"], intervalMs: 5, onUpdate: (p) => seen.push(p.status.phase) }),
    (e) => e instanceof pkg.NotFoundError && e.status === 404,
  );
  assert.ok(seen.includes("PREBUILD_PHASE_DELETED") || seen.includes("PREBUILD_PHASE_DELETING"), seen.join());
});

test("past deadlineMs the wait rejects with a WaitTimeoutError carrying the last prebuild seen", async () => {
  const client = new pkg.PrebuildClient({ baseUrl: `${frozen.url}/api`, token: "t" });
  const { prebuild } = await client.createPrebuild({ projectId: project(frozen, "completes").id, spec: {} });
  const started = performance.now();
  const error = await client
    .waitForPrebuild({ prebuildId: prebuild.id }, { intervalMs: 20, deadlineMs: 150 })
    .then(() => assert.fail("resolved"), (e) => e);
  const took = performance.now() - started;
  assert.ok(error instanceof pkg.WaitTimeoutError && error instanceof pkg.PrebuildClientError, String(error));
  assert.equal(error.name, "WaitTimeoutError");
  assert.equal(error.lastSeen.id, prebuild.id);
  assert.equal(error.lastSeen.status.phase, "PREBUILD_PHASE_PENDING");
  assert.match(error.message, new RegExp(`prebuild ${prebuild.id} to reach COMPLETED, FAILED, CANCELLED or DELETED.* 150 ms`));
  assert.ok(took >= 140, `not before the deadline: ${took} ms`);
});

test("the signal aborts a wait between polls and during a poll", async () => {
  const client = new pkg.PrebuildClient({ baseUrl: `${frozen.url}/api`, token: "t" });
  const { prebuild } = await client.createPrebuild({ projectId: project(frozen, "completes").id, spec: {} });
  const controller = new AbortController();
  const waiting = client.waitForPrebuild({ prebuildId: prebuild.id }, { intervalMs: 1000, signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(waiting, pkg.APIUserAbortError);
  // Already aborted: nothing is sent.
  let sent = 0;
  const counting = new pkg.PrebuildClient({
    baseUrl: `${frozen.url}/api`,
    token: "t",
    fetch: (u, i) => (sent++, fetch(u, i)),
  });
  await assert.rejects(counting.waitForPrebuild({ prebuildId: prebuild.id }, { signal: AbortSignal.abort() }), pkg.APIUserAbortError);
  assert.equal(sent, 0);
});

test("watchPrebuild hands out the current state first; break stops polling", async () => {
  let polls = 0;
  const client = new pkg.PrebuildClient({
    baseUrl: `${frozen.url}/api`,
    token: "t",
    fetch: (u, i) => (polls++, fetch(u, i)),
  });
  const { prebuild } = await client.createPrebuild({ projectId: project(frozen, "completes").id, spec: {} });
  polls = 0;
  for await (const p of client.watchPrebuild({ prebuildId: prebuild.id }, { intervalMs: 5 })) {
    assert.equal(p.status.phase, "PREBUILD_PHASE_PENDING");
    break;
  }
  assert.equal(polls, 1);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(polls, 1, "no poll after break");
});

test("watchPrebuild yields each change and ends after a phase in until", async () => {
  const client = new pkg.PrebuildClient({ baseUrl: `${sim.url}/api`, token: "t" });
  const { prebuild } = await client.createPrebuild({ projectId: project(sim, "completes").id, spec: {} });
  const phases = [];
  for await (const p of client.watchPrebuild({ prebuildId: prebuild.id }, { intervalMs: 5, until: ["RUNNING"] })) {
    phases.push(p.status.phase);
  }
  assert.equal(phases.at(-1), "PREBUILD_PHASE_RUNNING");
  assert.ok(!phases.slice(0, -1).includes("PREBUILD_PHASE_RUNNING"));
});

test("waitForWarmPool follows a new warm pool until it is READY", async () => {
  const { client, polls } = recordingClient(sim);
  const { warmPool } = await client.createWarmPool({ ...sim.info.hints.freePair, minSize: 1, maxSize: 2 });
  const updates = [];
  const done = await client.waitForWarmPool({ warmPoolId: warmPool.id }, { intervalMs: 5, onUpdate: (w) => updates.push(w) });
  assert.equal(done.id, warmPool.id);
  assert.ok(["WARM_POOL_PHASE_READY", "WARM_POOL_PHASE_DEGRADED"].includes(done.status.phase), done.status.phase);
  assert.deepEqual(updates.map((w) => w.status.statusVersion), distinctVersions(polls));
  const phases = [];
  for await (const w of client.watchWarmPool({ warmPoolId: warmPool.id }, { until: ["READY", "DEGRADED"] })) phases.push(w.status.phase);
  assert.deepEqual(phases, [done.status.phase], "already there: one state, then the end");
  await client.deleteWarmPool({ warmPoolId: warmPool.id });
});

test("bad arguments reject with a ValidationError before anything is sent", async () => {
  let sent = 0;
  const client = new pkg.PrebuildClient({ baseUrl: `${sim.url}/api`, token: "t", fetch: (u, i) => (sent++, fetch(u, i)) });
  const id = sim.info.hints.htmlPrebuildId;
  const cases = [
    [client.waitForPrebuild({ prebuildId: "nope" }), "prebuildId"],
    [client.waitForPrebuild({ prebuildId: id }, { until: ["READY"] }), "until[0]"],
    [client.waitForPrebuild({ prebuildId: id }, { intervalMs: 0 }), "intervalMs"],
    [client.waitForPrebuild({ prebuildId: id }, { deadlineMs: -5 }), "deadlineMs"],
    [client.waitForPrebuild({ prebuildId: id }, { deadline: 5 }), "options.deadline"],
    [client.waitForWarmPool({ warmPoolId: id }, { until: ["COMPLETED"] }), "until[0]"],
  ];
  for (const [promise, field] of cases) {
    const e = await promise.then(() => assert.fail("resolved"), (e) => e);
    assert.ok(e instanceof pkg.ValidationError, String(e));
    assert.equal(e.field, field, e.message);
  }
  assert.match(
    (await client.waitForPrebuild({ prebuildId: id }, { until: ["READY"] }).catch((e) => e)).message,
    /must be a prebuild phase: one of PENDING, .*COMPLETED.* got "READY"/,
  );
  assert.equal(sent, 0);
});

test("waiting for a prebuild that does not exist rejects with NotFoundError", async () => {
  const client = new pkg.PrebuildClient({ baseUrl: `${sim.url}/api`, token: "t" });
  await assert.rejects(
    client.waitForPrebuild({ prebuildId: "00000000-0000-4000-8000-000000000000" }),
    pkg.NotFoundError,
  );
});
