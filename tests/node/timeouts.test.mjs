// Timeouts and aborts against the simulator's `delay` and `stall` faults: a timeout
// ends each attempt (headers late, or a body that stalls after the headers) with
// APIConnectionTimeoutError, is retried as configured with a fresh timeout per
// attempt, and an abort ends a call at once, also during the wait before a retry.
// Timings: the lower bounds are asserted (never before the timeout); the upper bounds
// are generous (a loaded machine is slow), and the measured deviations are printed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSim, requestOf } from "./sim.mjs";
import * as pkg from "../../pkg/node.mjs";

const TIMEOUT = 300;
const SLACK = 2_000; // what a loaded 2-core machine may add; the deviation is printed
// Attempts are timed from inside fetch, a moment after the client armed its timer: on
// a loaded 2-core machine that moment was once 61 ms (the process descheduled between
// the two), so the lower bound allows 100 ms; a broken timeout is still caught.
const EARLY = 100;
let sim;
const figures = [];

before(async () => {
  sim = await startSim();
});
after(async () => {
  console.log(`timeouts: ${figures.join("; ")}`);
  await sim?.stop();
});

const stats = async () => (await fetch(`${sim.url}/_sim/stats`)).json();
const reset = () => fetch(`${sim.url}/_sim/reset`, { method: "POST" });

/** A fetch that records each attempt: when it started, and when (if) its signal aborted. */
function timedFetch() {
  const f = (input, init) => {
    const attempt = { start: performance.now(), aborted: undefined, answered: undefined };
    f.attempts.push(attempt);
    requestOf(input, init).signal.addEventListener("abort", () => (attempt.aborted = performance.now()));
    return fetch(input, init).then((res) => {
      attempt.answered = performance.now();
      f.onAnswer?.(res);
      return res;
    });
  };
  f.attempts = [];
  return f;
}

const client = (extra) => new pkg.PrebuildClient({ baseUrl: `${sim.url}/api`, token: "t", ...extra });
const pct = (ms, of) => `${ms >= of ? "+" : ""}${(((ms - of) / of) * 100).toFixed(1)}%`;

async function failure(promise) {
  const t0 = performance.now();
  const error = await promise.then((v) => assert.fail(`expected a failure, got ${JSON.stringify(v).slice(0, 100)}`), (e) => e);
  return { error, ms: performance.now() - t0 };
}

test("a delay longer than timeoutMs ends the attempt with APIConnectionTimeoutError, not before the timeout", async () => {
  await reset();
  const samples = [];
  for (let i = 0; i < 5; i++) {
    const { error, ms } = await failure(
      client({ maxRetries: 0, timeoutMs: TIMEOUT }).listPrebuilds({}, { headers: { "x-sim-fault": "delay=5000" } }),
    );
    assert.ok(error instanceof pkg.APIConnectionTimeoutError, `${error.name}: ${error.message}`);
    assert.equal(error.message, `request timed out after ${TIMEOUT} ms`);
    assert.ok(ms >= TIMEOUT - 1, `not before the timeout: ${ms.toFixed(1)} ms`);
    assert.ok(ms < TIMEOUT + SLACK, `${ms.toFixed(1)} ms`);
    samples.push(ms);
  }
  assert.equal((await stats()).faults.delay, 5, "one attempt each (maxRetries: 0)");
  samples.sort((a, b) => a - b);
  const median = samples[2];
  figures.push(
    `timeoutMs ${TIMEOUT}, delay fault: timed out after ${samples.map((s) => s.toFixed(0)).join("/")} ms ` +
      `(median ${pct(median, TIMEOUT)}, worst ${pct(samples.at(-1), TIMEOUT)}; within 10%: ${samples.at(-1) < TIMEOUT * 1.1 ? "yes" : "no"})`,
  );
});

test("each retry gets its own timeout, and maxRetries bounds the attempts", async () => {
  for (const maxRetries of [0, 2]) {
    await reset();
    const f = timedFetch();
    const { error, ms } = await failure(
      client({ maxRetries, timeoutMs: TIMEOUT, fetch: f }).getPrebuild(
        { prebuildId: sim.info.hints.htmlPrebuildId },
        { headers: { "x-sim-fault": "delay=5000" } },
      ),
    );
    assert.ok(error instanceof pkg.APIConnectionTimeoutError, `${error.name}: ${error.message}`);
    assert.equal(f.attempts.length, maxRetries + 1, "1 + maxRetries attempts");
    assert.equal((await stats()).faults.delay, maxRetries + 1, "the simulator saw each attempt");
    const perAttempt = f.attempts.map((a) => a.aborted - a.start);
    for (const d of perAttempt) {
      assert.ok(d >= TIMEOUT - EARLY && d < TIMEOUT + SLACK, `an attempt lasted ${d.toFixed(1)} ms`);
    }
    // Backoff between attempts: 0.5 s then 1 s, less up to 25 % jitter.
    if (maxRetries === 2) {
      assert.ok(ms >= 3 * TIMEOUT + 375 + 750 - 5, `the whole call with two backoffs: ${ms.toFixed(0)} ms`);
      figures.push(`maxRetries 2: 3 attempts of ${perAttempt.map((d) => d.toFixed(0)).join("/")} ms (${perAttempt.map((d) => pct(d, TIMEOUT)).join(", ")}), ${ms.toFixed(0)} ms in all`);
    }
  }
});

test("a retry after a timeout succeeds with a fresh timeout", async () => {
  await reset();
  const f = timedFetch();
  const r = await client({ maxRetries: 1, timeoutMs: TIMEOUT, fetch: f }).listPrebuilds(
    { pageSize: 2 },
    { headers: { "x-sim-fault": "delay=3000;times=1;key=fresh" } },
  );
  assert.equal(r.prebuilds.length, 2);
  assert.equal(f.attempts.length, 2);
  assert.ok(f.attempts[0].aborted - f.attempts[0].start >= TIMEOUT - EARLY);
  assert.equal(f.attempts[1].aborted, undefined, "the second attempt was answered in time");
});

test("a body that stalls after the headers times out the same way, per attempt", async () => {
  await reset();
  const f = timedFetch();
  const { error, ms } = await failure(
    client({ maxRetries: 1, timeoutMs: TIMEOUT, fetch: f }).listWarmPools({}, { headers: { "x-sim-fault": "stall" } }),
  );
  assert.ok(error instanceof pkg.APIConnectionTimeoutError, `${error.name}: ${error.message}`);
  assert.equal(f.attempts.length, 2);
  for (const a of f.attempts) {
    assert.ok(a.answered !== undefined, "the headers came");
    assert.ok(a.aborted - a.start >= TIMEOUT - EARLY && a.aborted - a.start < TIMEOUT + SLACK, `${a.aborted - a.start} ms`);
  }
  const s = await stats();
  assert.equal(s.faults.stall, 2);
  assert.equal(s.statuses["200"], 2, "the status line and headers were sent");
  const perAttempt = f.attempts.map((a) => a.aborted - a.start);
  figures.push(`stalled body: attempts timed out after ${perAttempt.map((d) => d.toFixed(0)).join("/")} ms (${perAttempt.map((d) => pct(d, TIMEOUT)).join(", ")}), ${ms.toFixed(0)} ms with one retry`);
});

test("an abort during the wait before a retry ends the call at once with APIUserAbortError", async () => {
  await reset();
  const controller = new AbortController();
  const f = timedFetch();
  let abortedAt;
  // The first answer is a 503 asking for a 5 s wait; abort 50 ms after it arrives.
  f.onAnswer = () => setTimeout(() => {
    abortedAt = performance.now();
    controller.abort();
  }, 50);
  const t0 = performance.now();
  const error = await client({ maxRetries: 2, fetch: f })
    .listPrebuilds({}, { signal: controller.signal, headers: { "x-sim-fault": "503;retry-after-ms=5000" } })
    .then(() => assert.fail("expected an abort"), (e) => e);
  const afterAbort = performance.now() - abortedAt;
  assert.ok(error instanceof pkg.APIUserAbortError, `${error.name}: ${error.message}`);
  assert.equal(f.attempts.length, 1, "no retry was sent");
  assert.ok(performance.now() - t0 < 4_000, "long before the 5 s wait would have ended");
  assert.ok(afterAbort < 1_000, `rejected ${afterAbort.toFixed(1)} ms after the abort`);
  assert.equal((await stats()).requests, 1);
  figures.push(`abort during a 5 s backoff: rejected ${afterAbort.toFixed(1)} ms after the abort, no retry sent`);
});

test("an abort during an attempt ends it at once", async () => {
  await reset();
  const controller = new AbortController();
  const p = client({ maxRetries: 2 }).listPrebuilds({}, { signal: controller.signal, headers: { "x-sim-fault": "delay=5000" } });
  await new Promise((r) => setTimeout(r, 100));
  const abortedAt = performance.now();
  controller.abort();
  const error = await p.then(() => assert.fail("expected an abort"), (e) => e);
  const afterAbort = performance.now() - abortedAt;
  assert.ok(error instanceof pkg.APIUserAbortError, `${error.name}: ${error.message}`);
  assert.ok(afterAbort < 1_000, `${afterAbort} ms`);
  figures.push(`abort during an attempt: rejected ${afterAbort.toFixed(1)} ms after the abort`);
});
