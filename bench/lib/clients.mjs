// The three contenders, behind one shape: { name, get(id), walk(pageSize) }.
//   ours  - the package's PrebuildClient (Node entry node.mjs: wasm compiled at import)
//   floor - a bare fetch + JSON.parse with the same headers (no client can do less)
//   peer  - the official TypeScript SDK @gitpod/sdk 0.6.0 (Stainless), through its
//           generic client.post() and getAPIList(), as it has no prebuilds resource
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { join } from "node:path";

export const SERVICE = "gitpod.v1.PrebuildService";

/** The headers our client sends (content-type, connect-protocol-version, connect-timeout-ms, authorization). */
export function floorHeaders(token) {
  return {
    "content-type": "application/json",
    "connect-protocol-version": "1",
    "connect-timeout-ms": "60000",
    authorization: `Bearer ${token}`,
  };
}

/**
 * `split`: load the package's separate ES modules (index.js, client.js, the glue, the
 * snippets) with the wasm passed to init(), instead of the Node entry (one bundle,
 * node.cjs), so that a CPU profile can tell the files apart (bench/analyze.mjs).
 */
export async function ours(pkgDir, baseUrl, token, fetchFn, { split = false } = {}) {
  const m = await import(pathToFileURL(join(pkgDir, split ? "index.js" : "node.mjs")).href);
  if (split) await m.init(readFileSync(join(pkgDir, "gitpod_prebuilds_bg.wasm")));
  const client = new m.PrebuildClient({ baseUrl, token, ...(fetchFn ? { fetch: fetchFn } : {}) });
  return {
    name: "ours",
    get: (prebuildId) => client.getPrebuild({ prebuildId }),
    async walk(pageSize) {
      let n = 0;
      for await (const p of client.iterPrebuilds({ pageSize })) if (p.id) n += 1;
      return n;
    },
  };
}

export function floor(baseUrl, token, fetchFn = fetch) {
  const headers = floorHeaders(token);
  const getUrl = `${baseUrl}/${SERVICE}/GetPrebuild`;
  const listUrl = `${baseUrl}/${SERVICE}/ListPrebuilds`;
  return {
    name: "floor",
    get: (prebuildId) =>
      fetchFn(getUrl, { method: "POST", headers, body: JSON.stringify({ prebuildId }) }).then((r) => r.json()),
    async walk(pageSize) {
      let n = 0;
      let token = "";
      do {
        const q = token ? `?token=${encodeURIComponent(token)}&pageSize=${pageSize}` : `?pageSize=${pageSize}`;
        const page = await fetchFn(listUrl + q, { method: "POST", headers, body: "{}" }).then((r) => r.json());
        for (const p of page.prebuilds) if (p.id) n += 1;
        token = page.pagination?.nextToken;
      } while (token);
      return n;
    },
  };
}

export async function peer(baseUrl, token, fetchFn) {
  const { Gitpod } = await import("@gitpod/sdk");
  const { AbstractPage } = await import("@gitpod/sdk/core/pagination.mjs");
  // The page class the SDK generates for every Connect list method (see EnvironmentsPage),
  // written for ListPrebuilds: items under `prebuilds`, next page via query `token`.
  class PrebuildsPage extends AbstractPage {
    constructor(client, response, body, options) {
      super(client, response, body, options);
      this.prebuilds = body.prebuilds || [];
      this.pagination = body.pagination || {};
    }
    getPaginatedItems() {
      return this.prebuilds ?? [];
    }
    nextPageRequestOptions() {
      const cursor = this.pagination?.nextToken;
      return cursor ? { ...this.options, query: { ...this.options.query, token: cursor } } : null;
    }
  }
  const client = new Gitpod({
    bearerToken: token,
    baseURL: baseUrl,
    // Connect servers may answer 400 without it; the SDK's generated methods do not add it.
    defaultHeaders: { "Connect-Protocol-Version": "1" },
    ...(fetchFn ? { fetch: fetchFn } : {}),
  });
  return {
    name: "peer",
    get: (prebuildId) => client.post(`/${SERVICE}/GetPrebuild`, { body: { prebuildId } }),
    async walk(pageSize) {
      let n = 0;
      const list = client.getAPIList(`/${SERVICE}/ListPrebuilds`, PrebuildsPage, {
        method: "post",
        query: { pageSize },
        body: {},
      });
      for await (const p of list) if (p.id) n += 1;
      return n;
    },
  };
}

/** A fetch that answers from memory: the same Response every time, no network. It takes
 * a URL (the floor and the peer) or a Request (ours). */
export function memoryFetch(bodies) {
  return async (input) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const body = url.includes("/ListPrebuilds") ? bodies.list(url) : bodies.get;
    return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
  };
}
