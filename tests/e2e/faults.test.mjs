// Network trouble: faults injected by the simulator (the test adds its x-sim-fault
// header with page.route) show as retries or readable errors, and the page recovers.

import assert from "node:assert/strict";
import { test } from "node:test";
import { demoSuite, screenshot, WAIT, waitForText } from "./harness.mjs";

let keys = 0;
const shared = demoSuite({ tickMs: 100 });
const demo = (opts) => shared.demo(opts);

/**
 * Adds `x-sim-fault` to the page's requests of one API method. `fault(n)` gives the
 * header for the n-th request (1-based), or nothing.
 */
async function injectFault(page, method, fault) {
  let n = 0;
  const pattern = `**/gitpod.v1.PrebuildService/${method}*`;
  await page.route(pattern, (route) => {
    n += 1;
    const value = typeof fault === "function" ? fault(n) : fault;
    const headers = { ...route.request().headers() };
    if (value) headers["x-sim-fault"] = value;
    route.continue({ headers });
  });
  return () => page.unroute(pattern);
}

const logText = (page) => page.locator("#activity-log").textContent();

// Chromium logs failed responses and connections to the console; those are the faults
// this file injects. Anything else is a problem.
const unexpected = (problems) =>
  problems.filter((p) => !/^console: Failed to load resource: (the server responded with a status of \d+|net::ERR_)/.test(p));

test("a one-off 503 is retried by the client, shown as retrying, and the table loads", async () => {
  const { page, problems } = await demo();
  const key = `once-${++keys}`;
  // The first attempt fails; the retry is held for a while so "retrying" can be seen.
  await injectFault(page, "ListPrebuilds", (n) => (n === 1 ? `503;times=1;key=${key}` : "delay=2500"));
  await page.getByRole("button", { name: "Refresh", exact: true }).first().click();

  await waitForText(page, "#status", /Retrying ListPrebuilds: attempt 2 of 3 after HTTP 503/);
  assert.equal(await page.locator("#status").getAttribute("aria-live"), "polite");
  assert.ok((await page.locator("#pb-rows tr").count()) > 0, "the rows stay while it retries");
  await screenshot(page, "retrying", { fullPage: false });

  await waitForText(page, "#activity-log", /ListPrebuilds succeeded on attempt 2/);
  assert.match(await logText(page), /Retrying ListPrebuilds: attempt 2 of 3 after HTTP 503/);
  await page.waitForFunction(() => !document.querySelector("#pb-table[aria-busy]"), null, { timeout: WAIT });
  assert.equal(await page.locator("#pb-error").isVisible(), false);
  await waitForText(page, "#status", /^$|recovered/);
  assert.deepEqual(unexpected(problems), []);
});

test("a lasting 503 shows class, status and code; \"Try again\" recovers", async () => {
  const { page } = await demo();
  const stop = await injectFault(page, "ListPrebuilds", "503");
  await page.getByRole("button", { name: "Refresh", exact: true }).first().click();
  const box = page.locator("#pb-error");
  await box.waitFor({ timeout: WAIT });
  const text = await box.textContent();
  assert.match(text, /Loading prebuilds failed/);
  assert.match(text, /InternalServerError/);
  assert.match(text, /HTTP 503/);
  assert.match(text, /unavailable/);
  assert.match(await logText(page), /ListPrebuilds failed after 3 attempts: InternalServerError \(HTTP 503 · unavailable\)/);
  assert.ok((await page.locator("#pb-rows tr").count()) > 0, "the last rows are still shown");
  await screenshot(page, "error-503");

  await stop();
  await box.getByRole("button", { name: "Try again", exact: true }).click();
  await box.waitFor({ state: "hidden", timeout: WAIT });
  await waitForText(page, "#pb-count", /^Showing 10 prebuilds/);
});

test("a 429 with retry-after-ms is waited out and retried", async () => {
  const { page } = await demo();
  await injectFault(page, "ListWarmPools", `429;retry-after-ms=300;times=1;key=rl-${++keys}`);
  await page.locator("#wp-refresh").click();
  await waitForText(page, "#activity-log", /ListWarmPools succeeded on attempt 2/);
  assert.match(await logText(page), /Retrying ListWarmPools: attempt 2 of 3 after HTTP 429/);
  assert.equal(await page.locator("#wp-error").isVisible(), false);
});

test("a proxy's HTML 502 and a malformed body are readable errors", async () => {
  const { page, requests } = await demo();
  await injectFault(page, "ListWarmPools", "html502");
  await page.locator("#wp-refresh").click();
  const wpError = page.locator("#wp-error");
  await wpError.waitFor({ timeout: WAIT });
  assert.match(await wpError.textContent(), /InternalServerError.*HTTP 502.*unavailable/s);

  await injectFault(page, "CreatePrebuild", "malformed");
  await page.getByRole("button", { name: "Create prebuild", exact: true }).click();
  const createError = page.locator("#pb-create-error");
  await createError.waitFor({ timeout: WAIT });
  assert.match(await createError.textContent(), /ResponseDecodeError/);
  assert.equal(requests.filter((r) => r.method === "CreatePrebuild").length, 1, "a bad body is not retried");
});

test("while the connection drops, the details panel says so and recovers by itself", async () => {
  const { page, problems } = await demo({ settings: { pollMs: 200, maxRetries: 1 } });
  await page.locator("#pb-rows tr button").first().click();
  await page.locator("#details-fields dt").first().waitFor({ timeout: WAIT });
  const stop = await injectFault(page, "GetPrebuild", "reset");
  const error = page.locator("#details-error");
  await error.waitFor({ timeout: WAIT });
  assert.match(await error.textContent(), /APIConnectionError/);
  await waitForText(page, "#details-live", /Connection trouble · trying again in \d+ s/);
  await screenshot(page, "details-connection-trouble", { fullPage: false });

  await stop();
  await error.waitFor({ state: "hidden", timeout: WAIT });
  await waitForText(page, "#details-live", /Following live|Final phase/);
  // Only connection trouble was reported, nothing else went wrong in the page.
  assert.deepEqual(unexpected(problems), []);
});

test("an unreachable base URL shows a connection error, and \"Use the simulator\" recovers", async () => {
  const { page } = await demo({ settings: { maxRetries: 1 } });
  await page.getByRole("button", { name: "Settings", exact: true }).click();
  await page.locator("#set-base-url").fill("http://127.0.0.1:9/api");
  await page.getByRole("button", { name: "Apply", exact: true }).click();
  const box = page.locator("#pb-error");
  await box.waitFor({ timeout: WAIT });
  assert.match(await box.textContent(), /APIConnectionError/);
  assert.match(await box.textContent(), /could not be reached/);
  assert.match(await page.locator("#connection-label").textContent(), /127\.0\.0\.1:9\/api/);
  await screenshot(page, "error-unreachable", { fullPage: false });

  await page.getByRole("button", { name: "Settings", exact: true }).click();
  await page.getByRole("button", { name: "Use the simulator", exact: true }).click();
  await box.waitFor({ state: "hidden", timeout: WAIT });
  await waitForText(page, "#pb-count", /^Showing 10 prebuilds/);
  await waitForText(page, "#connection-label", /Simulator/);
});
