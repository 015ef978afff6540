// What a first call costs, apart from loading Node's undici (an analysis tool, not part
// of `make bench`): fresh processes that load undici, then the client, then time one
// getPrebuild answered by a `fetch` from memory. Cases for ours warm part of the path
// first with a throwaway client, to show where the time goes; one runs with V8's lazy
// wasm compilation off, to show how much of it is compiling functions on first use.
//   node bench/first-call.mjs [processes per case, 5]
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startSim } from "./lib/sim.mjs";
import { floorHeaders, SERVICE } from "./lib/clients.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SIM_BIN = process.env.SIM_BIN ?? join(ROOT, "target", "release", "prebuild-sim");
const PKG = process.env.BENCH_PKG ?? join(ROOT, "pkg");
const runs = Number(process.argv[2] ?? 5);
if (!existsSync(SIM_BIN) || !existsSync(join(PKG, "node.mjs"))) throw new Error("run make pkg sim first");

// One real answer, recorded once, so that every process parses the same body.
const sim = await startSim(SIM_BIN, ["--quiet", "--token", "t"]);
const list = await fetch(`${sim.baseUrl}/${SERVICE}/ListPrebuilds?pageSize=1`, { method: "POST", headers: floorHeaders("t"), body: "{}" }).then((r) => r.json());
const id = list.prebuilds[0].id;
const body = await fetch(`${sim.baseUrl}/${SERVICE}/GetPrebuild`, { method: "POST", headers: floorHeaders("t"), body: JSON.stringify({ prebuildId: id }) }).then((r) => r.text());
await sim.stop();

const dir = mkdtempSync(join(tmpdir(), "first-call-"));
const child = join(dir, "child.mjs");
writeFileSync(
  child,
  `new Headers(); await new Response("{}").json(); new AbortController(); // undici loaded first
const [who, warm] = process.argv.slice(2);
const body = ${JSON.stringify(body)}, id = ${JSON.stringify(id)}, base = "http://127.0.0.1:1/api";
const fetch = async () => new Response(body, { status: 200, headers: { "content-type": "application/json" } });
let get;
if (who === "ours") {
  const m = await import(${JSON.stringify(pathToFileURL(join(PKG, "node.mjs")).href)});
  if (warm === "validation") await new m.PrebuildClient({ baseUrl: base, token: "t", fetch }).getPrebuild({ prebuildId: "x" }).catch(() => {});
  if (warm === "transport") await new m.PrebuildClient({ baseUrl: base, token: "t", maxRetries: 0, fetch: () => Promise.reject(new TypeError("down")) }).getPrebuild({ prebuildId: id }).catch(() => {});
  const c = new m.PrebuildClient({ baseUrl: base, token: "t", fetch });
  get = () => c.getPrebuild({ prebuildId: id });
} else {
  const { Gitpod } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "node_modules", "@gitpod", "sdk", "index.mjs")).href)});
  const c = new Gitpod({ bearerToken: "t", baseURL: base, fetch });
  get = () => c.post("/${SERVICE}/GetPrebuild", { body: { prebuildId: id } });
}
const t = performance.now();
const r = await get();
if (r?.prebuild?.id !== id) throw new Error("unexpected answer");
console.log(performance.now() - t);
`,
);

const cases = [
  ["ours", "nothing warmed", []],
  ["ours", "validation", []],
  ["ours", "transport", []],
  ["ours", "nothing warmed", ["--no-wasm-lazy-compilation"]],
  ["peer", "nothing warmed", []],
];
const times = cases.map(() => []);
for (let r = 0; r < runs; r += 1) {
  cases.forEach(([who, warm, flags], i) => {
    times[i].push(Number(execFileSync(process.execPath, [...flags, child, who, warm]).toString().trim()));
  });
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`| client | warmed first by a throwaway client | node flags | first getPrebuild, median (min–max) of ${runs} |`);
console.log("| --- | --- | --- | --: |");
cases.forEach(([who, warm, flags], i) => {
  const t = times[i];
  const what = { validation: "the path to a validation error (options and parameters read)", transport: "the path to a connection error (transport too)" }[warm] ?? "nothing";
  console.log(`| ${who} | ${what} | ${flags.join(" ") || "—"} | ${med(t).toFixed(1)} ms (${Math.min(...t).toFixed(1)}–${Math.max(...t).toFixed(1)}) |`);
});
