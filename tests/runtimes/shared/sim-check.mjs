// The sim rows' script (see sim/main.mjs and sim-workerd/worker.mjs): gitpod-prebuilds/sim
// in-process with the manual clock, the client talking to it through `sim.fetch`, a
// prebuild created and moved to its final phase by `advance()`. It throws on any
// mismatch; the runner checks the result again (checkSim in matrix.test.mjs). Plain
// ES2022 with no imports, for Node, Bun, Deno, workerd and pages (sim-browser.mjs) alike.

function expect(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
}

const runtime = globalThis.Deno
  ? `deno ${Deno.version.deno}`
  : globalThis.Bun
    ? `bun ${Bun.version}`
    : globalThis.process?.versions?.node && !globalThis.navigator?.userAgent?.startsWith("Cloudflare")
      ? `node ${globalThis.process.versions.node}`
      : (globalThis.navigator?.userAgent?.match(/\b(?:HeadlessChrome|Chrome|Firefox)\/[\d.]+/)?.[0] ?? globalThis.navigator?.userAgent ?? "unknown");

/**
 * Runs the check with the entries' exports; `options` go to createSimulator (say, the
 * simulator's `wasm` where sim.js cannot read its file).
 */
export async function simCheck({ createSimulator, PrebuildClient }, options = {}) {
  expect(typeof createSimulator === "function", "createSimulator is exported by gitpod-prebuilds/sim");
  const sim = await createSimulator({ seed: 7, clock: "manual", ...options });
  try {
    const client = new PrebuildClient({ baseUrl: sim.baseUrl, token: sim.token, fetch: sim.fetch, maxRetries: 0 });
    const page = await client.listPrebuilds({ pageSize: 5 });
    expect(Array.isArray(page.prebuilds) && page.prebuilds.length === 5, `a page of 5, got ${JSON.stringify(page).slice(0, 200)}`);

    const info = sim.info();
    const project = info.projects.find((p) => p.name === "acme/web-app");
    expect(project, `acme/web-app among sim.info().projects: ${info.projects.map((p) => p.name)}`);
    const { prebuild: created } = await client.createPrebuild({ projectId: project.id, spec: {} });
    expect(created.metadata.projectId === project.id, "the prebuild is the project's");
    const phases = [created.status.phase];

    // Tick by tick until the phase is final (a new prebuild completes after 18 ticks).
    let prebuild = created;
    let steps = 0;
    while (!/COMPLETED|FAILED|CANCELLED|ABORTED/.test(prebuild.status.phase)) {
      expect(steps < 40, `no final phase after ${steps} steps: ${phases}`);
      expect(sim.advance(info.tickMs) === 1, "advance(tickMs) runs one tick");
      steps++;
      ({ prebuild } = await client.getPrebuild({ prebuildId: created.id }));
      if (phases.at(-1) !== prebuild.status.phase) phases.push(prebuild.status.phase);
    }
    expect(prebuild.status.phase === "PREBUILD_PHASE_COMPLETED", `acme/web-app completes: ${phases}`);
    return {
      ok: true,
      runtime,
      listed: page.prebuilds.length,
      project: project.name,
      id: created.id,
      steps,
      phases,
      final: prebuild.status.phase,
      requests: sim.stats().requests,
    };
  } finally {
    sim.close();
  }
}
