// What a prebuild's phase means to the page: the phases in lifecycle order (for the
// filter), which ones no longer change, which can be cancelled, and which mean the
// prebuild is going away.

/** Every phase, in the order a prebuild goes through them. */
export const PHASES = [
  "PREBUILD_PHASE_PENDING",
  "PREBUILD_PHASE_STARTING",
  "PREBUILD_PHASE_RUNNING",
  "PREBUILD_PHASE_STOPPING",
  "PREBUILD_PHASE_SNAPSHOTTING",
  "PREBUILD_PHASE_COMPLETED",
  "PREBUILD_PHASE_FAILED",
  "PREBUILD_PHASE_CANCELLING",
  "PREBUILD_PHASE_CANCELLED",
  "PREBUILD_PHASE_DELETING",
  "PREBUILD_PHASE_DELETED",
];

/** What can start a prebuild. */
export const TRIGGERS = ["PREBUILD_TRIGGER_MANUAL", "PREBUILD_TRIGGER_SCHEDULED"];

/**
 * Phases that do not change any more. DELETED is not one: the prebuild goes away next,
 * and whoever follows it sees that happen.
 */
export const FINAL_PHASES = new Set(["PREBUILD_PHASE_COMPLETED", "PREBUILD_PHASE_FAILED", "PREBUILD_PHASE_CANCELLED"]);

/** Phases a prebuild can be cancelled in: the ones before it is done. */
export const CANCELLABLE_PHASES = new Set(PHASES.slice(0, PHASES.indexOf("PREBUILD_PHASE_COMPLETED")));

/** Phases of a prebuild being deleted. */
export const GOING_PHASES = new Set(["PREBUILD_PHASE_DELETING", "PREBUILD_PHASE_DELETED"]);
