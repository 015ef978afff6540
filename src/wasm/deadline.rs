//! A timer raced against the caller's AbortSignal: what bounds an attempt, a wait
//! before a retry, and a read of a streamed body.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

#[wasm_bindgen]
extern "C" {
    // The global timer functions, as in pages, workers and Node alike (`window` is not
    // there in workers and Node).
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
}

/// What ended a wait first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Ending {
    Elapsed,
    Aborted,
}

/// A timer raced against an AbortSignal, cleaned up when dropped.
pub(super) struct Deadline {
    promise: JsFuture,
    /// Settles the promise: a `JsFuture` whose promise never settles keeps its
    /// callbacks (and their table slots) alive for good, so dropping settles it.
    settle: Function,
    timer: JsValue,
    on_abort: Option<(AbortSignal, Function)>,
}

impl Deadline {
    pub(super) fn start(ms: f64, signal: Option<&AbortSignal>) -> Deadline {
        Deadline::new(Some(ms), signal)
    }

    fn new(ms: Option<f64>, signal: Option<&AbortSignal>) -> Deadline {
        let mut timer = JsValue::UNDEFINED;
        let mut on_abort = None;
        let mut settle = None;
        let promise = Promise::new(&mut |resolve: Function, _reject: Function| {
            if let Some(ms) = ms {
                let elapsed: Function = resolve.bind1(&JsValue::NULL, &JsValue::TRUE).unchecked_into();
                timer = set_timeout(&elapsed, ms.clamp(0.0, f64::from(i32::MAX)) as i32);
            }
            if let Some(s) = signal {
                let aborted: Function = resolve.bind1(&JsValue::NULL, &JsValue::FALSE).unchecked_into();
                // A signal that cannot take a listener only loses the early abort.
                let _ = s.add_event_listener_with_callback("abort", &aborted);
                on_abort = Some((s.clone(), aborted));
            }
            settle = Some(resolve);
        });
        // The executor runs synchronously, so `settle` is set; an empty function otherwise.
        let settle = settle.unwrap_or_else(|| Function::new_no_args(""));
        Deadline { promise: JsFuture::from(promise), settle, timer, on_abort }
    }

    pub(super) async fn wait(&mut self) -> Ending {
        match (&mut self.promise).await {
            Ok(v) if v.is_truthy() => Ending::Elapsed,
            _ => Ending::Aborted,
        }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if !self.timer.is_undefined() {
            clear_timeout(&self.timer);
        }
        let _ = self.settle.call1(&JsValue::UNDEFINED, &JsValue::TRUE);
        if let Some((signal, listener)) = &self.on_abort {
            let _ = signal.remove_event_listener_with_callback("abort", listener);
        }
    }
}

/// Whichever of two futures finishes first (the other is dropped).
pub(super) async fn first<A: Future, B: Future>(a: A, b: B) -> Result<A::Output, B::Output> {
    let (mut a, mut b) = (pin!(a), pin!(b));
    poll_fn(|cx| match a.as_mut().poll(cx) {
        Poll::Ready(x) => Poll::Ready(Ok(x)),
        Poll::Pending => b.as_mut().poll(cx).map(Err),
    })
    .await
}
