//! One seeded record: a prebuild in a given phase, with the status, driver, course and
//! log stop that phase implies, or a warm pool pointing at its pair's newest snapshot.

use gitpod_prebuilds::model::{
    Prebuild, PrebuildMetadata, PrebuildPhase, PrebuildSpec, PrebuildStatus, PrebuildTrigger, WarmPool,
    WarmPoolMetadata, WarmPoolPhase, WarmPoolSpec, WarmPoolStatus,
};

use super::{log_url, outcome, snapshot_size, SeedConfig, DAY, FAILURES, HOUR, MINUTE, SEEDED_EVERY};
use crate::rng::Rng;
use crate::state::catalog::Catalog;
use crate::state::logs::LogStop;
use crate::state::{warm_pools, Course, Driver, Outcome, PoolRec, PrebuildRec};
use crate::time::rfc3339;

/// One seeded prebuild in `phase`, created at `created` (the creation time is kept in
/// `seq` until sequence numbers are assigned).
#[allow(clippy::too_many_arguments)]
pub(super) fn prebuild(
    cat: &Catalog,
    rng: &mut Rng,
    cfg: &SeedConfig,
    p: usize,
    c: usize,
    phase: PrebuildPhase,
    created: i64,
    now: i64,
) -> PrebuildRec {
    use PrebuildPhase as P;
    let project = &cat.projects[p];
    let org = project.org;
    let scheduled = rng.chance(0.35);
    let (creator, executor) = if scheduled {
        (cat.service_account(org), cat.service_account(org))
    } else {
        let user = *rng.pick(&cat.users(org));
        (user, if rng.chance(0.2) { cat.service_account(org) } else { user })
    };
    let id = rng.uuid();
    let env_id = rng.uuid();
    let run_ms = rng.between(3 * MINUTE, 25 * MINUTE);
    let finished_at = (created + run_ms).min(now - 1000);
    let mut outcome = outcome(rng, project.behaviour);
    let warned = matches!(&outcome, Outcome::Complete { warning: Some(_) }) && rng.chance(0.5);
    if !warned {
        if let Outcome::Complete { warning } = &mut outcome {
            *warning = None;
        }
    }
    let size = snapshot_size(rng);
    let cancelled = matches!(phase, P::Cancelling | P::Cancelled);
    let deleted = matches!(phase, P::Deleting | P::Deleted);
    let (status_version, updated) = match phase {
        P::Pending => (1, created),
        P::Starting => (2, (created + MINUTE).min(now)),
        P::Running => (3, (created + 2 * MINUTE).min(now)),
        P::Stopping => (4, (created + 3 * MINUTE).min(now)),
        P::Snapshotting => (5, (created + 4 * MINUTE).min(now)),
        P::Cancelling => (4, now - rng.between(5_000, MINUTE)),
        P::Deleting | P::Deleted => (if phase == P::Deleted { 13 } else { 12 }, now - rng.between(5_000, 2 * MINUTE)),
        P::Completed => (11, finished_at),
        P::Failed | P::Cancelled => (5, finished_at),
        _ => (1, created),
    };
    let mut status = PrebuildStatus {
        phase: phase.clone(),
        status_version: status_version.to_string().into(),
        snapshot_size_bytes: "0".into(),
        ..Default::default()
    };
    if phase != P::Pending {
        status.environment_id = env_id.into();
        status.log_url = log_url(&cfg.log_base, &id).into();
    }
    match phase {
        P::Running | P::Stopping | P::Snapshotting | P::Completed | P::Deleting | P::Deleted => {
            if let Outcome::Complete { warning: Some(w) } = &outcome {
                status.warning_message = w.clone().into();
            }
        }
        _ => {}
    }
    if phase == P::Snapshotting {
        status.snapshot_completion_percentage = 20 * rng.between(0, 4) as i32;
    }
    if matches!(phase, P::Completed | P::Deleting | P::Deleted) {
        status.snapshot_completion_percentage = 100;
        status.snapshot_size_bytes = size.to_string().into();
    }
    if matches!(phase, P::Completed | P::Failed | P::Cancelled | P::Deleting | P::Deleted) {
        status.completion_time = Some(rfc3339(finished_at).into());
    }
    if phase == P::Failed {
        status.failure_message = match &outcome {
            Outcome::Fail { message } => message.clone().into(),
            _ => rng.pick(&FAILURES).to_string().into(),
        };
    }
    let driver = match phase {
        P::Pending | P::Starting | P::Running | P::Stopping | P::Snapshotting | P::Cancelling | P::Deleting => {
            let step = match phase {
                P::Starting => rng.between(0, 1) as u32,
                P::Running => rng.between(0, 6) as u32,
                _ => 0,
            };
            Some(Driver {
                every: SEEDED_EVERY,
                countdown: rng.between(1, i64::from(SEEDED_EVERY)) as u32,
                step,
                tombstone: true,
            })
        }
        _ => None,
    };
    // The log of a FAILED prebuild shows the failure its status reports.
    let outcome = match phase {
        P::Failed => Outcome::Fail { message: status.failure_message.to_string() },
        _ => outcome,
    };
    let log_stop = match phase {
        P::Cancelling | P::Cancelled => Some(LogStop::seeded_cancel(&id, phase == P::Cancelled)),
        // Seeded deletions are of completed prebuilds: their whole log stays.
        P::Deleting | P::Deleted => Some(LogStop::after_the_end()),
        _ => None,
    };
    let timeout = *rng.pick(&["3600s", "3600s", "3600s", "7200s", "1800s", "2700s"]);
    PrebuildRec {
        // Holds the creation time until `generate` numbers the records.
        seq: created as u64,
        prebuild: Prebuild {
            id: id.into(),
            metadata: PrebuildMetadata {
                organization_id: cat.orgs[org].id.clone().into(),
                project_id: project.id.clone().into(),
                environment_class_id: cat.classes[c].id.clone().into(),
                creator: cat.subject(creator),
                created_at: Some(rfc3339(created).into()),
                updated_at: Some(rfc3339(updated.max(created)).into()),
                triggered_by: if scheduled { PrebuildTrigger::Scheduled } else { PrebuildTrigger::Manual },
                executor: cat.subject(executor),
            },
            spec: PrebuildSpec {
                spec_version: if cancelled || deleted { "2" } else { "1" }.into(),
                desired_phase: if cancelled {
                    P::Cancelled
                } else if deleted {
                    P::Deleted
                } else {
                    P::Completed
                },
                timeout: Some(timeout.into()),
            },
            status,
        },
        driver,
        course: Course { outcome, size_bytes: size },
        log_stop,
    }
}

/// One seeded warm pool, pointing at the newest completed prebuild of its pair.
pub(super) fn pool(
    cat: &Catalog,
    rng: &mut Rng,
    prebuilds: &[PrebuildRec],
    (p, c, phase, min, max, deprecated): (usize, usize, WarmPoolPhase, i32, i32, i32),
    now: i64,
) -> PoolRec {
    let project = &cat.projects[p];
    let class = &cat.classes[c];
    let snapshot = prebuilds
        .iter()
        .rev()
        .find(|r| {
            r.prebuild.status.phase == PrebuildPhase::Completed
                && r.prebuild.metadata.project_id == project.id
                && r.prebuild.metadata.environment_class_id == class.id
        })
        .map(|r| r.prebuild.id.clone());
    let target = warm_pools::autoscaler_target(min, max);
    // The second READY pool has just become ready: its instances are still coming up.
    let converging = p == 1;
    let (running, stopped, failure) = match phase {
        WarmPoolPhase::Ready if converging => (0, 0, String::new()),
        WarmPoolPhase::Ready => (target, max - target, String::new()),
        WarmPoolPhase::Degraded => (
            target - 1,
            0,
            format!(
                "runner {} reports insufficient capacity: 1 of {target} instances could not be started (InsufficientInstanceCapacity)",
                cat.runners[class.runner].name
            ),
        ),
        WarmPoolPhase::Deleting => (1, 0, String::new()),
        _ => (0, 0, String::new()),
    };
    let created = now - rng.between(2 * DAY, 40 * DAY);
    let pool = WarmPool {
        id: rng.uuid().into(),
        metadata: WarmPoolMetadata {
            organization_id: cat.orgs[project.org].id.clone().into(),
            project_id: project.id.clone().into(),
            environment_class_id: class.id.clone().into(),
            runner_id: cat.runners[class.runner].id.clone().into(),
            created_at: Some(rfc3339(created).into()),
            updated_at: Some(rfc3339(now - rng.between(MINUTE, 6 * HOUR)).into()),
        },
        spec: WarmPoolSpec {
            spec_version: rng.between(1, 4).to_string().into(),
            desired_size: deprecated,
            snapshot_id: if phase == WarmPoolPhase::Pending { None } else { snapshot },
            desired_phase: if phase == WarmPoolPhase::Deleting { WarmPoolPhase::Deleted } else { WarmPoolPhase::Ready },
            min_size: Some(min),
            max_size: Some(max),
        },
        status: WarmPoolStatus {
            phase,
            failure_message: failure.into(),
            status_version: rng.between(3, 40).to_string().into(),
            running_instances: running,
            stopped_instances: stopped,
            desired_size: target,
        },
    };
    PoolRec { seq: 0, pool, every: SEEDED_EVERY, countdown: SEEDED_EVERY, tombstone: true }
}
