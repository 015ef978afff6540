//! `WasmWatch` and `WasmLogs`: a wait or a log stream in progress, handed to
//! JavaScript as an object whose `next()` returns a promise. The package's
//! `PrebuildClient` turns them into async iterators; all policy is in
//! [`crate::follow`].

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::jobs::{spawn, Job};
use super::stream::FetchBody;
use super::transport::FetchTransport;
use crate::call::{CallOptions, ClientConfig};
use crate::follow::{LogFollow, Watch};

/// What every follower holds: the client's settings and its own transport (with the
/// caller's AbortSignal).
pub(crate) struct Context {
    pub(crate) config: Rc<ClientConfig>,
    pub(crate) options: CallOptions,
    pub(crate) transport: FetchTransport,
}

/// A wait in progress: `next()` resolves with the next state, or `undefined` at the end.
#[wasm_bindgen]
pub struct WasmWatch {
    watch: Rc<RefCell<Option<Watch>>>,
    context: Rc<Context>,
}

impl std::fmt::Debug for WasmWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WasmWatch").field("watch", &self.watch).finish_non_exhaustive()
    }
}

impl WasmWatch {
    pub(crate) fn new(watch: Watch, context: Context) -> WasmWatch {
        WasmWatch { watch: Rc::new(RefCell::new(Some(watch))), context: Rc::new(context) }
    }
}

#[wasm_bindgen]
impl WasmWatch {
    /// The next new state (a `Prebuild` or `WarmPool`), or `undefined` once a phase
    /// in `until` was handed out.
    pub fn next(&self) -> Promise {
        spawn(Job::Watch { cell: Rc::clone(&self.watch), context: Rc::clone(&self.context) })
    }
}

/// A log being streamed: `next()` resolves with the next lines, or `undefined` at the
/// end.
#[wasm_bindgen]
pub struct WasmLogs {
    logs: Rc<RefCell<Option<LogFollow<FetchBody>>>>,
    context: Rc<Context>,
}

impl std::fmt::Debug for WasmLogs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WasmLogs").finish_non_exhaustive()
    }
}

impl WasmLogs {
    pub(crate) fn new(logs: LogFollow<FetchBody>, context: Context) -> WasmLogs {
        WasmLogs { logs: Rc::new(RefCell::new(Some(logs))), context: Rc::new(context) }
    }
}

#[wasm_bindgen]
impl WasmLogs {
    /// The next lines (an array of at least one string), a status
    /// (`{ state: "waiting" | "streaming" | "reconnecting", attempt, waitMs, reason }`),
    /// or `undefined` at the end.
    pub fn next(&self) -> Promise {
        spawn(Job::Logs { cell: Rc::clone(&self.logs), context: Rc::clone(&self.context) })
    }
}
