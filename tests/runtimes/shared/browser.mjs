// The matrix's script in a page, as each bundler builds it: start() reads the
// simulator's URL from the page's ?sim= parameter and puts the result (or the error)
// in window.__result and into the page.
import * as pkg from "gitpod-prebuilds";
import { check } from "./check.mjs";

export function start() {
  const sim = new URLSearchParams(location.search).get("sim");
  return check(pkg, { baseUrl: `${sim}/api` })
    .catch((e) => ({ ok: false, error: `${e?.name}: ${e?.message}`, stack: String(e?.stack ?? "") }))
    .then((result) => {
      globalThis.__result = result;
      const pre = document.createElement("pre");
      pre.id = "result";
      pre.textContent = JSON.stringify(result, null, 2);
      document.body.append(pre);
    });
}
