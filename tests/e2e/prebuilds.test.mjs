// Prebuilds: the table, filters, paging, create with live details, cancel, delete,
// logs tokens and validation.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { demoSuite, prebuildRow, screenshot, WAIT, waitForText } from "./harness.mjs";

// 100 ms ticks: a new prebuild takes about 2 s; seeded ones move every 1.5 s.
const TICK_MS = 100;
const FAST = { pollMs: 150 };

const shared = demoSuite({ tickMs: TICK_MS });
const demo = (opts) => shared.demo(opts);

async function rowIds(page) {
  return page.locator("#pb-rows tr").evaluateAll((rows) => rows.map((r) => r.dataset.id));
}

async function rowPhases(page) {
  return page.locator("#pb-rows tr").evaluateAll((rows) => rows.map((r) => r.dataset.phase));
}

/** Checks a filter box by its label and waits until every row satisfies `predicate`. */
async function filterBy(page, groupId, label) {
  const box = page.locator("#pb-filters-box");
  if (!(await box.evaluate((d) => d.open))) await box.locator("summary").click();
  await page.locator(`#${groupId}`).getByLabel(label, { exact: true }).check();
}

async function waitAllRows(page, attr, value) {
  await page.waitForFunction(
    ([a, v]) => {
      const rows = [...document.querySelectorAll("#pb-rows tr")];
      return rows.length > 0 && rows.every((r) => r.dataset[a] === v) && !document.querySelector("#pb-table[aria-busy]");
    },
    [attr, value],
    { timeout: WAIT },
  );
}

/** Records, inside the page, every phase the details panel shows and the progress values. */
async function recordDetails(page) {
  await page.evaluate(() => {
    const seen = { phases: [], progress: [] };
    window.__details = seen;
    const panel = document.getElementById("details");
    const note = () => {
      const phase = panel.dataset.phase || "";
      if (phase && seen.phases.at(-1) !== phase) seen.phases.push(phase);
      const box = document.getElementById("details-progress-box");
      if (!box.hidden) seen.progress.push(Number(document.getElementById("details-progress").value));
    };
    new MutationObserver(note).observe(panel, { subtree: true, childList: true, attributes: true, characterData: true });
    note();
  });
}

describe("prebuilds table", () => {
  test("lists the seed prebuilds with names, phases, times and a count", async () => {
    const { page, problems } = await demo();
    await page.locator("#pb-rows tr").nth(9).waitFor();
    assert.equal(await page.locator("#pb-rows tr").count(), 10, "the default page size is 10");
    await waitForText(page, "#pb-count", /^Showing 10 prebuilds · more available$/);
    // The seed data's first page, in the API's order.
    const api = await shared.env.sim.api("ListPrebuilds", {}, "?pageSize=10");
    const ids = await rowIds(page);
    const apiIds = api.prebuilds.map((p) => p.id);
    // Seeded deletions may finish between the two calls; the rest must agree in order.
    const common = ids.filter((id) => apiIds.includes(id));
    assert.ok(common.length >= 7, `most rows are the API's first page: ${common.length}`);
    assert.deepEqual(common, apiIds.filter((id) => ids.includes(id)));
    // Project names come from /_sim/info, phases are badges, times are relative.
    const first = page.locator("#pb-rows tr").first();
    const projectNames = shared.info.projects.map((p) => p.name);
    const shownProject = (await first.locator('td[data-label="Project"]').textContent()).trim();
    assert.ok(projectNames.includes(shownProject), `project shown by name: ${shownProject}`);
    assert.match(await first.locator('td[data-label="Phase"] .badge').textContent(), /^[A-Z][a-z]+$/);
    assert.match(await first.locator('td[data-label="Created"]').textContent(), /ago|just now/);
    // A completed row shows its snapshot size.
    const completed = page.locator('#pb-rows tr[data-phase="PREBUILD_PHASE_COMPLETED"]').first();
    if (await completed.count()) assert.match(await completed.locator('td[data-label="Snapshot"]').textContent(), /\d+(\.\d)? [kMGT]?B/);
    await screenshot(page, "prebuilds-laptop");
    assert.deepEqual(problems, []);
  });

  test("a phase filter narrows the table, a project filter too, and clearing restores it", async () => {
    const { page, requests } = await demo();
    await filterBy(page, "pb-filter-phases", "Failed");
    await waitAllRows(page, "phase", "PREBUILD_PHASE_FAILED");
    const list = requests.filter((r) => r.method === "ListPrebuilds").at(-1);
    assert.deepEqual(JSON.parse(list.body).filter, { phases: ["PREBUILD_PHASE_FAILED"] });
    await waitForText(page, "#pb-filter-count", /1 active/);

    const project = shared.info.projects.find((p) => p.prebuildOutcome === "fails"); // its prebuilds fail
    await filterBy(page, "pb-filter-projects", project.name);
    await page.waitForFunction(
      (name) => {
        const rows = [...document.querySelectorAll("#pb-rows tr")];
        return (
          !document.querySelector("#pb-table[aria-busy]") &&
          rows.length > 0 &&
          rows.every((r) => r.querySelector('td[data-label="Project"]').textContent === name && r.dataset.phase === "PREBUILD_PHASE_FAILED")
        );
      },
      project.name,
      { timeout: WAIT },
    );
    const body = JSON.parse(requests.filter((r) => r.method === "ListPrebuilds").at(-1).body);
    assert.deepEqual(body.filter.projectIds, [project.id]);
    await screenshot(page, "prebuilds-filtered");

    await page.locator("#pb-filters-clear").click();
    await page.waitForFunction(() => new Set([...document.querySelectorAll("#pb-rows tr")].map((r) => r.dataset.phase)).size > 1, null, {
      timeout: WAIT,
    });
  });

  test("a filter with no match shows the empty state", async () => {
    const { page } = await demo();
    const box = page.locator("#pb-filters-box");
    await box.locator("summary").click();
    // A project with prebuilds disabled never has any.
    const disabled = shared.info.projects.find((p) => p.prebuildsEnabled === false);
    await page.locator("#pb-filter-projects").getByLabel(disabled.name, { exact: true }).check();
    await page.locator("#pb-empty").waitFor({ timeout: WAIT });
    assert.match(await page.locator("#pb-empty").textContent(), /No prebuilds match these filters/);
    await waitForText(page, "#pb-count", /^Showing 0 prebuilds$/);
    assert.equal(await page.locator("#pb-more").isVisible(), false);
  });

  test("an invalid filter id shows the client's validation message and sends no request", async () => {
    const { page, requests } = await demo();
    await page.locator("#pb-filters-box summary").click();
    const before = requests.filter((r) => r.method === "ListPrebuilds").length;
    await page.locator("#pb-filter-creators-other").fill("not-a-uuid");
    await page.locator("#pb-filters button[type=submit]").click();
    await page.locator("#pb-filter-creators-other-error").waitFor({ timeout: WAIT });
    assert.match(await page.locator("#pb-filter-creators-other-error").textContent(), /filter\.creatorIds.*UUID/);
    assert.equal(await page.locator("#pb-filter-creators-other").getAttribute("aria-invalid"), "true");
    // Fix it: the next request is the only one since.
    await page.locator("#pb-filter-creators-other").fill("");
    await page.locator("#pb-filters button[type=submit]").click();
    await page.locator("#pb-filter-creators-other-error").waitFor({ state: "hidden", timeout: WAIT });
    await page.waitForFunction(() => !document.querySelector("#pb-table[aria-busy]"), null, { timeout: WAIT });
    assert.equal(requests.filter((r) => r.method === "ListPrebuilds").length, before + 1);
  });

  test("\"load more\" fetches the next page with nextToken and appends it", async () => {
    const { page, requests } = await demo();
    await page.locator("#pb-page-size").selectOption("5");
    await waitForText(page, "#pb-count", /^Showing 5 prebuilds · more available$/);
    const firstPage = await rowIds(page);
    assert.equal(firstPage.length, 5);
    await page.getByRole("button", { name: "Load more", exact: true }).click();
    await waitForText(page, "#pb-count", /^Showing 10 prebuilds · more available$/);
    const both = await rowIds(page);
    assert.equal(new Set(both).size, 10, "no duplicates");
    assert.deepEqual(both.slice(0, 5), firstPage, "the first page stays in place");
    const lists = requests.filter((r) => r.method === "ListPrebuilds");
    const last = new URL(lists.at(-1).url);
    assert.ok(last.searchParams.get("token"), "the second page is asked for with a token");
    assert.equal(last.searchParams.get("pageSize"), "5");
    await page.getByRole("button", { name: "Load more", exact: true }).click();
    await waitForText(page, "#pb-count", /^Showing 15 prebuilds/);
    await screenshot(page, "prebuilds-load-more");
  });
});

describe("create and follow a prebuild", () => {
  test("a new prebuild appears, and its details follow it to COMPLETED through SNAPSHOTTING", async () => {
    const { page, problems, requests } = await demo({ settings: FAST });
    const project = shared.info.projects.find((p) => p.prebuildsEnabled && p.prebuildOutcome === "completes");
    await page.locator("#pb-create-project").fill(project.id);
    await page.locator("#pb-create-timeout").fill("900s");
    await recordDetails(page);
    await page.getByRole("button", { name: "Create prebuild", exact: true }).click();

    // The new row is on top and the panel shows it.
    await page.locator("#pb-rows tr.is-new").waitFor({ timeout: WAIT });
    const id = await page.locator("#pb-rows tr").first().getAttribute("data-id");
    assert.ok(id);
    await waitForText(page, "#details-id", new RegExp(`^${id}$`));
    const create = requests.find((r) => r.method === "CreatePrebuild");
    assert.deepEqual(JSON.parse(create.body), { projectId: project.id, spec: { timeout: "900s" } });

    await page.locator('#details[data-phase="PREBUILD_PHASE_COMPLETED"]').waitFor({ timeout: WAIT });
    const seen = await page.evaluate(() => window.__details);
    assert.ok(seen.phases.includes("PREBUILD_PHASE_SNAPSHOTTING"), `phases seen: ${seen.phases}`);
    assert.ok(seen.phases.indexOf("PREBUILD_PHASE_SNAPSHOTTING") < seen.phases.indexOf("PREBUILD_PHASE_COMPLETED"));
    assert.ok(seen.phases.length >= 3, `followed through several phases: ${seen.phases}`);
    assert.ok(seen.progress.length > 0, "the progress bar was shown while snapshotting");
    assert.ok(seen.progress.every((v) => v >= 0 && v <= 100));

    // Done: completion time and size, the row updated, polling stopped.
    await page.locator("#details-done").waitFor();
    assert.match(await page.locator("#details-done").textContent(), /Completed.*Snapshot size: \d+(\.\d)? [kMGT]?B/s);
    assert.equal(await page.locator("#details-progress-box").isVisible(), false);
    assert.match(await page.locator("#details-live").textContent(), /Final phase/);
    await page.waitForFunction(
      (pid) => document.querySelector(`#pb-rows tr[data-id="${pid}"]`)?.dataset.phase === "PREBUILD_PHASE_COMPLETED",
      id,
    );
    assert.match(await prebuildRow(page, id).locator('td[data-label="Snapshot"]').textContent(), /B$/);
    assert.match(await page.locator("#details-fields").textContent(), /Log URL\s*http:\/\/127\.0\.0\.1:\d+\/logs\//);
    await screenshot(page, "details-completed");
    assert.deepEqual(problems, []);
  });

  test("a snapshotting prebuild shows a progress bar", async () => {
    const { page } = await demo({ settings: FAST });
    await filterBy(page, "pb-filter-phases", "Snapshotting");
    await waitAllRows(page, "phase", "PREBUILD_PHASE_SNAPSHOTTING");
    await page.locator("#pb-rows tr button").first().click();
    await page.locator("#details-progress-box").waitFor({ timeout: WAIT });
    const value = await page.locator("#details-progress").evaluate((p) => p.value);
    assert.ok(value >= 0 && value <= 100);
    assert.match(await page.locator("#details-progress-text").textContent(), /^\d+%$/);
    await screenshot(page, "details-snapshotting", { fullPage: false });
  });

  test("invalid input shows the client's validation message next to the field and sends no request", async () => {
    const { page, requests, problems } = await demo();
    const creates = () => requests.filter((r) => r.method === "CreatePrebuild").length;

    await page.locator("#pb-create-timeout").fill("60s");
    await page.getByRole("button", { name: "Create prebuild", exact: true }).click();
    const timeoutError = page.locator("#pb-create-timeout-error");
    await timeoutError.waitFor({ timeout: WAIT });
    assert.match(await timeoutError.textContent(), /spec\.timeout .*"300s" to "7200s"/);
    assert.equal(await page.locator("#pb-create-timeout").getAttribute("aria-invalid"), "true");
    assert.equal(await page.evaluate(() => document.activeElement.id), "pb-create-timeout", "focus moves to the field");
    await screenshot(page, "create-validation");

    await page.locator("#pb-create-timeout").fill("3600s");
    await page.locator("#pb-create-project").fill("acme/web-app");
    await page.getByRole("button", { name: "Create prebuild", exact: true }).click();
    const projectError = page.locator("#pb-create-project-error");
    await projectError.waitFor({ timeout: WAIT });
    assert.match(await projectError.textContent(), /projectId must be a UUID/);
    assert.equal(await timeoutError.isVisible(), false, "the old message is gone");

    // Now a valid one: it is the only CreatePrebuild request of this page.
    await page.locator("#pb-create-project").fill(shared.info.projects[0].id);
    await page.getByRole("button", { name: "Create prebuild", exact: true }).click();
    await page.locator("#pb-rows tr.is-new").waitFor({ timeout: WAIT });
    assert.equal(await projectError.isVisible(), false);
    assert.equal(creates(), 1, "the invalid attempts sent nothing");
    assert.deepEqual(problems, []);
  });

  test("a server-side rejection is shown with class, status and code", async () => {
    const { page } = await demo();
    const handbook = shared.info.projects.find((p) => p.prebuildsEnabled === false);
    await page.locator("#pb-create-project").fill(handbook.id);
    await page.getByRole("button", { name: "Create prebuild", exact: true }).click();
    const box = page.locator("#pb-create-error");
    await box.waitFor({ timeout: WAIT });
    const text = await box.textContent();
    assert.match(text, /BadRequestError/);
    assert.match(text, /HTTP 400/);
    assert.match(text, /failed_precondition/);
  });
});

describe("prebuild actions", () => {
  // A running prebuild: the seed's two pending ones leave PENDING within 1.5 s of the
  // reset, sooner than a loaded machine can open the page and filter; its three running
  // ones run for 12 s.
  test("cancel moves a running prebuild to CANCELLED", async () => {
    const { page, requests } = await demo({ settings: FAST });
    await filterBy(page, "pb-filter-phases", "Running");
    await waitAllRows(page, "phase", "PREBUILD_PHASE_RUNNING");
    const id = await page.locator("#pb-rows tr").first().getAttribute("data-id");
    await prebuildRow(page, id).locator("button").click();
    await waitForText(page, "#details-id", new RegExp(id));
    const cancel = page.getByRole("button", { name: "Cancel prebuild", exact: true });
    await page.waitForFunction(() => !document.getElementById("details-cancel").disabled, null, { timeout: WAIT });
    await cancel.click();
    await page.locator('#details[data-phase="PREBUILD_PHASE_CANCELLED"]').waitFor({ timeout: WAIT });
    assert.ok(requests.some((r) => r.method === "CancelPrebuild" && JSON.parse(r.body).prebuildId === id));
    assert.equal(await cancel.isDisabled(), true);
    assert.match(await page.locator("#details-fields").textContent(), /Desired phase\s*Cancelled/);
    await page.waitForFunction(
      (pid) => document.querySelector(`#pb-rows tr[data-id="${pid}"]`)?.dataset.phase === "PREBUILD_PHASE_CANCELLED",
      id,
      { timeout: WAIT },
    );
  });

  test("delete asks first, then the prebuild goes through DELETING and disappears", async () => {
    const { page, requests } = await demo({ settings: FAST });
    await filterBy(page, "pb-filter-phases", "Completed");
    await waitAllRows(page, "phase", "PREBUILD_PHASE_COMPLETED");
    const id = await page.locator("#pb-rows tr").first().getAttribute("data-id");
    await prebuildRow(page, id).locator("button").click();
    await page.locator('#details[data-phase="PREBUILD_PHASE_COMPLETED"]').waitFor({ timeout: WAIT });

    // "Keep it" sends nothing.
    await page.getByRole("button", { name: "Delete prebuild", exact: true }).click();
    await page.locator("#confirm-dialog[open]").waitFor();
    await screenshot(page, "delete-confirm", { fullPage: false });
    await page.locator("#confirm-cancel").click();
    await page.locator("#confirm-dialog").waitFor({ state: "hidden" });
    assert.equal(requests.filter((r) => r.method === "DeletePrebuild").length, 0);

    await page.getByRole("button", { name: "Delete prebuild", exact: true }).click();
    await page.locator("#confirm-ok").click();
    await waitForText(page, "#details-live", /no longer exists/);
    assert.equal(requests.filter((r) => r.method === "DeletePrebuild").length, 1);
    await prebuildRow(page, id).waitFor({ state: "detached", timeout: WAIT });
    assert.equal(await page.getByRole("button", { name: "Create logs token", exact: true }).isDisabled(), true);
    // The API agrees.
    await assert.rejects(shared.env.sim.api("GetPrebuild", { prebuildId: id }), /404/);
  });

  test("a logs token is shown with a copy button and its one-hour validity", async () => {
    const { page, problems } = await demo();
    await page.locator("#pb-rows tr button").first().click();
    await page.getByRole("button", { name: "Create logs token", exact: true }).click();
    const value = page.locator("#details-token-value");
    await value.waitFor({ timeout: WAIT });
    const token = await value.inputValue();
    assert.ok(token.length > 10, "a token");
    assert.match(await page.locator("#details-token-validity").textContent(), /Valid for one hour, until \d/);
    await page.getByRole("button", { name: "Copy", exact: true }).click();
    await waitForText(page, "#details-token-copy", /Copied|Ctrl\+C/);
    // The token is on screen, not in the log or the URL.
    assert.doesNotMatch(await page.locator("#activity-log").textContent(), new RegExp(token));
    assert.doesNotMatch(page.url(), new RegExp(token));
    await screenshot(page, "logs-token", { fullPage: false });
    assert.deepEqual(problems, []);
  });
});
