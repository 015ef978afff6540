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

use std::future::Future;

use gloo_net::http::{Headers, Response};
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, RequestInit};

use super::deadline::{first, Deadline, Ending};
use crate::call::{HttpRequest, HttpResponse, Transport, TransportError};
use crate::retry::RetryHeaders;

#[wasm_bindgen]
extern "C" {
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

/// The text of a thrown value: its `message`, or the value as a string.
pub(super) fn error_text(e: &JsValue) -> String {
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

    pub(super) fn connection(&self, e: &JsValue) -> TransportError {
        TransportError::Connection(self.redact(error_text(e), None))
    }

    /// Sends a request through the global fetch or the `fetch` option and waits for
    /// the response's headers.
    pub(super) async fn fetch(
        &self,
        url: &str,
        init: &RequestInit,
        secret: Option<&str>,
    ) -> Result<Response, TransportError> {
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
        // Bytes, not text, read chunk by chunk from the body's stream: each chunk crosses
        // into WebAssembly in one copy, where `arrayBuffer()` would first join them into
        // a new buffer (in Node, 35 µs of a 98 KB page). A Response without a stream (a
        // polyfill's) is read with `arrayBuffer()`.
        let body = match response.body() {
            Some(stream) => read_all(&stream).await.map_err(|e| self.connection(&e))?,
            None => response.binary().await.map_err(|e| {
                // The platform's own words when it has them (gloo-net's `Display` would
                // bring `core::fmt` along).
                let message = match e {
                    gloo_net::Error::JsError(js) => js.message,
                    _ => "reading the response body failed".to_string(),
                };
                TransportError::Connection(self.redact(message, None))
            })?,
        };
        Ok(HttpResponse { status, body, retry })
    }

    /// Runs `attempt` against the timer and the caller's signal; when either wins,
    /// `controller` aborts the request. `attempt` hands its request to fetch when first
    /// polled, before the race can end, so an abort here is one after sending.
    pub(super) async fn raced<T>(
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
                    Ending::Aborted => TransportError::Aborted { sent: true },
                })
            }
        }
    }

    pub(super) fn aborted(&self) -> bool {
        self.signal.as_ref().is_some_and(AbortSignal::aborted)
    }
}

/// A whole body, read from its stream.
async fn read_all(stream: &web_sys::ReadableStream) -> Result<Vec<u8>, JsValue> {
    // Called through `Function.call`, so that an exception (a locked or odd stream) is
    // an error here rather than one thrown through the WebAssembly stack.
    let get_reader: Function = Reflect::get(stream, &JsValue::from_str("getReader"))?.dyn_into()?;
    let reader: web_sys::ReadableStreamDefaultReader = get_reader.call0(stream)?.unchecked_into();
    let (done, value) = (JsValue::from_str("done"), JsValue::from_str("value"));
    let mut body = Vec::new();
    loop {
        let result = JsFuture::from(reader.read()).await?;
        if Reflect::get(&result, &done)?.is_truthy() {
            return Ok(body);
        }
        let chunk: js_sys::Uint8Array = Reflect::get(&result, &value)?.dyn_into()?;
        let start = body.len();
        body.resize(start + chunk.length() as usize, 0);
        if let Some(room) = body.get_mut(start..) {
            chunk.copy_to(room);
        }
    }
}

/// `message` with each secret replaced by `[redacted]`.
pub(super) fn without_secrets(mut message: String, secrets: [Option<&str>; 2]) -> String {
    for s in secrets.into_iter().flatten().filter(|s| !s.is_empty()) {
        if message.contains(s) {
            message = message.replace(s, "[redacted]");
        }
    }
    message
}

/// A `RequestInit` with the method, the headers (through gloo-net's `Headers`) and
/// the attempt's own signal.
pub(super) fn request_init(method: &str, headers: &[(String, String)], signal: &AbortSignal) -> RequestInit {
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

pub(super) fn retry_headers(response: &Response) -> RetryHeaders {
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
            return Err(TransportError::Aborted { sent: false });
        }
        let controller = AbortController::new().map_err(|e| self.connection(&e))?;
        self.raced(self.attempt(request, &controller.signal()), &controller, request.timeout_ms).await
    }

    async fn sleep(&self, ms: f64) -> Result<(), TransportError> {
        if self.aborted() {
            return Err(TransportError::Aborted { sent: false });
        }
        match Deadline::start(ms, self.signal.as_ref()).wait().await {
            Ending::Elapsed => Ok(()),
            Ending::Aborted => Err(TransportError::Aborted { sent: false }),
        }
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}
