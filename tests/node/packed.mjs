// The package as its users get it: pkg/ packed with `npm pack`, installed from the
// tarball into a new project in a temporary folder (offline: the package has no
// dependencies), and its `gitpod-prebuilds` command run from node_modules/.bin.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Packs pkg/ and installs the tarball into a fresh project. Returns { dir, files (what
 * the tarball holds), bin (the installed command), load() (the installed package's
 * Node entry, as `import "gitpod-prebuilds"` gives it there), remove() }.
 */
export function installPacked(pkgDir = "pkg") {
  const dir = mkdtempSync(join(tmpdir(), "gitpod-prebuilds-cli-"));
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: resolve(pkgDir), encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }),
  );
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "cli-user", private: true, type: "module" }));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--no-package-lock", join(dir, packed.filename)], {
    cwd: dir,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, npm_config_loglevel: "error" },
  });
  const installed = join(dir, "node_modules", "gitpod-prebuilds");
  return {
    dir,
    files: packed.files.map((f) => f.path),
    bin: join(dir, "node_modules", ".bin", "gitpod-prebuilds"),
    load: () => import(pathToFileURL(join(installed, "node.mjs")).href),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The environment a test runs the command in: the caller's, without colour settings, plus `env`. */
export function cliEnv(env = {}) {
  const base = { ...process.env };
  for (const name of ["NO_COLOR", "FORCE_COLOR", "GITPOD_API_KEY", "GITPOD_BASE_URL"]) delete base[name];
  return { ...base, ...env };
}

/**
 * Runs `file args` to its end: { code, signal, stdout, stderr }. `onSpawn(child)` gets
 * the process, and `onStderr(text so far, child)` its stderr as it arrives, to act while
 * the command runs.
 */
export function run(file, args, { env, cwd, onSpawn, onStderr, timeoutMs = 60_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    onSpawn?.(child);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => {
      stderr += d;
      onStderr?.(stderr, child);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}
