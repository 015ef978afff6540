// Renders a bench result (the object written to target/bench.json) as Markdown, so that
// the README's Performance section can be refreshed by pasting the printed output.

const int = (n) => Math.round(n).toLocaleString("en-US");
const sig = (n) => (n >= 100 ? int(n) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const x = (r) => (r == null || !Number.isFinite(r) ? "—" : `${r.toFixed(2)}×`);
const kib = (b) => (b == null ? "—" : `${(b / 1024).toLocaleString("en-US", { maximumFractionDigits: 0 })} KiB`);

/** "median (min–max) unit" */
const spread = (s, unit) => (s == null ? "—" : `${sig(s.median)} ${unit} (${sig(s.min)}–${sig(s.max)})`);

function row(cells) {
  return `| ${cells.join(" | ")} |`;
}

function timeRow(label, fig, unit, { floorRatio = true } = {}) {
  return row([
    label,
    spread(fig.ours, unit),
    spread(fig.floor, unit),
    spread(fig.peer, unit),
    floorRatio ? x(fig.ratios.oursToFloor) : "—",
    x(fig.ratios.oursToPeer),
  ]);
}

function memRow(label, fig, fmt = kib) {
  const m = (s) => (s == null ? "—" : fmt(s.median));
  return row([label, m(fig.ours), m(fig.floor), m(fig.peer), x(fig.ratios.oursToFloor), x(fig.ratios.oursToPeer)]);
}

export function render(r) {
  const m = r.meta;
  const s = r.size;
  const anchor = s.peer.anchorGzip;
  const w = m.workload;
  const out = [];
  out.push(`### Results (\`${m.command}\`)`);
  out.push("");
  out.push(
    `${m.machine.cpu}, ${m.machine.cores} cores, ${m.machine.memoryGiB} GiB, ${m.machine.os}; Node ${m.machine.node}; ` +
      `${m.date.slice(0, 16).replace("T", " ")} UTC; revision ${m.revision ?? "?"}; peer ${m.peer}. ` +
      `Median of ${m.config.rounds} interleaved rounds (min–max); cold start: ${m.config.coldRuns} fresh processes each; ` +
      `memory: ${m.config.memoryRuns} processes each. Load average (1 min) ${m.loadAverage.atStart[0]} at the start, ` +
      `${m.loadAverage.atEnd[0]} at the end; ${m.seconds} s in all.`,
  );
  out.push("");
  out.push(row(["figure", "ours", "floor: fetch + JSON.parse", "peer: @gitpod/sdk", "ours / floor", "ours / peer"]));
  out.push(row(["---", "--:", "--:", "--:", "--:", "--:"]));
  out.push(
    row([
      "size: wasm + glue, gzip -9",
      `${int(s.wasmPlusGlue.gzip)} B`,
      "0 B",
      `${int(anchor)} B ¹`,
      "—",
      x(s.wasmPlusGlue.gzip / anchor),
    ]),
  );
  out.push(
    row([
      "size: every file a browser loads, gzip -9 (brotli)",
      `${int(s.allFiles.gzip)} B (${int(s.allFiles.brotli)} B)`,
      "0 B",
      `${int(anchor)} B ¹`,
      "—",
      x(s.allFiles.gzip / anchor),
    ]),
  );
  out.push(timeRow("cold start: `import` → client ready ²", r.coldStart.ready, "ms", { floorRatio: false }));
  out.push(timeRow("cold start: `import` → first response", r.coldStart.firstCall, "ms"));
  out.push(timeRow("cold start: whole `node` process", r.coldStart.processWall, "ms"));
  out.push(timeRow(`per call: \`getPrebuild\` on loopback, ${int(m.config.calls)} sequential`, r.perCall, "µs"));
  out.push(timeRow("per call: CPU time of the client process ³", r.perCallCpu, "µs"));
  out.push(timeRow("per call, in-memory `fetch` (no network) ⁴", r.perCallInMemory, "µs"));
  out.push(
    timeRow(
      `list walk: ${int(w.listItems)} items, ${w.listPages} pages of ${m.config.pageSize} (${(w.listBytes / 1e6).toFixed(1)} MB)`,
      r.listWalk,
      "ms",
    ),
  );
  out.push(timeRow("list walk: CPU time of the client process ³", r.listWalkCpu, "ms"));
  out.push(timeRow("list walk, in-memory `fetch` ⁴", r.listWalkInMemory, "ms"));
  if (r.listWalkAlone) out.push(timeRow("list walk, each client alone in a fresh process, no forced GC ⁶", r.listWalkAlone, "ms"));
  out.push(memRow(`JS heap used after ${int(r.memory.calls)} calls ⁵`, r.memory.heapUsed));
  out.push(memRow(`JS heap growth over those ${int(r.memory.calls)} calls`, r.memory.heapUsedGrowth));
  out.push(memRow("`arrayBuffers` (the wasm memory is not counted here) ⁵", r.memory.arrayBuffers));
  out.push(memRow("RSS ⁵", r.memory.rss));
  out.push(
    row([
      "wasm linear memory after warm-up → after the calls",
      `${kib(r.memory.wasmMemoryBase?.median)} → ${kib(r.memory.wasmMemory?.median)}`,
      "—",
      "—",
      "—",
      "—",
    ]),
  );
  out.push("");
  out.push(
    `¹ The official TypeScript SDK with all 11 PrebuildService methods (Stainless 0.15.0, esbuild minify, gzip -9, ` +
      `\`shared/api/FACTS.md\`); @gitpod/sdk 0.6.0 bundled for one \`post\` and one \`getAPIList\` measures ` +
      `${int(s.peer.sdk060Bundle.gzip)} B gzip (${int(s.peer.sdk060Bundle.raw)} B minified). ` +
      `² Ours includes compiling and instantiating the wasm (${sig(r.coldStart.wasmCompile.median)} ms of it is ` +
      `\`new WebAssembly.Module\` alone) and \`init()\`; the floor loads nothing. ` +
      `³ User + system CPU of the benchmark process during the same runs (Node's fetch included, the simulator excluded): ` +
      `less sensitive than wall time to other load on the machine. ` +
      `⁴ A \`fetch\` that returns a prepared \`Response\` from memory: what each client adds on top of the transport. ` +
      `⁵ \`process.memoryUsage()\` after full GCs, median of fresh processes; the floor's process has no client. ` +
      `⁶ The rows above run the three clients in one process and collect garbage before each run, so that none pays ` +
      `for another's; this one runs each alone in its own process (three walks to warm up, the median of five), ` +
      `paying for its own garbage as it goes, as in an app: median (min–max) of ${m.config.walkProcesses ?? "?"} processes each.`,
  );
  out.push("");
  out.push("Transfer size of the package in a browser (`pkg/`, each file as served):");
  out.push("");
  out.push(row(["file", "raw", "gzip -9", "brotli"]));
  out.push(row(["---", "--:", "--:", "--:"]));
  for (const f of s.files) out.push(row([`\`${f.file.replace(/snippets\/[^/]+\//, "snippets/*/")}\``, int(f.raw), int(f.gzip), int(f.brotli)]));
  out.push(row(["**wasm + glue** (`gitpod_prebuilds_bg.wasm` + `gitpod_prebuilds.js`)", int(s.wasmPlusGlue.raw), `**${int(s.wasmPlusGlue.gzip)}**`, int(s.wasmPlusGlue.brotli)]));
  out.push(row(["**every file** (separate requests)", int(s.allFiles.raw), `**${int(s.allFiles.gzip)}**`, int(s.allFiles.brotli)]));
  out.push(row(["bundled by esbuild --minify (JS) + wasm", int(s.bundled.total.raw), int(s.bundled.total.gzip), int(s.bundled.total.brotli)]));
  out.push(row(["official SDK, all 11 methods (anchor ¹)", "64,894", int(anchor), "—"]));
  out.push(row(["@gitpod/sdk 0.6.0, bundled, esbuild --minify", int(s.peer.sdk060Bundle.raw), int(s.peer.sdk060Bundle.gzip), int(s.peer.sdk060Bundle.brotli)]));
  if (r.simEntry) {
    const e = r.simEntry;
    const total = e.files.reduce((a, f) => ({ raw: a.raw + f.raw, gzip: a.gzip + f.gzip }), { raw: 0, gzip: 0 });
    out.push("");
    out.push(`The simulator entry \`gitpod-prebuilds/sim\` (loaded only by those who import it; fresh processes, median (min–max)):`);
    out.push("");
    out.push(row(["figure", "value"]));
    out.push(row(["---", "--:"]));
    for (const f of e.files) out.push(row([`\`${f.file}\`, raw / gzip -9`, `${int(f.raw)} B / ${int(f.gzip)} B`]));
    out.push(row([`all ${["three", "four"][e.files.length - 3] ?? e.files.length}, raw / gzip -9`, `${int(total.raw)} B / **${int(total.gzip)} B**`]));
    out.push(row(["`import` → `createSimulator()` resolved", `${sig(e.start.median)} ms (${sig(e.start.min)}–${sig(e.start.max)})`]));
    out.push(row(["`import` → first `getPrebuild` answered (client imported too)", `${sig(e.firstCall.median)} ms (${sig(e.firstCall.min)}–${sig(e.firstCall.max)})`]));
    out.push(row([`\`getPrebuild\` through the client and \`sim.fetch\`, ${int(e.calls)} sequential`, `${int(Math.round(e.perSecond.median))} calls/s (${int(Math.round(e.perSecond.min))}–${int(Math.round(e.perSecond.max))})`]));
  }
  out.push("");
  out.push("Targets of the performance issue:");
  out.push("");
  out.push(row(["target", "figure", "limit", "met"]));
  out.push(row(["---", "--:", "--:", "---"]));
  for (const t of r.targets) {
    const v = Number.isInteger(t.value) ? int(t.value) : t.value?.toFixed(2);
    out.push(row([t.name, v, Number.isInteger(t.limit) && t.limit > 10 ? int(t.limit) : String(t.limit), t.met ? "yes" : "**no**"]));
  }
  return out.join("\n");
}
