//! A client for Gitpod's PrebuildService: domain models, request validation, the
//! Connect JSON wire protocol, error mapping and retry decisions, as plain Rust.
//!
//! The crate compiles to WebAssembly for the npm package `gitpod-prebuilds`; the
//! binding layer in [`wasm`] (only on `wasm32`) is the single place that knows about
//! JavaScript. Everything else runs natively and is tested with `cargo test`.
//!
//! | module | concern |
//! |---|---|
//! | [`model`] | prebuilds, warm pools and what is inside them |
//! | [`api`] | the 11 methods: paths, request parsing and validation, responses |
//! | [`protocol`] | Connect codes, error bodies, HTTP status mapping |
//! | [`retry`] | which failures are retried (by method: creates only when safe), and how long to wait |
//! | [`call`] | one call from parameters to a prepared request, and back |
//! | `config` | client settings and per-call options (re-exported from [`call`]) |
//! | [`error`] | the one error type of the core |
//! | [`follow`] | waiting for a phase, watching changes, streaming a prebuild's log |
//! | [`schema`] | every message declared once, as data, and the one reader of them |
#![deny(missing_docs)]
#![warn(unreachable_pub, rust_2018_idioms, missing_debug_implementations)]
// A panic inside WebAssembly kills the instance for every later call: untrusted input
// must never reach one.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::string_slice)
)]

#[macro_use]
pub mod schema;
pub mod api;
pub mod call;
mod config;
pub mod error;
pub mod follow;
pub mod model;
pub mod protocol;
pub mod retry;
mod validate;

#[cfg(all(target_arch = "wasm32", feature = "wasm-bindings"))]
pub mod wasm;

pub use error::Error;
