// `make bench`: one run against one local prebuild-sim. Measures the package (ours)
// against a bare fetch + JSON.parse (the floor) and the official TypeScript SDK
// @gitpod/sdk 0.6.0 (the peer), prints Markdown tables and writes target/bench.json.
//
//   node --expose-gc bench/run.mjs
//
// Knobs (environment): BENCH_ROUNDS (7), BENCH_CALLS (2000), BENCH_PREBUILDS (10000),
// BENCH_PAGE_SIZE (100), BENCH_COLD_RUNS (10), BENCH_MEMORY_CALLS (10000),
// BENCH_MEMORY_RUNS (3), BENCH_INMEM_CALLS (5000), BENCH_WALK_PROCESSES (8), BENCH_PKG (pkg),
// SIM_BIN.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";

import * as C from "./lib/clients.mjs";
import { startSim } from "./lib/sim.mjs";
import { packageSizes, ourBundle, peerBundle, gzip as gzipSize } from "./lib/size.mjs";
import { summary, ratio, rotate } from "./lib/stats.mjs";
import { render } from "./lib/report.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const env = (name, dflt) => (process.env[name] ? Number(process.env[name]) : dflt);
const CFG = {
  rounds: env("BENCH_ROUNDS", 7),
  calls: env("BENCH_CALLS", 2000),
  extraPrebuilds: env("BENCH_PREBUILDS", 10000),
  pageSize: env("BENCH_PAGE_SIZE", 100),
  coldRuns: env("BENCH_COLD_RUNS", 10),
  memoryCalls: env("BENCH_MEMORY_CALLS", 10000),
  memoryRuns: env("BENCH_MEMORY_RUNS", 3),
  inMemoryCalls: env("BENCH_INMEM_CALLS", 5000),
  walkProcesses: env("BENCH_WALK_PROCESSES", 8),
};
const PKG_SRC = resolve(ROOT, process.env.BENCH_PKG ?? "pkg");
const SIM_BIN = resolve(ROOT, process.env.SIM_BIN ?? "target/release/prebuild-sim");
const TOKEN = "bench-token";
const OUT = join(ROOT, "target", "bench.json");
const log = (...a) => console.error("bench:", ...a);
const gc = () => globalThis.gc?.();

// --- 0. A snapshot of pkg/, so that a rebuild during the run cannot mix two builds.
function snapshotPkg() {
  const dest = join(ROOT, "target", "bench", "pkg");
  for (let attempt = 1; ; attempt += 1) {
    try {
      for (const f of ["node.mjs", "index.js", "client.js", "gitpod_prebuilds.js", "gitpod_prebuilds_bg.wasm"]) {
        if (!existsSync(join(PKG_SRC, f))) throw new Error(`${join(PKG_SRC, f)} is missing (run make pkg)`);
      }
      rmSync(dest, { recursive: true, force: true });
      mkdirSync(dirname(dest), { recursive: true });
      cpSync(PKG_SRC, dest, { recursive: true });
      return dest;
    } catch (e) {
      if (attempt >= 5) throw e;
      log(`pkg/ not readable (${e.message}); retrying`);
      execFileSync("sleep", ["2"]);
    }
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
  };
}

function gitRevision() {
  try {
    const rev = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "pkg-template"], { cwd: ROOT, encoding: "utf8" }).trim();
    return dirty ? `${rev}+changes` : rev;
  } catch {
    return null;
  }
}

/** Runs a child Node process; resolves with its last stdout line parsed and the wall time. */
function child(args) {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("error", reject);
    p.on("exit", (code) => {
      const wall = performance.now() - t0;
      if (code !== 0) return reject(new Error(`node ${args.join(" ")} exited with ${code}: ${err}`));
      const last = out.trim().split("\n").pop();
      resolvePromise({ ...JSON.parse(last), wall });
    });
  });
}

/** Wall and CPU time (this process: user + system) of `work`, in `per` units of ms. */
async function timed(work, scale) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await work();
  const wall = (performance.now() - t0) * scale;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: ((c.user + c.system) / 1000) * scale };
}

async function timeCalls(contender, id, n) {
  const r = await timed(async () => {
    let last;
    for (let i = 0; i < n; i += 1) last = await contender.get(id);
    return last;
  }, 1000 / n); // µs per call
  if (r.value?.prebuild?.id !== id) throw new Error(`${contender.name}: unexpected answer`);
  return r;
}

async function timeWalk(contender, expect) {
  const r = await timed(() => contender.walk(CFG.pageSize), 1); // ms per walk
  if (r.value !== expect) throw new Error(`${contender.name} walked ${r.value} items, expected ${expect}`);
  return r;
}

/**
 * Interleaved rounds: each round runs every contender once, in rotated order.
 * Resolves with { wall, cpu }, each { ours, floor, peer } summaries.
 */
async function interleave(label, contenders, once) {
  const wall = Object.fromEntries(contenders.map((c) => [c.name, []]));
  const cpu = Object.fromEntries(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < CFG.rounds; round += 1) {
    for (const c of rotate(contenders, round)) {
      gc();
      const r = await once(c);
      wall[c.name].push(r.wall);
      cpu[c.name].push(r.cpu);
    }
    log(`${label}: round ${round + 1}/${CFG.rounds}`);
  }
  const sum = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, summary(v)]));
  return { wall: sum(wall), cpu: sum(cpu) };
}

const withRatios = (fig) => ({
  ...fig,
  ratios: {
    oursToFloor: ratio(fig.ours, fig.floor),
    oursToPeer: ratio(fig.ours, fig.peer),
    peerToFloor: ratio(fig.peer, fig.floor),
  },
});

async function main() {
  if (!existsSync(SIM_BIN)) throw new Error(`${SIM_BIN} is missing (run make sim)`);
  const started = new Date();
  const loadAtStart = os.loadavg().map((l) => Math.round(l * 100) / 100);
  const pkgDir = snapshotPkg();
  const result = {
    meta: {
      date: started.toISOString(),
      machine: machine(),
      revision: gitRevision(),
      command: "make bench",
      config: CFG,
      peer: "@gitpod/sdk " + JSON.parse(readFileSync(join(ROOT, "node_modules/@gitpod/sdk/package.json"), "utf8")).version,
      package: JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version,
    },
  };

  // --- 1. Size
  log("size");
  const sizes = await packageSizes(pkgDir);
  result.size = {
    ...sizes,
    bundled: await ourBundle(pkgDir),
    peer: {
      anchorGzip: 12905,
      anchor: "official TypeScript SDK (Stainless 0.15.0), all 11 PrebuildService methods, esbuild minify, gzip -9 (shared/api/FACTS.md)",
      sdk060Bundle: await peerBundle(ROOT),
    },
  };

  // --- The simulator
  const simArgs = ["--quiet", "--prebuilds", String(CFG.extraPrebuilds), "--tick-ms", "3600000", "--token", TOKEN];
  const sim = await startSim(SIM_BIN, simArgs);
  result.meta.sim = `prebuild-sim ${simArgs.join(" ")}`;
  log(`simulator at ${sim.url}`);
  try {
    const headers = C.floorHeaders(TOKEN);
    const listUrl = `${sim.baseUrl}/${C.SERVICE}/ListPrebuilds`;
    // A fixed, finished seed prebuild (nothing moves: the clock ticks once an hour).
    const one = await fetch(`${listUrl}?pageSize=1`, {
      method: "POST",
      headers,
      body: JSON.stringify({ filter: { phases: ["PREBUILD_PHASE_COMPLETED"] } }),
    }).then((r) => r.json());
    const id = one.prebuilds[0].id;
    // The bodies the server sends, kept for the in-memory runs.
    const getBody = await fetch(`${sim.baseUrl}/${C.SERVICE}/GetPrebuild`, {
      method: "POST",
      headers,
      body: JSON.stringify({ prebuildId: id }),
    }).then((r) => r.text());
    const pages = new Map();
    let total = 0;
    let bytes = 0;
    for (let token = ""; ; ) {
      const text = await fetch(`${listUrl}?pageSize=${CFG.pageSize}${token ? `&token=${encodeURIComponent(token)}` : ""}`, {
        method: "POST",
        headers,
        body: "{}",
      }).then((r) => r.text());
      pages.set(token, text);
      bytes += Buffer.byteLength(text);
      const page = JSON.parse(text);
      total += page.prebuilds.length;
      token = page.pagination?.nextToken;
      if (!token) break;
    }
    result.meta.workload = {
      prebuildId: id,
      getResponseBytes: Buffer.byteLength(getBody),
      listItems: total,
      listPages: pages.size,
      listBytes: bytes,
    };
    log(`walk: ${total} prebuilds in ${pages.size} pages (${(bytes / 1e6).toFixed(1)} MB); get: ${getBody.length} B`);

    const net = [await C.ours(pkgDir, sim.baseUrl, TOKEN), C.floor(sim.baseUrl, TOKEN), await C.peer(sim.baseUrl, TOKEN)];
    const memFetch = C.memoryFetch({
      get: getBody,
      list: (url) => pages.get(new URL(url).searchParams.get("token") ?? ""),
    });
    const mem = [
      await C.ours(pkgDir, "http://127.0.0.1:1/api", TOKEN, memFetch),
      C.floor("http://127.0.0.1:1/api", TOKEN, memFetch),
      await C.peer("http://127.0.0.1:1/api", TOKEN, memFetch),
    ];

    // --- Warm-up (and a check that all three get the same answers)
    log("warm-up");
    for (const c of [...net, ...mem]) {
      await timeCalls(c, id, 300);
      await timeWalk(c, total);
    }

    // --- 2. Cold start
    log("cold start");
    const kinds = ["ours", "peer", "floor", "compile"];
    const cold = Object.fromEntries(kinds.map((k) => [k, []]));
    for (let r = 0; r < CFG.coldRuns; r += 1) {
      for (const k of rotate(kinds, r)) {
        cold[k].push(await child([join(ROOT, "bench", "cold-child.mjs"), k, pkgDir, sim.baseUrl, TOKEN, id]));
      }
    }
    const pick = (k, f) => summary(cold[k].map((x) => x[f]));
    result.coldStart = {
      ready: withRatios({ ours: pick("ours", "ready"), floor: pick("floor", "ready"), peer: pick("peer", "ready") }),
      firstCall: withRatios({ ours: pick("ours", "firstCall"), floor: pick("floor", "firstCall"), peer: pick("peer", "firstCall") }),
      processWall: withRatios({ ours: pick("ours", "wall"), floor: pick("floor", "wall"), peer: pick("peer", "wall") }),
      wasmCompile: pick("compile", "ready"),
    };

    // --- 3. Per call on loopback, and in memory (the client's own CPU, no network)
    log("per call");
    const perCall = await interleave("per call", net, (c) => timeCalls(c, id, CFG.calls));
    result.perCall = withRatios(perCall.wall);
    result.perCallCpu = withRatios(perCall.cpu);
    result.perCallInMemory = withRatios((await interleave("per call, in memory", mem, (c) => timeCalls(c, id, CFG.inMemoryCalls))).wall);

    // --- 4. Walking the list
    log("list walk");
    const walk = await interleave("walk", net, (c) => timeWalk(c, total));
    result.listWalk = { ...withRatios(walk.wall), items: total };
    result.listWalkCpu = withRatios(walk.cpu);
    result.listWalkInMemory = withRatios((await interleave("walk, in memory", mem, (c) => timeWalk(c, total))).wall);
    // The same walk with each client alone in its own process and no forced GC: the
    // rounds above collect garbage before each client runs, which favours the client
    // that makes less of it (ours); here every client pays for its own, as in an app.
    log("list walk, one process per client");
    const alone = { ours: [], floor: [], peer: [] };
    for (let round = 0; round < CFG.walkProcesses; round += 1) {
      for (const k of rotate(Object.keys(alone), round)) {
        const args = [join(ROOT, "bench", "walk-child.mjs"), k, pkgDir, sim.baseUrl, TOKEN, String(CFG.pageSize), String(total)];
        alone[k].push((await child(args)).walk);
      }
    }
    result.listWalkAlone = withRatios(Object.fromEntries(Object.entries(alone).map(([k, v]) => [k, summary(v)])));

    // --- 5. Memory after N calls (fresh processes, --expose-gc)
    log("memory");
    const memKinds = ["ours", "floor", "peer"];
    const memRuns = Object.fromEntries(memKinds.map((k) => [k, []]));
    for (let r = 0; r < CFG.memoryRuns; r += 1) {
      for (const k of rotate(memKinds, r)) {
        memRuns[k].push(
          await child(["--expose-gc", join(ROOT, "bench", "memory-child.mjs"), k, pkgDir, sim.baseUrl, TOKEN, id, String(CFG.memoryCalls)]),
        );
      }
    }
    const memFig = (field, which = "after") =>
      withRatios(Object.fromEntries(memKinds.map((k) => [k, summary(memRuns[k].map((x) => x[which][field]))])));
    result.memory = {
      calls: CFG.memoryCalls,
      heapUsed: memFig("heapUsed"),
      heapUsedGrowth: withRatios(
        Object.fromEntries(memKinds.map((k) => [k, summary(memRuns[k].map((x) => x.after.heapUsed - x.base.heapUsed))])),
      ),
      arrayBuffers: memFig("arrayBuffers"),
      external: memFig("external"),
      rss: memFig("rss"),
      wasmMemory: summary(memRuns.ours.map((x) => x.after.wasmMemory)),
      wasmMemoryBase: summary(memRuns.ours.map((x) => x.base.wasmMemory)),
      note: "process.memoryUsage() after full GCs; wasmMemory: the wasm linear memory (read through the glue's initSync(), not a public API)",
    };
    // --- 6. The simulator entry (gitpod-prebuilds/sim): its size, start and calls per
    // second through its in-process fetch, in fresh processes (no target yet: reported).
    log("simulator entry");
    // (sim/core.js: the simulator's JavaScript since the entries were split, absent before.)
    const simFiles = ["sim.js", "sim/core.js", "sim/prebuild_sim.js", "sim/prebuild_sim_bg.wasm"].filter((f) => existsSync(join(pkgDir, f)));
    if (["sim.js", "sim/prebuild_sim.js", "sim/prebuild_sim_bg.wasm"].every((f) => simFiles.includes(f))) {
      const simRuns = [];
      for (let r = 0; r < CFG.coldRuns; r += 1) {
        simRuns.push(await child([join(ROOT, "bench", "sim-child.mjs"), pkgDir, String(CFG.calls)]));
      }
      result.simEntry = {
        files: simFiles.map((f) => ({ file: f, raw: readFileSync(join(pkgDir, f)).length, gzip: gzipSize(readFileSync(join(pkgDir, f))) })),
        start: summary(simRuns.map((x) => x.start)),
        firstCall: summary(simRuns.map((x) => x.firstCall)),
        perSecond: summary(simRuns.map((x) => x.perSecond)),
        calls: CFG.calls,
      };
    }
  } finally {
    await sim.stop();
  }

  result.meta.seconds = Math.round((Date.now() - started.getTime()) / 100) / 10;
  result.meta.loadAverage = { atStart: loadAtStart, atEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) };
  result.targets = targets(result);
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(result, null, 2) + "\n");
  console.log(render(result));
  log(`wrote ${OUT} (${result.meta.seconds} s)`);
}

/**
 * The targets of the schema rework (issue #16): what a page downloads, a call and the
 * list walk against the peer, and the first call from a cold process against the
 * peer's; then the standing ones of the first performance work.
 */
function targets(r) {
  const t = [];
  const add = (name, value, limit, met) => t.push({ name, value, limit, met });
  const cold = r.coldStart.firstCall.ratios.oursToPeer;
  add("size: every file a browser loads, gzip -9 <= 90,000 B", r.size.allFiles.gzip, 90000, r.size.allFiles.gzip <= 90000);
  add("per call: ours / peer <= 1.00", r.perCall.ratios.oursToPeer, 1, r.perCall.ratios.oursToPeer <= 1);
  add("list walk: ours / peer <= 1.00", r.listWalk.ratios.oursToPeer, 1, r.listWalk.ratios.oursToPeer <= 1);
  add("list walk, one process per client: ours / peer <= 1.00", r.listWalkAlone.ratios.oursToPeer, 1, r.listWalkAlone.ratios.oursToPeer <= 1);
  add("cold start (import to first response): ours / peer <= 1.00", cold, 1, cold <= 1);
  add("size: wasm + glue, gzip -9 <= official SDK (B)", r.size.wasmPlusGlue.gzip, r.size.peer.anchorGzip, r.size.wasmPlusGlue.gzip <= r.size.peer.anchorGzip);
  add("per call: ours / floor <= 1.05", r.perCall.ratios.oursToFloor, 1.05, r.perCall.ratios.oursToFloor <= 1.05);
  add("list walk: ours / floor <= 1.10", r.listWalk.ratios.oursToFloor, 1.1, r.listWalk.ratios.oursToFloor <= 1.1);
  add("cold start (import to ready): faster than the peer (ours / peer < 1)", r.coldStart.ready.ratios.oursToPeer, 1, r.coldStart.ready.ratios.oursToPeer < 1);
  return t;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
