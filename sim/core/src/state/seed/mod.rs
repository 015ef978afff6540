//! The seed data: a deterministic function of `--seed`, `--prebuilds` and the start
//! time. Timestamps are relative to the start, so the data looks recent in a demo;
//! ids, phases, counts and order depend only on the seed.

//!
//! Here: the settings, the seed's shape (which prebuilds and pools, how many, in which
//! phases) and what new prebuilds share with seeded ones; one record at a time is
//! built in `records`.

mod records;

use gitpod_prebuilds::model::{PrebuildPhase, WarmPoolPhase};

use super::catalog::{Behaviour, Catalog, FREE_PAIR};
use super::{Hints, Outcome, PoolRec, PrebuildRec};
use crate::rng::Rng;
use records::{pool, prebuild};

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
    /// The secret logs tokens are drawn from (not from the seed: they must not be
    /// predictable).
    pub token_secret: [u64; 2],
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
