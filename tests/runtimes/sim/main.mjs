// gitpod-prebuilds/sim from the packed tarball, run as is by Node (ES modules), Bun and
// Deno (`node|bun main.mjs`, `deno run main.mjs`): the simulator in-process with the
// manual clock, the client talking to it through `sim.fetch`, a prebuild created and
// moved to its final phase by `advance()`. It throws on any mismatch; the runner checks
// the printed result again (checkSim in matrix.test.mjs).
import { createSimulator } from "gitpod-prebuilds/sim";
import { PrebuildClient } from "gitpod-prebuilds";
import { report } from "../shared/report.mjs";

function expect(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
}

const runtime = globalThis.Deno
  ? `deno ${Deno.version.deno}`
  : globalThis.Bun
    ? `bun ${Bun.version}`
    : `node ${globalThis.process?.versions?.node}`;

report(async () => {
  expect(typeof createSimulator === "function", "createSimulator is exported by gitpod-prebuilds/sim");
  const sim = await createSimulator({ seed: 7, clock: "manual" });
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
});
