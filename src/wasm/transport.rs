//! A [`Transport`] over `fetch`, `setTimeout` and the caller's AbortSignal, through the
//! small JavaScript module `io.js`.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::call::{HttpRequest, HttpResponse, Transport, TransportError};
use crate::retry::RetryHeaders;

#[wasm_bindgen(module = "/src/wasm/io.js")]
extern "C" {
    fn send(fetch: &JsValue, url: &str, header_lines: &str, body: &str, timeout_ms: u32, signal: &JsValue) -> Promise;
    fn sleep(ms: f64, signal: &JsValue) -> Promise;

    /// What `send` resolves with.
    type Reply;
    #[wasm_bindgen(method, getter)]
    fn status(this: &Reply) -> u16;
    #[wasm_bindgen(method, getter)]
    fn body(this: &Reply) -> Vec<u8>;
    #[wasm_bindgen(method, getter, js_name = shouldRetry)]
    fn should_retry(this: &Reply) -> Option<String>;
    #[wasm_bindgen(method, getter, js_name = retryAfterMs)]
    fn retry_after_ms(this: &Reply) -> Option<String>;
    #[wasm_bindgen(method, getter, js_name = retryAfter)]
    fn retry_after(this: &Reply) -> Option<String>;

    /// What `send` and `sleep` reject with.
    type Failure;
    #[wasm_bindgen(method, getter)]
    fn kind(this: &Failure) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn message(this: &Failure) -> Option<String>;
}

/// Sends through a fetch function (the client's, or the global one when undefined).
pub(crate) struct FetchTransport {
    pub(crate) fetch: JsValue,
    pub(crate) signal: JsValue,
}

fn failure(e: JsValue) -> TransportError {
    let f: Failure = e.unchecked_into();
    match f.kind().as_deref() {
        Some("abort") => TransportError::Aborted,
        Some("timeout") => TransportError::Timeout,
        _ => TransportError::Connection(f.message().unwrap_or_else(|| "the request failed".into())),
    }
}

impl Transport for FetchTransport {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut lines = String::new();
        for (k, v) in &request.headers {
            lines.push_str(k);
            lines.push('\n');
            lines.push_str(v);
            lines.push('\n');
        }
        let promise = send(&self.fetch, &request.url, &lines, &request.body, request.timeout_ms, &self.signal);
        let reply: Reply = JsFuture::from(promise).await.map_err(failure)?.unchecked_into();
        Ok(HttpResponse {
            status: reply.status(),
            body: reply.body(),
            retry: RetryHeaders {
                should_retry: reply.should_retry(),
                retry_after_ms: reply.retry_after_ms(),
                retry_after: reply.retry_after(),
            },
        })
    }

    async fn sleep(&self, ms: f64) -> Result<(), TransportError> {
        JsFuture::from(sleep(ms, &self.signal)).await.map(|_| ()).map_err(failure)
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}
