// The size budget check itself (tests/size/budget.mjs, run by make test-size): it
// passes the package as built, and fails, naming every file's bytes, when the wasm
// grows past the budget.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const script = fileURLToPath(new URL("../size/budget.mjs", import.meta.url));
const pkg = fileURLToPath(new URL("../../pkg", import.meta.url));

test("the package as built is within the size budget, and the check lists every file", async () => {
  const { stdout } = await run(process.execPath, [script, pkg]);
  for (const file of ["client.js", "gitpod_prebuilds.js", "gitpod_prebuilds_bg.wasm", "errors.js"]) {
    assert.match(stdout, new RegExp(file.replace(".", "\\.")), stdout);
  }
  assert.match(stdout, /within the budget of 90,000 B/);
});

test("a package over the budget fails the check, saying by how much", async () => {
  const dir = mkdtempSync(join(tmpdir(), "size-budget-"));
  try {
    cpSync(pkg, dir, { recursive: true });
    const wasm = join(dir, "gitpod_prebuilds_bg.wasm");
    // 8 KB that gzip cannot shrink, as a custom section would add.
    writeFileSync(wasm, Buffer.concat([readFileSync(wasm), randomBytes(8192)]));
    await assert.rejects(run(process.execPath, [script, dir]), (e) => {
      assert.equal(e.code, 1);
      assert.match(e.stdout, /OVER the budget of 90,000 B by [\d,]+ B/);
      assert.match(e.stdout, /gitpod_prebuilds_bg\.wasm/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
