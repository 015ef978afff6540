// What a warm pool's status means to the page: whether it has settled or is still
// changing (and so followed live), and whether it is being deleted.

/**
 * Whether a pool has settled: READY with its desired instances running, or DEGRADED
 * (that waits for an operator). PENDING (waiting for a prebuild), scaling and deleting
 * pools are still changing.
 */
export function isSettled(pool) {
  const s = pool.status ?? {};
  if (s.phase === "WARM_POOL_PHASE_READY") return (s.runningInstances ?? 0) === (s.desiredSize ?? 0);
  return s.phase === "WARM_POOL_PHASE_DEGRADED";
}

/** Whether a pool in this phase is being deleted (its actions no longer apply). */
export function isGoing(phase) {
  return phase === "WARM_POOL_PHASE_DELETING" || phase === "WARM_POOL_PHASE_DELETED";
}
