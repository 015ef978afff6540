//! The clock: each tick moves unfinished prebuilds a step along their lifecycle and
//! lets warm pools follow (FACTS.md, "Lifecycle").
//!
//! Prebuild: PENDING (1 step) -> STARTING (2) -> RUNNING (8; a warning may appear,
//! or it FAILS here, or the service cancels it) -> STOPPING (1) -> SNAPSHOTTING
//! (0..100 % in steps of 20) -> COMPLETED. A new prebuild takes one tick per step, 18
//! ticks in all. Cancel: CANCELLING -> CANCELLED; delete: DELETING -> DELETED -> gone,
//! two ticks each. Each step is also a point of its log (`state::logs`).
//! Seeded deletions stop at DELETED (tombstones), so the seed never shrinks by itself.
//!
//! Warm pool: PENDING -> READY once its pair has a COMPLETED prebuild (the newest is
//! its snapshot, also later); instance counts move one per tick towards the
//! autoscaler's size; delete: DELETING (drained) -> DELETED -> gone.

use std::collections::HashMap;

use gitpod_prebuilds::model::{PrebuildPhase, WarmPoolPhase};

use super::logs;
use super::prebuilds::{begin_cancel, QUICK_TICKS};
use super::warm_pools::autoscaler_target;
use super::{bump, seed, Outcome, PrebuildRec, State};
use crate::time::rfc3339;

const STARTING_STEPS: u32 = 2;
const RUNNING_STEPS: u32 = 8;
const WARNING_AT_STEP: u32 = 4;
/// The running step at which the service cancels a prebuild whose outcome is `Cancel`.
const CANCEL_AT_STEP: u32 = 3;
const SNAPSHOT_STEP_PERCENT: i32 = 20;

/// What one step did to a prebuild.
#[derive(Debug, PartialEq)]
enum Step {
    /// Time passed, nothing visible changed.
    Quiet,
    /// The status changed.
    Changed,
    /// The service cancels it (the status changes with the cancel).
    Cancelled,
    /// It reached a final phase: no more steps.
    Finished,
    /// It is gone.
    Gone,
}

impl State {
    /// Advances the world by one tick at wall-clock time `now`.
    pub fn tick(&mut self, now: i64) {
        let mut gone = Vec::new();
        let log_base = self.config.log_base.as_str();
        for (seq, rec) in self.prebuilds.iter_mut() {
            let Some(driver) = rec.driver.as_mut() else { continue };
            if driver.countdown > 1 {
                driver.countdown -= 1;
                continue;
            }
            driver.countdown = driver.every;
            match step(rec, log_base, now) {
                Step::Quiet => {}
                Step::Changed => touch(rec, now),
                Step::Cancelled => begin_cancel(rec, now),
                Step::Finished => {
                    touch(rec, now);
                    rec.driver = None;
                }
                Step::Gone => gone.push(*seq),
            }
            logs::close(rec);
        }
        for seq in gone {
            if let Some(rec) = self.prebuilds.remove(&seq) {
                self.prebuild_seqs.remove(rec.prebuild.id.as_ref());
            }
        }
        self.tick_pools(now);
    }

    fn tick_pools(&mut self, now: i64) {
        // The newest COMPLETED prebuild of each (project, class) pair.
        let mut newest: HashMap<(&str, &str), &str> = HashMap::new();
        for rec in self.prebuilds.values() {
            let pb = &rec.prebuild;
            if pb.status.phase == PrebuildPhase::Completed {
                // Iteration is in creation order, so later ones overwrite.
                newest.insert(
                    (pb.metadata.project_id.as_ref(), pb.metadata.environment_class_id.as_ref()),
                    pb.id.as_ref(),
                );
            }
        }
        let mut gone = Vec::new();
        for (seq, rec) in self.pools.iter_mut() {
            let pool = &mut rec.pool;
            let (mut spec_changed, mut status_changed) = (false, false);
            match pool.status.phase {
                WarmPoolPhase::Pending | WarmPoolPhase::Ready => {
                    let key = (pool.metadata.project_id.as_ref(), pool.metadata.environment_class_id.as_ref());
                    if let Some(&snapshot) = newest.get(&key) {
                        if pool.spec.snapshot_id.as_deref() != Some(snapshot) {
                            pool.spec.snapshot_id = Some(snapshot.to_string().into());
                            spec_changed = true;
                        }
                        if pool.status.phase == WarmPoolPhase::Pending {
                            pool.status.phase = WarmPoolPhase::Ready;
                            status_changed = true;
                        }
                    }
                    let min = pool.spec.min_size.unwrap_or(0);
                    let max = pool.spec.max_size.unwrap_or(min).max(min);
                    let target = autoscaler_target(min, max);
                    if pool.status.desired_size != target {
                        pool.status.desired_size = target;
                        status_changed = true;
                    }
                    if pool.status.phase == WarmPoolPhase::Ready {
                        status_changed |= converge(&mut pool.status.running_instances, target);
                        status_changed |= converge(&mut pool.status.stopped_instances, max - target);
                    }
                }
                WarmPoolPhase::Deleting | WarmPoolPhase::Deleted => {
                    if pool.status.running_instances > 0 || pool.status.stopped_instances > 0 {
                        pool.status.running_instances = 0;
                        pool.status.stopped_instances = 0;
                        status_changed = true;
                    } else if rec.countdown > 1 {
                        rec.countdown -= 1;
                    } else if pool.status.phase == WarmPoolPhase::Deleting {
                        pool.status.phase = WarmPoolPhase::Deleted;
                        rec.countdown = rec.every.max(QUICK_TICKS);
                        status_changed = true;
                    } else if !rec.tombstone {
                        gone.push(*seq);
                    }
                }
                // A degraded pool waits for an operator; nothing heals it here.
                _ => {}
            }
            if spec_changed {
                bump(&mut pool.spec.spec_version);
            }
            if status_changed {
                bump(&mut pool.status.status_version);
            }
            if spec_changed || status_changed {
                pool.metadata.updated_at = Some(rfc3339(now).into());
            }
        }
        for seq in gone {
            if let Some(rec) = self.pools.remove(&seq) {
                self.pool_seqs.remove(rec.pool.id.as_ref());
            }
        }
    }
}

/// Moves `value` one step towards `target`; says whether it moved.
fn converge(value: &mut i32, target: i32) -> bool {
    let next = *value + (target - *value).signum();
    let moved = next != *value;
    *value = next;
    moved
}

fn touch(rec: &mut PrebuildRec, now: i64) {
    bump(&mut rec.prebuild.status.status_version);
    rec.prebuild.metadata.updated_at = Some(rfc3339(now).into());
}

/// One lifecycle step of a prebuild with a driver.
fn step(rec: &mut PrebuildRec, log_base: &str, now: i64) -> Step {
    use PrebuildPhase as P;
    let Some(driver) = rec.driver.as_mut() else { return Step::Quiet };
    let course = &rec.course;
    let pb = &mut rec.prebuild;
    let status = &mut pb.status;
    driver.step += 1;
    let enter =
        |status: &mut gitpod_prebuilds::model::PrebuildStatus<'static>, driver: &mut super::Driver, phase: P| {
            status.phase = phase;
            driver.step = 0;
        };
    match status.phase {
        P::Pending => {
            status.environment_id = uuid_from(&pb.id).into();
            status.log_url = seed::log_url(log_base, &pb.id).into();
            enter(status, driver, P::Starting);
            Step::Changed
        }
        P::Starting if driver.step >= STARTING_STEPS => {
            enter(status, driver, P::Running);
            Step::Changed
        }
        P::Running => match &course.outcome {
            Outcome::Complete { warning: Some(w) }
                if driver.step == WARNING_AT_STEP && status.warning_message.is_empty() =>
            {
                status.warning_message = w.clone().into();
                Step::Changed
            }
            Outcome::Fail { message } if driver.step >= RUNNING_STEPS => {
                status.failure_message = message.clone().into();
                status.completion_time = Some(rfc3339(now).into());
                enter(status, driver, P::Failed);
                Step::Finished
            }
            Outcome::Cancel if driver.step >= CANCEL_AT_STEP => Step::Cancelled,
            _ if driver.step >= RUNNING_STEPS => {
                enter(status, driver, P::Stopping);
                Step::Changed
            }
            _ => Step::Quiet,
        },
        P::Stopping => {
            status.snapshot_completion_percentage = 0;
            enter(status, driver, P::Snapshotting);
            Step::Changed
        }
        P::Snapshotting if status.snapshot_completion_percentage >= 100 => {
            status.snapshot_size_bytes = course.size_bytes.to_string().into();
            status.completion_time = Some(rfc3339(now).into());
            enter(status, driver, P::Completed);
            Step::Finished
        }
        P::Snapshotting => {
            status.snapshot_completion_percentage =
                (status.snapshot_completion_percentage + SNAPSHOT_STEP_PERCENT).min(100);
            Step::Changed
        }
        P::Cancelling => {
            status.completion_time = Some(rfc3339(now).into());
            enter(status, driver, P::Cancelled);
            Step::Finished
        }
        P::Deleting if driver.tombstone => {
            enter(status, driver, P::Deleted);
            Step::Finished
        }
        P::Deleting => {
            enter(status, driver, P::Deleted);
            driver.every = driver.every.max(1);
            driver.countdown = driver.every.max(QUICK_TICKS);
            Step::Changed
        }
        P::Deleted => Step::Gone,
        _ => Step::Quiet,
    }
}

/// A stable environment id for a prebuild: its id with the first group changed, so it
/// is a UUID and differs from the prebuild's.
fn uuid_from(id: &str) -> String {
    let tail = id.get(8..).unwrap_or("-0000-4000-8000-000000000000");
    let head = id.get(..8).and_then(|h| u32::from_str_radix(h, 16).ok()).unwrap_or(0) ^ 0x5a5a_5a5a;
    format!("{head:08x}{tail}")
}
