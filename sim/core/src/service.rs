//! The parts of a simulator that requests act on, in one place so that the code that
//! serves a request borrows what it needs from them: the simulated service's state,
//! the fault state, the counters, the open log streams and the settings.

use crate::config::SimConfig;
use crate::faults::Faults;
use crate::logs::Streams;
use crate::state::{SeedConfig, State};
use crate::stats::Stats;

/// Everything a request may touch.
#[derive(Debug)]
pub(crate) struct Service {
    /// The settings.
    pub(crate) config: SimConfig,
    /// The prebuilds, warm pools, catalog and logs tokens.
    pub(crate) state: State,
    /// `times` counters and the draws of `--fault-rate`.
    pub(crate) faults: Faults,
    /// Counters for `/_sim/stats`.
    pub(crate) stats: Stats,
    /// Log streams not yet closed.
    pub(crate) streams: Streams,
}

impl Service {
    /// The seeded service of `config`.
    pub(crate) fn new(config: SimConfig) -> Service {
        let state = State::new(SeedConfig {
            seed: config.seed,
            extra_prebuilds: config.prebuilds,
            epoch_ms: config.epoch_ms,
            log_base: config.public_url.trim_end_matches('/').to_string(),
            logs_token_ttl_ms: config.logs_token_ttl_ms,
            token_secret: config.token_secret,
        });
        let faults = Faults::new(config.fault_rate, config.seed).with_commit_share(config.commit_share);
        Service { config, state, faults, stats: Stats::default(), streams: Streams::default() }
    }

    /// Back to the seed state; fault counters, stats and logs tokens forgotten. Open
    /// log streams end at their next poll.
    pub(crate) fn reset(&mut self) {
        self.state.reset();
        self.faults.clear();
        self.stats.clear();
    }
}
