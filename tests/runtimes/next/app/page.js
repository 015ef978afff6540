// A server component: the script runs on the server at each request (Next.js's server
// bundle, the package's "node" condition), and the client component below runs it again
// in the browser.
import * as pkg from "gitpod-prebuilds";
import { check } from "../../shared/check.mjs";
import ClientCheck from "./client-check.js";

export const dynamic = "force-dynamic";

export default async function Page() {
  const sim = process.env.SIM_URL;
  const result = await check(pkg, { baseUrl: `${sim}/api` }).then(
    (r) => ({ ...r, rendered: "on the server, at request time" }),
    (e) => ({ ok: false, error: `${e?.name}: ${e?.message}`, stack: String(e?.stack ?? "") }),
  );
  return (
    <main>
      <pre id="server">{JSON.stringify(result)}</pre>
      <ClientCheck sim={sim} />
    </main>
  );
}
