// Where does our client spend the time per call that the floor does not?
//
//   node --expose-gc bench/analyze.mjs        (after make pkg sim)
//
// 1. A ladder on loopback: the floor, then the floor plus one piece of what our client
//    does at a time (text + JSON.parse, an AbortSignal, a timer, a `Headers` object and
//    a caller's signal as our transport has them), then ours and the peer. Each step's
//    increment is its cost.
// 2. CPU profiles (V8 sampling profiler, 100 µs) of ours with an in-memory fetch, for one
//    getPrebuild and for the 10,240-item walk, on a build with wasm function names
//    (bench/lib/named.mjs): self time per part (wasm by module, glue, fetch, GC).
// 3. The JS pieces of the JSON-text data path for the walk, alone (JSON.parse, UTF-8 in
//    and out of wasm memory), to separate them from the Rust decode.
// Prints Markdown; writes target/bench/analysis.json.
import { Session } from "node:inspector/promises";
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import * as C from "./lib/clients.mjs";
import { startSim } from "./lib/sim.mjs";
import { summary, rotate } from "./lib/stats.mjs";
import { buildNamed } from "./lib/named.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SIM_BIN = resolve(ROOT, process.env.SIM_BIN ?? "target/release/prebuild-sim");
const TOKEN = "bench-token";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const gc = () => globalThis.gc?.();
const log = (...a) => console.error("analyze:", ...a);

const { pkg } = buildNamed(ROOT, { assemble: true });

const sim = await startSim(SIM_BIN, ["--quiet", "--prebuilds", "10000", "--tick-ms", "3600000", "--token", TOKEN]);
const out = [];
const result = {};
try {
  const H = C.floorHeaders(TOKEN);
  const getUrl = `${sim.baseUrl}/${C.SERVICE}/GetPrebuild`;
  const listUrl = `${sim.baseUrl}/${C.SERVICE}/ListPrebuilds`;
  const one = await fetch(`${listUrl}?pageSize=1`, {
    method: "POST",
    headers: H,
    body: JSON.stringify({ filter: { phases: ["PREBUILD_PHASE_COMPLETED"] } }),
  }).then((r) => r.json());
  const id = one.prebuilds[0].id;
  const body = JSON.stringify({ prebuildId: id });
  const ours = await C.ours(pkg, sim.baseUrl, TOKEN, undefined, { split: true });
  const peer = await C.peer(sim.baseUrl, TOKEN);

  // --- 1. The ladder
  const steps = [
    ["floor: fetch + r.json()", () => fetch(getUrl, { method: "POST", headers: H, body }).then((r) => r.json())],
    ["+ r.text() then JSON.parse", () => fetch(getUrl, { method: "POST", headers: H, body }).then((r) => r.text()).then(JSON.parse)],
    [
      "+ an AbortController signal",
      () => {
        const c = new AbortController();
        return fetch(getUrl, { method: "POST", headers: H, body, signal: c.signal }).then((r) => r.text()).then(JSON.parse);
      },
    ],
    [
      "+ a 60 s timer, cleared",
      () => {
        const c = new AbortController();
        const t = setTimeout(() => c.abort(), 60_000);
        return fetch(getUrl, { method: "POST", headers: H, body, signal: c.signal })
          .then((r) => r.text())
          .then(JSON.parse)
          .finally(() => clearTimeout(t));
      },
    ],
    [
      "+ a Headers object and bytes, as our transport sends and reads",
      () => {
        const c = new AbortController();
        const t = setTimeout(() => c.abort(), 60_000);
        const headers = new Headers(H);
        return fetch(getUrl, { method: "POST", headers, body, signal: c.signal })
          .then((r) => r.arrayBuffer())
          .then((b) => JSON.parse(new TextDecoder().decode(b)))
          .finally(() => clearTimeout(t));
      },
    ],
    ["ours: getPrebuild", () => ours.get(id)],
    ["peer: client.post", () => peer.get(id)],
  ];
  log("ladder");
  for (const [, f] of steps) for (let i = 0; i < 300; i += 1) await f();
  const samples = steps.map(() => []);
  for (let r = 0; r < ROUNDS; r += 1) {
    for (const i of rotate([...steps.keys()], r)) {
      gc();
      const t0 = performance.now();
      for (let k = 0; k < CALLS; k += 1) await steps[i][1]();
      samples[i].push(((performance.now() - t0) * 1000) / CALLS);
    }
  }
  result.ladder = steps.map(([name], i) => ({ name, us: summary(samples[i]) }));
  out.push(`### Per call on loopback, step by step (median of ${ROUNDS} rounds of ${CALLS} calls)`);
  out.push("");
  out.push("| step | µs per call (min–max) | vs previous | vs floor |");
  out.push("|---|--:|--:|--:|");
  const f0 = result.ladder[0].us.median;
  result.ladder.forEach((s, i) => {
    const prev = i === 0 ? null : result.ladder[i - 1].us.median;
    const d = (v) => (v == null ? "—" : `${v >= 0 ? "+" : ""}${v.toFixed(0)}`);
    out.push(
      `| ${s.name} | ${s.us.median.toFixed(0)} (${s.us.min.toFixed(0)}–${s.us.max.toFixed(0)}) | ${d(prev == null || i > 5 ? null : s.us.median - prev)} | ${d(s.us.median - f0)} |`,
    );
  });

  // --- 2. CPU profiles, in memory
  const getBody = await fetch(getUrl, { method: "POST", headers: H, body }).then((r) => r.text());
  const pages = new Map();
  let total = 0;
  for (let token = ""; ; ) {
    const text = await fetch(`${listUrl}?pageSize=100${token ? `&token=${encodeURIComponent(token)}` : ""}`, {
      method: "POST",
      headers: H,
      body: "{}",
    }).then((r) => r.text());
    pages.set(token, text);
    const page = JSON.parse(text);
    total += page.prebuilds.length;
    token = page.pagination?.nextToken;
    if (!token) break;
  }
  // --- 3. The data path's JS pieces for the walk's 103 pages, alone: what the JSON-text
  // boundary costs before any Rust runs (strings into wasm, out again, JSON.parse).
  {
    const texts = [...pages.values()];
    const enc = new TextEncoder();
    const dec = new TextDecoder();
    const buf = new Uint8Array(Math.max(...texts.map((t) => t.length)) * 3);
    const encoded = texts.map((t) => enc.encode(t));
    const pieces = [
      ["JSON.parse of every page (the floor's decode)", () => texts.forEach((t) => JSON.parse(t))],
      ["TextEncoder.encodeInto of every page (text into wasm memory)", () => texts.forEach((t) => enc.encodeInto(t, buf))],
      [
        "wasm-bindgen's passStringToWasm0 copy (a charCodeAt loop while ASCII)",
        () =>
          texts.forEach((t) => {
            for (let i = 0; i < t.length; i += 1) {
              const c = t.charCodeAt(i);
              if (c > 0x7f) break;
              buf[i] = c;
            }
          }),
      ],
      ["TextDecoder.decode of every page (text out of wasm memory)", () => encoded.forEach((b) => dec.decode(b))],
    ];
    const rows = [];
    for (const [name, f] of pieces) {
      const v = [];
      for (let r = 0; r < 7; r += 1) {
        gc();
        const t0 = performance.now();
        f();
        v.push(performance.now() - t0);
      }
      rows.push({ name, ms: summary(v) });
    }
    result.walkPieces = rows;
    out.push("");
    out.push(`### The walk's ${pages.size} pages (${(texts.reduce((a, t) => a + t.length, 0) / 1e6).toFixed(1)} MB), piece by piece in JS (median of 7)`);
    out.push("");
    out.push("| piece | ms per walk |");
    out.push("|---|--:|");
    for (const r of rows) out.push(`| ${r.name} | ${r.ms.median.toFixed(1)} |`);
  }

  const memFetch = C.memoryFetch({ get: getBody, list: (url) => pages.get(new URL(url).searchParams.get("token") ?? "") });
  const mem = await C.ours(pkg, "http://127.0.0.1:1/api", TOKEN, memFetch, { split: true });
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });

  const profile = async (label, work) => {
    for (let i = 0; i < 3; i += 1) await work(); // warm
    gc();
    await session.post("Profiler.start");
    const t0 = performance.now();
    await work();
    const wall = performance.now() - t0;
    const { profile: p } = await session.post("Profiler.stop");
    return { label, wall, ...categorize(p) };
  };
  log("profiles");
  const n = 20_000;
  const get = await profile(`getPrebuild × ${n.toLocaleString("en-US")}, in-memory fetch`, async () => {
    for (let i = 0; i < n; i += 1) await mem.get(id);
  });
  const walk = await profile(`walk of ${total.toLocaleString("en-US")} items, in-memory fetch`, () => mem.walk(100));
  result.profiles = { get, walk };
  for (const [p, per, unit] of [
    [get, n, "µs per call"],
    [walk, 1, "ms per walk"],
  ]) {
    const scale = unit.startsWith("µs") ? 1000 / per : 1;
    out.push("");
    out.push(`### CPU self time: ${p.label} (${(p.wall * scale).toFixed(unit.startsWith("µs") ? 1 : 0)} ${unit} wall)`);
    out.push("");
    out.push(`| part | ${unit} | share |`);
    out.push("|---|--:|--:|");
    for (const [k, ms] of p.parts) out.push(`| ${k} | ${(ms * scale).toFixed(unit.startsWith("µs") ? 1 : 0)} | ${((100 * ms) / p.total).toFixed(0)} % |`);
    out.push("");
    out.push(`Top wasm functions: ${p.wasmTop.map(([k, ms]) => `\`${k}\` ${((100 * ms) / p.total).toFixed(0)} %`).join(", ")}.`);
  }
} finally {
  await sim.stop();
}

mkdirSync(join(ROOT, "target/bench"), { recursive: true });
writeFileSync(join(ROOT, "target/bench/analysis.json"), JSON.stringify(result, null, 2) + "\n");
console.log(out.join("\n"));

/** Self time of a V8 CPU profile, in ms, by part. */
function categorize(p) {
  const self = new Map();
  const wasmFns = new Map();
  const dt = new Map();
  // Sample i lasts timeDeltas[i + 1]; close enough with the mean at the end.
  p.samples.forEach((id, i) => dt.set(i, (p.timeDeltas[i + 1] ?? p.timeDeltas[i]) / 1000));
  const byId = new Map(p.nodes.map((nd) => [nd.id, nd]));
  const partOf = (cf) => {
    const { url, functionName: fn } = cf;
    if (fn === "(garbage collector)") return "GC";
    if (fn === "(program)" || fn === "(idle)" || fn === "(root)") return "V8 / runtime (program)";
    if (url.startsWith("wasm://") || (url === "" && /^(\$|js-to-wasm|wasm-to-js|wasm-function|<|[a-z_]+(\[[0-9a-f]+\])?::|__|mem(cpy|cmp|move|set)$)/.test(fn))) {
      if (/^(js-to-wasm|wasm-to-js)|externref|__wbindgen|__wbg_|wasm_bindgen|js_sys|wasmclient_/.test(fn)) return "wasm: wasm-bindgen boundary, futures executor";
      if (/serde_json|serde_core|gitpod_prebuilds(\[[0-9a-f]+\])?::wire/.test(fn)) return "wasm: JSON parse and write (serde_json, src/wire)";
      if (/gitpod_prebuilds/.test(fn)) return "wasm: our other code (api, model, call, validate)";
      if (/dlmalloc|__rdl_|__rust_|__rustc|alloc::|RawVec|<alloc|mem(cpy|cmp|move|set)|String>::push|Vec<T,A>/.test(fn)) return "wasm: allocation and copying (dlmalloc, Vec, String)";
      if (/core/.test(fn)) return "wasm: core (str, iter, fmt)";
      return "wasm: other";
    }
    if (url.endsWith("gitpod_prebuilds.js")) return "JS: wasm-bindgen glue (strings in and out of wasm; JSON.parse/stringify run inside it)";
    if (url.endsWith("/client.js")) return "JS: client.js facade";
    if (url.includes("/bench/")) return "JS: bench harness + in-memory fetch";
    if (url.startsWith("node:internal/deps/undici") || url.includes("undici")) return "Node: Response / body (undici)";
    if (/abort_controller|js_transferable|event_target/.test(url)) return "Node: AbortController / AbortSignal";
    if (/timers/.test(url)) return "Node: timers";
    if (/task_queues/.test(url)) return "Node: microtask and tick queues";
    if (/webstreams|encoding|buffer/.test(url)) return "Node: web streams, TextEncoder/Decoder";
    if (url.startsWith("node:")) return "Node: other internals";
    if (url === "" && fn === "JSTransferable") return "Node: AbortController / AbortSignal";
    if (url === "" && /^(parse|stringify)$/.test(fn)) return `JSON.${fn} (V8)`;
    if (url === "") return `V8 builtin: ${fn || "(anonymous)"}`;
    return `other: ${url}`;
  };
  p.samples.forEach((nodeId, i) => {
    const nd = byId.get(nodeId);
    const part = partOf(nd.callFrame);
    self.set(part, (self.get(part) ?? 0) + dt.get(i));
    if (part.startsWith("wasm")) {
      const name = nd.callFrame.functionName.replace(/::h[0-9a-f]{16}$/, "").replace(/\[[0-9a-f]{16}\]/g, "");
      wasmFns.set(name, (wasmFns.get(name) ?? 0) + dt.get(i));
    }
  });
  // Fold parts below 1 % into one line.
  const totalMs = [...self.values()].reduce((a, b) => a + b, 0);
  const folded = new Map();
  for (const [k, v] of self) {
    const key = v / totalMs < 0.01 ? "other (under 1 % each)" : k;
    folded.set(key, (folded.get(key) ?? 0) + v);
  }
  const parts = [...folded].sort((a, b) => b[1] - a[1]);
  const wasmTop = [...wasmFns].sort((a, b) => b[1] - a[1]).slice(0, 8);
  return { total: totalMs, parts, wasmTop };
}
