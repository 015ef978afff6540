// Deno 2 (`deno run --allow-net main.mjs`): the package from node_modules, with no
// permission but the network's: no --allow-read for the wasm, no --allow-env for the
// constructor without options.
import * as pkg from "gitpod-prebuilds";
import { check } from "../shared/check.mjs";
import { report, sim } from "../shared/report.mjs";

report(async () => ({
  ...(await check(pkg, { baseUrl: `${sim}/api` })),
  runtime: `deno ${Deno.version.deno}`,
  permissions: ["read", "env", "net"].map((name) => `${name}: ${Deno.permissions.querySync({ name }).state}`).join(", "),
}));
