// Shared set-up of the end-to-end tests: a prebuild-sim on a free port with a fast
// clock, Debian's Chromium through playwright-core, and screenshots.
//
// Environment:
//   SIM_BIN   the simulator binary (default target/release/prebuild-sim)
//   CHROMIUM  the browser (default /usr/bin/chromium)
//   E2E_HEADED=1 shows the browser (for debugging on a desktop)

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { after, before, beforeEach } from "node:test";
import { chromium } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SCREENSHOTS = path.join(ROOT, "target", "screenshots");

const SIM_BIN = path.resolve(ROOT, process.env.SIM_BIN || "target/release/prebuild-sim");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Generous wait for anything the page does on its own (polls, lifecycle). */
export const WAIT = 20_000;

export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const running = new Set();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * Starts the simulator on a free port; resolves to `{ url, child, stop(), reset() }`
 * once it printed `prebuild-sim listening on http://HOST:PORT`.
 */
export async function startSim({ tickMs = 100, args = [] } = {}) {
  if (!existsSync(SIM_BIN)) {
    throw new Error(`no simulator at ${SIM_BIN}: build it with "cargo build --release -p prebuild-sim" or set SIM_BIN`);
  }
  if (!existsSync(path.join(ROOT, "pkg", "index.js"))) {
    throw new Error(`no package at ${path.join(ROOT, "pkg")}: build it with "make pkg"`);
  }
  const child = spawn(
    SIM_BIN,
    ["--port", "0", "--host", "127.0.0.1", "--tick-ms", String(tickMs), "--quiet", "--www", "www", "--pkg", "pkg", ...args],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  running.add(child);
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => fail(new Error(`prebuild-sim did not report its address in 30 s; stderr: ${stderr}`)), 30_000);
    function fail(err) {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(err);
    }
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", function onData(d) {
      out += d;
      const line = out.split("\n")[0];
      if (!out.includes("\n")) return;
      const m = /^prebuild-sim listening on (http:\/\/\S+?)\/?\s*$/.exec(line);
      if (!m) return fail(new Error(`unexpected first line from prebuild-sim: ${JSON.stringify(line)}`));
      clearTimeout(timer);
      child.stdout.off("data", onData);
      child.stdout.resume(); // keep draining
      resolve(m[1]);
    });
    child.on("exit", (code, signal) => fail(new Error(`prebuild-sim exited (${code ?? signal}) before listening; stderr: ${stderr}`)));
    child.on("error", fail);
  });
  child.removeAllListeners("exit");
  const base = url.replace(/\/$/, "");
  return {
    url: `${base}/`,
    base,
    child,
    async reset() {
      const res = await fetch(`${base}/_sim/reset`, { method: "POST" });
      if (!res.ok) throw new Error(`/_sim/reset answered ${res.status}`);
    },
    async info() {
      const res = await fetch(`${base}/_sim/info`);
      if (!res.ok) throw new Error(`/_sim/info answered ${res.status}`);
      return res.json();
    },
    /** Calls the API directly (for set-up and checks, not for what the page does). */
    async api(method, body = {}, query = "") {
      const res = await fetch(`${base}/api/gitpod.v1.PrebuildService/${method}${query}`, {
        method: "POST",
        headers: { "content-type": "application/json", "connect-protocol-version": "1", authorization: "Bearer test" },
        body: JSON.stringify(body),
      });
      const json = await res.json();
      if (!res.ok) throw new Error(`${method}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    },
    stop() {
      return stopChild(child);
    },
  };
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    running.delete(child);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(timer);
      running.delete(child);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Launches Debian's Chromium. */
export function launchBrowser() {
  const headed = process.env.E2E_HEADED === "1";
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: !headed,
    args: headed ? CHROMIUM_ARGS.filter((a) => a !== "--headless") : CHROMIUM_ARGS,
  });
}

/**
 * Opens the demo in a fresh context. `settings` pre-fills the page's settings (as if
 * remembered in this tab). Collects page errors, console errors and CSP reports in
 * `problems`, and every API request in `requests`.
 */
export async function openDemo(browser, sim, { viewport = LAPTOP, settings, waitForRows = true } = {}) {
  const context = await browser.newContext({ viewport, reducedMotion: "reduce" });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
  });
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.type()} ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on("request", (req) => {
    if (req.url().includes("/api/")) requests.push({ method: methodOf(req.url()), url: req.url(), headers: req.headers(), body: req.postData() });
  });
  if (settings) {
    await page.addInitScript((s) => {
      sessionStorage.setItem("gitpod-prebuilds-demo.settings", JSON.stringify({ remember: true, ...s }));
    }, settings);
  }
  await page.goto(sim.url);
  await page.locator("body[data-ready=true]").waitFor({ timeout: WAIT });
  if (waitForRows) await page.locator("#pb-rows tr").first().waitFor({ timeout: WAIT });
  return { context, page, problems, requests };
}

/** "ListPrebuilds" from an API URL. */
export function methodOf(url) {
  return new URL(url).pathname.split("/").pop();
}

/** Saves a full-page screenshot as target/screenshots/NAME.png. */
export async function screenshot(page, name, { fullPage = true } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/** Starts a simulator and a browser for one test file. */
export async function suite(opts = {}) {
  const sim = await startSim(opts);
  let browser;
  try {
    browser = await launchBrowser();
  } catch (err) {
    await sim.stop();
    throw err;
  }
  return {
    sim,
    browser,
    async close() {
      await browser.close().catch(() => {});
      await sim.stop();
    },
  };
}

/** Row locator of the prebuilds table for an id. */
export function prebuildRow(page, id) {
  return page.locator(`#pb-rows tr[data-id="${id}"]`);
}

/** Waits until the page's text at `selector` matches `re`. */
export async function waitForText(page, selector, re, timeout = WAIT) {
  await page.waitForFunction(
    ([sel, source, flags]) => {
      const node = document.querySelector(sel);
      return node && new RegExp(source, flags).test(node.textContent);
    },
    [selector, re.source, re.flags],
    { timeout },
  );
}

/**
 * Registers the hooks every e2e file shares: one simulator and browser per file, the
 * seed state restored and the previous test's pages closed before each test. Returns
 * `{ env, info, demo(opts) }`, filled in once the file's tests start.
 */
export function demoSuite(opts = {}) {
  const open = [];
  const s = {
    env: undefined,
    info: undefined,
    async demo(demoOpts) {
      const d = await openDemo(s.env.browser, s.env.sim, demoOpts);
      open.push(d.context);
      return d;
    },
  };
  before(async () => {
    s.env = await suite(opts);
    s.info = await s.env.sim.info();
  });
  after(async () => {
    await s.env?.close();
  });
  beforeEach(async () => {
    while (open.length) await open.pop().close();
    await s.env.sim.reset();
  });
  return s;
}

// ---------------------------------------------------------------- the static build

/** `make demo-static`'s output: the demo with the simulator running in the page. */
export const DEMO_STATIC = path.join(ROOT, "target", "demo-static");

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
};

/**
 * Serves `dir` as a plain static file host would, under a path prefix (so that only
 * relative URLs work): GET and HEAD of files, 404 for anything else. Resolves to
 * `{ url, requests, stop() }`; `requests` lists every request as "METHOD /path status".
 */
export async function startStaticServer(dir = DEMO_STATIC, prefix = "/some/host/demo/") {
  if (!existsSync(path.join(dir, "index.html")) || !existsSync(path.join(dir, "pkg", "sim.js"))) {
    throw new Error(`no static demo at ${dir}: build it with "make demo-static"`);
  }
  const requests = [];
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let status = 404;
    let file = null;
    if ((req.method === "GET" || req.method === "HEAD") && pathname.startsWith(prefix)) {
      const rel = pathname.slice(prefix.length) || "index.html";
      const full = path.resolve(dir, rel);
      if (full.startsWith(dir + path.sep) && existsSync(full) && statSync(full).isFile()) file = full;
    }
    if (file) {
      status = 200;
      res.writeHead(200, { "content-type": MIME[path.extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : readFileSync(file));
    } else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
    requests.push(`${req.method} ${pathname} ${status}`);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}${prefix}`,
    prefix,
    requests,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** `/_sim/info` of the static build's simulator for `seed` (its own sim.js, run in Node). */
export async function staticSimInfo(seed = 1) {
  const { createSimulator } = await import(pathToFileURL(path.join(DEMO_STATIC, "pkg", "sim.js")).href);
  const sim = await createSimulator({ seed });
  try {
    return sim.info();
  } finally {
    sim.close();
  }
}

/**
 * The hooks of a file that tests the static build: one static server and browser per
 * file, every test's page in a fresh context (a fresh simulator in the page). `demo({
 * query, ...openDemo options })` opens the page with `query` (the simulator's options,
 * e.g. "tick-ms=100").
 */
export function staticDemoSuite() {
  const open = [];
  const s = {
    server: undefined,
    browser: undefined,
    info: undefined,
    async demo({ query = "", ...opts } = {}) {
      const d = await openDemo(s.browser, { url: `${s.server.url}${query ? `?${query}` : ""}` }, opts);
      open.push(d.context);
      return d;
    },
  };
  before(async () => {
    s.server = await startStaticServer();
    s.browser = await launchBrowser();
    s.info = await staticSimInfo();
  });
  after(async () => {
    await s.browser?.close().catch(() => {});
    await s.server?.stop();
  });
  beforeEach(async () => {
    while (open.length) await open.pop().close();
  });
  return s;
}
