//! One call, from parameters to the decoded response, over any [`Transport`]: the
//! whole request logic (validation, wire format, retries, decoding) in plain Rust. The
//! WebAssembly binding supplies a transport built on `fetch`; tests supply a scripted
//! one.

use crate::api::{
    Empty, ListPrebuildsResponse, ListWarmPoolsResponse, LogsTokenResponse, Method, PrebuildResponse, Request,
    WarmPoolResponse,
};
pub use crate::config::{
    CallOptions, ClientConfig, DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, MAX_MAX_RETRIES,
};
use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::error::Error;
use crate::protocol::{read_error_response, BASE_HEADERS};
use crate::retry::policy::{may_have_acted, Ended, Failure, Policy};
use crate::retry::{self, RetryHeaders};
use crate::wire::{self, ReadError};

mod existing_warm_pool;

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
    /// The caller aborted. `sent`: the attempt had already been handed over to be sent
    /// (to fetch), so the server may have received it and acted, as after a timeout.
    Aborted {
        /// Whether the request had been handed over before the abort.
        sent: bool,
    },
}

/// What a call needs from its platform: sending, sleeping, a clock and randomness.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// Sends one attempt, ending it with [`TransportError::Timeout`] after its timeout,
    /// and with [`TransportError::Aborted`] on the caller's abort (saying whether the
    /// request had been handed over by then).
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError>;
    /// Waits before a retry; the caller's abort ends the wait with an error.
    async fn sleep(&self, ms: f64) -> Result<(), TransportError>;
    /// The Unix time in milliseconds.
    fn now_ms(&self) -> f64;
    /// A uniform random number in `[0, 1)`.
    fn random(&self) -> f64;
}

/// Builds the first attempt of a validated request.
pub fn prepare(config: &ClientConfig, request: &Request, options: &CallOptions) -> HttpRequest {
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
    HttpRequest {
        url: format!("{}{}{}", config.base_url, request.method().path(), request.query()),
        headers,
        body: request.body(),
        timeout_ms,
    }
}

fn decode_error(e: ReadError) -> Error {
    let message = if e.syntax {
        format!("the body is not valid JSON ({})", e.message)
    } else {
        format!("{} {}", if e.path.is_empty() { "(root)" } else { &e.path }, e.message)
    };
    Error::Decode { message }
}

/// Reads a body as `T` and writes it out canonically.
fn canonical<'a, T: Deserialize<'a> + Serialize + Default>(body: &'a str) -> Result<String, ReadError> {
    let value: T = wire::from_str(body)?;
    serde_json::to_string(&value).map_err(|e| ReadError { path: String::new(), message: e.to_string(), syntax: false })
}

/// [`canonical`] for `method`'s response.
fn canonical_response(method: Method, body: &str) -> Result<String, ReadError> {
    match method {
        Method::CreatePrebuild | Method::GetPrebuild | Method::CancelPrebuild => {
            canonical::<PrebuildResponse<'_>>(body)
        }
        Method::ListPrebuilds => canonical::<ListPrebuildsResponse<'_>>(body),
        Method::CreatePrebuildLogsToken => canonical::<LogsTokenResponse<'_>>(body),
        Method::CreateWarmPool | Method::GetWarmPool | Method::UpdateWarmPool => {
            canonical::<WarmPoolResponse<'_>>(body)
        }
        Method::ListWarmPools => canonical::<ListWarmPoolsResponse<'_>>(body),
        Method::DeletePrebuild | Method::DeleteWarmPool => canonical::<Empty>(body),
    }
}

/// A Connect error body under a success status (a confused proxy): an error, not a
/// message whose fields are all absent. A body that opens with the expected field (as
/// servers write it: protobuf JSON in field order) or never mentions `"code"` is not
/// looked at, so a large page is not searched twice.
fn connect_error_under_success(body: &str, expected: Option<&str>) -> Option<Error> {
    let opens_with_expected = expected.is_some_and(|key| {
        let value = body
            .trim_start()
            .strip_prefix('{')
            .and_then(|r| r.trim_start().strip_prefix('"'))
            .and_then(|r| r.strip_prefix(key))
            .and_then(|r| r.strip_prefix('"'))
            .and_then(|r| r.trim_start().strip_prefix(':'))
            .map(str::trim_start);
        // `null` is the field left out, as if absent.
        value.is_some_and(|v| !v.starts_with("null"))
    });
    if opens_with_expected || !body.contains("\"code\"") {
        return None;
    }
    let top: BTreeMap<Cow<'_, str>, &RawValue> = serde_json::from_str(body).ok()?;
    let string = |key: &str| top.get(key).and_then(|raw| serde_json::from_str::<Cow<'_, str>>(raw.get()).ok());
    let code = string("code")?;
    if expected.is_some_and(|key| top.get(key).is_some_and(|v| v.get() != "null")) {
        return None;
    }
    let message = string("message").unwrap_or_default();
    Some(Error::Decode { message: format!("a success status with a Connect error body ({code}: {message})") })
}

/// Reads a 2xx body as `method`'s response and writes it out canonically: every
/// field present, 64-bit integers as strings, snake_case keys as camelCase.
pub fn decode_success(method: Method, body: &str) -> Result<String, Error> {
    // A UTF-8 byte-order mark is not part of the text (`Response.text()` drops it too).
    let body = body.strip_prefix('\u{feff}').unwrap_or(body);
    let expected = match method {
        Method::CreatePrebuild | Method::GetPrebuild | Method::CancelPrebuild => Some("prebuild"),
        Method::ListPrebuilds => Some("prebuilds"),
        Method::CreatePrebuildLogsToken => Some("accessToken"),
        Method::CreateWarmPool | Method::GetWarmPool | Method::UpdateWarmPool => Some("warmPool"),
        Method::ListWarmPools => Some("warmPools"),
        Method::DeletePrebuild | Method::DeleteWarmPool => None,
    };
    if let Some(e) = connect_error_under_success(body, expected) {
        return Err(e);
    }
    match canonical_response(method, body) {
        Ok(text) => Ok(text),
        Err(e) => match wire::repaired(body, &e) {
            Some(fixed) => canonical_response(method, &fixed).map_err(decode_error),
            None => Err(decode_error(e)),
        },
    }
}

/// Makes one call: sends, retries what is worth retrying (by the method's
/// [`Policy`]), and decodes. Returns the response message as canonical JSON text.
pub async fn call<T: Transport>(
    transport: &T,
    config: &ClientConfig,
    request: &Request,
    options: &CallOptions,
) -> Result<String, Error> {
    let policy = Policy::new(request.method(), options.unsafe_retries);
    let ended = match attempts(transport, config, request, options, policy).await {
        Ok(text) => return Ok(text),
        Err(ended) => ended,
    };
    match request {
        Request::CreateWarmPool(create) if policy.looks_for_existing_warm_pool(&ended) => {
            existing_warm_pool::find(transport, config, options, create, ended.error).await
        }
        _ => Err(policy.final_error(ended)),
    }
}

/// Sends a request until it succeeds, fails in a way `policy` does not retry, or runs
/// out of retries.
async fn attempts<T: Transport>(
    transport: &T,
    config: &ClientConfig,
    request: &Request,
    options: &CallOptions,
    policy: Policy,
) -> Result<String, Ended> {
    let method = request.method();
    let request = prepare(config, request, options);
    let max_retries = options.max_retries.unwrap_or(config.max_retries);
    let mut retries = 0;
    let mut uncertain = false;
    let aborted = |uncertain| Ended { error: Error::Aborted, uncertain, withheld: false };
    loop {
        let failure = match transport.send(&request).await {
            Ok(response) if (200..300).contains(&response.status) => {
                match decode_success(method, &String::from_utf8_lossy(&response.body)) {
                    Ok(text) => return Ok(text),
                    Err(error) => Failure::without_response(error),
                }
            }
            Ok(response) => {
                let read = read_error_response(response.status, &String::from_utf8_lossy(&response.body));
                Failure { error: read.error, code_in_body: read.code_in_body, headers: response.retry }
            }
            Err(TransportError::Aborted { sent }) => return Err(aborted(uncertain || sent)),
            Err(TransportError::Timeout) => {
                Failure::without_response(Error::Timeout { timeout_ms: request.timeout_ms })
            }
            Err(TransportError::Connection(message)) => Failure::without_response(Error::Connection { message }),
        };
        uncertain |= may_have_acted(&failure);
        if retries >= max_retries || !policy.retries(&failure) {
            let withheld = retries < max_retries && retry::is_retryable(&failure.error, &failure.headers);
            return Err(Ended { error: failure.error, uncertain, withheld });
        }
        let wait = retry::delay_ms(retries, &failure.headers, transport.now_ms(), transport.random());
        if transport.sleep(wait).await.is_err() {
            return Err(aborted(uncertain));
        }
        retries += 1;
    }
}
