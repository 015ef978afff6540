//! Writing a log, as a stream the caller polls: each poll replays or continues the
//! lines visible so far (from the first, on a new request) and says whether more may
//! come; while the prebuild is unfinished, more come as the clock (or an API call)
//! moves it on, until it is COMPLETED, FAILED, CANCELLED or DELETED and its last line
//! is written. Then the stream has ended cleanly.
//!
//! Nothing here waits: a poll hands out the bytes available now and, while the log may
//! grow, the time to poll again at (a `stall`'s end) if any. The caller polls again
//! when that time comes or the simulator changed, and carries out the ends: a clean
//! one, or an abrupt one (the connection dropped without the chunked body's last
//! chunk) for a `cut` or a reset of the simulator.
//!
//! Lines go out whole, one piece a line, or with `--log-chunk-bytes N` as the byte
//! stream cut into N-byte pieces regardless of lines and UTF-8 characters (a piece may
//! end one line and start the next; the rest of a batch of lines goes out short rather
//! than wait for the next tick), so clients' reassembly is tested. A `cut=N` fault ends
//! the stream after N lines (or at the end of a shorter log); a `stall` holds back the
//! second half of what was visible at the request.

use std::collections::BTreeMap;

use super::script::{Facts, Line, Script};
use crate::state::State;
use crate::stats::Stats;

/// Names an open log stream of a [`Simulator`](crate::Simulator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StreamId(u64);

/// What a poll of a log stream gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogPoll {
    /// Bytes to write now, in order, each piece as one write (one chunk of a chunked
    /// body): the pieces' boundaries are part of the simulation.
    pub pieces: Vec<Vec<u8>>,
    /// What follows them.
    pub state: StreamState,
}

/// Where a log stream stands after a poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamState {
    /// More may come: poll again once the simulator changed (after a request, a tick
    /// or a reset) or, when given, at this time (Unix ms; the end of a stall).
    Open {
        /// When to poll again whatever happens; until then, polls give nothing.
        wake_at_ms: Option<i64>,
    },
    /// The log is complete: end the body cleanly.
    Ended,
    /// A `cut` fault: end the body abruptly. (A server waits a moment first, so the
    /// bytes written before leave its buffers rather than being dropped with it.)
    Cut,
    /// End the body abruptly, for this reason: the simulator was reset, or the stream
    /// is not open.
    Broken(&'static str),
}

/// How far a send goes: whole pieces only, or the short rest too, or the short rest
/// and then the cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flush {
    /// Whole pieces; a short rest waits for more lines.
    Pieces,
    /// Everything, the short rest too.
    All,
    /// Everything, then the cut.
    Cut,
}

/// Why a run stops.
#[derive(Debug, PartialEq)]
enum Stop {
    /// The log has no more lines now.
    Waiting,
    /// A stall holds the rest until this time.
    Held(i64),
    /// The prebuild is finished and every line written (or it is gone).
    Finished,
    /// `cut=N`: N lines were written.
    Cut,
    /// The simulator was reset: the log followed is no more.
    Reset,
}

/// One request's stream: what it streams, and how far it has got.
#[derive(Debug)]
pub(crate) struct LogStream {
    /// The prebuild whose log it is.
    prebuild_id: String,
    /// Every line the log can have.
    script: Script,
    /// The state's generation at the request: after a reset the stream ends.
    generation: u64,
    /// At most this many bytes a piece; 0: a piece a line.
    chunk: usize,
    /// `cut=N`: end after this many lines.
    cut_after: Option<u64>,
    /// `stall=MS`: hold the second half of what is visible at the first poll.
    stall: Option<u64>,
    /// The stall's hold is not placed yet (it is, at the first poll).
    first: bool,
    /// Bytes of lines taken but not yet handed out (less than a piece).
    pending: Vec<u8>,
    /// Lines taken.
    lines: u64,
    /// Bytes handed out.
    bytes: u64,
    /// A stall still to come: at this many bytes, hold this many milliseconds.
    held: Option<(u64, u64)>,
    /// A stall under way: nothing until this time, then this send goes on.
    holding: Option<(i64, Flush)>,
    /// How it ended, once it did.
    ended: Option<StreamState>,
}

impl LogStream {
    /// The stream of the log of the prebuild `facts` describes.
    pub(crate) fn new(
        facts: Facts,
        generation: u64,
        chunk: usize,
        cut_after: Option<u64>,
        stall: Option<u64>,
    ) -> LogStream {
        LogStream {
            script: Script::new(&facts),
            prebuild_id: facts.prebuild_id,
            generation,
            chunk,
            cut_after,
            stall,
            first: true,
            pending: Vec::new(),
            lines: 0,
            bytes: 0,
            held: None,
            holding: None,
            ended: None,
        }
    }

    /// The bytes available at `now`, and what follows them; counts how it ended.
    fn poll(&mut self, state: &State, stats: &mut Stats, now: i64) -> LogPoll {
        let mut pieces = Vec::new();
        if let Some(ended) = self.ended {
            return LogPoll { pieces, state: ended };
        }
        let stop = self.run(state, now, &mut pieces);
        let state = match stop {
            Stop::Waiting => StreamState::Open { wake_at_ms: None },
            Stop::Held(until) => StreamState::Open { wake_at_ms: Some(until) },
            // A clean end, unless the request carries a cut still to come: a request
            // under `cut` never ends cleanly.
            Stop::Finished if self.cut_after.is_none() => {
                stats.log_completed();
                StreamState::Ended
            }
            Stop::Finished | Stop::Cut => {
                stats.log_cut();
                StreamState::Cut
            }
            Stop::Reset => StreamState::Broken("the simulator was reset"),
        };
        if !matches!(state, StreamState::Open { .. }) {
            self.ended = Some(state);
        }
        LogPoll { pieces, state }
    }

    /// Hands out what is visible until the log waits, holds, or ends.
    fn run(&mut self, state: &State, now: i64, out: &mut Vec<Vec<u8>>) -> Stop {
        if let Some((until, flush)) = self.holding {
            if now < until {
                return Stop::Held(until);
            }
            self.holding = None;
            if let Err(stop) = self.send(flush, now, out) {
                return stop;
            }
            if flush == Flush::Cut {
                return Stop::Cut;
            }
        }
        if self.cut_after == Some(0) {
            return Stop::Cut;
        }
        if state.generation() != self.generation {
            return Stop::Reset;
        }
        // Gone: deleted and removed between two looks. Its log was finished.
        let Some(progress) = state.log_progress(&self.prebuild_id) else { return Stop::Finished };
        if self.first {
            self.first = false;
            if let Some(wait) = self.stall {
                let visible: usize = self.script.lines(&progress).map(|l| l.text.len() + l.end.len()).sum();
                self.held = Some((visible as u64 / 2, wait));
            }
        }
        let already = usize::try_from(self.lines).unwrap_or(usize::MAX);
        let new: Vec<Vec<u8>> = self.script.lines(&progress).skip(already).map(Line::bytes).collect();
        for line in new {
            self.pending.extend_from_slice(&line);
            self.lines += 1;
            if self.cut_after == Some(self.lines) {
                return self.send(Flush::Cut, now, out).err().unwrap_or(Stop::Cut);
            }
            if let Err(stop) = self.send(Flush::Pieces, now, out) {
                return stop;
            }
        }
        // The rest of this batch goes out now, not with the next tick's lines.
        if let Err(stop) = self.send(Flush::All, now, out) {
            return stop;
        }
        if progress.finished {
            Stop::Finished
        } else {
            Stop::Waiting
        }
    }

    /// Hands out what is pending: full pieces only, or the short rest too. A stall's
    /// point splits a piece, and once reached holds the rest.
    fn send(&mut self, flush: Flush, now: i64, out: &mut Vec<Vec<u8>>) -> Result<(), Stop> {
        let all = flush != Flush::Pieces;
        loop {
            let mut n = if self.chunk == 0 { self.pending.len() } else { self.chunk.min(self.pending.len()) };
            if n == 0 || (!all && n < self.chunk) {
                return Ok(());
            }
            if let Some((at, wait)) = self.held {
                if self.bytes >= at {
                    self.held = None;
                    let until = now.saturating_add(i64::try_from(wait).unwrap_or(i64::MAX));
                    self.holding = Some((until, flush));
                    return Err(Stop::Held(until));
                }
                n = n.min(usize::try_from(at.saturating_sub(self.bytes)).unwrap_or(usize::MAX).max(1));
            }
            out.push(self.pending.drain(..n).collect());
            self.bytes += n as u64;
        }
    }
}

/// The open streams of a simulator. A stream stays open until its caller closes it,
/// whichever way it ended: `/_sim/stats` counts the open ones.
#[derive(Debug, Default)]
pub(crate) struct Streams {
    /// The streams by id.
    open: BTreeMap<StreamId, LogStream>,
    /// The last id given.
    next: u64,
}

impl Streams {
    /// Opens `stream`.
    pub(crate) fn open(&mut self, stream: LogStream) -> StreamId {
        self.next += 1;
        let id = StreamId(self.next);
        self.open.insert(id, stream);
        id
    }

    /// Polls the stream `id`.
    pub(crate) fn poll(&mut self, id: StreamId, state: &State, stats: &mut Stats, now: i64) -> LogPoll {
        match self.open.get_mut(&id) {
            Some(stream) => stream.poll(state, stats, now),
            None => LogPoll { pieces: Vec::new(), state: StreamState::Broken("the log stream is not open") },
        }
    }

    /// Closes the stream `id` (nothing if it is not open).
    pub(crate) fn close(&mut self, id: StreamId) {
        self.open.remove(&id);
    }

    /// How many are open.
    pub(crate) fn len(&self) -> usize {
        self.open.len()
    }
}
