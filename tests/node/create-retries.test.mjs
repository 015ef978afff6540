// Creates against lost answers, on the built package and a real simulator. The
// simulator's committed faults (`x-sim-fault: KIND;commit=1`) carry out the call, then
// fail it: a retried createPrebuild would start a second prebuild. Checked, by counting
// the project's prebuilds (ListPrebuilds) and the simulator's attempts (/_sim/stats)
// before and after: createPrebuild is not retried after such a failure and says
// `mayHaveBeenCreated`; it is retried after a 503 or 429 that came before the work;
// `unsafeRetries: true` retries it anyway (and makes the duplicate); createWarmPool
// answers with the pool its lost attempt created; an abort while the request is out
// says `mayHaveBeenCreated`, one before it went out does not. Then a load test: 1,000 concurrent
// creates under random faults, half of them committed, with exact accounting.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSim, requestOf } from "./sim.mjs";
import * as pkg from "../../pkg/node.mjs";

const TOKEN = "create-retries-token";
const MAY_HAVE_BEEN_CREATED = /the prebuild may have been created: not retried, because a retry could start a second one; list the project's prebuilds before trying again$/;
const MAY_HAVE_BEEN_CREATED_LAST = /; the prebuild may have been created; list the project's prebuilds before trying again$/;

let sim;
before(async () => {
  // A clock that does not move: prebuilds and pools stay where they are while counted.
  sim = await startSim(["--tick-ms", "86400000", "--token", TOKEN]);
});
after(() => sim?.stop());

const client = (options = {}) => new pkg.PrebuildClient({ baseUrl: `${sim.url}/api`, token: TOKEN, maxRetries: 2, ...options });
const project = () => sim.info.projects.find((p) => p.name === "acme/web-app");
let keys = 0;
/** Request options that inject `fault`, with a key of its own so that `times` counts for this call only. */
const fault = (kind, extra = {}) => ({ ...extra, headers: { "x-sim-fault": `${kind};key=k${++keys}-${Date.now()}` } });

/** The ids of every prebuild of a project, walking all pages. */
async function prebuildIds(projectId) {
  const ids = new Set();
  for await (const p of client().iterPrebuilds({ pageSize: 100, filter: { projectIds: [projectId] } })) ids.add(p.id);
  return ids;
}
const added = (before, after) => [...after].filter((id) => !before.has(id));

/** The simulator's counters of one method. */
async function counts(method) {
  const s = await (await fetch(`${sim.url}/_sim/stats`)).json();
  return s.methods[method] ?? { requests: 0, served: 0 };
}

/** A createPrebuild with these options; returns the error (or fails), the new prebuilds and the attempts. */
async function createFailing(options) {
  const { id } = project();
  const ids = await prebuildIds(id);
  const requests = (await counts("CreatePrebuild")).requests;
  const error = await client().createPrebuild({ projectId: id, spec: {} }, options).then(
    (r) => assert.fail(`resolved with ${r.prebuild.id}`),
    (e) => e,
  );
  return { error, created: added(ids, await prebuildIds(id)), attempts: (await counts("CreatePrebuild")).requests - requests };
}

const committed = [
  ["reset;commit=1", {}, pkg.APIConnectionError],
  ["502;commit=1", {}, pkg.InternalServerError],
  ["500;commit=1", {}, pkg.InternalServerError],
  ["html502;commit=1", {}, pkg.InternalServerError],
  ["delay=1500;commit=1", { timeoutMs: 200 }, pkg.APIConnectionTimeoutError],
];

for (const [kind, extra, cls] of committed) {
  test(`createPrebuild after ${kind}: not retried, mayHaveBeenCreated, exactly one prebuild`, async () => {
    // No `times`: every attempt would meet the fault, so each retry would add a prebuild.
    const { error, created, attempts } = await createFailing(fault(kind, extra));
    assert.ok(error instanceof cls, `${error.name}: ${error.message}`);
    assert.equal(Object.getPrototypeOf(error), cls.prototype, `the usual class, not a subclass: ${error.name}`);
    assert.equal(error.mayHaveBeenCreated, true);
    assert.match(error.message, MAY_HAVE_BEEN_CREATED);
    assert.equal(attempts, 1, "one attempt though two retries were allowed");
    assert.equal(created.length, 1, `exactly one new prebuild: ${created}`);
  });
}

for (const kind of ["503;times=1;retry-after-ms=10", "429;times=1;retry-after-ms=10"]) {
  test(`createPrebuild after ${kind} (before the work): retried, one prebuild`, async () => {
    const { id } = project();
    const ids = await prebuildIds(id);
    const requests = (await counts("CreatePrebuild")).requests;
    const { prebuild } = await client().createPrebuild({ projectId: id, spec: {} }, fault(kind));
    assert.equal((await counts("CreatePrebuild")).requests - requests, 2, "the fault, then the retry");
    assert.deepEqual(added(ids, await prebuildIds(id)), [prebuild.id], "exactly the one prebuild it answered with");
  });
}

test("a failure that says nothing was done carries no mayHaveBeenCreated", async () => {
  const { error, created, attempts } = await createFailing(fault("503"));
  assert.ok(error instanceof pkg.InternalServerError);
  assert.equal(error.mayHaveBeenCreated, undefined);
  assert.ok(!("mayHaveBeenCreated" in error));
  assert.doesNotMatch(error.message, /may have been created/);
  assert.equal(attempts, 3, "a 503 is retried up to maxRetries");
  assert.equal(created.length, 0);
});

test("createPrebuild aborted while its request is in flight: APIUserAbortError with mayHaveBeenCreated", async () => {
  const { id } = project();
  const ids = await prebuildIds(id);
  const served = (await counts("CreatePrebuild")).served;
  const controller = new AbortController();
  // Applied at once, answered a minute late: abort once the simulator has carried it out.
  const call = client().createPrebuild({ projectId: id, spec: {} }, fault("delay=60000;commit=1", { signal: controller.signal }));
  const outcome = call.then((r) => assert.fail(`resolved with ${r.prebuild.id}`), (e) => e);
  for (let i = 0; i < 1000 && (await counts("CreatePrebuild")).served === served; i++) await new Promise((r) => setTimeout(r, 10));
  controller.abort();
  const error = await outcome;
  assert.equal(Object.getPrototypeOf(error), pkg.APIUserAbortError.prototype, `${error.name}: ${error.message}`);
  assert.equal(error.mayHaveBeenCreated, true);
  assert.match(error.message, /^request was aborted; the prebuild may have been created: the call was aborted after its request was sent; list the project's prebuilds before trying again$/);
  assert.equal(added(ids, await prebuildIds(id)).length, 1, "and it was created");
});

test("createPrebuild with a signal aborted before the call: APIUserAbortError, no mayHaveBeenCreated, nothing sent", async () => {
  const { error, created, attempts } = await createFailing({ signal: AbortSignal.abort() });
  assert.equal(Object.getPrototypeOf(error), pkg.APIUserAbortError.prototype, `${error.name}: ${error.message}`);
  assert.ok(!("mayHaveBeenCreated" in error));
  assert.equal(error.message, "request was aborted");
  assert.equal(attempts, 0);
  assert.equal(created.length, 0);
});

test("unsafeRetries: true retries a create after a committed reset, making a second prebuild", async () => {
  const { id } = project();
  const ids = await prebuildIds(id);
  const { prebuild } = await client().createPrebuild({ projectId: id, spec: {} }, fault("reset;commit=1;times=1", { unsafeRetries: true }));
  const created = added(ids, await prebuildIds(id));
  assert.equal(created.length, 2, `the lost attempt's and the retry's: ${created}`);
  assert.ok(created.includes(prebuild.id));
});

test("unsafeRetries must be true or false", async () => {
  const e = await client().createPrebuild({ projectId: project().id, spec: {} }, { unsafeRetries: "yes" }).catch((e) => e);
  assert.ok(e instanceof pkg.ValidationError);
  assert.equal(e.field, "unsafeRetries");
  assert.match(e.message, /must be true or false/);
});

/** Back to the seed, where the hinted project and class have no warm pool. */
async function freePair() {
  assert.equal((await fetch(`${sim.url}/_sim/reset`, { method: "POST" })).status, 200);
  return sim.info.hints.freePair;
}
const poolsOf = async ({ projectId, environmentClassId }) =>
  (await client().listWarmPools({ pageSize: 100, filter: { projectIds: [projectId], environmentClassIds: [environmentClassId] } })).warmPools;

for (const [kind, extra] of committed) {
  test(`createWarmPool after ${kind};times=1: resolves with the pool its lost attempt created`, async () => {
    const pair = await freePair();
    const { warmPool } = await client().createWarmPool({ ...pair, minSize: 0, maxSize: 2 }, fault(`${kind};times=1`, extra));
    const pools = await poolsOf(pair);
    assert.equal(pools.length, 1, "exactly one pool for the project and class");
    assert.equal(warmPool.id, pools[0].id);
    assert.equal(warmPool.metadata.projectId, pair.projectId);
    assert.equal(warmPool.metadata.environmentClassId, pair.environmentClassId);
    assert.equal(warmPool.spec.maxSize, 2);
    const [create, list, get] = await Promise.all(["CreateWarmPool", "ListWarmPools", "GetWarmPool"].map(counts));
    assert.equal(create.requests, 2, "the lost attempt, then the retry's already_exists");
    assert.equal(list.requests, 2, "one lookup, then this test's own listing");
    assert.equal(get.requests, 1);
  });
}

test("createWarmPool: a first attempt's already_exists stays a ConflictError", async () => {
  const pair = await freePair();
  await client().createWarmPool(pair);
  const e = await client().createWarmPool(pair).catch((e) => e);
  assert.ok(e instanceof pkg.ConflictError, `${e.name}: ${e.message}`);
  assert.equal(e.code, "already_exists");
  assert.equal(e.mayHaveBeenCreated, undefined);
  assert.equal((await counts("ListWarmPools")).requests, 0, "nothing looked up");
});

test("createWarmPool whose every attempt loses its answer: mayHaveBeenCreated, one pool", async () => {
  const pair = await freePair();
  // Each attempt is applied, then reset: the first creates, the retries meet the pool.
  const e = await client().createWarmPool(pair, fault("reset;commit=1")).catch((e) => e);
  assert.ok(e instanceof pkg.APIConnectionError, `${e.name}: ${e.message}`);
  assert.equal(e.mayHaveBeenCreated, true);
  assert.match(e.message, /the warm pool may have been created; look for it with listWarmPools before trying again$/);
  assert.equal((await counts("CreateWarmPool")).requests, 3, "plain rules: two retries");
  assert.equal((await poolsOf(pair)).length, 1);
});

// ---------------------------------------------------------------- load

const LOAD_CALLS = Number(process.env.CREATE_LOAD_CALLS ?? 1000);

test(`load: ${LOAD_CALLS} concurrent creates at fault rate 0.2, half of the faults committed: no duplicates, exact accounting`, async () => {
  const loaded = await startSim(["--fault-rate", "0.2", "--commit-share", "0.5", "--tick-ms", "86400000", "--token", TOKEN]);
  try {
    const base = `${loaded.url}/api`;
    const projects = loaded.info.projects.filter((p) => p.prebuildsEnabled).map((p) => p.id);
    // Listings must see the state, not the faults: a header whose fault happened `times=0` times asks for none.
    const calm = new pkg.PrebuildClient({ baseUrl: base, token: TOKEN, headers: { "x-sim-fault": "503;times=0" } });
    const allIds = async () => {
      const ids = new Set();
      for (const id of projects) for await (const p of calm.iterPrebuilds({ pageSize: 100, filter: { projectIds: [id] } })) ids.add(p.id);
      return ids;
    };
    const before = await allIds();

    // Every attempt of every call: "ok", a status, or "reset".
    const attempts = new Map();
    const recording = async (input, init) => {
      const list = attempts.get(requestOf(input, init).headers.get("x-load-call"));
      try {
        const res = await fetch(input, init);
        list.push(res.status === 200 ? "ok" : String(res.status));
        return res;
      } catch (e) {
        list.push(/reset|socket|closed|terminated/i.test(`${e?.cause?.code} ${e?.cause?.message ?? e}`) ? "reset" : `other:${e?.cause?.code ?? e}`);
        throw e;
      }
    };
    const c = new pkg.PrebuildClient({ baseUrl: base, token: TOKEN, maxRetries: 2, fetch: recording });
    const started = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: LOAD_CALLS }, (_, i) => {
        attempts.set(String(i), []);
        const call = c.createPrebuild({ projectId: projects[i % projects.length], spec: {} }, { headers: { "x-load-call": String(i) } });
        return call.then((value) => ({ i, value }), (error) => ({ i, error }));
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const created = added(before, await allIds());
    const s = (await (await fetch(`${loaded.url}/_sim/stats`)).json()).methods.CreatePrebuild;

    const safe = new Set(["503", "429"]); // faults that come before the work, retried
    const lost = new Set(["reset", "500", "502"]); // faults whose outcome the client cannot know
    const successes = outcomes.filter((o) => !o.error);
    const flagged = outcomes.filter((o) => o.error?.mayHaveBeenCreated === true);
    const unflagged = outcomes.filter((o) => o.error && o.error.mayHaveBeenCreated !== true);
    for (const o of outcomes) {
      const seen = attempts.get(String(o.i));
      const last = seen.at(-1);
      assert.ok(seen.slice(0, -1).every((a) => safe.has(a)), `call ${o.i}: only a 503 or 429 is retried: ${seen}`);
      if (!o.error) assert.equal(last, "ok", `call ${o.i}: ${seen}`);
      else if (o.error.mayHaveBeenCreated) {
        assert.ok(lost.has(last), `call ${o.i} flagged after ${seen}`);
        // After two 503s or 429s no retry is left, and the message does not say that
        // the lost attempt was not retried.
        const noneLeft = seen.length === 3;
        assert.match(o.error.message, noneLeft ? MAY_HAVE_BEEN_CREATED_LAST : MAY_HAVE_BEEN_CREATED);
        const cls = last === "reset" ? pkg.APIConnectionError : pkg.InternalServerError;
        assert.ok(o.error instanceof cls, `call ${o.i}: ${o.error.name} after ${last}`);
      } else {
        assert.deepEqual(seen.length, 3, `call ${o.i} failed unflagged after ${seen}: ${o.error.name} ${o.error.message}`);
        assert.ok(seen.every((a) => safe.has(a)), `call ${o.i}: ${seen}`);
      }
    }
    const tally = {};
    for (const seen of attempts.values()) for (const a of seen) tally[a] = (tally[a] ?? 0) + 1;
    const attemptsTotal = [...attempts.values()].reduce((n, a) => n + a.length, 0);
    const retries = attemptsTotal - LOAD_CALLS;
    const faults = (k) => s.faults[k] ?? 0;
    const committedCount = s.committedCount ?? 0;

    // The client's view is the simulator's.
    assert.equal(s.requests, attemptsTotal, "every attempt reached the simulator once");
    for (const k of ["503", "429", "500", "502", "reset"]) assert.equal(faults(k), tally[k] ?? 0, `${k}: injected = seen`);
    assert.equal(s.served, created.length, "each served create made one prebuild");
    // No duplicates, and every prebuild accounted for.
    assert.ok(created.length <= LOAD_CALLS, `${created.length} prebuilds for ${LOAD_CALLS} calls`);
    const answered = new Set(successes.map((o) => o.value.prebuild.id));
    assert.equal(answered.size, successes.length, "each success answered with its own prebuild");
    const createdSet = new Set(created);
    for (const id of answered) assert.ok(createdSet.has(id), `the answered prebuild ${id} exists`);
    assert.equal(created.length, successes.length + committedCount, "created = successes + committed faults");
    // Every committed fault ended its call, flagged; so did every uncommitted reset.
    assert.equal(flagged.length, faults("reset") + faults("500") + faults("502"), "flagged = faults with an unknown outcome");
    assert.ok(flagged.length >= committedCount, "the committed ones are among the flagged");
    assert.equal(created.length - successes.length - committedCount, 0, "no unflagged failure created anything");
    assert.equal(faults("503") + faults("429"), retries + unflagged.length, "each 503 or 429 led to a retry or ended a call unflagged");
    assert.ok(committedCount > 0 && retries > 0, "the run met committed faults and retried");

    console.log(
      `create load: ${LOAD_CALLS} concurrent createPrebuild calls over ${projects.length} projects at fault rate 0.2, commit share 0.5, maxRetries 2: ` +
        `${attemptsTotal} attempts, ${retries} retries (after ${faults("503")} × 503, ${faults("429")} × 429), ` +
        `${committedCount} committed faults (${JSON.stringify(s.committed)}), ${successes.length} succeeded, ` +
        `${flagged.length} failed flagged mayHaveBeenCreated (${committedCount} of them committed), ${unflagged.length} failed unflagged; ` +
        `${created.length} prebuilds created (= ${successes.length} + ${committedCount}), no duplicates; ${seconds.toFixed(1)} s`,
    );
  } finally {
    await loaded.stop();
  }
});
