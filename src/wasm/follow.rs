//! `WasmWatch` and `WasmLogs`: a wait or a log stream in progress, handed to
//! JavaScript as an object whose `next()` returns a promise. The package's
//! `PrebuildClient` turns them into async iterators; all policy is in
//! [`crate::follow`].

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::errors::to_js;
use super::stream::FetchBody;
use super::transport::FetchTransport;
use crate::call::{CallOptions, ClientConfig};
use crate::error::Error;
use crate::follow::{LogEvent, LogFollow, Watch};

/// What every follower holds: the client's settings and its own transport (with the
/// caller's AbortSignal).
pub(crate) struct Context {
    pub(crate) config: Rc<ClientConfig>,
    pub(crate) options: CallOptions,
    pub(crate) transport: FetchTransport,
}

/// The follower is taken out of its cell while a `next()` runs, so a second call
/// before the first settles is refused instead of interleaving.
fn busy() -> JsValue {
    to_js(&Error::validation("next", "was called again before the previous call settled"))
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
        let (cell, context) = (Rc::clone(&self.watch), Rc::clone(&self.context));
        future_to_promise(async move {
            let mut watch = cell.borrow_mut().take().ok_or_else(busy)?;
            let result = watch.next(&context.transport, &context.config, &context.options).await;
            *cell.borrow_mut() = Some(watch);
            match result.map_err(|e| to_js(&e))? {
                Some(text) => JSON::parse(&text),
                None => Ok(JsValue::UNDEFINED),
            }
        })
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
        let (cell, context) = (Rc::clone(&self.logs), Rc::clone(&self.context));
        future_to_promise(async move {
            let mut logs = cell.borrow_mut().take().ok_or_else(busy)?;
            let result = logs.next(&context.transport, &context.config, &context.options).await;
            *cell.borrow_mut() = Some(logs);
            Ok(match result.map_err(|e| to_js(&e))? {
                Some(LogEvent::Lines(lines)) => lines.into_iter().map(JsValue::from).collect::<Array>().into(),
                Some(LogEvent::Waiting) => status("waiting", &[]),
                Some(LogEvent::Streaming) => status("streaming", &[]),
                Some(LogEvent::Reconnecting { attempt, wait_ms, reason }) => status(
                    "reconnecting",
                    &[("attempt", attempt.into()), ("waitMs", wait_ms.into()), ("reason", reason.into())],
                ),
                None => JsValue::UNDEFINED,
            })
        })
    }
}

/// A status object for `onStatus`: `{ state, ...fields }`.
fn status(state: &str, fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    let _ = Reflect::set(&object, &"state".into(), &state.into());
    for (key, value) in fields {
        let _ = Reflect::set(&object, &(*key).into(), value);
    }
    object.into()
}
