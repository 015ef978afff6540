// Writes the README's "Runtimes and bundlers" table from the runtime matrix's last run
// (target/runtimes.json, written by `make test-runtimes`), between the markers
// <!-- runtimes:begin --> and <!-- runtimes:end -->. Usage (from the repository root):
//   node tests/runtimes/readme-table.mjs [--check]
// --check prints the table without writing. A partial run (MATRIX_ONLY) is refused.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const README = join(ROOT, "README.md");
const run = JSON.parse(readFileSync(join(ROOT, "target", "runtimes.json"), "utf8"));
if (run.partial) {
  console.error("target/runtimes.json is from a partial run (MATRIX_ONLY): run make test-runtimes first");
  process.exit(1);
}

const cell = (text) => String(text ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ");
const seconds = (ms) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
const passed = run.rows.filter((r) => r.ok).length;
const lines = [
  "<!-- runtimes:begin: written by `make readme-runtimes` from target/runtimes.json; edit tests/runtimes/, not this table -->",
  `Last run: ${run.date.slice(0, 16).replace("T", " ")} UTC, revision ${run.revision}, ${run.machine}, Node ${run.node.replace(/^v/, "")}: ` +
    `**${passed} of ${run.rows.length} passed** in ${seconds(run.totalMs)} (packing and installing the tarball, the simulator and Chromium included).`,
  "",
  "| target | tool | tried as | result | time | what you need | seen |",
  "| --- | --- | --- | --- | --: | --- | --- |",
  ...run.rows.map((r) =>
    `| ${cell(r.target)} | ${cell(r.tool)} | \`${cell(r.how)}\` | ${r.ok ? "pass" : "**FAIL**"} | ${seconds(r.ms)} | ${cell(r.needs || "nothing")} | ${cell(r.ok ? r.detail : r.error?.split("\n")[0])} |`,
  ),
  "<!-- runtimes:end -->",
];
const table = lines.join("\n");
if (process.argv.includes("--check")) {
  console.log(table);
  process.exit(0);
}
const readme = readFileSync(README, "utf8");
const re = /<!-- runtimes:begin[\s\S]*?<!-- runtimes:end -->/;
if (!re.test(readme)) {
  console.error("README.md has no <!-- runtimes:begin --> ... <!-- runtimes:end --> block");
  process.exit(1);
}
writeFileSync(README, readme.replace(re, table));
console.log(`README.md: runtimes table from the run of ${run.date} (${passed} of ${run.rows.length} passed)`);
