//! Every promise the package hands out is one future type, [`run`] of a [`Job`]: a call,
//! a watch's next state or a log's next lines. wasm-bindgen-futures' `future_to_promise`
//! (the task, its waker and the promise glue) is then in the build once, not once per
//! caller.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::errors::to_js;
use super::follow::Context;
use super::stream::FetchBody;
use super::transport::FetchTransport;
use crate::api::Call;
use crate::call::{call, CallOptions, ClientConfig};
use crate::error::Error;
use crate::follow::{LogEvent, LogFollow, Watch};

/// A follower, taken out of its cell while a `next()` runs.
pub(crate) type Cell<T> = Rc<RefCell<Option<T>>>;

/// What one promise does.
pub(crate) enum Job {
    /// A call of the service: its request and options as read (or why they could not be).
    Call { prepared: Result<(Call, CallOptions), Error>, transport: FetchTransport, config: Rc<ClientConfig> },
    /// A watch's next state.
    Watch { cell: Cell<Watch>, context: Rc<Context> },
    /// A log's next lines or status.
    Logs { cell: Cell<LogFollow<FetchBody>>, context: Rc<Context> },
}

/// The promise of a job.
pub(crate) fn spawn(job: Job) -> Promise {
    future_to_promise(run(job))
}

async fn run(job: Job) -> Result<JsValue, JsValue> {
    match job {
        Job::Call { prepared, transport, config } => {
            let (request, options) = prepared.map_err(|e| to_js(&e))?;
            let text = call(&transport, &config, &request, &options).await.map_err(|e| to_js(&e))?;
            parsed(&text)
        }
        Job::Watch { cell, context } => {
            let mut watch = cell.borrow_mut().take().ok_or_else(busy)?;
            let result = watch.next(&context.transport, &context.config, &context.options).await;
            *cell.borrow_mut() = Some(watch);
            match result.map_err(|e| to_js(&e))? {
                Some(text) => parsed(&text),
                None => Ok(JsValue::UNDEFINED),
            }
        }
        Job::Logs { cell, context } => {
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
        }
    }
}

/// Canonical JSON text as a JavaScript value.
fn parsed(text: &str) -> Result<JsValue, JsValue> {
    JSON::parse(text)
        .map_err(|_| to_js(&Error::Decode { message: "the response could not be handed to JavaScript".into() }))
}

/// A second `next()` before the first settles is refused instead of interleaving.
fn busy() -> JsValue {
    to_js(&Error::validation("next", "was called again before the previous call settled"))
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
