// The static build (make demo-static): the same page from a plain static file server,
// under a path prefix, with the simulator running in the page. Its main paths: the
// lists, create and follow with the live log, cancel, delete, warm pools, a fault.

import assert from "node:assert/strict";
import { test } from "node:test";
import { launchBrowser, openDemo, prebuildRow, screenshot, startSim, staticDemoSuite, WAIT, waitForText } from "./harness.mjs";

const shared = staticDemoSuite();
const FAST = { pollMs: 150 };

/** Requests the page sent to the network that are not the static build's files. */
const apiRequests = (requests) => requests.filter((r) => /\/api\/|\/_sim\//.test(r.url));

test("static: the header says the simulator runs in the page; both lists load from it; only files are fetched", async () => {
  const before = shared.server.requests.length;
  const { page, problems, requests } = await shared.demo({ query: "tick-ms=100" });
  await waitForText(page, "#connection-label", /^Simulator running in this page$/);
  assert.match(await page.locator("#connection-label").getAttribute("title"), /No server/);
  await page.locator("#pb-rows tr").nth(9).waitFor({ timeout: WAIT });
  await waitForText(page, "#pb-count", /^Showing 10 prebuilds · more available$/);
  // Names come from the in-page simulator's /_sim/info.
  const shown = (await page.locator('#pb-rows tr td[data-label="Project"]').first().textContent()).trim();
  assert.ok(shared.info.projects.some((p) => p.name === shown), `project shown by name: ${shown}`);
  await page.locator("#wp-rows tr").first().waitFor({ timeout: WAIT });
  await waitForText(page, "#wp-count", /^Showing \d+ warm pools?$/);
  await waitForText(page, "#activity-log", /Simulator running in this page \(no server\)/);

  // The server saw files only, all found, all under its prefix; no API call left the page.
  const served = shared.server.requests.slice(before);
  assert.deepEqual(served.filter((r) => !r.endsWith(" 200")), [], "no 404s");
  assert.ok(served.every((r) => r.startsWith(`GET ${shared.server.prefix}`)), served.join("\n"));
  assert.ok(served.some((r) => r.includes("/pkg/sim/prebuild_sim_bg.wasm")), "the simulator's wasm is loaded");
  assert.ok(served.some((r) => r.includes("/pkg/gitpod_prebuilds_bg.wasm")), "the client's wasm is loaded");
  assert.deepEqual(apiRequests(requests), []);
  await screenshot(page, "static-demo");
  assert.deepEqual(problems, []);
});

test("static: a new prebuild is followed to COMPLETED while its log streams live", async () => {
  // 300 ms ticks: the log grows over about five seconds.
  const { page, problems } = await shared.demo({ query: "tick-ms=300", settings: FAST });
  const project = shared.info.projects.find((p) => p.prebuildsEnabled && p.prebuildOutcome === "completes");
  await page.locator("#pb-create-project").fill(project.id);
  await page.getByRole("button", { name: "Create prebuild", exact: true }).click();
  await page.locator("#pb-rows tr.is-new").waitFor({ timeout: WAIT });
  const id = await page.locator("#pb-rows tr").first().getAttribute("data-id");
  await waitForText(page, "#details-id", new RegExp(`^${id}$`));

  // Lines arrive before the prebuild is done.
  await page.waitForFunction(
    () =>
      document.querySelectorAll("#details-log .log-line").length >= 3 &&
      document.getElementById("details").dataset.phase !== "PREBUILD_PHASE_COMPLETED" &&
      document.getElementById("details-log-status").textContent === "Streaming live",
    null,
    { timeout: WAIT },
  );
  await page.locator('#details[data-phase="PREBUILD_PHASE_COMPLETED"]').waitFor({ timeout: WAIT });
  await page.locator("#details-done").waitFor({ timeout: WAIT });
  assert.match(await page.locator("#details-done").textContent(), /Completed.*Snapshot size: \d+(\.\d)? [kMGT]?B/s);
  await waitForText(page, "#details-log-status", /^End of log · \d+ lines$/);
  const lines = Number(/(\d+) lines/.exec(await page.locator("#details-log-status").textContent())[1]);
  assert.equal(await page.locator("#details-log .log-line").count(), lines);
  assert.ok(lines > 10, `a whole log: ${lines} lines`);
  assert.match(await page.locator("#details-fields").textContent(), /Log URL\s*http:\/\/prebuild-sim\.localhost\/logs\//);
  await page.waitForFunction((pid) => document.querySelector(`#pb-rows tr[data-id="${pid}"]`)?.dataset.phase === "PREBUILD_PHASE_COMPLETED", id, {
    timeout: WAIT,
  });
  await screenshot(page, "static-details-completed");
  assert.deepEqual(problems, []);
});

test("static: cancel stops a new prebuild, delete removes it", async () => {
  const { page, problems } = await shared.demo({ query: "tick-ms=500", settings: FAST });
  const project = shared.info.projects.find((p) => p.prebuildsEnabled && p.prebuildOutcome === "completes");
  await page.locator("#pb-create-project").fill(project.id);
  await page.getByRole("button", { name: "Create prebuild", exact: true }).click();
  await page.locator("#pb-rows tr.is-new").waitFor({ timeout: WAIT });
  const id = await page.locator("#pb-rows tr").first().getAttribute("data-id");
  await waitForText(page, "#details-id", new RegExp(`^${id}$`));

  const cancel = page.getByRole("button", { name: "Cancel prebuild", exact: true });
  await page.waitForFunction(() => !document.getElementById("details-cancel").disabled, null, { timeout: WAIT });
  await cancel.click();
  await page.locator('#details[data-phase="PREBUILD_PHASE_CANCELLED"]').waitFor({ timeout: WAIT });
  assert.equal(await cancel.isDisabled(), true);
  await page.waitForFunction((pid) => document.querySelector(`#pb-rows tr[data-id="${pid}"]`)?.dataset.phase === "PREBUILD_PHASE_CANCELLED", id, {
    timeout: WAIT,
  });

  await page.getByRole("button", { name: "Delete prebuild", exact: true }).click();
  await page.locator("#confirm-ok").click();
  await waitForText(page, "#details-live", /no longer exists/);
  await prebuildRow(page, id).waitFor({ state: "detached", timeout: WAIT });
  // A fresh list agrees.
  await page.getByRole("button", { name: "Refresh", exact: true }).first().click();
  await page.waitForFunction(() => !document.querySelector("#pb-table[aria-busy]") && document.querySelectorAll("#pb-rows tr").length > 0, null, {
    timeout: WAIT,
  });
  assert.equal(await prebuildRow(page, id).count(), 0);
  assert.deepEqual(problems, []);
});

test("static: a warm pool is created, becomes READY, and is deleted", async () => {
  const { page, problems } = await shared.demo({ query: "tick-ms=100", settings: FAST });
  await page.locator("#wp-rows tr").first().waitFor({ timeout: WAIT });
  const pair = shared.info.hints.freePair;
  assert.equal(await page.locator("#wp-create-project").inputValue(), pair.projectId, "the form is pre-filled from the in-page /_sim/info");
  const before = await page.locator("#wp-rows tr").evaluateAll((rows) => rows.map((r) => r.dataset.id));
  await page.locator("#wp-create-min").fill("1");
  await page.locator("#wp-create-max").fill("2");
  await page.getByRole("button", { name: "Create warm pool", exact: true }).click();
  const handle = await page.waitForFunction(
    (old) => [...document.querySelectorAll("#wp-rows tr")].map((r) => r.dataset.id).find((id) => !old.includes(id)),
    before,
    { timeout: WAIT },
  );
  const id = await handle.jsonValue();
  await page.locator(`#wp-rows tr[data-id="${id}"][data-phase="WARM_POOL_PHASE_READY"]`).waitFor({ timeout: WAIT });
  assert.equal((await page.locator(`#wp-rows tr[data-id="${id}"] td[data-label="Min / max"]`).textContent()).trim(), "1 / 2");

  await page.locator(`#wp-rows tr[data-id="${id}"]`).getByRole("button", { name: /^Delete warm pool/ }).click();
  await page.locator("#confirm-ok").click();
  await page.locator(`#wp-rows tr[data-id="${id}"]`).waitFor({ state: "detached", timeout: WAIT });
  await page.locator("#wp-refresh").click();
  await page.locator("#wp-rows tr").first().waitFor({ timeout: WAIT });
  await page.waitForFunction(() => !document.querySelector("#wp-table[aria-busy]"), null, { timeout: WAIT });
  assert.equal(await page.locator(`#wp-rows tr[data-id="${id}"]`).count(), 0);
  assert.deepEqual(problems, []);
});

test("static: faults of the in-page simulator (?fault-rate=1) are retried and shown with their class and status", async () => {
  const { page, problems } = await shared.demo({ query: "tick-ms=100&fault-rate=1", waitForRows: false });
  await waitForText(page, "#connection-label", /^Simulator running in this page$/);
  const box = page.locator("#pb-error");
  await box.waitFor({ timeout: WAIT });
  const text = await box.textContent();
  assert.match(text, /Loading prebuilds failed/);
  assert.match(text, /HTTP (503|502|500|429)|network|connection/i);
  await waitForText(page, "#activity-log", /ListPrebuilds failed after 3 attempts/);
  assert.equal(await page.locator("#pb-rows tr").count(), 0);
  await screenshot(page, "static-fault");
  assert.deepEqual(problems, []);
});

test("static: a simulator option out of range is shown, with what to check", async () => {
  const context = await shared.browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${shared.server.url}?fault-rate=5`);
    const fatal = page.locator("#fatal");
    await fatal.waitFor({ timeout: WAIT });
    const text = await fatal.textContent();
    assert.match(text, /The simulator could not start in this page/);
    assert.match(text, /faultRate must be a number from 0 to 1/);
    assert.match(text, /fault-rate/);
    await waitForText(page, "#connection-label", /^Simulator not started$/);
    assert.equal(await page.locator("body[data-ready=true]").count(), 0);
  } finally {
    await context.close();
  }
});

test("the same www/ from make demo's server calls the binary and loads no simulator file", async () => {
  const sim = await startSim({ tickMs: 100 });
  const browser = await launchBrowser();
  try {
    const { page, problems, requests } = await openDemo(browser, sim);
    const files = [];
    page.on("request", (r) => files.push(new URL(r.url()).pathname));
    await page.reload();
    await page.locator("#pb-rows tr").first().waitFor({ timeout: WAIT });
    await waitForText(page, "#connection-label", /^Simulator · \/api$/);
    assert.ok(requests.some((r) => r.method === "ListPrebuilds"), "the API calls go to the server");
    assert.ok(files.includes("/pkg/gitpod_prebuilds_bg.wasm"));
    assert.deepEqual(files.filter((f) => f.startsWith("/pkg/sim")), [], "no simulator file");
    assert.deepEqual(problems, []);
  } finally {
    await browser.close().catch(() => {});
    await sim.stop();
  }
});
