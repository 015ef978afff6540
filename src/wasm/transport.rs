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
use js_sys::Uint8Array;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, ReadableStreamDefaultReader, RequestInit};

use crate::call::{HttpRequest, HttpResponse, Transport, TransportError};
use crate::follow::{BodyStream, StreamRequest, StreamResponse, StreamTransport};
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
        Deadline::new(Some(ms), signal)
    }

    /// Only the caller's abort (reading a stream has no time limit).
    fn abort_only(signal: Option<&AbortSignal>) -> Deadline {
        Deadline::new(None, signal)
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

    async fn wait(&mut self) -> Ending {
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
    /// `message` with the API token, and `secret` (a logs token) if given, cut out: a
    /// custom fetch (a logging or proxy wrapper) may put the request's headers into
    /// the errors it throws.
    fn redact(&self, message: String, secret: Option<&str>) -> String {
        without_secrets(message, [self.token.as_deref(), secret])
    }

    fn connection(&self, e: &JsValue) -> TransportError {
        TransportError::Connection(self.redact(error_text(e), None))
    }

    /// Sends a request through the global fetch or the `fetch` option and waits for
    /// the response's headers.
    async fn fetch(&self, url: &str, init: &RequestInit, secret: Option<&str>) -> Result<Response, TransportError> {
        let connection = |e: &JsValue| TransportError::Connection(self.redact(error_text(e), secret));
        let returned = match &self.fetch {
            None => global_fetch(url, init).map(JsValue::from).map_err(|e| {
                if e.is_instance_of::<js_sys::ReferenceError>() {
                    TransportError::Connection(
                        "no fetch: this runtime has no global fetch; pass one as the fetch option".into(),
                    )
                } else {
                    connection(&e)
                }
            })?,
            Some(fetch) => {
                fetch.call2(&JsValue::UNDEFINED, &JsValue::from_str(url), init).map_err(|e| connection(&e))?
            }
        };
        let value = JsFuture::from(Promise::resolve(&returned)).await.map_err(|e| connection(&e))?;
        let looks_like_response =
            Reflect::get(&value, &JsValue::from_str("arrayBuffer")).is_ok_and(|f| f.is_function());
        if !looks_like_response {
            return Err(TransportError::Connection("fetch did not resolve with a Response".into()));
        }
        Ok(Response::from(value.unchecked_into::<web_sys::Response>()))
    }

    /// One attempt to the point where the whole body is read.
    async fn attempt(&self, request: &HttpRequest, signal: &AbortSignal) -> Result<HttpResponse, TransportError> {
        let init = request_init("POST", &request.headers, signal);
        init.set_body(&JsValue::from_str(&request.body));
        let response = self.fetch(&request.url, &init, None).await?;
        let retry = retry_headers(&response);
        let status = response.status();
        // Bytes, not text: they cross into WebAssembly in one copy.
        let body = response.binary().await.map_err(|e| TransportError::Connection(self.redact(e.to_string(), None)))?;
        Ok(HttpResponse { status, body, retry })
    }

    /// Runs `attempt` against the timer and the caller's signal; when either wins,
    /// `controller` aborts the request.
    async fn raced<T>(
        &self,
        attempt: impl Future<Output = Result<T, TransportError>>,
        controller: &AbortController,
        timeout_ms: u32,
    ) -> Result<T, TransportError> {
        let mut deadline = Deadline::start(f64::from(timeout_ms), self.signal.as_ref());
        match first(attempt, deadline.wait()).await {
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

    fn aborted(&self) -> bool {
        self.signal.as_ref().is_some_and(AbortSignal::aborted)
    }
}

/// `message` with each secret replaced by `[redacted]`.
fn without_secrets(mut message: String, secrets: [Option<&str>; 2]) -> String {
    for s in secrets.into_iter().flatten().filter(|s| !s.is_empty()) {
        if message.contains(s) {
            message = message.replace(s, "[redacted]");
        }
    }
    message
}

/// A `RequestInit` with the method, the headers (through gloo-net's `Headers`) and
/// the attempt's own signal.
fn request_init(method: &str, headers: &[(String, String)], signal: &AbortSignal) -> RequestInit {
    let h = Headers::new();
    for (name, value) in headers {
        h.set(name, value);
    }
    let init = RequestInit::new();
    init.set_method(method);
    init.set_headers(&h.into_raw());
    init.set_signal(Some(signal));
    init
}

fn retry_headers(response: &Response) -> RetryHeaders {
    let headers = response.headers();
    RetryHeaders {
        should_retry: headers.get("x-should-retry"),
        retry_after_ms: headers.get("retry-after-ms"),
        retry_after: headers.get("retry-after"),
    }
}

impl Transport for FetchTransport {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        if self.aborted() {
            return Err(TransportError::Aborted);
        }
        let controller = AbortController::new().map_err(|e| self.connection(&e))?;
        self.raced(self.attempt(request, &controller.signal()), &controller, request.timeout_ms).await
    }

    async fn sleep(&self, ms: f64) -> Result<(), TransportError> {
        if self.aborted() {
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

/// A response body read through its stream's reader, chunk by chunk.
pub(crate) struct FetchBody {
    reader: Option<ReadableStreamDefaultReader>,
    /// Aborts the request when the body is dropped unread (a `break` out of a log).
    controller: AbortController,
    signal: Option<AbortSignal>,
    /// The API token and the logs token, cut out of error texts.
    secrets: [Option<String>; 2],
}

impl BodyStream for FetchBody {
    async fn chunk(&mut self) -> Result<Option<Vec<u8>>, TransportError> {
        let Some(reader) = &self.reader else { return Ok(None) };
        if self.signal.as_ref().is_some_and(AbortSignal::aborted) {
            return Err(TransportError::Aborted);
        }
        let mut aborted = Deadline::abort_only(self.signal.as_ref());
        match first(JsFuture::from(reader.read()), aborted.wait()).await {
            Ok(Ok(result)) => {
                if Reflect::get(&result, &JsValue::from_str("done")).is_ok_and(|d| d.is_truthy()) {
                    self.reader = None;
                    return Ok(None);
                }
                let value = Reflect::get(&result, &JsValue::from_str("value")).unwrap_or(JsValue::UNDEFINED);
                match value.dyn_into::<Uint8Array>() {
                    Ok(bytes) => Ok(Some(bytes.to_vec())),
                    Err(_) => {
                        Err(TransportError::Connection("the response body gave something other than bytes".into()))
                    }
                }
            }
            Ok(Err(_)) if self.signal.as_ref().is_some_and(AbortSignal::aborted) => Err(TransportError::Aborted),
            Ok(Err(e)) => {
                let [token, secret] = &self.secrets;
                Err(TransportError::Connection(without_secrets(error_text(&e), [token.as_deref(), secret.as_deref()])))
            }
            Err(_) => {
                self.controller.abort();
                Err(TransportError::Aborted)
            }
        }
    }
}

impl Drop for FetchBody {
    fn drop(&mut self) {
        self.controller.abort();
    }
}

impl StreamTransport for FetchTransport {
    type Body = FetchBody;

    async fn open(&self, request: &StreamRequest) -> Result<StreamResponse<FetchBody>, TransportError> {
        if self.aborted() {
            return Err(TransportError::Aborted);
        }
        let secret = request
            .headers
            .iter()
            .find(|(name, _)| name == "authorization")
            .and_then(|(_, value)| value.strip_prefix("Bearer "))
            .map(str::to_string);
        let controller = AbortController::new().map_err(|e| self.connection(&e))?;
        let init = request_init("GET", &request.headers, &controller.signal());
        let response =
            self.raced(self.fetch(&request.url, &init, secret.as_deref()), &controller, request.timeout_ms).await?;
        let reader = response.body().map(|body| body.get_reader().unchecked_into::<ReadableStreamDefaultReader>());
        Ok(StreamResponse {
            status: response.status(),
            retry: retry_headers(&response),
            body: FetchBody { reader, controller, signal: self.signal.clone(), secrets: [self.token.clone(), secret] },
        })
    }
}
