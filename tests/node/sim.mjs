// Starts a real prebuild-sim for a test file and stops it afterwards.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const BIN = process.env.SIM_BIN ?? "target/release/prebuild-sim";

/** Starts the simulator on a free port; resolves with { url, info, stop }. */
export async function startSim(args = []) {
  const child = spawn(BIN, ["--port", "0", "--quiet", "--tick-ms", "20", "--www", "www", "--pkg", "pkg", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      const m = /^prebuild-sim listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`prebuild-sim exited with ${code} before listening`)));
    child.on("error", reject);
  });
  child.stdout.resume();
  const info = await (await fetch(`${url}/_sim/info`)).json();
  return {
    url,
    info,
    stop: () =>
      new Promise((resolve) => {
        child.on("exit", resolve);
        child.kill("SIGTERM");
      }),
  };
}

/**
 * What a fetch wrapper was asked to fetch, as a Request, without touching the body of
 * the caller's Request (the client passes one Request; a wrapper must also take a URL
 * and an init object, as the global fetch does).
 */
export const requestOf = (input, init) => (input instanceof Request && init === undefined ? input : new Request(input, init));

/** A fetch that counts its calls. */
export function countingFetch() {
  const f = (input, init) => {
    f.calls.push(requestOf(input, init).url);
    return fetch(input, init);
  };
  f.calls = [];
  return f;
}
