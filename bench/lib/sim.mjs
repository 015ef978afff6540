// Starts one prebuild-sim for the whole benchmark run and stops it afterwards.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

/**
 * Starts `bin` on a free port with `args`; resolves with { url, baseUrl, stop }.
 * The first stdout line is `prebuild-sim listening on http://HOST:PORT`.
 */
export async function startSim(bin, args) {
  const child = spawn(bin, ["--port", "0", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      const m = /^prebuild-sim listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`${bin} exited with ${code} before listening`)));
    child.on("error", reject);
  });
  child.stdout.resume();
  return {
    url,
    baseUrl: `${url}/api`,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on("exit", resolve);
        child.kill("SIGTERM");
      }),
  };
}
