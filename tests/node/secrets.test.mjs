// Secrets and safe defaults. Every error path (validation, every HTTP status the
// simulator can produce, connection, timeout, stalled body, abort, decode) with a
// recognisable token: the token appears in none of `message`, `String(e)`,
// `JSON.stringify(e)`, `e.stack`, `util.inspect(e)`, nor in anything written to the
// console, stdout or stderr during the walk. And the client refuses to send a token
// over plain http:// to a host that is not this machine unless allowInsecureHttp is set.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { startSim, requestOf } from "./sim.mjs";
import * as pkg from "../../pkg/node.mjs";

const TOKEN = "tok_RECOGNISABLE_9f8e7d6c5b4a3";
const MISSING = "00000000-0000-4000-8000-000000000000";
let sim;

before(async () => {
  sim = await startSim(["--token", TOKEN, "--tick-ms", "86400000"]);
});
after(() => sim?.stop());

const client = (extra = {}) => new pkg.PrebuildClient({ baseUrl: `${sim.url}/api`, token: TOKEN, maxRetries: 0, ...extra });
const fault = (kind, extra = {}) => ({ ...extra, headers: { "x-sim-fault": kind } });

/** Records everything written to the console, stdout and stderr while `fn` runs. */
async function capturingOutput(fn) {
  const captured = [];
  const saved = {};
  for (const m of ["log", "info", "warn", "error", "debug", "trace", "dir"]) {
    saved[m] = console[m];
    // Kept, not shown: the walk would flood the test output.
    console[m] = (...args) => {
      captured.push(args.map((a) => (typeof a === "string" ? a : inspect(a, { depth: 10, showHidden: true }))).join(" "));
    };
  }
  const writes = {};
  for (const stream of [process.stdout, process.stderr]) {
    writes[stream.fd] = stream.write;
    stream.write = function (chunk, ...rest) {
      captured.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return writes[stream.fd].call(this, chunk, ...rest);
    };
  }
  const warnings = [];
  const onWarning = (w) => warnings.push(`${w.name}: ${w.message}\n${w.stack}`);
  process.on("warning", onWarning);
  try {
    return { result: await fn(), captured, warnings };
  } finally {
    for (const m of Object.keys(saved)) console[m] = saved[m];
    process.stdout.write = writes[process.stdout.fd];
    process.stderr.write = writes[process.stderr.fd];
    process.off("warning", onWarning);
  }
}

test("the token appears in no error of any path, and in nothing logged", async () => {
  const info = sim.info;
  const pair = info.hints.freePair;
  const project = info.projects.find((p) => p.prebuildsEnabled).id;
  const c = client();
  // A completed prebuild to fail a cancel on, a page token of another filter.
  const { prebuilds: done } = await c.listPrebuilds({ pageSize: 1, filter: { phases: ["PREBUILD_PHASE_COMPLETED"] } });
  const page = await c.listPrebuilds({ pageSize: 1, filter: { projectIds: [project] } });
  assert.ok(page.pagination.nextToken, "a next page");

  const paths = {
    // Validation, before anything is sent.
    "validation: a parameter": () => c.getPrebuild({ prebuildId: "nope" }),
    "validation: an unknown parameter": () => c.getPrebuild({ prebuildId: MISSING, extra: TOKEN }),
    "validation: a BigInt": () => c.getPrebuild({ prebuildId: 1n }),
    "validation: timeoutMs": () => client({ timeoutMs: -1 }).listPrebuilds(),
    "validation: maxRetries": () => client({ maxRetries: 99 }).listPrebuilds(),
    "validation: a header with a line break": () => c.listPrebuilds({}, { headers: { "x-a": `${TOKEN}\r\nx-b: 1` } }),
    "validation: a token with a line break": () => client({ token: `${TOKEN}\n` }).listPrebuilds(),
    "validation: plain http to another host": () => client({ baseUrl: "http://api.example.test/api" }).listPrebuilds(),
    "validation: a base URL that is not one": () => client({ baseUrl: "ftp://x" }).listPrebuilds(),
    "validation: fetch that is not a function": () => client({ fetch: TOKEN }).listPrebuilds(),
    // Every status the simulator can produce.
    "400 invalid_argument (a page token of another filter)": () =>
      c.listPrebuilds({ pageSize: 1, token: page.pagination.nextToken, filter: { projectIds: [MISSING] } }),
    "400 failed_precondition (cancel a finished prebuild)": () => c.cancelPrebuild({ prebuildId: done[0].id }),
    "401 unauthenticated (a wrong token)": () => client({ token: `${TOKEN}-wrong` }).listPrebuilds(),
    "404 not_found": () => c.getPrebuild({ prebuildId: MISSING }),
    "404 unimplemented (no service there)": () => client({ baseUrl: `${sim.url}/api/v0` }).listPrebuilds(),
    "404 from the static files": () => client({ baseUrl: `${sim.url}/elsewhere` }).listPrebuilds(),
    "405 (POST to a static path)": () => client({ baseUrl: sim.url }).listPrebuilds(),
    "409 already_exists (a second warm pool)": async () => {
      await c.createWarmPool({ projectId: pair.projectId, environmentClassId: pair.environmentClassId, maxSize: 2 }).catch(() => {});
      return c.createWarmPool({ projectId: pair.projectId, environmentClassId: pair.environmentClassId, maxSize: 2 });
    },
    "429 resource_exhausted (fault)": () => c.listPrebuilds({}, fault("429;retry-after-ms=1")),
    "431 (headers too large)": () => c.listPrebuilds({}, { headers: { "x-pad": "a".repeat(600_000) } }),
    "500 internal (fault)": () => c.listPrebuilds({}, fault("500")),
    "502 (an HTML page)": () => c.listPrebuilds({}, fault("html502")),
    "503 unavailable (fault), after retries": () => client({ maxRetries: 1 }).listPrebuilds({}, fault("503;retry-after-ms=1")),
    // No answer.
    "decode: a truncated body": () => c.listPrebuilds({}, fault("malformed")),
    "connection: a reset": () => c.listPrebuilds({}, fault("reset")),
    "connection: refused": () => client({ baseUrl: "http://127.0.0.1:9/api" }).listPrebuilds(),
    "connection: a fetch whose error shows the request's headers": () =>
      client({
        fetch: (input, init) => {
          const req = requestOf(input, init);
          return Promise.reject(new Error(`boom ${req.url} ${JSON.stringify(Object.fromEntries(req.headers))}`));
        },
      }).listPrebuilds(),
    "timeout: a late answer": () => c.listPrebuilds({}, fault("delay=2000", { timeoutMs: 50 })),
    "timeout: a stalled body": () => c.listPrebuilds({}, fault("stall", { timeoutMs: 100 })),
    "abort: before the call": () => c.listPrebuilds({}, { signal: AbortSignal.abort() }),
    "abort: during an attempt": () => c.listPrebuilds({}, { signal: AbortSignal.timeout(50), headers: { "x-sim-fault": "delay=2000" } }),
    "abort: during a backoff": () =>
      client({ maxRetries: 2 }).listPrebuilds({}, { signal: AbortSignal.timeout(200), headers: { "x-sim-fault": "503;retry-after-ms=5000" } }),
  };

  const { result: errors, captured, warnings } = await capturingOutput(async () => {
    const out = [];
    for (const [name, run] of Object.entries(paths)) {
      const e = await run().then(() => assert.fail(`${name}: expected a failure`), (e) => e);
      out.push([name, e]);
      // What an application would log.
      console.error(`caught:`, e);
      console.log(String(e), e.message);
    }
    return out;
  });

  const classes = {};
  for (const [name, e] of errors) {
    assert.ok(e instanceof pkg.PrebuildClientError, `${name}: ${e?.name}: ${e?.message}`);
    classes[e.name] = (classes[e.name] ?? 0) + 1;
    const views = {
      message: e.message,
      "String(e)": String(e),
      "JSON.stringify(e)": JSON.stringify(e),
      stack: e.stack,
      inspect: inspect(e, { depth: 10, showHidden: true }),
      details: JSON.stringify(e.details ?? null),
    };
    for (const [view, text] of Object.entries(views)) {
      assert.ok(!String(text).includes(TOKEN), `${name}: ${view} shows the token: ${text}`);
    }
  }
  const statuses = [...new Set(errors.map(([, e]) => e.status).filter(Boolean))].sort();
  assert.deepEqual(statuses, [400, 401, 404, 405, 409, 429, 431, 500, 502, 503], "every status the simulator produces");
  for (const cls of ["ValidationError", "BadRequestError", "AuthenticationError", "NotFoundError", "APIError", "ConflictError",
    "RateLimitError", "InternalServerError", "ResponseDecodeError", "APIConnectionError", "APIConnectionTimeoutError", "APIUserAbortError"]) {
    assert.ok(classes[cls] > 0, `a path ends in ${cls}: ${JSON.stringify(classes)}`);
  }
  const logged = captured.join("\n") + warnings.join("\n");
  assert.ok(captured.length >= Object.keys(paths).length, "the walk was logged");
  assert.ok(!logged.includes(TOKEN), "the token is in nothing logged");
  console.log(`secrets: ${errors.length} error paths (${statuses.length} HTTP statuses: ${statuses.join(", ")}; ${Object.keys(classes).length} classes), ` +
    `${captured.length} captured log writes: the token appears in none`);
});

test("plain http:// to a host that is not this machine is refused before anything is sent", async () => {
  const sent = [];
  const recording = (input, init) => {
    const req = requestOf(input, init);
    sent.push({ host: new URL(req.url).host, authorization: req.headers.get("authorization") ?? undefined });
    // Everything is answered by the simulator, wherever it was addressed.
    const u = new URL(req.url);
    return fetch(new Request(`${sim.url}${u.pathname}${u.search}`, req));
  };
  for (const baseUrl of ["http://api.example.test/api", "http://10.0.0.8:8080/api", "http://127.0.0.1.example.test/api",
    "http://localhost.example.test/api", "http://[::2]/api", "http://0.0.0.0:8787/api"]) {
    const e = await new pkg.PrebuildClient({ baseUrl, token: TOKEN, fetch: recording }).listPrebuilds().catch((e) => e);
    assert.ok(e instanceof pkg.ValidationError, `${baseUrl}: ${e?.name}`);
    assert.equal(e.field, "baseUrl");
    assert.match(e.message, /plain http:\/\/ to a host that is not this machine.*https:\/\/.*allowInsecureHttp: true/);
  }
  assert.equal(sent.length, 0, "nothing was sent");

  // Loopback in all its spellings, https anywhere, no token, or the explicit opt-in: sent.
  const port = new URL(sim.url).port;
  const allowed = [
    [{ baseUrl: `http://localhost:${port}/api` }, `localhost:${port}`],
    [{ baseUrl: `http://LOCALHOST:${port}/api` }, `localhost:${port}`],
    [{ baseUrl: `http://127.8.9.10:${port}/api` }, `127.8.9.10:${port}`],
    [{ baseUrl: `http://[::1]:${port}/api` }, `[::1]:${port}`],
    [{ baseUrl: "https://api.example.test/api" }, "api.example.test"],
    [{ baseUrl: "http://api.example.test/api", allowInsecureHttp: true }, "api.example.test"],
  ];
  for (const [options, host] of allowed) {
    sent.length = 0;
    const r = await new pkg.PrebuildClient({ token: TOKEN, fetch: recording, ...options }).listPrebuilds({ pageSize: 1 });
    assert.equal(r.prebuilds.length, 1, JSON.stringify(options));
    assert.deepEqual(sent, [{ host, authorization: `Bearer ${TOKEN}` }], JSON.stringify(options));
  }
  sent.length = 0;
  const e = await new pkg.PrebuildClient({ baseUrl: "http://api.example.test/api", fetch: recording }).listPrebuilds().catch((e) => e);
  assert.ok(e instanceof pkg.AuthenticationError, "without a token there is nothing to expose: sent, and refused by the server");
  assert.deepEqual(sent, [{ host: "api.example.test", authorization: undefined }]);
  const bad = await new pkg.PrebuildClient({ baseUrl: "http://x.test", token: TOKEN, allowInsecureHttp: "yes" }).listPrebuilds().catch((e) => e);
  assert.ok(bad instanceof pkg.ValidationError && bad.field === "allowInsecureHttp");
});

test("a backslash cannot smuggle a remote host past the loopback check (fetch reads '\\' as '/')", async () => {
  const sent = [];
  const recording = (input, init) => {
    sent.push(new URL(requestOf(input, init).url).host);
    return Promise.reject(new Error("not sent anywhere"));
  };
  for (const baseUrl of ["http://evil.example\\@127.0.0.1/api", "http://evil.example\\@localhost:8080/api"]) {
    assert.equal(new URL(baseUrl).host, "evil.example", "where fetch would send it");
    const e = await new pkg.PrebuildClient({ baseUrl, token: TOKEN, fetch: recording }).listPrebuilds().catch((e) => e);
    assert.ok(e instanceof pkg.ValidationError && e.field === "baseUrl", `${baseUrl}: ${e?.name}`);
  }
  assert.deepEqual(sent, [], `the token went to ${sent}`);
});
