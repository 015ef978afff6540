// src/deploy.test.mjs: npx vitest run
import { afterEach, beforeEach, expect, test } from "vitest";
import { PrebuildClient } from "gitpod-prebuilds";
import { createSimulator } from "gitpod-prebuilds/sim";
import { deploy } from "./deploy.mjs";

let sim;
beforeEach(async () => {
  sim = await createSimulator({ seed: 7, clock: "manual" });
});
afterEach(() => sim.close());

const clientOf = (options) =>
  new PrebuildClient({ baseUrl: sim.baseUrl, token: sim.token, fetch: sim.fetch, ...options });
const project = (name) => sim.info().projects.find((p) => p.name === name).id;

/** Moves the manual clock a second at a time until `promise` settles. */
async function whileAdvancing(promise) {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  while (!settled) {
    sim.advance(1000);
    await new Promise((r) => setTimeout(r, 5));
  }
  return promise;
}

test("a prebuild of acme/web-app completes", async () => {
  const prebuild = await whileAdvancing(deploy(clientOf(), project("acme/web-app"), { intervalMs: 5 }));
  expect(prebuild.status.phase).toBe("PREBUILD_PHASE_COMPLETED");
});

test("a prebuild of acme/legacy-monolith fails, and deploy rejects", async () => {
  const failing = deploy(clientOf(), project("acme/legacy-monolith"), { intervalMs: 5 });
  await expect(whileAdvancing(failing)).rejects.toThrow(/ended PREBUILD_PHASE_FAILED$/);
});

test("a 503 is retried", async () => {
  // The first request (the create) gets a 503; the client retries it.
  const flaky = clientOf({ headers: { "x-sim-fault": "503;times=1" } });
  const prebuild = await whileAdvancing(deploy(flaky, project("acme/web-app"), { intervalMs: 5 }));
  expect(prebuild.status.phase).toBe("PREBUILD_PHASE_COMPLETED");
  expect(sim.stats().faults).toEqual({ 503: 1 });
});
