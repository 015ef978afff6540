// Warm pools: the table with filters, create, edit min/max (with validation), delete,
// and live status while pools settle.

import assert from "node:assert/strict";
import { test } from "node:test";
import { demoSuite, screenshot, WAIT, waitForText } from "./harness.mjs";

const TICK_MS = 100;
const FAST = { pollMs: 150 };

const shared = demoSuite({ tickMs: TICK_MS });

async function demo(opts) {
  const d = await shared.demo(opts);
  await d.page.locator("#wp-rows tr").first().waitFor({ timeout: WAIT });
  return d;
}

const row = (page, id) => page.locator(`#wp-rows tr[data-id="${id}"]`);
const cell = (page, id, label) => row(page, id).locator(`td[data-label="${label}"]`);

test("lists the seed warm pools with names, phases and instance counts", async () => {
  const { page, problems } = await demo();
  const api = await shared.env.sim.api("ListWarmPools", {}, "?pageSize=100");
  await waitForText(page, "#wp-count", new RegExp(`^Showing ${api.warmPools.length} warm pools$`));
  const ids = await page.locator("#wp-rows tr").evaluateAll((rows) => rows.map((r) => r.dataset.id));
  assert.deepEqual(ids, api.warmPools.map((p) => p.id));
  const pool = api.warmPools[0];
  const project = shared.info.projects.find((p) => p.id === pool.metadata.projectId);
  assert.equal((await cell(page, pool.id, "Project").textContent()).trim(), project.name);
  assert.match(await cell(page, pool.id, "Instances").textContent(), /^\d+ \/ \d+ \/ \d+$/);
  assert.match(await cell(page, pool.id, "Min / max").textContent(), /^(\d+|—) \/ (\d+|—)$/);
  // A degraded pool shows its failure message as text.
  const degraded = api.warmPools.find((p) => p.status.phase === "WARM_POOL_PHASE_DEGRADED");
  if (degraded?.status.failureMessage) {
    assert.equal((await cell(page, degraded.id, "Phase").locator(".cell-message").textContent()), degraded.status.failureMessage);
  }
  await screenshot(page, "warm-pools");
  assert.deepEqual(problems, []);
});

test("filters narrow the warm pools", async () => {
  const { page, requests } = await demo();
  const api = await shared.env.sim.api("ListWarmPools", {}, "?pageSize=100");
  const project = shared.info.projects.find((p) => p.id === api.warmPools[0].metadata.projectId);
  assert.ok(api.warmPools.some((p) => p.metadata.projectId !== project.id), "the seed has pools of several projects");
  await page.locator("#wp-filters-box summary").click();
  await page.locator("#wp-filter-projects").getByLabel(project.name, { exact: true }).check();
  await page.waitForFunction(
    (name) => {
      const rows = [...document.querySelectorAll("#wp-rows tr")];
      return rows.length > 0 && rows.every((r) => r.querySelector('td[data-label="Project"]').textContent === name);
    },
    project.name,
    { timeout: WAIT },
  );
  const body = JSON.parse(requests.filter((r) => r.method === "ListWarmPools").at(-1).body);
  assert.deepEqual(body.filter, { projectIds: [project.id] });
  await page.locator("#wp-filters-clear").click();
  await page.waitForFunction(
    (name) => [...document.querySelectorAll("#wp-rows tr")].some((r) => r.querySelector('td[data-label="Project"]').textContent !== name),
    project.name,
    { timeout: WAIT },
  );
});

test("a warm pool is created, settles live, is edited and deleted", async () => {
  const { page, requests, problems } = await demo({ settings: FAST });
  const pair = shared.info.hints.freePair;
  // The form is pre-filled with the pair the simulator suggests.
  assert.equal(await page.locator("#wp-create-project").inputValue(), pair.projectId);
  assert.equal(await page.locator("#wp-create-class").inputValue(), pair.environmentClassId);
  await page.locator("#wp-create-min").fill("1");
  await page.locator("#wp-create-max").fill("3");
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/CreateWarmPool"), { timeout: WAIT }),
    page.getByRole("button", { name: "Create warm pool", exact: true }).click(),
  ]);
  const id = (await response.json()).warmPool.id;
  await row(page, id).waitFor({ timeout: WAIT });
  const body = JSON.parse(requests.find((r) => r.method === "CreateWarmPool").body);
  assert.deepEqual(body, { projectId: pair.projectId, environmentClassId: pair.environmentClassId, minSize: 1, maxSize: 3 });

  // It settles on its own: READY with the autoscaler's size running.
  await page.locator(`#wp-rows tr[data-id="${id}"][data-phase="WARM_POOL_PHASE_READY"]`).waitFor({ timeout: WAIT });
  await page.waitForFunction(
    (pid) => {
      const r = document.querySelector(`#wp-rows tr[data-id="${pid}"]`);
      return r && r.querySelector(".inst-running").textContent === r.querySelector(".inst-desired").textContent && r.querySelector(".inst-desired").textContent !== "0";
    },
    id,
    { timeout: WAIT },
  );
  assert.match(await cell(page, id, "Snapshot").textContent(), /^[0-9a-f]{8}$/, "the snapshot prebuild is linked");
  assert.equal((await cell(page, id, "Min / max").textContent()).trim(), "1 / 3");

  // Edit: an invalid pair shows the client's message in the dialog and sends nothing.
  await row(page, id).getByRole("button", { name: /^Edit warm pool/ }).click();
  const dialog = page.locator("#wp-edit-dialog");
  await dialog.waitFor();
  assert.equal(await page.locator("#wp-edit-min").inputValue(), "1");
  assert.equal(await page.locator("#wp-edit-max").inputValue(), "3");
  await page.locator("#wp-edit-min").fill("5");
  await page.locator("#wp-edit-max").fill("2");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.locator("#wp-edit-min-error").waitFor({ timeout: WAIT });
  assert.match(await page.locator("#wp-edit-min-error").textContent(), /minSize must not be greater than maxSize/);
  await screenshot(page, "warm-pool-edit-validation", { fullPage: false });
  assert.equal(requests.filter((r) => r.method === "UpdateWarmPool").length, 0);

  await page.locator("#wp-edit-min").fill("2");
  await page.locator("#wp-edit-max").fill("4");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await dialog.waitFor({ state: "hidden", timeout: WAIT });
  assert.equal(requests.filter((r) => r.method === "UpdateWarmPool").length, 1);
  assert.deepEqual(JSON.parse(requests.find((r) => r.method === "UpdateWarmPool").body), { warmPoolId: id, minSize: 2, maxSize: 4 });
  await waitForText(page, `#wp-rows tr[data-id="${id}"] td[data-label="Min / max"]`, /^2 \/ 4$/);
  // Live: the running instances follow the new size without a reload.
  await page.waitForFunction(
    (pid) => document.querySelector(`#wp-rows tr[data-id="${pid}"] .inst-running`)?.textContent === "3",
    id,
    { timeout: WAIT },
  );
  await screenshot(page, "warm-pools-after-edit");

  // Delete, after confirming.
  await row(page, id).getByRole("button", { name: /^Delete warm pool/ }).click();
  await page.locator("#confirm-ok").click();
  await row(page, id).waitFor({ state: "detached", timeout: WAIT });
  assert.equal(requests.filter((r) => r.method === "DeleteWarmPool").length, 1);
  const left = await shared.env.sim.api("ListWarmPools", { filter: { projectIds: [pair.projectId] } });
  assert.ok(!left.warmPools.some((p) => p.id === id));
  assert.deepEqual(problems, []);
});

test("a second pool for the same pair shows the conflict; bad sizes show the validation message", async () => {
  const { page, requests } = await demo();
  const api = await shared.env.sim.api("ListWarmPools", {}, "?pageSize=100");
  const taken = api.warmPools.find((p) => p.status.phase === "WARM_POOL_PHASE_READY");
  await page.locator("#wp-create-project").fill(taken.metadata.projectId);
  await page.locator("#wp-create-class").fill(taken.metadata.environmentClassId);

  await page.locator("#wp-create-min").fill("0");
  await page.locator("#wp-create-max").fill("21");
  await page.getByRole("button", { name: "Create warm pool", exact: true }).click();
  await page.locator("#wp-create-max-error").waitFor({ timeout: WAIT });
  assert.match(await page.locator("#wp-create-max-error").textContent(), /maxSize must be from 1 to 20, got 21/);
  assert.equal(requests.filter((r) => r.method === "CreateWarmPool").length, 0);

  await page.locator("#wp-create-max").fill("2");
  await page.getByRole("button", { name: "Create warm pool", exact: true }).click();
  const box = page.locator("#wp-create-error");
  await box.waitFor({ timeout: WAIT });
  const text = await box.textContent();
  assert.match(text, /ConflictError/);
  assert.match(text, /HTTP 409/);
  assert.match(text, /already_exists/);
  assert.equal(requests.filter((r) => r.method === "CreateWarmPool").length, 1, "a conflict is not retried");
});
