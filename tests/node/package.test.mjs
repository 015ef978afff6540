// The built package as its users see it in Node: both module systems, iterators,
// error classes, options from the environment, and secrets kept out of errors.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { resolve } from "node:path";
import { startSim, countingFetch } from "./sim.mjs";
import * as pkg from "../../pkg/node.mjs";

const require = createRequire(import.meta.url);
const TOKEN = "node-test-token-5f3a9c";
let sim;

before(async () => {
  sim = await startSim(["--token", TOKEN]);
});
after(() => sim?.stop());

const client = (extra = {}) => new pkg.PrebuildClient({ baseUrl: `${sim.url}/api`, token: TOKEN, ...extra });
const MISSING = "00000000-0000-4000-8000-000000000000";

test("ESM import exposes the client, init and every error class", () => {
  for (const name of [
    "PrebuildClient", "init", "PrebuildClientError", "ValidationError", "APIError", "BadRequestError",
    "AuthenticationError", "PermissionDeniedError", "NotFoundError", "ConflictError",
    "UnprocessableEntityError", "RateLimitError", "InternalServerError", "APIConnectionError",
    "APIConnectionTimeoutError", "APIUserAbortError", "ResponseDecodeError",
  ]) {
    assert.equal(typeof pkg[name], "function", name);
  }
  assert.ok(new pkg.NotFoundError("m") instanceof pkg.APIError);
  assert.ok(new pkg.APIConnectionTimeoutError("m") instanceof pkg.APIConnectionError);
  assert.equal(new pkg.RateLimitError("m").name, "RateLimitError");
});

test("require() works and calls the simulator", async () => {
  const cjs = require("../../pkg/node.cjs");
  const c = new cjs.PrebuildClient({ baseUrl: `${sim.url}/api`, token: TOKEN });
  const { prebuilds } = await c.listPrebuilds({ pageSize: 3 });
  assert.equal(prebuilds.length, 3);
  await assert.rejects(c.getPrebuild({ prebuildId: MISSING }), cjs.NotFoundError);
});

test("import and require give one copy of the package: the same classes, one wasm instance", async () => {
  const cjs = require("../../pkg/node.cjs");
  for (const name of ["PrebuildClient", "init", "PrebuildClientError", "ValidationError", "APIError", "NotFoundError"]) {
    assert.equal(cjs[name], pkg[name], name);
  }
  const e = await new cjs.PrebuildClient({ baseUrl: `${sim.url}/api`, token: TOKEN }).getPrebuild({ prebuildId: "x" }).catch((e) => e);
  assert.ok(e instanceof pkg.ValidationError && e instanceof pkg.PrebuildClientError);
  const missing = await client().getPrebuild({ prebuildId: MISSING }).catch((e) => e);
  assert.ok(missing instanceof cjs.NotFoundError);
});

test("the package.json exports resolve for import and require", () => {
  // A consumer folder with the package installed the way npm links a local package.
  mkdirSync("tests/node/consumer/node_modules", { recursive: true });
  const link = "tests/node/consumer/node_modules/gitpod-prebuilds";
  if (!existsSync(link)) symlinkSync(resolve("pkg"), link, "dir");
  const out = execFileSync(process.execPath, [
    "--input-type=module", "-e",
    `import { PrebuildClient } from "gitpod-prebuilds"; import { createRequire } from "node:module";
     const r = createRequire(import.meta.url)("gitpod-prebuilds");
     console.log(typeof PrebuildClient, typeof r.PrebuildClient, import.meta.resolve("gitpod-prebuilds").split("/").pop());`,
  ], { cwd: "tests/node/consumer", encoding: "utf8" });
  // node.mjs, not node-module.mjs: the "module" condition is for bundlers, which the
  // runtime matrix's esbuild and webpack rows cover.
  assert.equal(out.trim(), "function function node.mjs");
});

test("iterPrebuilds walks every page, fetching each only when needed", async () => {
  const fetch = countingFetch();
  const c = client({ fetch });
  const projectId = sim.info.projects[0].id;
  const filter = { projectIds: [projectId] };
  const seen = [];
  for await (const p of c.iterPrebuilds({ pageSize: 7, filter })) seen.push(p.id);
  assert.ok(seen.length > 14, `several pages: ${seen.length} items`);
  assert.equal(new Set(seen).size, seen.length, "no item twice");
  assert.equal(fetch.calls.length, Math.ceil(seen.length / 7) + (seen.length % 7 === 0 ? 1 : 0));
  let all = [];
  let token;
  do {
    const page = await c.listPrebuilds({ pageSize: 100, token, filter });
    all = all.concat(page.prebuilds.map((p) => p.id));
    token = page.pagination.nextToken;
  } while (token);
  assert.deepEqual(seen, all, "the same items in the same order as page by page");

  fetch.calls.length = 0;
  for await (const _ of c.iterPrebuilds({ pageSize: 5 })) break;
  assert.equal(fetch.calls.length, 1, "breaking out fetches no further page");
});

test("iterPrebuilds: next() called several times at once hands out each item once, in order", async () => {
  const fetch = countingFetch();
  const it = client({ fetch }).iterPrebuilds({ pageSize: 2 });
  const results = await Promise.all([it.next(), it.next(), it.next(), it.next(), it.next()]);
  const { prebuilds } = await client().listPrebuilds({ pageSize: 5 });
  assert.deepEqual(results.map((r) => r.done), [false, false, false, false, false]);
  assert.deepEqual(results.map((r) => r.value.id), prebuilds.map((p) => p.id));
  assert.equal(fetch.calls.length, 3, "each page fetched once, however many next() wait for it");
  assert.equal(it[Symbol.asyncIterator](), it);
  const generatorProto = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);
  assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(it)), generatorProto, "inherits what async generators do");
  assert.deepEqual(await it.return("v"), { value: "v", done: true });
  assert.deepEqual(await it.next(), { value: undefined, done: true }, "nothing after return()");

  const early = client().iterPrebuilds({ pageSize: 2 });
  const waiting = early.next(); // its page is being fetched
  await early.return();
  assert.deepEqual(await waiting, { value: undefined, done: true }, "return() while a page is on its way ends the walk");
});

test("iterPrebuilds: a page that fails rejects with its error, then the walk is over", async () => {
  let calls = 0;
  const fetch = (url, init) => {
    calls += 1;
    if (calls === 2) init.headers.set("x-sim-fault", "malformed");
    return globalThis.fetch(url, init);
  };
  const it = client({ fetch }).iterPrebuilds({ pageSize: 1 });
  assert.equal((await it.next()).done, false);
  await assert.rejects(it.next(), pkg.ResponseDecodeError);
  assert.deepEqual(await it.next(), { value: undefined, done: true });
  assert.equal(calls, 2, "no page fetched after the failure");
  const thrown = client().iterPrebuilds();
  await assert.rejects(thrown.throw(new Error("stop")), /stop/);
  assert.deepEqual(await thrown.next(), { value: undefined, done: true });
});

test("iterWarmPools walks every page", async () => {
  const c = client();
  const ids = [];
  for await (const w of c.iterWarmPools({ pageSize: 1 })) ids.push(w.id);
  const { warmPools } = await c.listWarmPools({ pageSize: 100 });
  assert.ok(ids.length >= 2, "several pages");
  assert.deepEqual(ids, warmPools.map((w) => w.id));
});

test("options come from GITPOD_BASE_URL and GITPOD_API_KEY in Node", () => {
  const out = execFileSync(process.execPath, [
    "--input-type=module", "-e",
    `const { PrebuildClient } = await import(${JSON.stringify(new URL("../../pkg/node.mjs", import.meta.url).href)});
     const r = await new PrebuildClient().listPrebuilds({ pageSize: 2 });
     console.log(r.prebuilds.length);`,
  ], { env: { ...process.env, GITPOD_BASE_URL: `${sim.url}/api`, GITPOD_API_KEY: TOKEN }, encoding: "utf8" });
  assert.equal(out.trim(), "2");
});

test("methods never throw synchronously", async () => {
  const c = client();
  let p;
  assert.doesNotThrow(() => (p = c.getPrebuild({ prebuildId: 1n })));
  await assert.rejects(p, pkg.ValidationError);
  assert.doesNotThrow(() => (p = new pkg.PrebuildClient({ timeoutMs: -1 }).listPrebuilds()));
  await assert.rejects(p, (e) => e instanceof pkg.ValidationError && e.field === "timeoutMs");
});

test("concurrent calls on one client all complete", async () => {
  const c = client();
  const { prebuilds } = await c.listPrebuilds({ pageSize: 20 });
  const got = await Promise.all(prebuilds.map((p) => c.getPrebuild({ prebuildId: p.id })));
  assert.deepEqual(got.map((g) => g.prebuild.id), prebuilds.map((p) => p.id));
});

test("the token appears in no error, however it fails", async () => {
  const secret = TOKEN;
  const fault = (kind) => ({ headers: { "x-sim-fault": kind } });
  const cases = [
    () => client().getPrebuild({ prebuildId: "nope" }),
    () => client().getPrebuild({ prebuildId: MISSING }),
    () => new pkg.PrebuildClient({ baseUrl: `${sim.url}/api`, token: "wrong-token" }).listPrebuilds(),
    () => client({ maxRetries: 0 }).listPrebuilds({}, fault("503")),
    () => client({ maxRetries: 0 }).listPrebuilds({}, fault("html502")),
    () => client({ maxRetries: 0 }).listPrebuilds({}, fault("malformed")),
    () => client({ maxRetries: 0 }).listPrebuilds({}, fault("reset")),
    () => client({ maxRetries: 0, timeoutMs: 50 }).listPrebuilds({}, fault("delay=1000")),
    () => client().listPrebuilds({}, { signal: AbortSignal.abort() }),
    () => new pkg.PrebuildClient({ baseUrl: "http://127.0.0.1:9/api", token: secret, maxRetries: 0 }).listPrebuilds(),
    () => new pkg.PrebuildClient({ baseUrl: "http://example.com/api", token: secret }).listPrebuilds(),
    () => new pkg.PrebuildClient({ baseUrl: `${sim.url}/api`, token: secret + "\n" }).listPrebuilds(),
  ];
  const classes = new Set();
  for (const run of cases) {
    const e = await run().then(() => assert.fail("expected a failure"), (e) => e);
    assert.ok(e instanceof pkg.PrebuildClientError, `${e}`);
    classes.add(e.name);
    for (const text of [e.message, String(e), JSON.stringify(e), e.stack]) {
      assert.ok(!text.includes(secret), `${e.name} leaks the token: ${text}`);
    }
  }
  assert.deepEqual([...classes].sort(), [
    "APIConnectionError", "APIConnectionTimeoutError", "APIUserAbortError", "AuthenticationError",
    "InternalServerError", "NotFoundError", "ResponseDecodeError", "ValidationError",
  ]);
});

test("parameters and options are read from JavaScript values as JSON would carry them, and what JSON would lose is refused or kept", async () => {
  const c = client({ maxRetries: 0 });
  const reject = async (p, field, pattern) =>
    assert.rejects(p, (e) => {
      assert.ok(e instanceof pkg.ValidationError, `${e}`);
      assert.equal(e.field, field);
      assert.match(e.message, pattern);
      return true;
    });
  // NaN and the infinities are named, and no numeric field takes them.
  await reject(c.listPrebuilds({ pageSize: NaN }), "pageSize", /must be a 32-bit integer, got "NaN"/);
  await reject(c.listPrebuilds({}, { timeoutMs: Infinity }), "timeoutMs", /got "Infinity"/);
  // A BigInt is a number; a fraction is not an integer.
  assert.equal((await c.listPrebuilds({ pageSize: 3n })).prebuilds.length, 3);
  await reject(c.listPrebuilds({ pageSize: 2.5 }), "pageSize", /must be a 32-bit integer, got 2.5/);
  // undefined is absent; a function is no data (absent, as in JSON).
  assert.ok((await c.listPrebuilds({ pageSize: undefined, filter: undefined })).prebuilds.length > 0);
  await reject(c.getPrebuild({ prebuildId: () => MISSING }), "prebuildId", /is required/);
  // A cycle cannot be JSON: refused, naming why, and the client goes on working.
  const cyclic = { pageSize: 2 };
  cyclic.self = cyclic;
  await reject(c.listPrebuilds(cyclic), "(root)", /must be plain data that JSON can hold/);
  // Headers given as a Map or a Headers object are sent like a plain object's.
  for (const headers of [new Map([["x-sim-fault", "503"]]), new Headers({ "x-sim-fault": "503" })]) {
    await assert.rejects(c.listPrebuilds({}, { headers }), (e) => e instanceof pkg.InternalServerError && e.status === 503);
  }
  assert.equal((await c.listPrebuilds({ pageSize: 1 })).prebuilds.length, 1);
});
