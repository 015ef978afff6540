//! The seed data: a deterministic function of `--seed`, `--prebuilds` and the start
//! time. Timestamps are relative to the start, so the data looks recent in a demo;
//! ids, phases, counts and order depend only on the seed.

use gitpod_prebuilds::model::{
    Prebuild, PrebuildMetadata, PrebuildPhase, PrebuildSpec, PrebuildStatus, PrebuildTrigger, WarmPool,
    WarmPoolMetadata, WarmPoolPhase, WarmPoolSpec, WarmPoolStatus,
};

use super::catalog::{Behaviour, Catalog, FREE_PAIR};
use super::logs::LogStop;
use super::{warm_pools, Course, Driver, Hints, Outcome, PoolRec, PrebuildRec};
use crate::rng::Rng;
use crate::time::rfc3339;

/// What the seed data follows from, and the settings a reset keeps.
#[derive(Debug, Clone)]
pub struct SeedConfig {
    /// `--seed`.
    pub seed: u64,
    /// `--prebuilds`: extra old, finished prebuilds for large walks.
    pub extra_prebuilds: usize,
    /// The start time (Unix ms) that seeded timestamps are relative to.
    pub epoch_ms: i64,
    /// Where log URLs point: the simulator's own URL or `--public-url`, no trailing `/`.
    pub log_base: String,
    /// `--logs-token-ttl-ms`.
    pub logs_token_ttl_ms: u64,
}

/// The seeded records, in creation order.
#[derive(Debug)]
pub struct Seeded {
    /// Prebuilds, oldest first, with their sequence numbers.
    pub prebuilds: Vec<PrebuildRec>,
    /// Warm pools (sequence numbers are given by the caller).
    pub pools: Vec<PoolRec>,
    /// Ids worth knowing.
    pub hints: Hints,
}

/// How many prebuilds the base seed has: several pages of the default size.
pub const BASE_PREBUILDS: usize = 240;
/// Ticks per step of a seeded unfinished prebuild: slow, so a demo shows every phase
/// for minutes, yet they still move.
const SEEDED_EVERY: u32 = 15;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Failure messages of real-looking prebuilds.
pub const FAILURES: [&str; 6] = [
    "prebuild task 'npm ci' exited with code 1: npm ERR! ERESOLVE unable to resolve dependency tree",
    "devcontainer build failed: pulling mcr.microsoft.com/devcontainers/base:ubuntu-24.04: toomanyrequests: rate limit exceeded",
    "prebuild timed out: it ran longer than its timeout of 3600s",
    "environment did not start: the runner did not report the environment within 300s",
    "snapshot creation failed: volume snapshot quota exceeded in the runner's region",
    "git clone failed: authentication required (the executor's SCM token has expired)",
];

/// Warning messages of prebuilds that still completed.
pub const WARNINGS: [&str; 3] = [
    "devcontainer build failed; the environment fell back to the default image, so tools from .devcontainer/Dockerfile are missing",
    "postCreateCommand exited with code 2; the prebuild continued",
    "dotfiles repository could not be cloned; the environment is usable",
];

/// The messages of the prebuild a demo must render as text, never as markup.
const HTML_FAILURE: &str = "build step failed: <img src=x onerror=alert(1)> (see the logs)";
const HTML_WARNING: &str = "<script>window.__pwned=1</script> warning from the devcontainer";

/// Pairs (project, class) that have finished prebuilds in history. `acme/ml-training`
/// on the GPU class (2, 3) has none, so its warm pool waits in PENDING.
const HISTORY: [(usize, usize, u32); 10] =
    [(0, 0, 8), (0, 1, 2), (1, 0, 5), (1, 2, 3), (2, 2, 3), (3, 0, 2), (5, 4, 4), (5, 5, 6), (6, 4, 3), (7, 6, 3)];

/// The seeded warm pools: project, class, phase, minSize, maxSize, deprecated size.
const POOLS: [(usize, usize, WarmPoolPhase, i32, i32, i32); 8] = [
    (0, 0, WarmPoolPhase::Ready, 2, 5, 0),
    (1, 2, WarmPoolPhase::Ready, 1, 4, 0),
    (2, 3, WarmPoolPhase::Pending, 1, 2, 0),
    (3, 0, WarmPoolPhase::Pending, 0, 2, 0),
    (5, 5, WarmPoolPhase::Degraded, 2, 4, 0),
    (5, 4, WarmPoolPhase::Ready, 2, 2, 2),
    (6, 4, WarmPoolPhase::Deleting, 1, 1, 0),
    (7, 6, WarmPoolPhase::Ready, 0, 3, 0),
];

/// Builds the seed.
pub fn generate(cat: &Catalog, cfg: &SeedConfig) -> Seeded {
    let mut rng = Rng::new(cfg.seed);
    let now = cfg.epoch_ms;
    let mut all: Vec<PrebuildRec> = Vec::with_capacity(BASE_PREBUILDS + cfg.extra_prebuilds);
    let enabled: Vec<usize> = (0..cat.projects.len()).filter(|&p| cat.projects[p].prebuilds_enabled).collect();

    // Unfinished prebuilds are the newest ones, as in a real organisation.
    let unfinished = [
        (PrebuildPhase::Pending, 2),
        (PrebuildPhase::Starting, 2),
        (PrebuildPhase::Running, 3),
        (PrebuildPhase::Stopping, 1),
        (PrebuildPhase::Snapshotting, 3),
        (PrebuildPhase::Cancelling, 1),
        (PrebuildPhase::Deleting, 2),
        (PrebuildPhase::Deleted, 1),
    ];
    for (phase, n) in unfinished {
        for _ in 0..n {
            let p = *rng.pick(&enabled);
            let c = *rng.pick(&cat.projects[p].classes);
            let created = now - rng.between(MINUTE, 30 * MINUTE);
            all.push(prebuild(cat, &mut rng, cfg, p, c, phase.clone(), created, now));
        }
    }

    // The prebuild whose messages hold markup, recent enough for the first page.
    let mut html = prebuild(cat, &mut rng, cfg, 0, 0, PrebuildPhase::Failed, now - 40 * MINUTE, now);
    html.prebuild.status.failure_message = HTML_FAILURE.into();
    html.course.outcome = Outcome::Fail { message: HTML_FAILURE.into() };
    html.prebuild.status.warning_message = HTML_WARNING.into();
    let html_id = html.prebuild.id.to_string();
    all.push(html);

    // Every pair with a READY or DEGRADED pool, and the free pair, has a completed
    // prebuild whatever the seed.
    let anchors = POOLS
        .iter()
        .filter(|d| matches!(d.2, WarmPoolPhase::Ready | WarmPoolPhase::Degraded))
        .map(|d| (d.0, d.1))
        .chain([FREE_PAIR]);
    for (p, c) in anchors {
        let created = now - rng.between(HOUR, 6 * HOUR);
        all.push(prebuild(cat, &mut rng, cfg, p, c, PrebuildPhase::Completed, created, now));
    }

    let weights: u32 = HISTORY.iter().map(|h| h.2).sum();
    let history = |rng: &mut Rng, from: i64, to: i64| {
        let mut w = rng.below(u64::from(weights)) as u32;
        let &(p, c, _) = HISTORY
            .iter()
            .find(|h| {
                if w < h.2 {
                    true
                } else {
                    w -= h.2;
                    false
                }
            })
            .unwrap_or(&HISTORY[0]);
        let phase = finished_phase(rng, cat.projects[p].behaviour);
        let created = now - rng.between(from, to);
        prebuild(cat, rng, cfg, p, c, phase, created, now)
    };
    while all.len() < BASE_PREBUILDS {
        let rec = history(&mut rng, HOUR, 60 * DAY);
        all.push(rec);
    }
    for _ in 0..cfg.extra_prebuilds {
        let rec = history(&mut rng, 60 * DAY, 400 * DAY);
        all.push(rec);
    }

    // Creation order gives the sequence numbers, and so the list order.
    all.sort_by_key(|r| r.seq);
    for (i, rec) in all.iter_mut().enumerate() {
        rec.seq = i as u64 + 1;
    }

    let pools = POOLS.iter().map(|d| pool(cat, &mut rng, &all, d.clone(), now)).collect();
    let hints = Hints {
        free_pair: (cat.projects[FREE_PAIR.0].id.clone(), cat.classes[FREE_PAIR.1].id.clone()),
        html_prebuild_id: html_id,
    };
    Seeded { prebuilds: all, pools, hints }
}

fn finished_phase(rng: &mut Rng, behaviour: Behaviour) -> PrebuildPhase {
    let r = rng.below(100);
    match behaviour {
        Behaviour::Fails if r < 80 => PrebuildPhase::Failed,
        Behaviour::Fails => PrebuildPhase::Cancelled,
        _ if r < 76 => PrebuildPhase::Completed,
        _ if r < 90 => PrebuildPhase::Failed,
        _ => PrebuildPhase::Cancelled,
    }
}

/// How a project's prebuilds end.
pub fn outcome(rng: &mut Rng, behaviour: Behaviour) -> Outcome {
    match behaviour {
        Behaviour::Succeeds => Outcome::Complete { warning: None },
        Behaviour::Warns => Outcome::Complete { warning: Some(rng.pick(&WARNINGS).to_string()) },
        Behaviour::Fails => Outcome::Fail { message: FAILURES[0].to_string() },
    }
}

/// The log URL of a prebuild that has an environment: served by the simulator
/// (`GET /logs/{id}`), at `base`.
pub fn log_url(base: &str, prebuild_id: &str) -> String {
    format!("{base}/logs/{prebuild_id}")
}

/// A snapshot size between 300 MB and 18 GB.
pub fn snapshot_size(rng: &mut Rng) -> u64 {
    rng.between(300_000_000, 18_000_000_000) as u64
}

/// One seeded prebuild in `phase`, created at `created` (the creation time is kept in
/// `seq` until sequence numbers are assigned).
#[allow(clippy::too_many_arguments)]
fn prebuild(
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
fn pool(
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
