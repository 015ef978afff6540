// Deno 2 (`deno run --allow-net main.mjs`): the package from node_modules, with no
// permission but the network's: no --allow-read for the wasm, no --allow-env for the
// constructor without options; `import` and `require` give one copy.
import * as pkg from "gitpod-prebuilds";
import { createRequire } from "node:module";
import { check, checkOneCopy } from "../shared/check.mjs";
import { report, sim } from "../shared/report.mjs";

report(async () => ({
  ...(await check(pkg, { baseUrl: `${sim}/api` })),
  oneCopy: await checkOneCopy(pkg, createRequire(import.meta.url)("gitpod-prebuilds")),
  runtime: `deno ${Deno.version.deno}`,
  permissions: `with ${["read", "env", "net"].map((name) => `${name} ${Deno.permissions.querySync({ name }).state}`).join(", ")}`,
}));
