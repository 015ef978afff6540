// The details panel streams the open prebuild's log live: lines appear while the
// prebuild runs, ANSI colours become styled text (never markup), the view follows the
// end unless the user scrolled up, a dropped stream shows "reconnecting" and goes on
// without losing or repeating a line, and the log ends with the prebuild.

import assert from "node:assert/strict";
import { test } from "node:test";
import { demoSuite, prebuildRow, screenshot, WAIT, waitForText } from "./harness.mjs";

// 18 ticks of 300 ms: the log of a new prebuild grows over about five seconds.
const shared = demoSuite({ tickMs: 300 });

/** The whole log of a finished prebuild, read directly, as lines. */
async function wholeLog(sim, prebuildId) {
  const { prebuild } = await sim.api("GetPrebuild", { prebuildId });
  const { accessToken } = await sim.api("CreatePrebuildLogsToken", { prebuildId });
  const text = await (await fetch(prebuild.status.logUrl, { headers: { authorization: `Bearer ${accessToken}` } })).text();
  return text.split("\n").map((l) => l.replace(/\r$/, ""));
}

/** Records every text the log's status line shows. */
async function recordStatuses(page) {
  await page.evaluate(() => {
    const node = document.getElementById("details-log-status");
    window.__logStatuses = [node.textContent];
    new MutationObserver(() => window.__logStatuses.push(node.textContent)).observe(node, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
}

test("the log streams live, keeps to the end unless scrolled up, and survives a dropped stream", async () => {
  const project = shared.info.projects.find((p) => p.prebuildsEnabled && p.prebuildOutcome === "completes");
  const id = (await shared.env.sim.api("CreatePrebuild", { projectId: project.id, spec: {} })).prebuild.id;
  const { page, problems } = await shared.demo({ settings: { pollMs: 200 } });

  // The first log request fails as a dropped connection would; the view reconnects.
  let logRequests = 0;
  await page.route("**/logs/**", (route) => {
    if (route.request().method() === "GET" && ++logRequests === 1) return route.abort("connectionreset");
    return route.continue();
  });

  await prebuildRow(page, id).locator("button").click();
  await waitForText(page, "#details-id", new RegExp(`^${id}$`));
  await recordStatuses(page);

  // Lines arrive while the prebuild runs.
  const log = page.locator("#details-log");
  await page.waitForFunction(() => document.querySelectorAll("#details-log .log-line").length >= 3, null, { timeout: WAIT });
  const { prebuild: running } = await shared.env.sim.api("GetPrebuild", { prebuildId: id });
  assert.notEqual(running.status.phase, "PREBUILD_PHASE_COMPLETED", "lines came before the end");

  // Once the log overflows its box: at the end, then scrolled up it stays put.
  await page.waitForFunction(() => {
    const box = document.getElementById("details-log");
    return box.scrollHeight > box.clientHeight + 60;
  }, null, { timeout: WAIT });
  const atEnd = () => log.evaluate((b) => b.scrollHeight - b.scrollTop - b.clientHeight <= 8);
  assert.ok(await atEnd(), "follows the end");
  await log.evaluate((b) => {
    b.scrollTop = 0;
    b.dispatchEvent(new Event("scroll"));
  });
  const linesWhenScrolled = await page.locator("#details-log .log-line").count();
  await page.locator("#details-log-end").waitFor({ state: "visible" });
  await page.waitForFunction((n) => document.querySelectorAll("#details-log .log-line").length > n, linesWhenScrolled, { timeout: WAIT });
  assert.equal(await log.evaluate((b) => b.scrollTop), 0, "new lines do not pull a reader away");
  await page.locator("#details-log-end").click();
  assert.ok(await atEnd(), "the button brings the end back");
  await page.locator("#details-log-end").waitFor({ state: "hidden" });

  await waitForText(page, "#details-log-status", /^End of log · \d+ lines$/);
  const shown = await page.locator("#details-log .log-line").evaluateAll((rows) => rows.map((r) => r.textContent.replace(/\u200b/g, "")));
  // As the view shows them: escape codes become styles, so the text is without them.
  const plain = (await wholeLog(shared.env.sim, id)).map((l) => l.replace(/\x1b\[[0-9;?]*[@-~]/g, ""));
  assert.deepEqual(shown, plain, "every line once, in order");

  // Colours as classes, text as text: nothing but line rows and spans, no escape left.
  const markup = await log.evaluate((b) => ({
    tags: [...new Set([...b.querySelectorAll("*")].map((n) => n.tagName))].sort(),
    escapes: b.textContent.includes("\x1b"),
    coloured: b.querySelectorAll('span[class*="ansi-"]').length,
  }));
  assert.deepEqual(markup.tags, ["DIV", "SPAN"]);
  assert.equal(markup.escapes, false);
  assert.ok(markup.coloured > 0);

  const statuses = await page.evaluate(() => window.__logStatuses);
  assert.ok(statuses.some((s) => /^Reconnecting in \d+ s \(attempt 1\)/.test(s)), statuses.join(" | "));
  assert.ok(statuses.includes("Streaming live"), statuses.join(" | "));
  assert.ok(logRequests >= 2);
  await page.locator("#details-log").scrollIntoViewIfNeeded();
  await screenshot(page, "details-log");
  assert.deepEqual(problems.filter((p) => !/ERR_CONNECTION_RESET|net::ERR_FAILED/.test(p)), []);
});

test("while the prebuild has no log yet, the view says it waits for one", async () => {
  const project = shared.info.projects.find((p) => p.prebuildsEnabled && p.prebuildOutcome === "completes");
  const id = (await shared.env.sim.api("CreatePrebuild", { projectId: project.id, spec: {} })).prebuild.id;
  const { page, problems } = await shared.demo({ settings: { pollMs: 200 } });
  // The first reads of the prebuild answer without a log URL, as a prebuild whose
  // environment has not started yet.
  let reads = 0;
  await page.route("**/GetPrebuild", async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    if (body.prebuild?.id === id && ++reads <= 3) body.prebuild.status.logUrl = "";
    await route.fulfill({ response, json: body });
  });
  await recordStatuses(page);
  await prebuildRow(page, id).locator("button").click();
  await waitForText(page, "#details-log-status", /^End of log · \d+ lines$/);
  const statuses = (await page.evaluate(() => window.__logStatuses)).filter(Boolean);
  const waiting = statuses.findIndex((s) => s.startsWith("Waiting for logs"));
  assert.ok(waiting >= 0, statuses.join(" | "));
  assert.ok(statuses.indexOf("Streaming live") > waiting, statuses.join(" | "));
  assert.ok((await page.locator("#details-log .log-line").count()) > 10);
  assert.deepEqual(problems, []);
});
