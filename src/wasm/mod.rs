//! The only part of the crate that knows about JavaScript: the `WasmClient` class the
//! npm package wraps and its followers (`WasmWatch`, `WasmLogs`), a
//! [`Transport`](crate::call::Transport) over the global (or a given) `fetch` that also
//! streams bodies, and the conversion of core errors into JavaScript error classes.
//! It converts and calls; every decision lives in the core.
//!
//! | module | concern |
//! |---|---|
//! | `client` | `WasmClient`: options, calls, starting followers |
//! | `follow` | `WasmWatch` and `WasmLogs`: a follower's `next()` as a promise |
//! | `jobs` | every promise as one future type: a call, a watch's or a log's next step |
//! | `transport` | one attempt through `fetch`, raced against its timeout and the signal |
//! | `stream` | a streamed GET body, read chunk by chunk |
//! | `deadline` | a timer raced against the caller's AbortSignal |
//! | `errors` | core errors as the package's JavaScript error classes |

mod client;
mod deadline;
mod errors;
mod follow;
mod jobs;
mod stream;
mod transport;

pub use client::WasmClient;
pub use follow::{WasmLogs, WasmWatch};

/// The allocator: a free list, which the package's workload (short-lived buffers per
/// call, a few long-lived followers) keeps short; 3.4 KB gzip smaller than dlmalloc.
// SAFETY: the package's wasm runs on one thread (no shared memory, no threads).
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
