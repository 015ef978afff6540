//! Request logging that can never stall the server: lines go through a bounded
//! channel to a thread that writes them to stderr. A harness that pipes stderr and
//! never reads it would otherwise block every request once the pipe is full; here
//! lines are dropped instead.

use std::io::Write;
use std::sync::mpsc::{sync_channel, SyncSender};

/// Where request log lines go.
#[derive(Debug, Clone)]
pub struct Logger {
    tx: Option<SyncSender<String>>,
}

impl Logger {
    /// A logger; `quiet` drops everything.
    pub fn new(quiet: bool) -> Logger {
        if quiet {
            return Logger { tx: None };
        }
        let (tx, rx) = sync_channel::<String>(1024);
        let spawned = std::thread::Builder::new().name("log".into()).spawn(move || {
            let stderr = std::io::stderr();
            for line in rx {
                let _ = writeln!(stderr.lock(), "{line}");
            }
        });
        Logger { tx: spawned.ok().map(|_| tx) }
    }

    /// Logs one line, or drops it when the writer is behind.
    pub fn line(&self, line: String) {
        if let Some(tx) = &self.tx {
            let _ = tx.try_send(line);
        }
    }
}
