// The built package in a real browser (Debian's Chromium, headless): a page and a
// dedicated worker load it from the simulator, walk pages and meet its error classes;
// where the .wasm cannot be fetched, the inlined copy loads, and where neither can, the
// error says to pass the module to init(). gitpod-prebuilds/sim runs in a page and in a
// dedicated worker too, and a page that uses only the client never requests its files.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { startSim } from "./sim.mjs";

let sim, browser, page;

before(async () => {
  sim = await startSim();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  page = await browser.newPage();
  await page.goto(`${sim.url}/healthz`);
});
after(async () => {
  await browser?.close();
  await sim?.stop();
});

test("a page walks every page of prebuilds and warm pools with a relative base URL", async () => {
  const projectId = sim.info.projects[0].id;
  const r = await page.evaluate(async (projectId) => {
    const { PrebuildClient } = await import("/pkg/index.js");
    const client = new PrebuildClient({ baseUrl: "/api", token: "browser" });
    const prebuilds = [];
    for await (const p of client.iterPrebuilds({ pageSize: 9, filter: { projectIds: [projectId] } })) prebuilds.push(p);
    const pools = [];
    for await (const w of client.iterWarmPools({ pageSize: 1 })) pools.push(w.id);
    const first = await client.listPrebuilds({ pageSize: 100, filter: { projectIds: [projectId] } });
    return {
      count: prebuilds.length,
      unique: new Set(prebuilds.map((p) => p.id)).size,
      allInProject: prebuilds.every((p) => p.metadata.projectId === projectId),
      firstIds: first.prebuilds.slice(0, prebuilds.length).map((p) => p.id),
      ids: prebuilds.map((p) => p.id),
      pools: pools.length,
    };
  }, projectId);
  assert.ok(r.count > 18, `several pages of 9: ${r.count}`);
  assert.equal(r.unique, r.count);
  assert.ok(r.allInProject);
  assert.deepEqual(r.ids.slice(0, r.firstIds.length), r.firstIds);
  assert.ok(r.pools >= 2);
});

test("a page's iterPrebuilds is an async iterator like a generator's: await using ends it", async () => {
  const r = await page.evaluate(async () => {
    const { PrebuildClient } = await import("/pkg/index.js");
    const client = new PrebuildClient({ baseUrl: "/api", token: "browser" });
    const generatorProto = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);
    const it = client.iterPrebuilds({ pageSize: 2 });
    const first = await it.next();
    const dispose = it[Symbol.asyncDispose];
    // What `await using it = ...` calls when its block ends.
    if (typeof dispose === "function") await dispose.call(it);
    return {
      firstDone: first.done,
      sameProto: Object.getPrototypeOf(Object.getPrototypeOf(it)) === generatorProto,
      runtimeHasDispose: typeof generatorProto[Symbol.asyncDispose],
      dispose: typeof dispose,
      afterDispose: await it.next(),
    };
  });
  assert.equal(r.firstDone, false);
  assert.ok(r.sameProto);
  assert.equal(r.runtimeHasDispose, "function", "this Chromium has explicit resource management");
  assert.equal(r.dispose, "function");
  assert.deepEqual(r.afterDispose, { value: undefined, done: true }, "disposed: no further item, no further page");
});

test("errors in a page are instanceof-able Error subclasses", async () => {
  const r = await page.evaluate(async () => {
    const m = await import("/pkg/index.js");
    const client = new m.PrebuildClient({ baseUrl: "/api", token: "browser", maxRetries: 0 });
    const caught = async (p) => p.then(() => null, (e) => e);
    const notFound = await caught(client.getPrebuild({ prebuildId: "00000000-0000-4000-8000-000000000000" }));
    const invalid = await caught(client.createPrebuild({ projectId: "x", spec: {} }));
    const decode = await caught(client.listPrebuilds({}, { headers: { "x-sim-fault": "malformed" } }));
    return {
      notFound: [notFound instanceof m.NotFoundError, notFound instanceof m.APIError, notFound instanceof Error, notFound.status, notFound.code],
      invalid: [invalid instanceof m.ValidationError, invalid.field],
      decode: [decode instanceof m.ResponseDecodeError, decode.name],
    };
  });
  assert.deepEqual(r.notFound, [true, true, true, 404, "not_found"]);
  assert.deepEqual(r.invalid, [true, "projectId"]);
  assert.deepEqual(r.decode, [true, "ResponseDecodeError"]);
});

test("a dedicated worker loads the package and calls the simulator", async () => {
  const r = await page.evaluate(async () => {
    const code = `
      import { PrebuildClient, NotFoundError } from "${location.origin}/pkg/index.js";
      const client = new PrebuildClient({ baseUrl: "${location.origin}/api", token: "worker" });
      const { prebuilds } = await client.listPrebuilds({ pageSize: 4 });
      const e = await client.getPrebuild({ prebuildId: "00000000-0000-4000-8000-000000000000" }).catch((e) => e);
      postMessage({ count: prebuilds.length, notFound: e instanceof NotFoundError });`;
    const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })), { type: "module" });
    return await new Promise((resolve, reject) => {
      worker.onmessage = (m) => resolve(m.data);
      worker.onerror = (e) => reject(new Error(e.message));
    });
  });
  assert.deepEqual(r, { count: 4, notFound: true });
});

test("gitpod-prebuilds/sim runs in a dedicated worker: a prebuild moved to COMPLETED by advance(), its log streamed", async () => {
  const r = await page.evaluate(async () => {
    const code = `
      import { PrebuildClient } from "${location.origin}/pkg/index.js";
      import { createSimulator } from "${location.origin}/pkg/sim.js";
      const sim = await createSimulator({ seed: 7, clock: "manual" });
      const client = new PrebuildClient({ baseUrl: sim.baseUrl, token: sim.token, fetch: sim.fetch });
      const info = sim.info();
      const projectId = info.projects.find((p) => p.name === "acme/web-app").id;
      const { prebuild } = await client.createPrebuild({ projectId, spec: {} });
      let now = prebuild, ticks = 0;
      while (!/COMPLETED|FAILED/.test(now.status.phase) && ticks < 40) {
        sim.advance(info.tickMs);
        ticks++;
        ({ prebuild: now } = await client.getPrebuild({ prebuildId: prebuild.id }));
      }
      const lines = [];
      for await (const line of client.streamPrebuildLogs({ prebuildId: prebuild.id })) lines.push(line);
      postMessage({ phase: now.status.phase, ticks, lines: lines.length, requests: sim.stats().requests });
      sim.close();`;
    const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })), { type: "module" });
    return await new Promise((resolve, reject) => {
      worker.onmessage = (m) => resolve(m.data);
      worker.onerror = (e) => reject(new Error(e.message));
    });
  });
  assert.equal(r.phase, "PREBUILD_PHASE_COMPLETED");
  assert.equal(r.ticks, 18, "a new prebuild completes after 18 ticks");
  assert.ok(r.lines > 0, "the finished prebuild's log has lines");
  assert.ok(r.requests >= 20, `the calls went through sim.fetch: ${r.requests}`);
});

test("where the .wasm cannot be fetched (a bundler emitted none), the inlined copy loads instead", async () => {
  const p = await browser.newPage();
  const seen = [];
  p.on("request", (r) => seen.push(new URL(r.url()).pathname));
  await p.route("**/gitpod_prebuilds_bg.wasm", (route) => route.fulfill({ status: 404, body: "not found" }));
  await p.goto(`${sim.url}/healthz`);
  const r = await p.evaluate(async () => {
    const { PrebuildClient } = await import("/pkg/index.js");
    const { prebuilds } = await new PrebuildClient({ baseUrl: "/api", token: "t" }).listPrebuilds({ pageSize: 2 });
    return prebuilds.length;
  });
  await p.close();
  assert.equal(r, 2);
  assert.ok(seen.includes("/pkg/gitpod_prebuilds_bg.wasm") && seen.includes("/pkg/wasm-inline.js"), seen.join(" "));
});

test("a wasm that cannot be loaded at all rejects with an error that says to pass it to init(); init() then recovers", async () => {
  const p = await browser.newPage();
  await p.route(/\/(gitpod_prebuilds_bg\.wasm|wasm-inline\.js)$/, (route) => route.fulfill({ status: 404, body: "not found" }));
  await p.goto(`${sim.url}/healthz`);
  const failed = await p.evaluate(async () => {
    const m = await import("/pkg/index.js");
    globalThis.client = new m.PrebuildClient({ baseUrl: "/api", token: "t" });
    const e = await client.listPrebuilds({ pageSize: 1 }).catch((e) => e);
    const again = await m.init().catch((e) => e);
    return {
      name: e.name, message: e.message, base: e instanceof m.PrebuildClientError, cause: String(e.cause),
      validation: e instanceof m.ValidationError, again: again instanceof m.PrebuildClientError,
    };
  });
  assert.equal(failed.name, "PrebuildClientError");
  assert.ok(failed.base && !failed.validation && failed.again);
  assert.match(failed.message, /^gitpod-prebuilds could not load its WebAssembly module; pass it to init\(\) before the first call/);
  assert.match(failed.message, /404 Not Found fetching '.*\/pkg\/gitpod_prebuilds_bg\.wasm'/);
  assert.match(failed.cause, /failed to fetch Wasm: 404/);
  // Passed explicitly (here: its bytes), the module loads, and the same client works.
  await p.unroute(/\/(gitpod_prebuilds_bg\.wasm|wasm-inline\.js)$/);
  const count = await p.evaluate(async () => {
    const m = await import("/pkg/index.js");
    await m.init(await (await fetch("/pkg/gitpod_prebuilds_bg.wasm")).arrayBuffer());
    return (await client.listPrebuilds({ pageSize: 3 })).prebuilds.length;
  });
  await p.close();
  assert.equal(count, 3);
});

test("gitpod-prebuilds/sim runs in a page; a page that uses only the client never requests its files", async () => {
  const fresh = await browser.newPage();
  const requested = [];
  fresh.on("request", (r) => requested.push(new URL(r.url()).pathname));
  try {
    await fresh.goto(`${sim.url}/healthz`);
    const listed = await fresh.evaluate(async () => {
      const { PrebuildClient } = await import("/pkg/index.js");
      return (await new PrebuildClient({ baseUrl: "/api", token: "browser" }).listPrebuilds({ pageSize: 2 })).prebuilds.length;
    });
    assert.equal(listed, 2);
    assert.ok(requested.includes("/pkg/gitpod_prebuilds_bg.wasm"), requested.join(" "));
    assert.deepEqual(requested.filter((p) => p.includes("sim")), []);

    const phases = await fresh.evaluate(async () => {
      const { PrebuildClient } = await import("/pkg/index.js");
      const { createSimulator } = await import("/pkg/sim.js");
      const s = await createSimulator({ seed: 7 });
      const client = new PrebuildClient({ baseUrl: s.baseUrl, token: s.token, fetch: s.fetch });
      const id = (name) => s.info().projects.find((p) => p.name === name).id;
      const { prebuild: a } = await client.createPrebuild({ projectId: id("acme/web-app"), spec: {} });
      const { prebuild: b } = await client.createPrebuild({ projectId: id("acme/legacy-monolith"), spec: {} });
      s.advance(18 * 1000);
      const phase = async (p) => (await client.getPrebuild({ prebuildId: p.id })).prebuild.status.phase;
      const result = [await phase(a), await phase(b)];
      s.close();
      return result;
    });
    assert.deepEqual(phases, ["PREBUILD_PHASE_COMPLETED", "PREBUILD_PHASE_FAILED"]);
    assert.ok(requested.includes("/pkg/sim/prebuild_sim_bg.wasm"), requested.join(" "));
  } finally {
    await fresh.close();
  }
});
