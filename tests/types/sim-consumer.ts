// gitpod-prebuilds/sim's types, used as its README shows (checked by make test-types).
import { PrebuildClient } from "gitpod-prebuilds";
import { createSimulator, type Simulator, type SimStats } from "gitpod-prebuilds/sim";

export async function simulated(): Promise<string> {
  const sim: Simulator = await createSimulator({ seed: 7, clock: "manual", tickMs: 20, faultRate: 0 });
  const client = new PrebuildClient({ baseUrl: sim.baseUrl, token: sim.token, fetch: sim.fetch });
  const project = sim.info().projects[0];
  if (!project) throw new Error("no projects");
  const { prebuild } = await client.createPrebuild({ projectId: project.id, spec: {} });
  const ticks: number = sim.advance(18 * 20);
  const stats: SimStats = sim.stats();
  sim.reset();
  sim.close();
  return `${prebuild.id} ${ticks} ${stats.requests}`;
}
