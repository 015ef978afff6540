// The runtime matrix: the packed package (`npm pack` of pkg/), installed from its
// tarball as a user would, runs the same small script (shared/check.mjs: list a page,
// fetch one prebuild, a ValidationError and a NotFoundError instanceof the exported
// classes) against one real simulator in every runtime and bundler the package
// promises, each with no set-up for the package beyond what its row's `needs` says.
// Every result is checked here against the simulator's own answer. The "sim:" rows run
// another script (shared/sim-check.mjs) with no simulator process: gitpod-prebuilds/sim
// in-process, the client on its fetch, a prebuild moved to COMPLETED by advance(), in
// runtimes and in a page built by Vite (shared/sim-browser.mjs); the "sim: Vitest" row
// runs the example project vitest/ (a user's code and its Vitest tests against
// gitpod-prebuilds/sim) and checks every one of its tests passed. The rows, with
// their times, go to target/runtimes.json, from which `node tests/runtimes/readme-table.mjs`
// writes the README's "Runtimes and bundlers" table.
//
// Run from the repository root after `make pkg sim` (make test-runtimes does all of
// it): node --test tests/runtimes/matrix.test.mjs. The tools (bun, deno, wrangler, vite,
// vitest, webpack, next, typescript...) come from tests/runtimes/package-lock.json; build
// outputs go to target/runtimes/. MATRIX_ONLY=id,id runs some rows only; MATRIX_PKG=DIR
// tries another build of the package (say, an older one, to see the rows fail).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startSim } from "../node/sim.mjs";
import { exec, freePort, runScript, serve, serveStatic, stopAll } from "./shared/processes.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const OUT = join(ROOT, "target", "runtimes");
const BIN = join(HERE, "node_modules", ".bin");
const REPORT = join(ROOT, "target", "runtimes.json");
const PKG = resolve(process.env.MATRIX_PKG ?? join(ROOT, "pkg"));
const ONLY = process.env.MATRIX_ONLY?.split(",").filter(Boolean);

let sim, browser, expected, tarball;
const rows = [];
const started = Date.now();

const version = (name) => JSON.parse(readFileSync(join(HERE, "node_modules", name, "package.json"), "utf8")).version;
const ms = (t0) => Math.round(performance.now() - t0);

/**
 * Opens `url` (with ?sim=) in Chromium and waits for the page's window.__result (or
 * `read(page)`); notes how the wasm arrived: each .wasm response and each load of
 * the inlined copy.
 */
async function browse(url, { read = (page) => page.evaluate(() => globalThis.__result), timeoutMs = 90_000 } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const wasm = [];
  const logs = [];
  page.on("response", (r) => {
    const u = new URL(r.url());
    if (u.pathname.endsWith(".wasm")) wasm.push(`${u.pathname.split("/").pop()} ${r.status()}`);
    else if (/wasm-inline/.test(u.pathname)) wasm.push(`inlined copy (${u.pathname.split("/").pop()}) ${r.status()}`);
  });
  page.on("console", (m) => logs.push(`console.${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => logs.push(`pageerror: ${e.message}`));
  try {
    await page.goto(`${url}${url.includes("?") ? "&" : "?"}sim=${encodeURIComponent(sim.url)}`);
    const deadline = Date.now() + timeoutMs;
    let result;
    while (!(result = await read(page))) {
      if (Date.now() > deadline) throw new Error(`no result in the page within ${timeoutMs} ms\n${logs.join("\n")}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { result, wasm, logs };
  } finally {
    await context.close();
  }
}

/** What the wasm requests say: the .wasm file, or the inlined copy after the .wasm failed. */
function wasmSource(wasm, { inlinedInBundle = false } = {}) {
  const ok = wasm.filter((w) => / 200$/.test(w) && !w.startsWith("inlined"));
  const failed = wasm.filter((w) => !/ 200$/.test(w));
  if (ok.length) return `wasm: the .wasm file (${ok.map((w) => w.replace(/ 200$/, "")).join(", ")})`;
  const inlined = wasm.find((w) => w.startsWith("inlined") && / 200$/.test(w));
  if (inlined || inlinedInBundle) {
    const why = failed.length ? `, after ${failed.join(", ").replace(/ 404/g, ": 404")}` : "";
    return `wasm: the inlined copy${inlinedInBundle ? " in the bundle" : ""}${why}`;
  }
  return `wasm: ${wasm.join(", ") || "no request seen"}`;
}

/** Checks a row's result against the simulator's own first page. */
function verify(result) {
  if (!result?.ok) throw new Error(`the script failed: ${result?.error}\n${result?.stack ?? ""}`);
  assert.deepEqual(result.ids, expected, "the listed page is the simulator's first page");
  assert.equal(result.fetched, expected[0], "the prebuild fetched by id is the first listed");
  assert.equal(result.validation, "ValidationError on prebuildId");
  assert.equal(result.notFound, "NotFoundError 404");
}

/**
 * One row of the matrix: `run()` resolves with `{ result, detail }` (result: the
 * script's, checked by verify(); or `{ ok: true }` for rows without one).
 */
function row(id, { target, tool, how, needs }, run, { verifyResult = true } = {}) {
  if (ONLY && !ONLY.includes(id)) return;
  test(`${target} (${how})`, { timeout: 600_000 }, async () => {
    const record = { id, target, tool: tool(), how, needs, ok: false, ms: 0 };
    rows.push(record);
    const t0 = performance.now();
    try {
      const { result, detail } = await run();
      if (verifyResult) verify(result);
      record.ok = true;
      record.detail = [result?.oneCopy, result?.permissions, detail].filter(Boolean).join("; ");
    } catch (e) {
      record.error = String(e?.message ?? e).slice(0, 2000);
      throw e;
    } finally {
      record.ms = ms(t0);
      console.log(`# ${record.ok ? "pass" : "FAIL"} ${id} ${(record.ms / 1000).toFixed(1)} s ${record.detail ?? record.error?.split("\n")[0] ?? ""}`);
    }
  });
}

before(async () => {
  // The package as it would be published.
  mkdirSync(OUT, { recursive: true });
  const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", OUT], { cwd: PKG, encoding: "utf8" }));
  tarball = join(OUT, packed[0].filename);
  // Installed into the matrix's node_modules (beside the tools), the way a user adds it.
  execFileSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--no-package-lock", tarball], {
    cwd: HERE,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, npm_config_loglevel: "error" },
  });
  const installed = JSON.parse(readFileSync(join(HERE, "node_modules/gitpod-prebuilds/package.json"), "utf8"));
  assert.equal(installed.version, JSON.parse(readFileSync(join(PKG, "package.json"), "utf8")).version);
  sim = await startSim();
  // The simulator's own first page of 5, which every row must list.
  const res = await fetch(`${sim.url}/api/gitpod.v1.PrebuildService/ListPrebuilds`, {
    method: "POST",
    headers: { "content-type": "application/json", "connect-protocol-version": "1", authorization: "Bearer matrix" },
    body: JSON.stringify({ pagination: { pageSize: 5 } }),
  });
  expected = (await res.json()).prebuilds.map((p) => p.id);
  assert.equal(expected.length, 5);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});

after(async () => {
  stopAll();
  await nextApp?.then((s) => s.stop(), () => {});
  await browser?.close();
  await sim?.stop();
  if (!rows.length) return;
  const report = {
    date: new Date().toISOString(),
    revision: (() => {
      try {
        return execFileSync("git", ["describe", "--always", "--dirty"], { cwd: ROOT, encoding: "utf8" }).trim();
      } catch {
        return "unknown";
      }
    })(),
    machine: `${os.cpus()[0]?.model?.trim() ?? "?"}, ${os.cpus().length} cores, ${os.type()} ${os.arch()}`,
    node: process.version,
    package: `${relative(ROOT, tarball)} (${statSync(tarball).size} B)`,
    totalMs: Date.now() - started,
    partial: Boolean(ONLY),
    rows,
  };
  writeFileSync(REPORT, JSON.stringify(report, null, 2) + "\n");
  const passed = rows.filter((r) => r.ok).length;
  console.log(`# runtime matrix: ${passed} of ${rows.length} rows passed in ${(report.totalMs / 1000).toFixed(1)} s; ${relative(ROOT, REPORT)} written`);
});

const nodeV = () => `Node ${process.versions.node}`;
const out = (name) => {
  const dir = join(OUT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
};

// --- Runtimes ---------------------------------------------------------------------

row("node-esm", { target: "Node, ES modules", tool: nodeV, how: "node main.mjs", needs: "" }, async () => ({
  result: await runScript(process.execPath, ["node-esm/main.mjs", sim.url]),
}));

row("node-cjs", { target: "Node, CommonJS", tool: nodeV, how: "node main.cjs", needs: "" }, async () => ({
  result: await runScript(process.execPath, ["node-cjs/main.cjs", sim.url]),
}));

row("bun", { target: "Bun", tool: () => `bun ${version("bun")}`, how: "bun main.mjs", needs: "" }, async () => ({
  result: await runScript(join(BIN, "bun"), ["bun/main.mjs", sim.url]),
}));

row(
  "deno",
  { target: "Deno 2", tool: () => `deno ${version("deno")}`, how: "deno run --allow-net main.mjs", needs: "`--allow-net`" },
  async () => ({
    result: await runScript(join(BIN, "deno"), ["run", "--allow-net", "--no-lock", "deno/main.mjs", sim.url], {
      env: { DENO_DIR: join(OUT, "deno-cache") },
    }),
  }),
);

/** `wrangler dev` of the worker in tests/runtimes/<name>/ on a free port, once it answers. */
async function wranglerDev(name) {
  const port = await freePort();
  const server = await serve(
    join(BIN, "wrangler"),
    ["dev", "--port", String(port), "--ip", "127.0.0.1", "--inspector-port", String(await freePort()), "--log-level", "warn",
      "--persist-to", join(out(name), "state")],
    `http://127.0.0.1:${port}/healthz-of-the-worker`,
    { cwd: join(HERE, name), env: { WRANGLER_LOG_PATH: join(OUT, name, "logs") } },
  );
  return { url: `http://127.0.0.1:${port}/`, server };
}

/** What `wrangler deploy --dry-run` would upload for tests/runtimes/<name>/: its files, wrangler's output and total. */
async function wranglerUpload(name) {
  const dir = join(OUT, name, "upload");
  const { stdout, stderr } = await exec(join(BIN, "wrangler"), ["deploy", "--dry-run", "--outdir", dir], { cwd: join(HERE, name) });
  return { dir, files: readdirSync(dir), stdout, stderr, upload: /Total Upload: ([^\n]+)/.exec(stdout)?.[1]?.trim() };
}

row(
  "workerd",
  {
    target: "Cloudflare Workers (workerd)",
    tool: () => `wrangler ${version("wrangler")}, workerd ${version("workerd")}`,
    how: "wrangler dev",
    needs: "",
  },
  async () => {
    const { url, server } = await wranglerDev("workerd");
    let result;
    try {
      const res = await fetch(`${url}?sim=${encodeURIComponent(sim.url)}`);
      result = await res.json();
    } finally {
      await server.stop();
    }
    // What wrangler would upload: the .wasm as a module of its own, and no inlined copy.
    const { dir, files, upload } = await wranglerUpload("workerd");
    assert.ok(files.some((f) => f.endsWith("gitpod_prebuilds_bg.wasm")), `a .wasm module in the upload: ${files}`);
    const js = files.filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(dir, f), "utf8")).join("");
    assert.ok(!js.includes("H4sI") && !js.includes("AGFzbQ"), "no inlined wasm in the worker's JavaScript");
    return { result, detail: `the .wasm uploaded as a module, no inlined copy (upload ${upload})` };
  },
);

// --- gitpod-prebuilds/sim, the simulator in-process -------------------------------------

/**
 * Checks a sim row's result: the client listed a page through `sim.fetch`, and the
 * prebuild it created for acme/web-app reached COMPLETED by the manual clock alone.
 */
function checkSim(result) {
  if (!result?.ok) throw new Error(`the script failed: ${result?.error}\n${result?.stack ?? ""}`);
  assert.equal(result.listed, 5, "a page of 5 listed through sim.fetch");
  assert.equal(result.project, "acme/web-app");
  assert.match(result.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(result.phases[0], "PREBUILD_PHASE_PENDING", "created pending");
  assert.equal(result.final, "PREBUILD_PHASE_COMPLETED", "completed by advance()");
  assert.equal(result.steps, 18, "after 18 ticks");
  return `${result.runtime}: ${result.phases.map((p) => p.replace("PREBUILD_PHASE_", "")).join(" → ")} in ${result.steps} advance() steps`;
}

/** A sim row: the same script (sim/main.mjs) in one runtime; no simulator process, no network. */
function simRow(id, meta, cmd, args, opts) {
  row(id, meta, async () => ({ result: { ok: true }, detail: checkSim(await runScript(cmd, args, opts)) }), { verifyResult: false });
}

simRow("sim-node-esm", { target: "sim: Node, ES modules", tool: nodeV, how: "node main.mjs", needs: "" }, process.execPath, ["sim/main.mjs"]);

simRow("sim-bun", { target: "sim: Bun", tool: () => `bun ${version("bun")}`, how: "bun main.mjs", needs: "" }, join(BIN, "bun"), ["sim/main.mjs"]);

simRow(
  "sim-deno",
  {
    target: "sim: Deno 2",
    tool: () => `deno ${version("deno")}`,
    how: "deno run --allow-read main.mjs",
    needs: "`--allow-read`: sim.js reads its .wasm (sim/prebuild_sim_bg.wasm) from node_modules; no `--allow-net`",
  },
  join(BIN, "deno"),
  ["run", "--allow-read", "--no-lock", "sim/main.mjs"],
  { env: { DENO_DIR: join(OUT, "deno-cache") } },
);

row(
  "sim-workerd",
  {
    target: "sim: Cloudflare Workers (workerd)",
    tool: () => `wrangler ${version("wrangler")}, workerd ${version("workerd")}`,
    how: "wrangler dev",
    needs: "",
  },
  async () => {
    const { url, server } = await wranglerDev("sim-workerd");
    let result, devOutput;
    try {
      result = await (await fetch(url)).json();
    } finally {
      devOutput = server.output();
      await server.stop();
    }
    const detail = checkSim(result);
    // What wrangler would upload, bundled from the plain `import { createSimulator } from
    // "gitpod-prebuilds/sim"`: its "workerd" entry, the simulator's .wasm a module of its
    // own, and no Node module (without nodejs_compat, wrangler warns at node:fs).
    const { files, stdout, stderr, upload } = await wranglerUpload("sim-workerd");
    assert.ok(files.some((f) => f.endsWith("prebuild_sim_bg.wasm")), `the simulator's .wasm a module in the upload: ${files}`);
    for (const [what, text] of [["wrangler dev", devOutput], ["wrangler deploy --dry-run", `${stdout}\n${stderr}`]]) {
      assert.ok(!/"node:[\w/]+" wasn't found|nodejs_compat/.test(text), `${what} warns of no Node module:\n${text}`);
    }
    return { result: { ok: true }, detail: `${detail}; the .wasm uploaded as a module, no node:fs warning (upload ${upload})` };
  },
  { verifyResult: false },
);

// gitpod-prebuilds/sim in a page: Vite emits the simulator's .wasm (the `new URL(...,
// import.meta.url)` in sim.js) as an asset and leaves sim.js's read from disk, a dynamic
// import of a variable, alone: no warning about node:fs, and no config.
row(
  "sim-vite-build",
  {
    target: "sim: Page built by Vite",
    tool: () => `vite ${version("vite")}`,
    how: "vite build, served by vite preview",
    needs: "",
  },
  async () => {
    const dir = out("sim-vite-build");
    const { stdout, stderr } = await exec(join(BIN, "vite"), ["build"], { cwd: join(HERE, "sim-vite"), env: { MATRIX_OUT: dir } });
    // The config's logLevel is "warn": whatever vite build prints is a warning or an error.
    const printed = `${stdout}\n${stderr}`.trim();
    assert.ok(!/node:|externali[sz]ed|cannot be analy[sz]ed/i.test(printed), `vite build warns of no Node module:\n${printed}`);
    const assets = readdirSync(join(dir, "dist", "assets"));
    assert.ok(assets.some((f) => /^prebuild_sim_bg-[\w-]+\.wasm$/.test(f)), `the simulator's .wasm emitted as an asset: ${assets}`);
    const port = await freePort();
    const server = await serve(join(BIN, "vite"), ["preview", "--port", String(port), "--strictPort", "--host", "127.0.0.1"], `http://127.0.0.1:${port}/`, {
      cwd: join(HERE, "sim-vite"),
      env: { MATRIX_OUT: dir },
    });
    try {
      const { result, wasm } = await browse(`http://127.0.0.1:${port}/`);
      const detail = checkSim(result);
      assert.ok(wasm.includes(assets.find((f) => f.startsWith("prebuild_sim_bg-")) + " 200"), `the page fetched the simulator's .wasm: ${wasm}`);
      const warned = printed ? `vite build printed: ${printed.split("\n")[0]}` : "no warning from vite build";
      return { result: { ok: true }, detail: `${detail}; ${wasmSource(wasm)}; ${warned}` };
    } finally {
      await server.stop();
    }
  },
  { verifyResult: false },
);

// --- Tests of users' code: the example project vitest/, with Vitest ---------------------

// The example's tests (vitest/src/deploy.test.mjs), all of which must pass.
const VITEST_TESTS = 3;

row(
  "sim-vitest",
  {
    target: "sim: Vitest, a user's tests (tests/runtimes/vitest/)",
    tool: () => `vitest ${version("vitest")}, vite ${version("vite")}`,
    how: "vitest run",
    needs: "",
  },
  async () => {
    const json = join(out("sim-vitest"), "results.json");
    const { code, stdout, stderr } = await exec(
      join(BIN, "vitest"),
      ["run", "--no-cache", "--reporter=default", "--reporter=json", `--outputFile.json=${json}`],
      { cwd: join(HERE, "vitest"), check: false },
    );
    const output = `${stdout}\n${stderr}`.slice(-4000);
    if (!existsSync(json)) throw new Error(`vitest run exited with ${code} and wrote no report\n${output}`);
    const report = JSON.parse(readFileSync(json, "utf8"));
    const tests = report.testResults.flatMap((file) => file.assertionResults);
    const failed = tests.filter((t) => t.status !== "passed");
    if (code !== 0 || !report.success || failed.length) {
      const why = failed.map((t) => [`${t.fullName} (${t.status})`, t.failureMessages[0]?.split("\n")[0]].filter(Boolean).join(": ")).join("; ");
      throw new Error(`vitest run exited with ${code}: ${report.numPassedTests} of ${report.numTotalTests} tests passed${why ? `; ${why}` : ""}\n${output}`);
    }
    assert.equal(report.numPassedTests, VITEST_TESTS, `${VITEST_TESTS} tests passed: ${tests.map((t) => t.fullName)}`);
    assert.equal(report.numTotalTests, VITEST_TESTS);
    return { result: { ok: true }, detail: `${report.numPassedTests} of ${report.numTotalTests} tests passed, run from the tarball's gitpod-prebuilds/sim` };
  },
  { verifyResult: false },
);

// The package's own suite of the simulator entry (tests/node/sim-entry.test.mjs: the
// manual clock to COMPLETED and FAILED, waitForPrebuild and streamPrebuildLogs without
// real waiting, faults by header, info() and stats() against a real prebuild-sim), run
// against the package installed from the tarball instead of pkg/.
row(
  "sim-node-suite",
  {
    target: "sim: Node, the entry's own test suite",
    tool: nodeV,
    how: "node --test sim-entry.test.mjs",
    needs: "",
  },
  async () => {
    const installed = join(HERE, "node_modules", "gitpod-prebuilds");
    const { code, stdout, stderr } = await exec(
      process.execPath,
      // Without the matrix's own NODE_TEST_CONTEXT, the child reports as a top-level run.
      ["--test", "--test-reporter=tap", join(ROOT, "tests", "node", "sim-entry.test.mjs")],
      { cwd: ROOT, env: { GITPOD_PREBUILDS_PKG: installed, NODE_TEST_CONTEXT: undefined }, check: false },
    );
    const count = (what) => Number(new RegExp(`^# ${what} (\\d+)$`, "m").exec(stdout)?.[1] ?? NaN);
    if (code !== 0 || count("fail") !== 0 || !(count("pass") > 0)) {
      throw new Error(`node --test exited with ${code}: ${count("pass")} passed, ${count("fail")} failed\n${stdout.slice(-3000)}\n${stderr.slice(-1000)}`);
    }
    return { result: { ok: true }, detail: `${count("pass")} of ${count("tests")} tests passed against the tarball's package` };
  },
  { verifyResult: false },
);

// --- Node programs bundled ------------------------------------------------------------

/**
 * Runs a bundled Node program as it would be deployed: its one output file copied
 * alone into a fresh folder, with Node's permission model allowing reads of that
 * folder only, so that the bundle can lean on no node_modules and no .wasm asset.
 */
function runBundle(file) {
  const dir = join(dirname(file), "deployed");
  mkdirSync(dir, { recursive: true });
  const copy = join(dir, basename(file));
  writeFileSync(copy, readFileSync(file));
  const modern = Number(process.versions.node.split(".")[0]) >= 22; // --permission, directories without /*
  const flags = modern ? ["--permission", `--allow-fs-read=${dir}`] : ["--experimental-permission", `--allow-fs-read=${dir}/*`];
  return runScript(process.execPath, [...flags, "--no-warnings", copy, sim.url], { cwd: dir });
}

row(
  "esbuild-node-cjs",
  { target: "Node program bundled by esbuild", tool: () => `esbuild ${version("esbuild")}`, how: "esbuild --bundle --platform=node", needs: "" },
  async () => {
    const dir = out("esbuild-node-cjs");
    await exec(join(BIN, "esbuild"), ["esbuild-node/main.mjs", "--bundle", "--platform=node", `--outfile=${dir}/main.cjs`, "--log-level=warning"]);
    return { result: await runBundle(join(dir, "main.cjs")), detail: "one file, run alone" };
  },
);

row(
  "esbuild-node-esm",
  { target: "Node program bundled by esbuild, ES module output", tool: () => `esbuild ${version("esbuild")}`, how: "esbuild --bundle --platform=node --format=esm", needs: "" },
  async () => {
    const dir = out("esbuild-node-esm");
    await exec(join(BIN, "esbuild"), ["esbuild-node/main.mjs", "--bundle", "--platform=node", "--format=esm", `--outfile=${dir}/main.mjs`, "--log-level=warning"]);
    return { result: await runBundle(join(dir, "main.mjs")), detail: "one file, run alone" };
  },
);

row(
  "webpack-node",
  { target: "Node program bundled by webpack", tool: () => `webpack ${version("webpack")}`, how: 'webpack, target: "node"', needs: "" },
  async () => {
    const dir = out("webpack-node");
    await exec(join(BIN, "webpack"), ["--config", "webpack-node/webpack.config.mjs"], { env: { MATRIX_OUT: dir } });
    return { result: await runBundle(join(dir, "main.cjs")), detail: "one file, run alone" };
  },
);

// --- Pages, in Chromium -------------------------------------------------------------------

/** Copies the fixture's index.html next to a bundle, serves the folder, opens it. */
async function staticPage(fixture, dir, opts) {
  writeFileSync(join(dir, "index.html"), readFileSync(join(HERE, fixture, "index.html")));
  const server = await serveStatic(dir);
  try {
    return await browse(`${server.url}/`, opts);
  } finally {
    await server.stop();
  }
}

row(
  "esbuild-browser",
  {
    target: "Page bundled by esbuild",
    tool: () => `esbuild ${version("esbuild")}`,
    how: "esbuild --bundle --format=esm",
    needs: "nothing: the bundle carries the inlined copy of the wasm (esbuild emits no .wasm); the next row keeps the .wasm a file",
  },
  async () => {
    const dir = out("esbuild-browser");
    await exec(join(BIN, "esbuild"), ["esbuild-browser/main.js", "--bundle", "--format=esm", `--outdir=${dir}`, "--log-level=warning"]);
    const { result, wasm } = await staticPage("esbuild-browser", dir);
    return { result, detail: wasmSource(wasm, { inlinedInBundle: true }) };
  },
);

row(
  "esbuild-browser-file",
  {
    target: "Page bundled by esbuild, .wasm as a file",
    tool: () => `esbuild ${version("esbuild")}`,
    how: "esbuild --bundle --format=esm --loader:.wasm=file",
    needs: '`--loader:.wasm=file` and `import wasmUrl from "gitpod-prebuilds/gitpod_prebuilds_bg.wasm"; init(wasmUrl);`',
  },
  async () => {
    const dir = out("esbuild-browser-file");
    await exec(join(BIN, "esbuild"), ["esbuild-browser-file/main.js", "--bundle", "--format=esm", "--loader:.wasm=file", `--outdir=${dir}`, "--log-level=warning"]);
    const { result, wasm } = await staticPage("esbuild-browser-file", dir);
    assert.ok(wasm.some((w) => /^gitpod_prebuilds_bg-\w+\.wasm 200$/.test(w)), `the emitted .wasm is loaded: ${wasm}`);
    return { result, detail: wasmSource(wasm) };
  },
);

row(
  "bun-browser",
  {
    target: "Page bundled by Bun",
    tool: () => `bun ${version("bun")}`,
    how: "bun build --target=browser",
    needs: "nothing: the bundle carries the inlined copy of the wasm (bun build emits no .wasm)",
  },
  async () => {
    const dir = out("bun-browser");
    await exec(join(BIN, "bun"), ["build", "bun-browser/main.js", "--target=browser", `--outdir=${dir}`]);
    const { result, wasm } = await staticPage("bun-browser", dir);
    return { result, detail: wasmSource(wasm, { inlinedInBundle: !existsSync(join(dir, "wasm-inline.js")) }) };
  },
);

row(
  "webpack-browser",
  { target: "Page bundled by webpack", tool: () => `webpack ${version("webpack")}`, how: 'webpack, target: "web"', needs: "" },
  async () => {
    const dir = out("webpack-browser");
    await exec(join(BIN, "webpack"), ["--config", "webpack-browser/webpack.config.mjs"], { env: { MATRIX_OUT: dir } });
    const { result, wasm } = await staticPage("webpack-browser", dir);
    return { result, detail: wasmSource(wasm) };
  },
);

row(
  "vite-build",
  { target: "Page built by Vite", tool: () => `vite ${version("vite")}`, how: "vite build, served by vite preview", needs: "" },
  async () => {
    const dir = out("vite-build");
    await exec(join(BIN, "vite"), ["build"], { cwd: join(HERE, "vite"), env: { MATRIX_OUT: dir } });
    const port = await freePort();
    const server = await serve(join(BIN, "vite"), ["preview", "--port", String(port), "--strictPort", "--host", "127.0.0.1"], `http://127.0.0.1:${port}/`, {
      cwd: join(HERE, "vite"),
      env: { MATRIX_OUT: dir },
    });
    try {
      const { result, wasm } = await browse(`http://127.0.0.1:${port}/`);
      return { result, detail: wasmSource(wasm) };
    } finally {
      await server.stop();
    }
  },
);

row(
  "vite-dev",
  { target: "Page served by Vite's dev server", tool: () => `vite ${version("vite")}`, how: "vite (dev)", needs: "" },
  async () => {
    const dir = out("vite-dev");
    const port = await freePort();
    const server = await serve(join(BIN, "vite"), ["--port", String(port), "--strictPort", "--host", "127.0.0.1"], `http://127.0.0.1:${port}/`, {
      cwd: join(HERE, "vite"),
      env: { MATRIX_OUT: dir },
    });
    try {
      const { result, wasm } = await browse(`http://127.0.0.1:${port}/`);
      return { result, detail: wasmSource(wasm) };
    } finally {
      await server.stop();
    }
  },
);

// One Next.js build and server for both of its rows: whichever runs first starts it.
let nextApp;
const nextServer = () =>
  (nextApp ??= (async () => {
    rmSync(join(HERE, "next", ".next"), { recursive: true, force: true }); // a first build, as in a fresh clone
    await exec(join(BIN, "next"), ["build", "next"], { timeoutMs: 400_000 });
    const port = await freePort();
    return serve(join(BIN, "next"), ["start", "next", "-p", String(port), "-H", "127.0.0.1"], `http://127.0.0.1:${port}/_next/static/not-a-file`, {
      env: { SIM_URL: sim.url },
    }).then((s) => ({ ...s, url: `http://127.0.0.1:${port}/` }));
  })());

const pre = (id) => (page) =>
  page.evaluate((id) => {
    const text = document.getElementById(id)?.textContent;
    return text && text !== "running" ? JSON.parse(text) : undefined;
  }, id);

row(
  "next-server",
  {
    target: "Next.js app, server component",
    tool: () => `next ${version("next")} (Turbopack), react ${version("react")}`,
    how: "next build && next start",
    needs: "",
  },
  async () => {
    const server = await nextServer();
    const { result } = await browse(server.url, { read: pre("server") });
    return { result, detail: result.rendered };
  },
);

row(
  "next-client",
  {
    target: "Next.js app, client component",
    tool: () => `next ${version("next")} (Turbopack), react ${version("react")}`,
    how: "next build && next start",
    needs: "",
  },
  async () => {
    const server = await nextServer();
    const { result, wasm } = await browse(server.url, { read: pre("client") });
    return { result, detail: wasmSource(wasm) };
  },
);

// --- Types ------------------------------------------------------------------------------

for (const mode of ["node16", "nodenext", "bundler"]) {
  const files = mode === "bundler" ? "bundler.ts" : "esm.mts and cjs.cts";
  row(
    `tsc-${mode}`,
    {
      target: `TypeScript, moduleResolution ${mode}`,
      tool: () => `typescript ${version("typescript")}`,
      how: `tsc --strict (${files})`,
      needs: "",
    },
    async () => {
      await exec(join(BIN, "tsc"), ["-p", `types/tsconfig.${mode}.json`]);
      return { result: { ok: true }, detail: mode === "bundler" ? "lib dom" : "@types/node, no lib dom" };
    },
    { verifyResult: false },
  );
}
