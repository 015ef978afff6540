// A build of the package with wasm function names, for size and CPU profiles: the same
// steps as `make pkg` (wasm-bindgen, wasm-opt -O3, pkg-template/assemble.mjs), except
// that the name section is kept. Reads the last `cargo build --profile wasm-release`.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { homedir } from "node:os";

const bin = (name, local) => (existsSync(local) ? local : name);

export function buildNamed(root, { assemble = false } = {}) {
  const input = join(root, "target/wasm32-unknown-unknown/wasm-release/gitpod_prebuilds.wasm");
  if (!existsSync(input)) throw new Error(`${input} is missing: run make pkg`);
  const dir = join(root, "target/bench/names");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const wasmBindgen = bin("wasm-bindgen", join(homedir(), ".cargo/bin/wasm-bindgen"));
  const wasmOpt = bin("wasm-opt", join(root, "node_modules/.bin/wasm-opt"));
  execFileSync(wasmBindgen, ["--target", "web", "--no-typescript", "--keep-debug", "--out-dir", dir, "--out-name", "gitpod_prebuilds", input]);
  const named = join(dir, "named.wasm");
  const stripped = join(dir, "stripped.wasm");
  execFileSync(wasmOpt, ["-O3", "-g", "--strip-dwarf", join(dir, "gitpod_prebuilds_bg.wasm"), "-o", named]);
  execFileSync(wasmOpt, ["--strip-debug", named, "-o", stripped]); // names dropped: what make pkg ships
  let pkg = null;
  if (assemble) {
    pkg = join(root, "target/bench/pkg-names");
    // The simulator entry is assembled from the last `make sim` as `make pkg` does.
    execFileSync(process.execPath, [join(root, "pkg-template/assemble.mjs"), dir, named, pkg, join(root, "target/pkg-sim-raw")], { stdio: "ignore" });
  }
  return { input, named, stripped, pkg };
}
