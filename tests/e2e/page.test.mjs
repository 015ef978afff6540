// The page itself: CSP and no inline code, API text rendered as text, labelled
// controls and keyboard use, settings that keep the token out of URLs and logs,
// and the phone layout.

import assert from "node:assert/strict";
import { test } from "node:test";
import { demoSuite, PHONE, screenshot, WAIT, waitForText } from "./harness.mjs";

const shared = demoSuite({ tickMs: 100 });
const demo = (opts) => shared.demo(opts);

test("a CSP that allows the wasm, and no inline scripts, styles or handlers", async () => {
  const { page, problems } = await demo();
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.match(csp, /default-src 'self'/);
  const inline = await page.evaluate(() => ({
    scripts: [...document.scripts].filter((s) => !s.src).length,
    styled: document.querySelectorAll("[style]").length,
    handlers: [...document.querySelectorAll("*")].filter((e) => [...e.attributes].some((a) => a.name.startsWith("on"))).length,
  }));
  assert.deepEqual(inline, { scripts: 0, styled: 0, handlers: 0 });
  // The wasm ran under that policy: the table is filled by the client.
  assert.ok((await page.locator("#pb-rows tr").count()) > 0);
  assert.deepEqual(problems, []);
});

test("the seed prebuild with HTML and script in its messages renders them as text and runs nothing", async () => {
  const { page, problems } = await demo();
  const id = shared.info.hints.htmlPrebuildId;
  const api = (await shared.env.sim.api("GetPrebuild", { prebuildId: id })).prebuild;
  assert.match(api.status.failureMessage, /<img src=x onerror=/, "the seed holds markup");
  assert.match(api.status.warningMessage, /<script>/);

  // Find it through the UI: failed prebuilds of its project.
  const project = shared.info.projects.find((p) => p.id === api.metadata.projectId);
  await page.locator("#pb-filters-box summary").click();
  await page.locator("#pb-filter-phases").getByLabel("Failed", { exact: true }).check();
  await page.locator("#pb-filter-projects").getByLabel(project.name, { exact: true }).check();
  const row = page.locator(`#pb-rows tr[data-id="${id}"]`);
  await row.waitFor({ timeout: WAIT });
  await row.getByRole("button").click();

  await page.locator("#details-failure").waitFor({ timeout: WAIT });
  assert.equal(await page.locator("#details-failure-text").textContent(), api.status.failureMessage);
  assert.equal(await page.locator("#details-warning-text").textContent(), api.status.warningMessage);
  assert.match(await page.locator("#details-failure").innerText(), /<img src=x onerror=alert\(1\)>/, "the markup is visible as text");
  const dom = await page.evaluate(() => ({
    imgs: document.querySelectorAll("img").length,
    scripts: document.scripts.length,
    pwned: "__pwned" in window,
    inDetails: document.querySelectorAll("#details script, #details img").length,
  }));
  assert.deepEqual(dom, { imgs: 0, scripts: 1, pwned: false, inDetails: 0 });
  await screenshot(page, "xss-as-text", { fullPage: false });
  assert.deepEqual(problems, [], "no alert dialog, no CSP report, no error");
});

test("every control has a label, and the table works from the keyboard", async () => {
  const { page } = await demo();
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea, button")]
      .filter((e) => e.type !== "hidden")
      .filter((e) => {
        const name = e.getAttribute("aria-label") || (e.labels && [...e.labels].map((l) => l.textContent).join("")) || (e.tagName === "BUTTON" ? e.textContent : "");
        return !name.trim();
      })
      .map((e) => e.id || e.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(unlabelled, []);

  // Tab from the page size select reaches the first prebuild's button; Enter opens it.
  await page.locator("#pb-page-size").focus();
  let reached = false;
  for (let i = 0; i < 5 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.closest("#pb-rows") !== null);
  }
  assert.ok(reached, "the first row's button is in the tab order");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.equal(outline, "solid", "focus is visible");
  const id = await page.evaluate(() => document.activeElement.closest("tr").dataset.id);
  await page.keyboard.press("Enter");
  await waitForText(page, "#details-id", new RegExp(id));
  assert.equal(await page.evaluate(() => document.activeElement.id), "details", "focus moves to the panel");
  await page.keyboard.press("Escape");
  await page.locator("#details").waitFor({ state: "hidden" });
});

test("the token goes to the API only: not to the URL, localStorage or the log", async () => {
  const { page, requests } = await demo();
  // With no token set, the simulator gets "demo".
  assert.equal(requests[0].headers.authorization, "Bearer demo");

  const token = "secret-token-5f1c";
  await page.getByRole("button", { name: "Settings", exact: true }).click();
  assert.equal(await page.locator("#settings-toggle").getAttribute("aria-expanded"), "true");
  await page.locator("#set-token").fill(token);
  await screenshot(page, "settings", { fullPage: false });
  const [first] = await Promise.all([
    page.waitForRequest((r) => r.url().includes("/ListPrebuilds") && r.headers().authorization === `Bearer ${token}`, { timeout: WAIT }),
    page.getByRole("button", { name: "Apply", exact: true }).click(),
  ]);
  await page.locator("#settings").waitFor({ state: "hidden" });
  await page.waitForFunction(() => !document.querySelector("#pb-table[aria-busy]"), null, { timeout: WAIT });
  // From the first call with the new token on, every call carries it.
  const since = requests.slice(requests.findIndex((r) => r.url === first.url() && r.headers.authorization === `Bearer ${token}`));
  assert.ok(since.length > 0);
  for (const r of since) assert.equal(r.headers.authorization, `Bearer ${token}`);

  const where = async () =>
    page.evaluate((t) => ({
      url: location.href.includes(t),
      local: JSON.stringify({ ...localStorage }).includes(t),
      session: JSON.stringify({ ...sessionStorage }).includes(t),
      log: document.getElementById("activity-log").textContent.includes(t),
      cookie: document.cookie.includes(t),
    }), token);
  assert.deepEqual(await where(), { url: false, local: false, session: false, log: false, cookie: false });
  for (const r of requests) assert.ok(!r.url.includes(token), "never in a request URL");

  // Asked to remember it, the tab's sessionStorage holds it, and a reload keeps it.
  await page.getByRole("button", { name: "Settings", exact: true }).click();
  await page.locator("#set-remember").check();
  await page.getByRole("button", { name: "Apply", exact: true }).click();
  assert.deepEqual(await where(), { url: false, local: false, session: true, log: false, cookie: false });
  const count = requests.length;
  await page.reload();
  await page.locator("#pb-rows tr").first().waitFor({ timeout: WAIT });
  assert.equal(requests[count].headers.authorization, `Bearer ${token}`);
});

test("phone width: tables become cards, nothing overflows", async () => {
  const { page, problems } = await demo({ viewport: PHONE });
  await page.locator("#wp-rows tr").first().waitFor({ timeout: WAIT });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px)`);
  assert.equal(await page.locator("#pb-table thead").isVisible(), false, "cards, not a wide table");
  await screenshot(page, "prebuilds-phone", { fullPage: false });

  await page.locator("#pb-rows tr button").first().click();
  await page.locator("#details-fields dt").first().waitFor({ timeout: WAIT });
  await page.locator("#details").scrollIntoViewIfNeeded();
  await screenshot(page, "details-phone", { fullPage: false });

  await page.locator("#warm-pools").scrollIntoViewIfNeeded();
  await page.locator("#wp-rows tr").first().scrollIntoViewIfNeeded();
  await screenshot(page, "warm-pools-phone", { fullPage: false });
  await screenshot(page, "page-phone-full");
  const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow2 <= 0, `still no horizontal scrolling (${overflow2}px)`);
  assert.deepEqual(problems, []);
});

test("settings the client refuses are explained, not sent", async () => {
  const { page, requests } = await demo();
  await page.getByRole("button", { name: "Settings", exact: true }).click();
  // A token over plain http to another host would travel in clear text.
  await page.locator("#set-base-url").fill("http://prebuilds.example.com/api");
  await page.locator("#set-token").fill("secret-token-77aa");
  const count = requests.length;
  await page.getByRole("button", { name: "Apply", exact: true }).click();
  const box = page.locator("#pb-error");
  await box.waitFor({ timeout: WAIT });
  assert.match(await box.textContent(), /ValidationError/);
  assert.match(await box.textContent(), /baseUrl .*http/);
  assert.match(await box.textContent(), /Settings/);
  assert.match(await page.locator("#connection-label").textContent(), /prebuilds\.example\.com/);
  assert.equal(requests.slice(count).filter((r) => r.url.includes("example.com")).length, 0, "nothing was sent");
  assert.doesNotMatch(await page.locator("#activity-log").textContent(), /secret-token-77aa/);
});
