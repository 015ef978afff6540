// The package in a real Manifest V3 extension, loaded unpacked into Debian's Chromium
// (headless, Playwright persistent context): its module service worker imports
// index.js, initialises the wasm without top-level await (not allowed in service
// workers), and calls the simulator, on install and when an extension page asks.
// Two more extensions show what an extension needs: without 'wasm-unsafe-eval' in its
// CSP the wasm cannot compile; without host permissions a server that does not answer
// CORS cannot be called.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { startSim } from "./sim.mjs";

const PKG = resolve("pkg");
const MISSING = "00000000-0000-4000-8000-000000000000";
const CSP = "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'";

let sim, noCors, dir, context;
const workers = {}; // extension name -> its service worker
const ids = {}; // extension name -> extension id

// The service worker of each extension: no top-level await, listeners registered at
// the top level (as Chrome requires), the client created on first use.
const SW = `
import { PrebuildClient, NotFoundError, init } from "./index.js";
import { SIM_URL, NO_CORS_URL } from "./config.js";

// Start loading the wasm now; calls wait for it themselves, so nothing awaits here.
const ready = init();
ready.catch(() => {});
const client = new PrebuildClient({ baseUrl: SIM_URL + "/api", token: "extension-token", maxRetries: 0 });

async function run() {
  const { prebuilds } = await client.listPrebuilds({ pageSize: 3 });
  const { prebuild } = await client.getPrebuild({ prebuildId: prebuilds[0].id });
  const e = await client.getPrebuild({ prebuildId: "${MISSING}" }).catch((e) => e);
  return {
    count: prebuilds.length,
    same: prebuild.id === prebuilds[0].id,
    notFound: e instanceof NotFoundError,
    status: e.status,
    code: e.code,
  };
}
const settle = (p) => p.then((value) => ({ value }), (e) => ({ error: (e && e.name) + ": " + (e && e.message) }));

// Run by the browser itself when the extension is installed.
globalThis.installRun = new Promise((resolve) => {
  chrome.runtime.onInstalled.addListener(() => resolve(settle(run())));
});
// Run when an extension page asks.
chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (message === "run") {
    settle(run()).then(reply);
    return true; // the reply comes later
  }
});
globalThis.callNoCors = () =>
  settle(new PrebuildClient({ baseUrl: NO_CORS_URL + "/api", token: "t", maxRetries: 0 }).listPrebuilds({ pageSize: 1 }));
globalThis.initResult = () => settle(ready.then(() => "ready"));
`;

function extension(name, { csp = true, hostPermissions = true } = {}) {
  const ext = join(dir, name);
  mkdirSync(ext, { recursive: true });
  for (const f of ["index.js", "client.js", "errors.js", "gitpod_prebuilds.js", "gitpod_prebuilds_bg.wasm", "snippets"]) {
    cpSync(join(PKG, f), join(ext, f), { recursive: true });
  }
  const manifest = {
    manifest_version: 3,
    name,
    version: "1.0",
    background: { service_worker: "sw.js", type: "module" },
    ...(hostPermissions ? { host_permissions: ["http://127.0.0.1/*"] } : {}),
    ...(csp ? { content_security_policy: { extension_pages: CSP } } : {}),
  };
  writeFileSync(join(ext, "manifest.json"), JSON.stringify(manifest, null, 2));
  writeFileSync(join(ext, "config.js"), `export const SIM_URL = ${JSON.stringify(sim.url)};\nexport const NO_CORS_URL = ${JSON.stringify(`http://127.0.0.1:${noCors.address().port}`)};\n`);
  writeFileSync(join(ext, "sw.js"), SW);
  writeFileSync(join(ext, "page.html"), "<!doctype html><title>page</title>");
  return ext;
}

before(async () => {
  sim = await startSim();
  // A server that answers the API but not CORS (no preflight, no allow-origin), as a
  // real API behind a proxy might: only host permissions let an extension call it.
  noCors = http.createServer((req, res) => {
    if (req.method !== "POST") {
      res.writeHead(405);
      return res.end();
    }
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ prebuilds: [{ id: "from-no-cors" }], pagination: {} }));
    });
  });
  await new Promise((r) => noCors.listen(0, "127.0.0.1", r));
  dir = mkdtempSync(join(tmpdir(), "gitpod-prebuilds-ext-"));
  const exts = [
    extension("prebuilds-extension"),
    extension("without-wasm-csp", { csp: false }),
    extension("without-host-permissions", { hostPermissions: false }),
  ];
  context = await chromium.launchPersistentContext(join(dir, "profile"), {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: false, // the new headless mode below, which loads extensions
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run",
      `--disable-extensions-except=${exts.join(",")}`, `--load-extension=${exts.join(",")}`],
  });
  const deadline = Date.now() + 30_000;
  while (context.serviceWorkers().length < exts.length) {
    assert.ok(Date.now() < deadline, `service workers: ${context.serviceWorkers().map((w) => w.url())}`);
    await context.waitForEvent("serviceworker", { timeout: deadline - Date.now() }).catch(() => {});
  }
  for (const sw of context.serviceWorkers()) {
    // The extension APIs are bound a moment after the worker starts.
    await sw.evaluate(() => new Promise((r) => {
      const check = () => (globalThis.chrome?.runtime?.getManifest ? r() : setTimeout(check, 20));
      check();
    }));
    const name = await sw.evaluate(() => chrome.runtime.getManifest().name);
    workers[name] = sw;
    ids[name] = new URL(sw.url()).host;
  }
});
after(async () => {
  await context?.close();
  await sim?.stop();
  await new Promise((r) => (noCors ? noCors.close(r) : r()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const EXPECTED = { count: 3, same: true, notFound: true, status: 404, code: "not_found" };

test("the extension's service worker calls the simulator when installed", async () => {
  const r = await workers["prebuilds-extension"].evaluate(() => globalThis.installRun);
  assert.deepEqual(r, { value: EXPECTED });
});

test("an extension page asks the service worker, which calls again", async () => {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${ids["prebuilds-extension"]}/page.html`);
  const r = await page.evaluate(() => chrome.runtime.sendMessage("run"));
  await page.close();
  assert.deepEqual(r, { value: EXPECTED });
});

test("with host permissions, a server without CORS can be called", async () => {
  const r = await workers["prebuilds-extension"].evaluate(() => globalThis.callNoCors());
  assert.equal(r.error, undefined, r.error);
  assert.deepEqual(r.value.prebuilds.map((p) => p.id), ["from-no-cors"]);
});

test("without host permissions, that server cannot be called (CORS), while the simulator can", async () => {
  const sw = workers["without-host-permissions"];
  const r = await sw.evaluate(() => globalThis.callNoCors());
  assert.match(r.error ?? "", /^APIConnectionError: /);
  assert.deepEqual(await sw.evaluate(() => globalThis.installRun), { value: EXPECTED });
});

test("without 'wasm-unsafe-eval' in the CSP the wasm cannot compile, and the error says what to do", async () => {
  const r = await workers["without-wasm-csp"].evaluate(() => globalThis.initResult());
  assert.match(r.error ?? "", /^PrebuildClientError: gitpod-prebuilds could not load its WebAssembly module; pass it to init\(\)/);
  assert.match(r.error ?? "", /CompileError: .*(Content Security Policy|wasm-eval)/);
});
