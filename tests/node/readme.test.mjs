// The README's JavaScript examples run as written against the simulator: every ```js
// block, in order, as one module that imports "gitpod-prebuilds" like a user's would.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { startSim } from "./sim.mjs";

let sim;
before(async () => {
  sim = await startSim();
});
after(() => sim?.stop());

test("the README examples run against the simulator", async () => {
  const readme = readFileSync("README.md", "utf8");
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 6, `found ${blocks.length} js blocks`);
  mkdirSync("tests/node/consumer/node_modules", { recursive: true });
  const link = "tests/node/consumer/node_modules/gitpod-prebuilds";
  if (!existsSync(link)) symlinkSync(resolve("pkg"), link, "dir");
  const file = "tests/node/consumer/readme-examples.mjs";
  writeFileSync(file, blocks.join("\n"));
  const { stdout } = await promisify(execFile)(process.execPath, [file], {
    env: { ...process.env, GITPOD_BASE_URL: `${sim.url}/api`, GITPOD_API_KEY: "demo" },
  });
  assert.match(stdout, /^created [0-9a-f-]{36} PREBUILD_PHASE_PENDING$/m);
  assert.match(stdout, /^logs token true$/m);
  assert.match(stdout, /^warm pool [0-9a-f-]{36} WARM_POOL_PHASE_\w+ min 0$/m);
  assert.match(stdout, /^prebuildId -> prebuildId must be a UUID/m);
  assert.match(stdout, /^404 not_found /m);
  assert.match(stdout, /^\d+ prebuilds in the project$/m);
  assert.match(stdout, /^page of 5$/m);
  assert.match(stdout, /^finished PREBUILD_PHASE_COMPLETED$/m);
  assert.match(stdout, /^log lines true$/m);
  assert.match(stdout, /^state PREBUILD_PHASE_COMPLETED$/m);
  assert.match(stdout, /^may have been created: APIConnectionError$/m);
  assert.match(stdout, /^newest PREBUILD_PHASE_\w+$/m);
  assert.match(stdout, /^fetch POST \/api\/gitpod\.v1\.PrebuildService\/ListPrebuilds application\/json$/m);
});
