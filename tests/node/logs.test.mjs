// streamPrebuildLogs against a real simulator that serves logs: every line exactly
// once and in order, compared with the whole log read directly at the end, through
// live streaming, streams cut short, streams that stall (idleTimeoutMs), bodies split
// inside UTF-8 characters, expired tokens, failed and cancelled prebuilds; break and
// abort close the stream; no token in any error.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSim, requestOf } from "./sim.mjs";
import * as pkg from "../../pkg/node.mjs";

let sim, chunky, shortTokens, frozen;
before(async () => {
  [sim, chunky, shortTokens, frozen] = await Promise.all([
    startSim(),
    startSim(["--log-chunk-bytes", "3"]),
    startSim(["--logs-token-ttl-ms", "150"]),
    startSim(["--tick-ms", "86400000"]),
  ]);
});
after(() => Promise.all([sim, chunky, shortTokens, frozen].map((s) => s?.stop())));

const projectId = (s) => s.info.projects.find((p) => p.prebuildOutcome === "completes").id;
const stats = async (s) => (await fetch(`${s.url}/_sim/stats`)).json();
const isLogRequest = (r) => r.method === "GET" && new URL(r.url).pathname.startsWith("/logs/");

/** A client whose fetch adds `logHeaders` to log requests and counts requests by kind. */
function client(s, { logHeaders = {}, onLog } = {}) {
  const counts = { logs: 0, tokens: 0 };
  const fetchWith = async (input, init) => {
    const r = requestOf(input, init);
    if (isLogRequest(r)) {
      counts.logs += 1;
      const answer = onLog?.(r);
      if (answer) return answer;
      const headers = new Headers(r.headers);
      for (const [k, v] of Object.entries(logHeaders)) headers.set(k, v);
      return fetch(new Request(r, { headers }));
    }
    if (r.url.endsWith("/CreatePrebuildLogsToken")) counts.tokens += 1;
    return fetch(input, init);
  };
  const c = new pkg.PrebuildClient({ baseUrl: `${s.url}/api`, token: "t", fetch: fetchWith });
  return { c, counts };
}

/** The whole log of a finished prebuild, read directly, as lines. */
async function wholeLog(s, prebuildId) {
  const c = new pkg.PrebuildClient({ baseUrl: `${s.url}/api`, token: "t" });
  const done = await c.waitForPrebuild({ prebuildId }, { intervalMs: 10 });
  const { accessToken } = await c.createPrebuildLogsToken({ prebuildId });
  const text = await (await fetch(done.status.logUrl, { headers: { authorization: `Bearer ${accessToken}` } })).text();
  return text.split("\n").map((l) => l.replace(/\r$/, ""));
}

async function collect(c, prebuildId, options = {}) {
  const lines = [];
  const states = [];
  for await (const line of c.streamPrebuildLogs({ prebuildId }, { intervalMs: 10, onStatus: (s) => states.push(s), ...options })) {
    lines.push(line);
  }
  return { lines, states };
}

test("a running prebuild's log streams live, every line once, to the end", async () => {
  const { c, counts } = client(sim);
  const { prebuild } = await c.createPrebuild({ projectId: projectId(sim), spec: {} });
  const arrivals = [];
  const { lines, states } = await collect(c, prebuild.id, {
    onStatus: (s) => arrivals.push(s.state),
  });
  const whole = await wholeLog(sim, prebuild.id);
  assert.deepEqual(lines, whole);
  assert.ok(lines.length > 20, `${lines.length} lines`);
  assert.ok(lines.some((l) => l.includes("✔")) && lines.some((l) => l.includes("\x1b[")), "UTF-8 and ANSI as sent");
  assert.ok(!lines.some((l) => l.endsWith("\r")), "CRLF taken off");
  assert.equal(counts.tokens, 1);
  assert.equal(arrivals.at(-1), "streaming");
  assert.deepEqual(states, []);
  assert.equal((await stats(sim)).logs.open, 0, "the stream is closed");
});

test("bodies cut every 3 bytes, inside UTF-8 characters and line ends, give the same lines", async () => {
  const { c } = client(chunky);
  const { prebuild } = await c.createPrebuild({ projectId: projectId(chunky), spec: {} });
  const { lines } = await collect(c, prebuild.id);
  assert.deepEqual(lines, await wholeLog(chunky, prebuild.id));
  assert.ok(!lines.some((l) => l.includes("\ufffd")), "no character broken");
});

test("streams cut short are reconnected without losing or repeating a line", async () => {
  const key = `cut-${Math.random()}`;
  const { c, counts } = client(sim, { logHeaders: { "x-sim-fault": `cut=4;times=3;key=${key}` } });
  const before = (await stats(sim)).logs.cuts;
  const { prebuild } = await c.createPrebuild({ projectId: projectId(sim), spec: {} });
  const states = [];
  const { lines } = await collect(c, prebuild.id, { onStatus: (s) => states.push(s) });
  assert.deepEqual(lines, await wholeLog(sim, prebuild.id));
  assert.equal((await stats(sim)).logs.cuts - before, 3);
  const reconnects = states.filter((s) => s.state === "reconnecting");
  assert.equal(reconnects.length, 3);
  // Each request replays from the first line and is cut at the same line: no new line
  // between the cuts, so the attempts count up.
  assert.deepEqual(reconnects.map((s) => s.attempt), [1, 2, 3]);
  assert.ok(reconnects.every((s) => s.waitMs > 0 && /connection error/.test(s.reason)), JSON.stringify(reconnects));
  assert.ok(counts.logs >= 4);
});

test("a stream that stalls for idleTimeoutMs is dropped and reconnected, every line once", async () => {
  // The first log request sends half of what it has and then holds the rest for a
  // minute; idleTimeoutMs 300 gives up on it long before.
  const key = `stall-${Math.random()}`;
  const { c, counts } = client(sim, { logHeaders: { "x-sim-fault": `stall=60000;times=1;key=${key}` } });
  const stalls = async () => (await stats(sim)).logs.faults.stall ?? 0;
  const before = await stalls();
  const { prebuild } = await c.createPrebuild({ projectId: projectId(sim), spec: {} });
  const states = [];
  const { lines } = await collect(c, prebuild.id, { idleTimeoutMs: 300, onStatus: (s) => states.push(s) });
  assert.deepEqual(lines, await wholeLog(sim, prebuild.id));
  assert.equal((await stalls()) - before, 1, "one stream stalled");
  const idle = states.filter((s) => s.state === "reconnecting" && s.reason.includes("no data came on the log stream for 300 ms"));
  assert.ok(idle.length >= 1, JSON.stringify(states));
  assert.ok(counts.logs >= 2, `log requests: ${counts.logs}`);
  for (let i = 0; i < 50 && (await stats(sim)).logs.open > 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal((await stats(sim)).logs.open, 0, "the stalled stream was closed, not left open");
});

test("idleTimeoutMs must be a whole number of ms from 1 up", async () => {
  const { c } = client(sim);
  for (const bad of [0, -5, 1.5, "soon"]) {
    const e = await collect(c, "00000000-0000-4000-8000-000000000000", { idleTimeoutMs: bad }).catch((e) => e);
    assert.ok(e instanceof pkg.ValidationError, `${bad}: ${e}`);
    assert.equal(e.field, "idleTimeoutMs");
  }
  const e = await collect(c, "00000000-0000-4000-8000-000000000000", { idleTimeoutMs: 0 }).catch((e) => e);
  assert.equal(e.message, "idleTimeoutMs must be from 1 to 2147483647, got 0");
});

test("an expired logs token is replaced and the log goes on", async () => {
  // Tokens live 150 ms; each stream is cut after 3 lines and the next request waits
  // 0.4 s of backoff, so every reconnect after the first presents an expired token.
  const key = `exp-${Math.random()}`;
  const { c, counts } = client(shortTokens, { logHeaders: { "x-sim-fault": `cut=3;times=2;key=${key}` } });
  const { prebuild } = await c.createPrebuild({ projectId: projectId(shortTokens), spec: {} });
  const { lines } = await collect(c, prebuild.id);
  assert.deepEqual(lines, await wholeLog(shortTokens, prebuild.id));
  assert.ok(counts.tokens >= 2, `fresh tokens: ${counts.tokens}`);
  assert.ok(((await stats(shortTokens)).logs.statuses["401"] ?? 0) >= 1, "the server refused an expired token");
});

for (const [outcome, phase, text] of [
  ["failed", "PREBUILD_PHASE_FAILED", /exit|error/i],
  ["cancelled", "PREBUILD_PHASE_CANCELLED", /cancel/i],
]) {
  test(`a ${outcome} prebuild's log ends with its ${outcome} lines`, async () => {
    const { c } = client(sim);
    const { prebuild } = await c.createPrebuild(
      { projectId: projectId(sim), spec: {} },
      { headers: { "x-sim-outcome": outcome } },
    );
    const { lines } = await collect(c, prebuild.id);
    assert.deepEqual(lines, await wholeLog(sim, prebuild.id));
    assert.match(lines.slice(-3).join("\n"), text);
    const { prebuild: done } = await c.getPrebuild({ prebuildId: prebuild.id });
    assert.equal(done.status.phase, phase);
  });
}

test("break and abort close the stream", async () => {
  const { c } = client(sim);
  const { prebuild } = await c.createPrebuild({ projectId: projectId(sim), spec: {} });
  const first = [];
  for await (const line of c.streamPrebuildLogs({ prebuildId: prebuild.id }, { intervalMs: 10 })) {
    first.push(line);
    if (first.length === 2) break;
  }
  assert.equal(first.length, 2);
  const controller = new AbortController();
  const reading = (async () => {
    for await (const line of c.streamPrebuildLogs({ prebuildId: prebuild.id }, { intervalMs: 10, signal: controller.signal })) {
      if (line) controller.abort();
    }
  })();
  await assert.rejects(reading, pkg.APIUserAbortError);
  for (let i = 0; i < 50 && (await stats(sim)).logs.open > 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal((await stats(sim)).logs.open, 0, "the server saw both streams closed");
});

test("neither the logs token nor the API token appears in an error", async () => {
  let logsToken = "";
  const { c } = client(sim, {
    onLog: (r) => {
      logsToken = r.headers.get("authorization").replace("Bearer ", "");
      // A log server that echoes the credentials it refuses.
      const body = JSON.stringify({ code: "permission_denied", message: `token ${logsToken} (api t) may not read this` });
      return new Response(body, { status: 403, headers: { "content-type": "application/json" } });
    },
  });
  const { prebuild } = await c.createPrebuild({ projectId: projectId(sim), spec: {} });
  const error = await collect(c, prebuild.id).then(() => assert.fail("resolved"), (e) => e);
  assert.ok(error instanceof pkg.PermissionDeniedError, String(error));
  assert.ok(logsToken.length > 20);
  assert.ok(!error.message.includes(logsToken) && !JSON.stringify(error).includes(logsToken), error.message);
  assert.match(error.message, /\[redacted\]/);
});

test("a prebuild without a log yet is waited for, and the wait can be aborted", async () => {
  const { c, counts } = client(frozen);
  const { prebuild } = await c.createPrebuild({ projectId: projectId(frozen), spec: {} });
  const controller = new AbortController();
  const states = [];
  const reading = collect(c, prebuild.id, {
    signal: controller.signal,
    onStatus: (s) => {
      states.push(s.state);
      setTimeout(() => controller.abort(), 50);
    },
  });
  await assert.rejects(reading, pkg.APIUserAbortError);
  assert.deepEqual(states, ["waiting"], "announced once, then polled quietly");
  assert.equal(counts.logs, 0);
  assert.equal(counts.tokens, 0);
});

test("a prebuild that does not exist rejects with NotFoundError", async () => {
  const { c } = client(sim);
  await assert.rejects(collect(c, "00000000-0000-4000-8000-000000000000"), pkg.NotFoundError);
});
