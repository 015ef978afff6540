//! The wasm suite in Node (see `tests/wasm/suite.rs`).
#![cfg(target_arch = "wasm32")]

include!("wasm/suite.rs");
