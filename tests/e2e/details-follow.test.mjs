// The details panel follows only the prebuild it shows: opening another prebuild or
// closing the panel stops everything that followed the previous one.

import assert from "node:assert/strict";
import { test } from "node:test";
import { demoSuite, prebuildRow, WAIT, waitForText } from "./harness.mjs";

// Slow ticks: a new prebuild takes 18 of them to complete, so both prebuilds of the
// test are still changing (and so followed) while it runs.
const shared = demoSuite({ tickMs: 1000 });
const POLL_MS = 150;

/** The GetPrebuild requests for `id` among `requests`, from index `from` on. */
function polls(requests, id, from = 0) {
  return requests.slice(from).filter((r) => r.method === "GetPrebuild" && JSON.parse(r.body).prebuildId === id).length;
}

/** Waits until `check()` holds, checking every 50 ms. */
async function until(check, what) {
  const deadline = Date.now() + WAIT;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("switching prebuild stops following the previous one, and closing stops following", async () => {
  const project = shared.info.projects.find((p) => p.prebuildsEnabled && p.prebuildOutcome === "completes");
  const first = (await shared.env.sim.api("CreatePrebuild", { projectId: project.id, spec: {} })).prebuild.id;
  const second = (await shared.env.sim.api("CreatePrebuild", { projectId: project.id, spec: {} })).prebuild.id;
  const { page, requests, problems } = await shared.demo({ settings: { pollMs: POLL_MS } });

  await prebuildRow(page, first).locator("button").click();
  await waitForText(page, "#details-id", new RegExp(`^${first}$`));
  await until(() => polls(requests, first) >= 2, "the first prebuild to be followed");

  await prebuildRow(page, second).locator("button").click();
  await waitForText(page, "#details-id", new RegExp(`^${second}$`));
  const switched = requests.length;
  await until(() => polls(requests, second, switched) >= 3, "the second prebuild to be followed");
  assert.equal(polls(requests, first, switched), 0, "nothing asks for the first prebuild once the second is open");
  assert.match(await page.locator("#details-live").textContent(), /Following live/);

  await page.locator("#details-close").click();
  await page.locator("#details").waitFor({ state: "hidden" });
  const closed = requests.length;
  // Several poll intervals with the panel closed: none of them may ask for a prebuild.
  await page.waitForTimeout(POLL_MS * 8);
  assert.equal(polls(requests, second, closed) + polls(requests, first, closed), 0, "a closed panel follows nothing");
  assert.deepEqual(problems, []);
});
