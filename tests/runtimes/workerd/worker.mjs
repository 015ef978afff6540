// Cloudflare Workers (`wrangler dev`, workerd): the package as wrangler bundles it (its
// "workerd" condition, the .wasm imported as a module). GET /?sim=URL runs the script.
import * as pkg from "gitpod-prebuilds";
import { check } from "../shared/check.mjs";

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname !== "/") return new Response(null, { status: 204 });
    const sim = url.searchParams.get("sim");
    const result = await check(pkg, { baseUrl: `${sim}/api` }).catch((e) => ({
      ok: false,
      error: `${e?.name}: ${e?.message}`,
      stack: String(e?.stack ?? ""),
    }));
    return Response.json(result);
  },
};
