//! The one entry: a [`Simulator`] takes requests and the time, and gives answers and
//! log bytes. It owns no socket, task or timer, so whoever drives it decides what time
//! it is: a server turns its wall clock into `now_ms` and runs a timer for
//! [`Simulator::next_tick_ms`]; a test or a page moves a virtual clock with
//! [`Simulator::advance`].

use crate::config::SimConfig;
use crate::logs::{LogPoll, StreamId};
use crate::message::{Deferred, SimRequest, SimResponse};
use crate::service::Service;
use crate::{overview, router};

/// The simulated PrebuildService, without I/O.
#[derive(Debug)]
pub struct Simulator {
    service: Service,
    /// When the next clock tick is due (Unix ms).
    next_tick_ms: i64,
}

impl Simulator {
    /// The seeded world of `config`, at its start time `config.epoch_ms`.
    pub fn new(config: SimConfig) -> Simulator {
        let next_tick_ms = config.epoch_ms.saturating_add(period(&config));
        Simulator { service: Service::new(config), next_tick_ms }
    }

    /// The settings it was built from.
    pub fn config(&self) -> &SimConfig {
        &self.service.config
    }

    /// Answers one request at `now_ms` (Unix ms). The answer may ask the caller to
    /// reset the connection, to deliver late or stalled, to come back after a delay
    /// ([`Simulator::resume`]), or to stream a log ([`Simulator::poll_log`]).
    pub fn handle(&mut self, request: SimRequest, now_ms: i64) -> SimResponse {
        router::route(&mut self.service, request, now_ms)
    }

    /// Answers a request that a `delay` fault held back, once its wait is over.
    pub fn resume(&mut self, deferred: Deferred, now_ms: i64) -> SimResponse {
        router::resume(&mut self.service, deferred, now_ms)
    }

    /// One tick of the clock at `now_ms`: unfinished prebuilds move a step along their
    /// lifecycle and warm pools follow. The next tick is due one period later. A
    /// server calls this from its own timer; [`Simulator::advance`] calls it as often
    /// as a virtual clock's jump needs.
    pub fn tick(&mut self, now_ms: i64) {
        self.service.state.tick(now_ms);
        self.next_tick_ms = now_ms.saturating_add(period(&self.service.config));
    }

    /// Runs every tick due by `now_ms`, each at its own time (a jump of ten periods is
    /// ten ticks); returns how many ran.
    pub fn advance(&mut self, now_ms: i64) -> u64 {
        let mut ticks = 0;
        while self.next_tick_ms <= now_ms {
            let at = self.next_tick_ms;
            self.tick(at);
            ticks += 1;
        }
        ticks
    }

    /// When the next tick is due (Unix ms).
    pub fn next_tick_ms(&self) -> i64 {
        self.next_tick_ms
    }

    /// New bytes of the log stream `id` at `now_ms`, and whether more may come.
    pub fn poll_log(&mut self, id: StreamId, now_ms: i64) -> LogPoll {
        let Service { state, stats, streams, .. } = &mut self.service;
        streams.poll(id, state, stats, now_ms)
    }

    /// Forgets the log stream `id`, however it ended (its reader went away, it ended,
    /// it was cut). Until then it counts as open in [`Simulator::stats`].
    pub fn close_log(&mut self, id: StreamId) {
        self.service.streams.close(id);
    }

    /// The discovery document of `GET /_sim/info`: organisations, runners, classes,
    /// projects, subjects, hints, counts, seed and tick.
    pub fn info(&self) -> serde_json::Value {
        router::info(&self.service)
    }

    /// The counters of `GET /_sim/stats`.
    pub fn stats(&self) -> serde_json::Value {
        router::stats(&self.service)
    }

    /// Back to the seed state, as `POST /_sim/reset`: fault counters, stats and logs
    /// tokens are forgotten, and log streams opened before end at their next poll.
    /// Returns the answer's document (`{"reset": true, "prebuildCount": ..., ...}`).
    pub fn reset(&mut self) -> serde_json::Value {
        router::reset(&mut self.service)
    }

    /// What a developer wants to see at start: each organisation with its projects
    /// (and how their prebuilds end), classes and people, and the ids worth knowing.
    pub fn overview(&self) -> String {
        overview::overview(&self.service)
    }

    /// Where `status.logUrl` points (no trailing `/`).
    pub fn log_base(&self) -> &str {
        self.service.state.log_base()
    }
}

/// The clock period in ms (at least 1).
fn period(config: &SimConfig) -> i64 {
    i64::try_from(config.tick_ms.max(1)).unwrap_or(i64::MAX)
}
