//! Writing a log: a task replays the lines visible so far from the first, then, while
//! the prebuild is unfinished, waits for the clock (or an API call) and writes the
//! lines that appeared, until the prebuild is COMPLETED, FAILED, CANCELLED or DELETED
//! and its last line is written; then the body ends cleanly.
//!
//! Lines go out whole, one piece a line, or with `--log-chunk-bytes N` as the byte
//! stream cut into N-byte pieces regardless of lines and UTF-8 characters (a piece may
//! end one line and start the next; the rest of a batch of lines goes out short rather
//! than wait for the next tick), so clients' reassembly is tested. A `cut=N` fault drops
//! the connection after N lines (or at the end of a shorter log) without the last
//! chunk; a `stall` holds back the second half of what was visible at the request; a
//! reset of the simulator or its shutdown ends a stream abruptly too.

use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use tokio::sync::{mpsc, watch};

use super::script::{Facts, Line, Script};
use crate::body::SimBody;
use crate::server::Ctx;

/// How long a cut waits before dropping the connection, so the lines written before
/// it leave the server's buffers rather than being dropped with the connection.
const CUT_PAUSE: Duration = Duration::from_millis(30);
/// Pieces in flight between the task and the connection.
const QUEUE: usize = 16;

/// What one request streams, and how.
#[derive(Debug)]
pub struct Plan {
    prebuild_id: String,
    script: Script,
    /// The state's generation at the request: after a reset the stream ends.
    generation: u64,
    chunk_bytes: usize,
    cut_after: Option<u64>,
    stall: Option<Duration>,
}

impl Plan {
    /// The plan for the log of the prebuild `facts` describes.
    pub fn new(
        facts: Facts,
        generation: u64,
        chunk_bytes: usize,
        cut_after: Option<u64>,
        stall: Option<Duration>,
    ) -> Plan {
        Plan { script: Script::new(&facts), prebuild_id: facts.prebuild_id, generation, chunk_bytes, cut_after, stall }
    }
}

/// Starts the task that writes the log; returns the body it feeds.
pub fn start(ctx: Arc<Ctx>, plan: Plan, stop: watch::Receiver<bool>) -> SimBody {
    let (tx, rx) = mpsc::channel(QUEUE);
    ctx.stats.log_open(true);
    tokio::spawn(async move {
        let _open = OpenStream(ctx.clone());
        let mut writer =
            Writer { tx, chunk: plan.chunk_bytes, pending: BytesMut::new(), lines: 0, bytes: 0, held: None, stop };
        let ended = follow(&ctx, &plan, &mut writer).await;
        let abrupt = match ended {
            // A clean end, unless the request carries a cut still to come: a request
            // under `cut` never ends cleanly.
            Ok(()) if plan.cut_after.is_none() => {
                ctx.stats.log_completed();
                None
            }
            Ok(()) | Err(Halt::Cut) => {
                ctx.stats.log_cut();
                tokio::time::sleep(CUT_PAUSE).await;
                Some("the stream was cut by the x-sim-fault cut fault")
            }
            Err(Halt::Stopping) => Some("the server is stopping"),
            Err(Halt::Reset) => Some("the simulator was reset"),
            Err(Halt::Gone) => None,
        };
        if let Some(why) = abrupt {
            // An error ends the body without its last chunk, and hyper closes the
            // connection: the reader sees an incomplete body, not an end.
            let _ = writer.tx.send(Err(std::io::Error::other(why))).await;
        }
    });
    SimBody::Stream(rx)
}

/// Counts the stream as open in `/_sim/stats` while it lives, whichever way it ends.
struct OpenStream(Arc<Ctx>);

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.stats.log_open(false);
    }
}

/// Why a stream ends before its log is finished.
#[derive(Debug, PartialEq)]
enum Halt {
    /// The client went away.
    Gone,
    /// `cut=N`: N lines were written.
    Cut,
    /// The server is shutting down.
    Stopping,
    /// The simulator was reset: the log followed is no more.
    Reset,
}

/// Writes lines to the body.
struct Writer {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    /// At most this many bytes a piece; 0: a piece a line.
    chunk: usize,
    /// Bytes of lines taken but not yet sent (less than a piece).
    pending: BytesMut,
    /// Lines taken.
    lines: u64,
    /// Bytes sent.
    bytes: u64,
    /// A stall still to come: at this many bytes, wait this long.
    held: Option<(u64, Duration)>,
    stop: watch::Receiver<bool>,
}

impl Writer {
    /// Takes a line: sends it, or its full pieces; after `cut_after` lines, sends
    /// everything taken and stops.
    async fn line(&mut self, line: &Line, cut_after: Option<u64>) -> Result<(), Halt> {
        self.pending.extend_from_slice(&line.bytes());
        self.lines += 1;
        if cut_after == Some(self.lines) {
            self.send(true).await?;
            return Err(Halt::Cut);
        }
        self.send(false).await
    }

    /// Sends what is pending: full pieces only, or (`all`) the short rest too. A
    /// stall's point splits a piece.
    async fn send(&mut self, all: bool) -> Result<(), Halt> {
        loop {
            let mut n = if self.chunk == 0 { self.pending.len() } else { self.chunk.min(self.pending.len()) };
            if n == 0 || (!all && n < self.chunk) {
                return Ok(());
            }
            self.hold().await?;
            if let Some((at, _)) = self.held {
                n = n.min(usize::try_from(at.saturating_sub(self.bytes)).unwrap_or(usize::MAX).max(1));
            }
            let piece: Bytes = self.pending.split_to(n).freeze();
            self.tx.send(Ok(piece)).await.map_err(|_| Halt::Gone)?;
            self.bytes += n as u64;
        }
    }

    /// Waits out a stall once its point is reached.
    async fn hold(&mut self) -> Result<(), Halt> {
        let Some((at, wait)) = self.held else { return Ok(()) };
        if self.bytes < at {
            return Ok(());
        }
        self.held = None;
        tokio::select! {
            () = tokio::time::sleep(wait) => Ok(()),
            _ = self.stop.wait_for(|stopping| *stopping) => Err(Halt::Stopping),
            () = self.tx.closed() => Err(Halt::Gone),
        }
    }
}

/// Writes the log and follows it until the prebuild is finished (`Ok`) or the stream
/// must end early.
async fn follow(ctx: &Ctx, plan: &Plan, w: &mut Writer) -> Result<(), Halt> {
    if plan.cut_after == Some(0) {
        return Err(Halt::Cut);
    }
    let mut changes = ctx.changes.subscribe();
    let mut first = true;
    loop {
        // Marked seen before the state is read: a change after the read wakes us.
        changes.borrow_and_update();
        let (progress, generation) = {
            let sim = ctx.sim.lock().unwrap_or_else(|e| e.into_inner());
            (sim.log_progress(&plan.prebuild_id), sim.generation())
        };
        if generation != plan.generation {
            return Err(Halt::Reset);
        }
        // Gone: deleted and removed between two looks. Its log was finished.
        let Some(progress) = progress else { return Ok(()) };
        if first {
            first = false;
            if let Some(wait) = plan.stall {
                let visible: usize = plan.script.lines(&progress).map(|l| l.text.len() + l.end.len()).sum();
                w.held = Some((visible as u64 / 2, wait));
            }
        }
        let already = usize::try_from(w.lines).unwrap_or(usize::MAX);
        for line in plan.script.lines(&progress).skip(already) {
            w.line(line, plan.cut_after).await?;
        }
        // The rest of this batch goes out now, not with the next tick's lines.
        w.send(true).await?;
        if progress.finished {
            return Ok(());
        }
        tokio::select! {
            changed = changes.changed() => changed.map_err(|_| Halt::Stopping)?,
            _ = w.stop.wait_for(|stopping| *stopping) => return Err(Halt::Stopping),
            () = w.tx.closed() => return Err(Halt::Gone),
        }
    }
}
