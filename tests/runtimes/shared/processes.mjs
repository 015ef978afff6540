// Processes and servers for the runtime matrix: commands run to their end, long-running
// ones (dev servers, wrangler dev, next start) in their own process groups, free ports,
// and a plain static file server. Every command runs with the tools' telemetry off.
import { spawn } from "node:child_process";
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** tests/runtimes/, where commands run unless told otherwise. */
const HERE = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// Tools that phone home get told not to; none of them needs the network here.
const QUIET_ENV = {
  NEXT_TELEMETRY_DISABLED: "1",
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  DENO_NO_UPDATE_CHECK: "1",
  DO_NOT_TRACK: "1",
  BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0",
  NO_COLOR: "1",
  FORCE_COLOR: "0",
};

/** The long-running processes still up: stopAll() ends them. */
const children = new Set();

/** Kills every long-running process still up (at the end of the matrix). */
export function stopAll() {
  for (const c of children) {
    try {
      process.kill(-c.pid, "SIGKILL");
    } catch {}
  }
}

/**
 * Runs a command to its end; rejects with its output when it fails, unless `check` is
 * false (then the caller reads `code`).
 */
export function exec(cmd, args, { cwd = HERE, env = {}, timeoutMs = 180_000, check = true } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...QUIET_ENV, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0 || !check) resolvePromise({ code: code ?? signal, stdout, stderr });
      else reject(new Error(`${cmd} ${args.join(" ")} exited with ${code ?? signal}\n${stdout}\n${stderr}`.slice(0, 6000)));
    });
  });
}

/**
 * Runs a row's process and returns the script's result: the JSON line it printed (its
 * own error when the script failed), or, when it printed none, what went wrong.
 */
export async function runScript(cmd, args, opts) {
  const { code, stdout, stderr } = await exec(cmd, args, { ...opts, check: false });
  const line = stdout.trim().split("\n").pop();
  let result;
  try {
    result = JSON.parse(line);
  } catch {
    throw new Error(`${cmd} ${args.join(" ")} exited with ${code} and printed no result\n${stdout}\n${stderr}`.slice(0, 6000));
  }
  if (result.ok && code !== 0) throw new Error(`exited with ${code} after its result\n${stderr}`.slice(0, 6000));
  return result;
}

/** A free port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePromise, reject) => {
    const s = createNetServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolvePromise(port));
    });
  });
}

/**
 * Starts a long-running command (a dev server, wrangler dev, next start) in its own
 * process group, and resolves once `url` answers; stop() ends the group.
 */
export async function serve(cmd, args, url, { cwd = HERE, env = {}, timeoutMs = 120_000 } = {}) {
  const child = spawn(cmd, args, {
    cwd,
    env: { ...process.env, ...QUIET_ENV, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  children.add(child);
  let output = "";
  child.stdout.on("data", (d) => (output = (output + d).slice(-6000)));
  child.stderr.on("data", (d) => (output = (output + d).slice(-6000)));
  let exited = false;
  child.on("exit", () => (exited = true));
  const stop = () =>
    new Promise((resolvePromise) => {
      children.delete(child);
      if (exited) return resolvePromise();
      child.on("exit", () => resolvePromise());
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        resolvePromise();
      }
      setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }, 5000).unref();
    });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`${cmd} ${args.join(" ")} exited before serving ${url}\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${cmd} ${args.join(" ")} did not serve ${url} within ${timeoutMs} ms\n${output}`);
    }
    const up = await fetch(url, { signal: AbortSignal.timeout(10_000) }).then(
      () => true,
      () => false,
    );
    if (up) return { stop, output: () => output };
    await new Promise((r) => setTimeout(r, 250));
  }
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".wasm": "application/wasm",
};

/** Serves `dir` as a plain static site (404 for anything missing), as a CDN would. */
export async function serveStatic(dir) {
  const server = createServer((req, res) => {
    const path = resolve(dir, "." + decodeURIComponent(new URL(req.url, "http://x").pathname));
    const file = path.endsWith("/") || (existsSync(path) && statSync(path).isDirectory()) ? join(path, "index.html") : path;
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((r) => server.close(r)) };
}

