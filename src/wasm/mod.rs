//! The only part of the crate that knows about JavaScript: the `WasmClient` class the
//! npm package wraps, a [`Transport`](crate::call::Transport) over the global (or a
//! given) `fetch`, and the conversion of core errors into JavaScript error classes.
//! It converts and calls; every decision lives in the core.

mod client;
mod errors;
mod follow;
mod transport;

pub use client::WasmClient;
pub use follow::{WasmLogs, WasmWatch};
