// The matrix's script in a page, as each bundler builds it: start() reads the
// simulator's URL from the page's ?sim= parameter and puts the result (or the error)
// in window.__result and into the page.
import * as pkg from "gitpod-prebuilds";
import { check } from "./check.mjs";
import { showResult } from "./page-result.mjs";

export function start() {
  const sim = new URLSearchParams(location.search).get("sim");
  return showResult(check(pkg, { baseUrl: `${sim}/api` }));
}
