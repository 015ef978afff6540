// What a first call costs, apart from loading Node's undici (an analysis tool, not part
// of `make bench`): fresh processes (first-call-child.mjs) time one getPrebuild
// answered by a `fetch` from memory. Cases for ours warm part of the path first with a
// throwaway client, to show where the time goes; one runs with V8's lazy wasm
// compilation off, to show how much of it is compiling functions on first use.
//   node bench/first-call.mjs [processes per case, 5]
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { startSim } from "./lib/sim.mjs";
import { floorHeaders, SERVICE } from "./lib/clients.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const SIM_BIN = process.env.SIM_BIN ?? join(HERE, "..", "target", "release", "prebuild-sim");
const PKG = process.env.BENCH_PKG ?? join(HERE, "..", "pkg");
const runs = Number(process.argv[2] ?? 5);
if (!existsSync(SIM_BIN) || !existsSync(join(PKG, "node.mjs"))) throw new Error("run make pkg sim first");

// One real answer, recorded once, so that every process reads the same body.
const sim = await startSim(SIM_BIN, ["--quiet", "--token", "t"]);
const post = (method, body) => fetch(`${sim.baseUrl}/${SERVICE}/${method}`, { method: "POST", headers: floorHeaders("t"), body });
const id = (await post("ListPrebuilds", '{"pageSize":1}').then((r) => r.json())).prebuilds[0].id;
const body = await post("GetPrebuild", JSON.stringify({ prebuildId: id })).then((r) => r.text());
await sim.stop();

const cases = [
  { kind: "ours", warm: "nothing", flags: [], what: "nothing" },
  { kind: "ours", warm: "validation", flags: [], what: "the path to a validation error (options and parameters read)" },
  { kind: "ours", warm: "transport", flags: [], what: "the path to a connection error (transport too)" },
  { kind: "ours", warm: "nothing", flags: ["--no-wasm-lazy-compilation"], what: "nothing" },
  { kind: "peer", warm: "nothing", flags: [], what: "nothing" },
];
const child = join(HERE, "first-call-child.mjs");
const times = cases.map(() => []);
for (let r = 0; r < runs; r += 1) {
  cases.forEach(({ kind, warm, flags }, i) => {
    times[i].push(Number(execFileSync(process.execPath, [...flags, child, kind, warm, PKG, id, body]).toString().trim()));
  });
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`| client | warmed first by a throwaway client | node flags | first getPrebuild, median (min–max) of ${runs} |`);
console.log("| --- | --- | --- | --: |");
cases.forEach(({ kind, flags, what }, i) => {
  const t = times[i];
  console.log(`| ${kind} | ${what} | ${flags.join(" ") || "—"} | ${med(t).toFixed(1)} ms (${Math.min(...t).toFixed(1)}–${Math.max(...t).toFixed(1)}) |`);
});
