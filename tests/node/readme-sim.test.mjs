// The README's "Test your code against the simulator" example runs as written: its
// node --test block saved next to a package that imports "gitpod-prebuilds" and
// "gitpod-prebuilds/sim" like a user's, and run with `node --test`; the package
// README's "Testing against a simulator" example likewise, with `node`. Its Vitest
// blocks are the example project's files (tests/runtimes/vitest/, which the runtime
// matrix runs from the packed package), word for word.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";

test("the README's simulator example passes under node --test", async () => {
  const readme = readFileSync("README.md", "utf8");
  const section = readme.split("\n## Test your code against the simulator\n")[1]?.split("\n## ")[0];
  assert.ok(section, "the README has the section");
  const blocks = [...section.matchAll(/```mjs\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => b.startsWith("// prebuilds.test.mjs"));
  assert.equal(blocks.length, 1);
  mkdirSync("tests/node/consumer/node_modules", { recursive: true });
  const link = "tests/node/consumer/node_modules/gitpod-prebuilds";
  if (!existsSync(link)) symlinkSync(resolve("pkg"), link, "dir");
  // Not named *.test.mjs: `node --test tests/node/` must not pick it up by itself.
  const file = "tests/node/consumer/sim-example.mjs";
  writeFileSync(file, blocks[0]);
  // Without this runner's NODE_TEST_CONTEXT, the child reports as a top-level run would.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const { stdout } = await promisify(execFile)(process.execPath, ["--test", "--test-reporter=tap", file], { env });
  assert.match(stdout, /^# pass 2$/m);
  assert.match(stdout, /^# fail 0$/m);
});

test("the package README's simulator example runs as written", async () => {
  const readme = readFileSync("pkg/README.md", "utf8");
  const section = readme.split("\n## Testing against a simulator\n")[1]?.split("\n## ")[0];
  assert.ok(section, "the package README has the section");
  const block = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block);
  mkdirSync("tests/node/consumer/node_modules", { recursive: true });
  const link = "tests/node/consumer/node_modules/gitpod-prebuilds";
  if (!existsSync(link)) symlinkSync(resolve("pkg"), link, "dir");
  const file = "tests/node/consumer/sim-example-pkg.mjs";
  writeFileSync(file, block);
  const { stdout } = await promisify(execFile)(process.execPath, [file]);
  assert.equal(stdout, "PREBUILD_PHASE_COMPLETED\n");
});

test("the README's Vitest example is the example project's files, word for word", () => {
  const readme = readFileSync("README.md", "utf8");
  const section = readme.split("\n## Test your code against the simulator\n")[1]?.split("\n## ")[0];
  const vitest = section?.split("\n### With Vitest\n")[1];
  assert.ok(vitest, "the section has a With Vitest part");
  assert.match(vitest, /\[tests\/runtimes\/vitest\/\]\(tests\/runtimes\/vitest\/\)/);
  const blocks = [...vitest.matchAll(/```mjs\n([\s\S]*?)```/g)].map((m) => m[1]);
  const files = ["src/deploy.mjs", "src/deploy.test.mjs"];
  assert.equal(blocks.length, files.length);
  files.forEach((file, i) => {
    assert.equal(blocks[i], readFileSync(`tests/runtimes/vitest/${file}`, "utf8"), `the README's block ${i + 1} is ${file}`);
  });
});
