// src/deploy.mjs: the code under test. It starts a prebuild and waits for its end.

/** Resolves with the prebuild once it has COMPLETED; rejects if it ends otherwise. */
export async function deploy(client, projectId, { intervalMs = 1000 } = {}) {
  const { prebuild } = await client.createPrebuild({ projectId, spec: {} });
  const done = await client.waitForPrebuild({ prebuildId: prebuild.id }, { intervalMs });
  if (done.status.phase !== "PREBUILD_PHASE_COMPLETED") {
    throw new Error(`prebuild ${done.id} ended ${done.status.phase}`);
  }
  return done;
}
