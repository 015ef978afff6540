// Bun (`bun main.mjs`): the package as Bun resolves it, `import` and `require` alike.
import * as pkg from "gitpod-prebuilds";
import { createRequire } from "node:module";
import { check, checkOneCopy } from "../shared/check.mjs";
import { report, sim } from "../shared/report.mjs";

report(async () => ({
  ...(await check(pkg, { baseUrl: `${sim}/api` })),
  oneCopy: await checkOneCopy(pkg, createRequire(import.meta.url)("gitpod-prebuilds")),
  runtime: `bun ${globalThis.Bun?.version}`,
}));
