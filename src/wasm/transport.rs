//! A [`Transport`] over `fetch`: each attempt is a URL and a `RequestInit` (web-sys)
//! with gloo-net's `Headers`, its body and its own AbortSignal, sent through the global
//! fetch or the client's `fetch` option (which receives the same two arguments); the
//! answer is read through gloo-net's `Response`.
//!
//! Why not gloo-net's `RequestBuilder`: it constructs a `Request` twice to merge query
//! strings, and `fetch` copies a `Request` once more. In Node 20, `new Request(url,
//! init)` with a body and a signal costs about 64 µs, a quarter of a whole local call;
//! `fetch(url, init)` builds it once, as a bare fetch would.
//!
//! An attempt races a timer and the caller's AbortSignal. When either wins, the
//! attempt's own controller aborts the request, which frees the connection; the race
//! still ends the attempt when a custom fetch ignores its signal, and it covers reading
//! the body as well as waiting for the headers.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

use gloo_net::http::{Headers, Response};
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, RequestInit};

use crate::call::{HttpRequest, HttpResponse, Transport, TransportError};
use crate::retry::RetryHeaders;

#[wasm_bindgen]
extern "C" {
    // The global timer functions, as in pages, workers and Node alike (`window` is not
    // there in workers and Node).
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
    // The global fetch, as a page, a worker and Node 18+ have it; a runtime without one
    // throws here, which becomes a connection error.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;
}

/// Sends through the global fetch, or through the client's `fetch` option.
pub(crate) struct FetchTransport {
    /// The client's `fetch` option.
    pub(crate) fetch: Option<Function>,
    /// The caller's AbortSignal.
    pub(crate) signal: Option<AbortSignal>,
    /// The bearer token, cut out of any error text a custom fetch produces.
    pub(crate) token: Option<String>,
}

/// What ended a wait first.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Ending {
    Elapsed,
    Aborted,
}

/// A timer raced against an AbortSignal, cleaned up when dropped.
struct Deadline {
    promise: JsFuture,
    /// Settles the promise: a `JsFuture` whose promise never settles keeps its
    /// callbacks (and their table slots) alive for good, so dropping settles it.
    settle: Function,
    timer: JsValue,
    on_abort: Option<(AbortSignal, Function)>,
}

impl Deadline {
    fn start(ms: f64, signal: Option<&AbortSignal>) -> Deadline {
        let mut timer = JsValue::UNDEFINED;
        let mut on_abort = None;
        let mut settle = None;
        let promise = Promise::new(&mut |resolve: Function, _reject: Function| {
            let elapsed: Function = resolve.bind1(&JsValue::NULL, &JsValue::TRUE).unchecked_into();
            timer = set_timeout(&elapsed, ms.clamp(0.0, f64::from(i32::MAX)) as i32);
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

    async fn wait(&mut self) -> Ending {
        match (&mut self.promise).await {
            Ok(v) if v.is_truthy() => Ending::Elapsed,
            _ => Ending::Aborted,
        }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
        let _ = self.settle.call1(&JsValue::UNDEFINED, &JsValue::TRUE);
        if let Some((signal, listener)) = &self.on_abort {
            let _ = signal.remove_event_listener_with_callback("abort", listener);
        }
    }
}

/// Whichever of two futures finishes first (the other is dropped).
async fn first<A: Future, B: Future>(a: A, b: B) -> Result<A::Output, B::Output> {
    let (mut a, mut b) = (pin!(a), pin!(b));
    poll_fn(|cx| match a.as_mut().poll(cx) {
        Poll::Ready(x) => Poll::Ready(Ok(x)),
        Poll::Pending => b.as_mut().poll(cx).map(Err),
    })
    .await
}

/// The text of a thrown value: its `message`, or the value as a string.
fn error_text(e: &JsValue) -> String {
    Reflect::get(e, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the request failed".into())
}

impl FetchTransport {
    /// `message` with the bearer token cut out: a custom fetch (a logging or proxy
    /// wrapper) may put the request's headers into the errors it throws.
    fn redact(&self, message: String) -> String {
        match &self.token {
            Some(t) if message.contains(t.as_str()) => message.replace(t.as_str(), "[redacted]"),
            _ => message,
        }
    }

    fn connection(&self, e: &JsValue) -> TransportError {
        TransportError::Connection(self.redact(error_text(e)))
    }

    /// One attempt to the point where the whole body is read.
    async fn attempt(&self, request: &HttpRequest, signal: &AbortSignal) -> Result<HttpResponse, TransportError> {
        let headers = Headers::new();
        for (name, value) in &request.headers {
            headers.set(name, value);
        }
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_headers(&headers.into_raw());
        init.set_body(&JsValue::from_str(&request.body));
        init.set_signal(Some(signal));
        let returned = match &self.fetch {
            None => global_fetch(&request.url, &init).map(JsValue::from).map_err(|e| {
                if e.is_instance_of::<js_sys::ReferenceError>() {
                    TransportError::Connection(
                        "no fetch: this runtime has no global fetch; pass one as the fetch option".into(),
                    )
                } else {
                    self.connection(&e)
                }
            })?,
            Some(fetch) => fetch
                .call2(&JsValue::UNDEFINED, &JsValue::from_str(&request.url), &init)
                .map_err(|e| self.connection(&e))?,
        };
        let value = JsFuture::from(Promise::resolve(&returned)).await.map_err(|e| self.connection(&e))?;
        let looks_like_response =
            Reflect::get(&value, &JsValue::from_str("arrayBuffer")).is_ok_and(|f| f.is_function());
        if !looks_like_response {
            return Err(TransportError::Connection("fetch did not resolve with a Response".into()));
        }
        let response = Response::from(value.unchecked_into::<web_sys::Response>());
        let answer_headers = response.headers();
        let retry = RetryHeaders {
            should_retry: answer_headers.get("x-should-retry"),
            retry_after_ms: answer_headers.get("retry-after-ms"),
            retry_after: answer_headers.get("retry-after"),
        };
        let status = response.status();
        // Bytes, not text: they cross into WebAssembly in one copy.
        let body = response.binary().await.map_err(|e| TransportError::Connection(self.redact(e.to_string())))?;
        Ok(HttpResponse { status, body, retry })
    }
}

impl Transport for FetchTransport {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        if self.signal.as_ref().is_some_and(AbortSignal::aborted) {
            return Err(TransportError::Aborted);
        }
        let controller = AbortController::new().map_err(|e| self.connection(&e))?;
        let mut deadline = Deadline::start(f64::from(request.timeout_ms), self.signal.as_ref());
        let outcome = first(self.attempt(request, &controller.signal()), deadline.wait()).await;
        match outcome {
            Ok(result) => result,
            Err(ending) => {
                controller.abort();
                Err(match ending {
                    Ending::Elapsed => TransportError::Timeout,
                    Ending::Aborted => TransportError::Aborted,
                })
            }
        }
    }

    async fn sleep(&self, ms: f64) -> Result<(), TransportError> {
        if self.signal.as_ref().is_some_and(AbortSignal::aborted) {
            return Err(TransportError::Aborted);
        }
        match Deadline::start(ms, self.signal.as_ref()).wait().await {
            Ending::Elapsed => Ok(()),
            Ending::Aborted => Err(TransportError::Aborted),
        }
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}
