//! Streaming a GET's body (a prebuild's log) through fetch: the response's reader,
//! read chunk by chunk, each read raced against the idle limit and the caller's
//! signal.

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, ReadableStreamDefaultReader};

use super::deadline::{first, Deadline, Ending};
use super::transport::{error_text, request_init, retry_headers, without_secrets, FetchTransport};
use crate::call::TransportError;
use crate::follow::{BodyStream, StreamRequest, StreamResponse, StreamTransport};

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
    async fn chunk(&mut self, idle_ms: u32) -> Result<Option<Vec<u8>>, TransportError> {
        let Some(reader) = &self.reader else { return Ok(None) };
        if self.signal.as_ref().is_some_and(AbortSignal::aborted) {
            return Err(TransportError::Aborted { sent: true });
        }
        let mut idle = Deadline::start(f64::from(idle_ms), self.signal.as_ref());
        match first(JsFuture::from(reader.read()), idle.wait()).await {
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
            Ok(Err(_)) if self.signal.as_ref().is_some_and(AbortSignal::aborted) => {
                Err(TransportError::Aborted { sent: true })
            }
            Ok(Err(e)) => {
                let [token, secret] = &self.secrets;
                Err(TransportError::Connection(without_secrets(error_text(&e), [token.as_deref(), secret.as_deref()])))
            }
            Err(ending) => {
                // Nothing came for `idle_ms`, or the caller aborted: either way the
                // request is dropped, which frees its connection.
                self.controller.abort();
                Err(match ending {
                    Ending::Elapsed => TransportError::Timeout,
                    Ending::Aborted => TransportError::Aborted { sent: true },
                })
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
            return Err(TransportError::Aborted { sent: false });
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
