// gitpod-prebuilds/sim in Cloudflare Workers (`wrangler dev`, workerd): shared/sim-check.mjs
// on GET /. The plain import, as a Workers user writes it: wrangler resolves the package's
// "workerd" condition (sim-workerd.js, which imports the simulator's .wasm as a module),
// so createSimulator needs no `wasm` option.
import { createSimulator } from "gitpod-prebuilds/sim";
import { PrebuildClient } from "gitpod-prebuilds";
import { simCheck } from "../shared/sim-check.mjs";

export default {
  async fetch(request) {
    if (new URL(request.url).pathname !== "/") return new Response(null, { status: 204 });
    const result = await simCheck({ createSimulator, PrebuildClient }).catch((e) => ({
      ok: false,
      error: `${e?.name}: ${e?.message}`,
      stack: String(e?.stack ?? ""),
    }));
    return Response.json(result);
  },
};
