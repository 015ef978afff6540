// One cold start, in a fresh Node process (spawned by run.mjs):
//   node bench/cold-child.mjs KIND PKG_DIR BASE_URL TOKEN PREBUILD_ID
// KIND: ours | peer | floor | compile. Prints one JSON line:
//   ready      ms from before `await import(...)` to a constructed client ready to send
//              (ours: also init() resolved; the Node entry compiles the wasm at import)
//   firstCall  ms from the same start to the first getPrebuild response, parsed
//   atReady    ms from process start (performance.timeOrigin) to ready
import { performance } from "node:perf_hooks";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const [kind, pkgDir, baseUrl, token, prebuildId] = process.argv.slice(2);
const SERVICE = "gitpod.v1.PrebuildService";

const t0 = performance.now();
let get;
if (kind === "ours") {
  const m = await import(pathToFileURL(join(pkgDir, "node.mjs")).href);
  const client = new m.PrebuildClient({ baseUrl, token });
  await m.init();
  get = () => client.getPrebuild({ prebuildId });
} else if (kind === "peer") {
  const { Gitpod } = await import("@gitpod/sdk");
  const client = new Gitpod({ bearerToken: token, baseURL: baseUrl, defaultHeaders: { "Connect-Protocol-Version": "1" } });
  get = () => client.post(`/${SERVICE}/GetPrebuild`, { body: { prebuildId } });
} else if (kind === "floor") {
  const headers = {
    "content-type": "application/json",
    "connect-protocol-version": "1",
    "connect-timeout-ms": "60000",
    authorization: `Bearer ${token}`,
  };
  get = () =>
    fetch(`${baseUrl}/${SERVICE}/GetPrebuild`, { method: "POST", headers, body: JSON.stringify({ prebuildId }) }).then(
      (r) => r.json(),
    );
} else if (kind === "compile") {
  // Only the wasm compile of the Node entry (read + new WebAssembly.Module), for the breakdown.
  new WebAssembly.Module(readFileSync(join(pkgDir, "gitpod_prebuilds_bg.wasm")));
  const t1 = performance.now();
  console.log(JSON.stringify({ ready: t1 - t0, firstCall: null, atReady: t1 }));
  process.exit(0);
} else {
  throw new Error(`unknown kind ${kind}`);
}
const t1 = performance.now();
const r = await get();
const t2 = performance.now();
if (r?.prebuild?.id !== prebuildId) throw new Error(`${kind}: unexpected answer ${JSON.stringify(r).slice(0, 200)}`);
console.log(JSON.stringify({ ready: t1 - t0, firstCall: t2 - t0, atReady: t1 }));
