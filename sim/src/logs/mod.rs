//! Prebuild logs, served at `GET /logs/{prebuildId}` (the prebuild's `status.logUrl`)
//! to a bearer of a logs token from CreatePrebuildLogsToken.
//!
//! | module | concern |
//! |---|---|
//! | `script` | a log's lines and the lifecycle point each is visible from |
//! | `content` | the text: clone, dev container, tasks, snapshot, failures |
//! | `tokens` | minting and checking logs tokens |
//! | `handler` | one log request: path, faults, token, the response |
//! | `stream` | writing the lines, following a running prebuild, chunks and cuts |

mod content;
pub mod handler;
pub mod script;
mod stream;
pub mod tokens;

/// Where log URLs live on the simulator.
pub const PATH_PREFIX: &str = "/logs/";
