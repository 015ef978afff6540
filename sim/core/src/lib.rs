//! `prebuild-sim-core`: the simulated Gitpod PrebuildService without I/O, in the
//! sans-IO style of h11 and quinn-proto. A request goes in as data with the time,
//! and an answer comes out as data, with what the caller must carry out: reset the
//! connection, deliver late or stalled, come back after a delay, stream a log. The
//! caller also moves the clock. Nothing here opens a socket, starts a task, sleeps,
//! reads the clock or draws randomness, so the same core runs under the native server
//! (`prebuild-sim`), in a test without sockets, or compiled to WebAssembly.
//!
//! It validates requests and writes responses with the client library's own code, so
//! client and simulator cannot drift apart.
//!
//! ```
//! use prebuild_sim_core::{SimConfig, SimRequest, SimResponse, Simulator};
//!
//! let mut sim = Simulator::new(SimConfig::default());
//! let request = SimRequest::new("POST", "/api/gitpod.v1.PrebuildService/ListPrebuilds")
//!     .with_header("authorization", "Bearer demo")
//!     .with_body(r#"{"pagination":{"pageSize":5}}"#);
//! let SimResponse::Answer(answer) = sim.handle(request, 1_000) else { unreachable!() };
//! assert_eq!(answer.status, 200);
//! sim.advance(60_000); // a minute of ticks
//! ```
//!
//! | module | concern |
//! |---|---|
//! | `simulator` | the entry: requests, time, log polls, info, stats, reset |
//! | `config` | the settings a simulator is built from |
//! | `message` | requests in, answers and what to carry out out |
//! | `router` | which part answers a path; control endpoints |
//! | `api` | one API call: faults, auth, body, validation, state |
//! | `faults` | `x-sim-fault`, `--fault-rate` and `--commit-share` as decisions |
//! | `outcome` | `x-sim-outcome`: how a new prebuild ends |
//! | `logs` | prebuild logs: text, tokens, requests, streams |
//! | `state` | the simulated service: catalog, seed, methods, lifecycle, paging |
//! | `stats` | counters of requests, faults and answers for `/_sim/stats` |
//! | `service`, `overview` | the parts requests act on; the start overview |
//! | `respond`, `cors`, `rng`, `time` | answers, CORS, deterministic randomness, timestamps |

#![deny(missing_docs)]
#![warn(rust_2018_idioms, missing_debug_implementations)]

mod api;
mod config;
pub mod cors;
mod faults;
mod logs;
mod message;
mod outcome;
mod overview;
mod respond;
mod rng;
mod router;
mod service;
mod simulator;
mod state;
mod stats;
mod time;

pub use api::MAX_BODY_BYTES;
pub use config::SimConfig;
pub use logs::{LogPoll, StreamId, StreamState};
pub use message::{Answer, Body, Deferred, Delivery, Headers, SimRequest, SimResponse};
pub use router::serves;
pub use simulator::Simulator;
