// Node, ES modules: `import` of the package (its "node" + "import" condition), and
// `require` of it in the same process must give the same classes.
import * as pkg from "gitpod-prebuilds";
import { createRequire } from "node:module";
import { check, checkOneCopy } from "../shared/check.mjs";
import { report, sim } from "../shared/report.mjs";

report(async () => ({
  ...(await check(pkg, { baseUrl: `${sim}/api` })),
  oneCopy: await checkOneCopy(pkg, createRequire(import.meta.url)("gitpod-prebuilds")),
}));
