//! What every connection shares: the simulator behind a lock, the static directories,
//! the request log, and the signal that wakes log streams when the simulator changed.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use prebuild_sim_core::Simulator;
use tokio::sync::watch;

use crate::log::Logger;

/// The server's shared state.
#[derive(Debug)]
pub struct Ctx {
    /// The simulated service. A plain mutex: it is never held across an `await`.
    sim: Mutex<Simulator>,
    /// `--www`.
    pub www_dir: PathBuf,
    /// `--pkg`.
    pub pkg_dir: PathBuf,
    /// Bumped after every tick and request, so log streams look for new lines.
    pub changes: watch::Sender<u64>,
    /// Request log.
    pub logger: Logger,
}

impl Ctx {
    /// The shared state around `sim`.
    pub fn new(sim: Simulator, www_dir: PathBuf, pkg_dir: PathBuf, logger: Logger) -> Ctx {
        Ctx { sim: Mutex::new(sim), www_dir, pkg_dir, changes: watch::Sender::new(0), logger }
    }

    /// The simulator, locked (a panic elsewhere does not make it unusable).
    pub fn sim(&self) -> MutexGuard<'_, Simulator> {
        self.sim.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wakes the log streams: the simulator may have changed.
    pub fn changed(&self) {
        self.changes.send_modify(|n| *n = n.wrapping_add(1));
    }
}
