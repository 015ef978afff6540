// Node, CommonJS: `require` of the package (its "node" + "require" condition), and
// `import` of it in the same process must give the same classes.
const pkg = require("gitpod-prebuilds");

(async () => {
  const { check, checkOneCopy } = await import("../shared/check.mjs");
  const { report, sim } = await import("../shared/report.mjs");
  await report(async () => ({
    ...(await check(pkg, { baseUrl: `${sim}/api` })),
    oneCopy: await checkOneCopy(await import("gitpod-prebuilds"), pkg),
  }));
})();
