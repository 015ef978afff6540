//! Following a prebuild or warm pool to the end: polling until a phase is reached
//! ([`Watch`]) and streaming a prebuild's log ([`LogFollow`]). The policy lives here,
//! in plain Rust over a [`Transport`](crate::call::Transport); the binding layer only
//! adapts it to promises and async iterators.
//!
//! | module | concern |
//! |---|---|
//! | `settings` | which phases end a wait, poll intervals, the deadline, a log's idle limit |
//! | `gaps` | the growing, jittered gaps between polls |
//! | `watch` | polling one prebuild or warm pool, yielding each change |
//! | `lines` | turning a byte stream into lines |
//! | `stream` | what a transport needs to stream a response body |
//! | `logs` | the log follower: token, connection, replay, reconnects |

mod gaps;
mod lines;
mod logs;
mod settings;
mod stream;
mod watch;

pub use gaps::PollGaps;
pub use lines::LineSplitter;
pub use logs::{LogEvent, LogFollow, MAX_LOG_RECONNECTS};
pub use settings::{FollowSettings, Subject, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_INTERVAL_MS, DEFAULT_MAX_INTERVAL_MS};
pub use stream::{BodyStream, StreamRequest, StreamResponse, StreamTransport};
pub use watch::Watch;
