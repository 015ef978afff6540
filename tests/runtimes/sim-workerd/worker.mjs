// gitpod-prebuilds/sim in Cloudflare Workers (`wrangler dev`, workerd): shared/sim-check.mjs
// on GET /. sim.js cannot read its .wasm there (no file system), and the package exports
// no subpath for it, so the worker imports the file by its path in node_modules (a
// relative path, past the package's "exports") and hands it to createSimulator as `wasm`.
import { createSimulator } from "gitpod-prebuilds/sim";
import { PrebuildClient } from "gitpod-prebuilds";
import wasm from "../node_modules/gitpod-prebuilds/sim/prebuild_sim_bg.wasm";
import { simCheck } from "../shared/sim-check.mjs";

export default {
  async fetch(request) {
    if (new URL(request.url).pathname !== "/") return new Response(null, { status: 204 });
    const result = await simCheck({ createSimulator, PrebuildClient }, { wasm }).catch((e) => ({
      ok: false,
      error: `${e?.name}: ${e?.message}`,
      stack: String(e?.stack ?? ""),
    }));
    return Response.json(result);
  },
};
