//! The clock: the wall-clock time the core is handed, and the timer that ticks it.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::ctx::Ctx;

/// The current Unix time in milliseconds.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Ticks the simulator every `tick_ms`, then wakes the log streams.
pub async fn run(ctx: Arc<Ctx>, tick_ms: u64) {
    let mut interval = tokio::time::interval(Duration::from_millis(tick_ms));
    // After a stall, carry on at the normal pace instead of catching up in a burst.
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    interval.tick().await; // the first tick is immediate
    loop {
        interval.tick().await;
        ctx.sim().tick(now_ms());
        ctx.changed();
    }
}
