//! One call, from parameters to the decoded response, over any [`Transport`]: the
//! whole request logic (validation, wire format, retries, decoding) in plain Rust. The
//! WebAssembly binding supplies a transport built on `fetch`; tests supply a scripted
//! one.

use crate::api::{
    ListPrebuildsResponse, ListWarmPoolsResponse, LogsTokenResponse, Method, PrebuildResponse, Request,
    WarmPoolResponse,
};
pub use crate::config::{
    CallOptions, ClientConfig, DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, MAX_MAX_RETRIES,
};
use crate::error::Error;
use crate::json::{Json, Obj, ToJson};
use crate::protocol::{error_from_response, BASE_HEADERS};
use crate::retry::{self, RetryHeaders};

/// One HTTP attempt, ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    /// The full URL, query included.
    pub url: String,
    /// Header names (lowercase) and values; includes the token.
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: String,
    /// How long this attempt may take, reading the body included.
    pub timeout_ms: u32,
}

/// What came back from one attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The whole body, as bytes: one copy into WebAssembly memory, and invalid UTF-8
    /// read as U+FFFD, as `Response.text()` would.
    pub body: Vec<u8>,
    /// The headers that steer retries.
    pub retry: RetryHeaders,
}

/// Why an attempt got no response.
#[derive(Debug, Clone, PartialEq)]
pub enum TransportError {
    /// The network failed (refused, reset, DNS, CORS...).
    Connection(String),
    /// The attempt's timeout ran out.
    Timeout,
    /// The caller aborted.
    Aborted,
}

/// What a call needs from its platform: sending, sleeping, a clock and randomness.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// Sends one attempt, ending it with [`TransportError::Timeout`] after its timeout.
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError>;
    /// Waits before a retry; the caller's abort ends the wait with an error.
    async fn sleep(&self, ms: f64) -> Result<(), TransportError>;
    /// The Unix time in milliseconds.
    fn now_ms(&self) -> f64;
    /// A uniform random number in `[0, 1)`.
    fn random(&self) -> f64;
}

/// Validates `params` for `method` and builds the first attempt.
pub fn prepare(
    config: &ClientConfig,
    method: Method,
    params: &Json<'_>,
    options: &CallOptions,
) -> Result<HttpRequest, Error> {
    let request = Request::parse(method, params)?;
    let timeout_ms = options.timeout_ms.unwrap_or(config.timeout_ms);
    let mut headers: Vec<(String, String)> = BASE_HEADERS.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    headers.push(("connect-timeout-ms".into(), timeout_ms.to_string()));
    if let Some(t) = &config.token {
        headers.push(("authorization".into(), format!("Bearer {t}")));
    }
    for (k, v) in config.headers.iter().chain(options.headers.iter()) {
        headers.retain(|(existing, _)| existing != k);
        headers.push((k.clone(), v.clone()));
    }
    Ok(HttpRequest {
        url: format!("{}{}{}", config.base_url, method.path(), request.query()),
        headers,
        body: request.body(),
        timeout_ms,
    })
}

/// Reads a 2xx body as `method`'s response and writes it out canonically: every
/// field present, 64-bit integers as strings, snake_case keys as camelCase.
pub fn decode_success(method: Method, body: &str) -> Result<String, Error> {
    let value =
        Json::parse(body).map_err(|e| Error::Decode { message: format!("the body is not valid JSON ({e})") })?;
    let o = Obj::new(&value, "").map_err(|e| Error::Decode { message: format!("{} {}", e.path, e.message) })?;
    let expected = match method {
        Method::CreatePrebuild | Method::GetPrebuild | Method::CancelPrebuild => Some("prebuild"),
        Method::ListPrebuilds => Some("prebuilds"),
        Method::CreatePrebuildLogsToken => Some("accessToken"),
        Method::CreateWarmPool | Method::GetWarmPool | Method::UpdateWarmPool => Some("warmPool"),
        Method::ListWarmPools => Some("warmPools"),
        Method::DeletePrebuild | Method::DeleteWarmPool => None,
    };
    // A Connect error body under a success status (a confused proxy) is an error, not
    // a message whose fields are all absent.
    if let Some(Json::String(code)) = o.get("code") {
        if expected.is_none_or(|key| o.get(key).is_none()) {
            let message = o.get("message").and_then(Json::as_str).unwrap_or_default();
            return Err(Error::Decode {
                message: format!("a success status with a Connect error body ({code}: {message})"),
            });
        }
    }
    // The canonical form is about as long as what came in: one allocation, no regrowth.
    let mut out = String::with_capacity(body.len() + body.len() / 4 + 16);
    let decoded = match method {
        Method::CreatePrebuild | Method::GetPrebuild | Method::CancelPrebuild => {
            PrebuildResponse::decode(&o).map(|r| r.write_json(&mut out))
        }
        Method::ListPrebuilds => ListPrebuildsResponse::decode(&o).map(|r| r.write_json(&mut out)),
        Method::CreatePrebuildLogsToken => LogsTokenResponse::decode(&o).map(|r| r.write_json(&mut out)),
        Method::CreateWarmPool | Method::GetWarmPool | Method::UpdateWarmPool => {
            WarmPoolResponse::decode(&o).map(|r| r.write_json(&mut out))
        }
        Method::ListWarmPools => ListWarmPoolsResponse::decode(&o).map(|r| r.write_json(&mut out)),
        Method::DeletePrebuild | Method::DeleteWarmPool => {
            out.push_str("{}");
            Ok(())
        }
    };
    decoded.map(|()| out).map_err(|e| Error::Decode { message: format!("{} {}", e.path, e.message) })
}

/// Makes one call: validates, sends, retries what is worth retrying, and decodes.
/// Returns the response message as canonical JSON text.
pub async fn call<T: Transport>(
    transport: &T,
    config: &ClientConfig,
    method: Method,
    params: &Json<'_>,
    options: &CallOptions,
) -> Result<String, Error> {
    let request = prepare(config, method, params, options)?;
    let max_retries = options.max_retries.unwrap_or(config.max_retries);
    let mut retries = 0;
    loop {
        let (error, headers) = match transport.send(&request).await {
            Ok(response) if (200..300).contains(&response.status) => {
                return decode_success(method, &String::from_utf8_lossy(&response.body))
            }
            Ok(response) => {
                (error_from_response(response.status, &String::from_utf8_lossy(&response.body)), response.retry)
            }
            Err(TransportError::Aborted) => return Err(Error::Aborted),
            Err(TransportError::Timeout) => {
                (Error::Timeout { timeout_ms: request.timeout_ms }, RetryHeaders::default())
            }
            Err(TransportError::Connection(message)) => (Error::Connection { message }, RetryHeaders::default()),
        };
        if retries >= max_retries || !retry::is_retryable(&error, &headers) {
            return Err(error);
        }
        let wait = retry::delay_ms(retries, &headers, transport.now_ms(), transport.random());
        if transport.sleep(wait).await.is_err() {
            return Err(Error::Aborted);
        }
        retries += 1;
    }
}
