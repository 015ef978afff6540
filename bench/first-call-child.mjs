// One first call in a fresh Node process (spawned by first-call.mjs):
//   node [FLAGS] bench/first-call-child.mjs KIND WARM PKG_DIR PREBUILD_ID BODY
// KIND: ours | peer. Node's undici is loaded first, so that only the client's own first
// call is timed; BODY (a GetPrebuild answer) comes from a `fetch` in memory. WARM
// (ours): nothing | validation | transport, a throwaway client's call warming the path
// to a validation error or to a connection error first. Prints the ms of the call.
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import * as C from "./lib/clients.mjs";

new Headers();
await new Response("{}").json();
new AbortController();

const [kind, warm, pkgDir, prebuildId, body] = process.argv.slice(2);
const base = "http://127.0.0.1:1/api";
const fetchFn = C.memoryFetch({ get: body, list: () => "{}" });
if (kind === "ours" && warm !== "nothing") {
  const { PrebuildClient } = await import(pathToFileURL(join(pkgDir, "node.mjs")).href);
  const throwaway =
    warm === "validation"
      ? new PrebuildClient({ baseUrl: base, token: "t", fetch: fetchFn }).getPrebuild({ prebuildId: "x" })
      : new PrebuildClient({ baseUrl: base, token: "t", maxRetries: 0, fetch: () => Promise.reject(new TypeError("down")) }).getPrebuild({ prebuildId });
  await throwaway.catch(() => {});
}
const client = kind === "ours" ? await C.ours(pkgDir, base, "t", fetchFn) : await C.peer(base, "t", fetchFn);
const t0 = performance.now();
const r = await client.get(prebuildId);
const ms = performance.now() - t0;
if (r?.prebuild?.id !== prebuildId) throw new Error(`${kind}: unexpected answer`);
console.log(ms);
