//! The simulated service's state: the fixed catalog, prebuilds and warm pools, and
//! the operations of the 11 methods on them. Nothing here knows about HTTP: a method
//! takes a validated library [`Request`] and gives the JSON of its response or an
//! [`ApiError`].

mod catalog;
mod lifecycle;
mod logs;
mod paging;
mod prebuilds;
pub(crate) mod seed;
mod warm_pools;

use std::collections::{BTreeMap, HashMap};

use gitpod_prebuilds::api::Request;
use gitpod_prebuilds::model::{Prebuild, Text, WarmPool};
use gitpod_prebuilds::protocol::Code;
use serde_json::Value;

pub use catalog::Catalog;
pub use logs::LogStop;
pub use paging::PageQuery;
pub use seed::SeedConfig;

use crate::logs::tokens::Tokens;
use crate::rng::Rng;

/// An error answered as a Connect error.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The Connect code (its HTTP status follows from it).
    pub code: Code,
    /// What went wrong, for a human.
    pub message: String,
}

impl ApiError {
    /// An error with this code and message.
    pub fn new(code: Code, message: impl Into<String>) -> ApiError {
        ApiError { code, message: message.into() }
    }
}

impl From<gitpod_prebuilds::Error> for ApiError {
    fn from(e: gitpod_prebuilds::Error) -> ApiError {
        match e {
            gitpod_prebuilds::Error::Validation { message, .. } => ApiError::new(Code::InvalidArgument, message),
            other => ApiError::new(Code::Internal, other.to_string()),
        }
    }
}

/// Serialises a library response type with the library's own serde types, so the
/// simulator writes exactly what the client reads.
macro_rules! respond {
    ($value:expr) => {
        serde_json::to_string(&$value).map_err(|e| $crate::state::ApiError::new(Code::Internal, e.to_string()))
    };
}
pub(crate) use respond;

/// How a prebuild ends, decided when it starts.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// It completes, with this warning if any.
    Complete {
        /// Set while it runs; the prebuild still completes.
        warning: Option<String>,
    },
    /// It fails while running, with this message.
    Fail {
        /// The failure message.
        message: String,
    },
    /// The service cancels it while its tasks run (`x-sim-outcome: cancelled`), as a
    /// `CancelPrebuild` would: CANCELLING, then CANCELLED.
    Cancel,
}

/// An outcome asked for with `x-sim-outcome` on CreatePrebuild, whatever the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForcedOutcome {
    /// COMPLETED, no warning.
    Completed,
    /// COMPLETED with a warning message.
    Warning,
    /// FAILED in its first task.
    Failed,
    /// CANCELLED while its tasks run.
    Cancelled,
}

/// What a prebuild's course is, decided when it is created and kept for its log: the
/// log shows the same course on every request, also after a cancel or a delete.
#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    /// How it ends if nobody stops it. A FAILED prebuild's is `Fail` with its message.
    pub outcome: Outcome,
    /// The snapshot size once it completes.
    pub size_bytes: u64,
}

/// What moves an unfinished prebuild along on the clock.
#[derive(Debug, Clone)]
pub struct Driver {
    /// Clock ticks per step (1 for new prebuilds; seeded ones are slower so a demo
    /// shows every phase for a while).
    pub every: u32,
    /// Ticks left until the next step.
    pub countdown: u32,
    /// Steps taken in the current phase.
    pub step: u32,
    /// Stays DELETED instead of disappearing: seeded deletions are history, and a
    /// client comparing two walks of a list must not lose items on their own.
    pub tombstone: bool,
}

/// A prebuild and what the simulator keeps about it.
#[derive(Debug, Clone)]
pub struct PrebuildRec {
    /// Creation order: the list order (newest first) and the page cursor.
    pub seq: u64,
    /// The wire value.
    pub prebuild: Prebuild<'static>,
    /// Present while the prebuild still changes on its own.
    pub driver: Option<Driver>,
    /// Its course, for the lifecycle and the log.
    pub course: Course,
    /// Where a cancel or a delete stopped its log, once one did.
    pub log_stop: Option<LogStop>,
}

/// A warm pool and what the simulator keeps about it.
#[derive(Debug, Clone)]
pub struct PoolRec {
    /// Creation order.
    pub seq: u64,
    /// The wire value.
    pub pool: WarmPool<'static>,
    /// Ticks per deletion step.
    pub every: u32,
    /// Ticks left until the next deletion step.
    pub countdown: u32,
    /// Stays DELETED instead of disappearing (seeded deletions).
    pub tombstone: bool,
}

/// Ids worth knowing for demos and tests.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// A project and class with a completed prebuild and no warm pool.
    pub free_pair: (String, String),
    /// A prebuild whose messages hold HTML and script text.
    pub html_prebuild_id: String,
}

/// The simulated service.
#[derive(Debug)]
pub struct State {
    catalog: Catalog,
    config: SeedConfig,
    prebuilds: BTreeMap<u64, PrebuildRec>,
    prebuild_seqs: HashMap<String, u64>,
    pools: BTreeMap<u64, PoolRec>,
    pool_seqs: HashMap<String, u64>,
    next_seq: u64,
    rng: Rng,
    hints: Hints,
    /// Logs tokens minted by CreatePrebuildLogsToken.
    tokens: Tokens,
    /// How many resets came before this state: a log stream that began before a
    /// reset cannot go on after it.
    generation: u64,
}

impl State {
    /// The seeded world.
    pub fn new(config: SeedConfig) -> State {
        let catalog = Catalog::new();
        let seeded = seed::generate(&catalog, &config);
        let tokens = Tokens::new(config.logs_token_ttl_ms, config.token_secret);
        let mut sim = State {
            rng: Rng::new(config.seed.wrapping_mul(31).wrapping_add(17)),
            catalog,
            config,
            prebuilds: BTreeMap::new(),
            prebuild_seqs: HashMap::new(),
            pools: BTreeMap::new(),
            pool_seqs: HashMap::new(),
            next_seq: 1,
            hints: seeded.hints,
            tokens,
            generation: 0,
        };
        for rec in seeded.prebuilds {
            sim.next_seq = sim.next_seq.max(rec.seq + 1);
            sim.prebuild_seqs.insert(rec.prebuild.id.to_string(), rec.seq);
            sim.prebuilds.insert(rec.seq, rec);
        }
        for mut rec in seeded.pools {
            rec.seq = sim.next_seq;
            sim.next_seq += 1;
            sim.pool_seqs.insert(rec.pool.id.to_string(), rec.seq);
            sim.pools.insert(rec.seq, rec);
        }
        sim
    }

    /// Back to the seed state (same seed, same start time, so the same data).
    /// Logs tokens are forgotten, and log streams opened before end.
    pub fn reset(&mut self) {
        let generation = self.generation + 1;
        let mut tokens = std::mem::replace(&mut self.tokens, Tokens::new(0, [0, 0]));
        tokens.clear();
        *self = State::new(self.config.clone());
        self.generation = generation;
        self.tokens = tokens;
    }

    /// Runs one method; `forced` is the outcome a new prebuild gets instead of its
    /// project's (CreatePrebuild only).
    pub fn call(
        &mut self,
        request: Request,
        query: &PageQuery,
        forced: Option<ForcedOutcome>,
        now: i64,
    ) -> Result<String, ApiError> {
        match request {
            Request::CreatePrebuild(r) => self.create_prebuild(r, forced, now),
            Request::GetPrebuild(r) => self.get_prebuild(&r.prebuild_id),
            Request::ListPrebuilds(r) => self.list_prebuilds(&r, query),
            Request::CancelPrebuild(r) => self.cancel_prebuild(&r.prebuild_id, now),
            Request::DeletePrebuild(r) => self.delete_prebuild(&r.prebuild_id, now),
            Request::CreatePrebuildLogsToken(r) => self.logs_token(&r.prebuild_id, now),
            Request::CreateWarmPool(r) => self.create_warm_pool(r, now),
            Request::GetWarmPool(r) => self.get_warm_pool(&r.warm_pool_id),
            Request::ListWarmPools(r) => self.list_warm_pools(&r, query),
            Request::UpdateWarmPool(r) => self.update_warm_pool(r, now),
            Request::DeleteWarmPool(r) => self.delete_warm_pool(&r.warm_pool_id, now),
        }
    }

    /// The fixed world.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Where log URLs point (no trailing `/`).
    pub fn log_base(&self) -> &str {
        &self.config.log_base
    }

    /// Ids worth knowing.
    pub fn hints(&self) -> &Hints {
        &self.hints
    }

    /// How many prebuilds and warm pools exist now.
    pub fn counts(&self) -> (usize, usize) {
        (self.prebuilds.len(), self.pools.len())
    }

    /// The discovery document of `/_sim/info`.
    pub fn info(&self) -> Value {
        let mut info = self.catalog.info();
        if let Value::Object(map) = &mut info {
            map.insert(
                "hints".into(),
                serde_json::json!({
                    "callerNote": "new prebuilds are created by the first user of the project's organisation",
                    "freePair": { "projectId": self.hints.free_pair.0, "environmentClassId": self.hints.free_pair.1 },
                    "htmlPrebuildId": self.hints.html_prebuild_id,
                }),
            );
            map.insert("seed".into(), self.config.seed.into());
            map.insert("prebuildCount".into(), self.prebuilds.len().into());
            map.insert("warmPoolCount".into(), self.pools.len().into());
        }
        info
    }

    fn take_seq(&mut self) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        seq
    }

    fn not_found(kind: &str, id: &str) -> ApiError {
        ApiError::new(Code::NotFound, format!("{kind} {id} not found"))
    }
}

/// Adds one to a 64-bit version kept as text.
pub(crate) fn bump(version: &mut Text<'static>) {
    let n: u64 = version.parse().unwrap_or(0);
    *version = (n + 1).to_string().into();
}
