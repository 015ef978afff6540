//! Prebuild logs, served at `GET /logs/{prebuildId}` (the prebuild's `status.logUrl`)
//! to a bearer of a logs token from CreatePrebuildLogsToken.
//!
//! | module | concern |
//! |---|---|
//! | `script` | a log's lines and the lifecycle point each is visible from |
//! | `content` | the text: clone, dev container, tasks, snapshot, failures |
//! | `tokens` | minting and checking logs tokens |
//! | `request` | one log request: path, faults, token, the answer |
//! | `stream` | handing out the lines as the caller polls: following a running prebuild, chunks, stalls and cuts |

mod content;
pub(crate) mod request;
pub(crate) mod script;
mod stream;
pub(crate) mod tokens;

pub(crate) use stream::Streams;
pub use stream::{LogPoll, StreamId, StreamState};
