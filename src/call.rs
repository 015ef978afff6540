//! One call, from parameters to the decoded response, over any [`Transport`]: the
//! whole request logic (validation, wire format, retries, decoding) in plain Rust. The
//! WebAssembly binding supplies a transport built on `fetch`; tests supply a scripted
//! one.

use crate::api::{Call, Method};
pub use crate::config::{
    CallOptions, ClientConfig, DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, MAX_MAX_RETRIES,
};

use crate::error::Error;
use crate::protocol::{read_error_response, BASE_HEADERS};
use crate::retry::policy::{may_have_acted, Ended, Failure, Policy};
use crate::retry::{self, RetryHeaders};
use crate::schema::text::int_text;
use crate::schema::{self, Capture, ReadError, Setup};

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
pub fn prepare(config: &ClientConfig, call: &Call, options: &CallOptions) -> HttpRequest {
    let timeout_ms = options.timeout_ms.unwrap_or(config.timeout_ms);
    let mut headers: Vec<(String, String)> = BASE_HEADERS.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    headers.push(("connect-timeout-ms".into(), int_text(i64::from(timeout_ms))));
    if let Some(t) = &config.token {
        headers.push(("authorization".into(), String::from("Bearer ") + t));
    }
    for (k, v) in config.headers.iter().chain(options.headers.iter()) {
        headers.retain(|(existing, _)| existing != k);
        headers.push((k.clone(), v.clone()));
    }
    let path = call.method.path();
    let mut url = String::with_capacity(config.base_url.len() + path.len() + call.query.len());
    url.push_str(&config.base_url);
    url.push_str(&path);
    url.push_str(&call.query);
    HttpRequest { url, headers, body: call.body.clone(), timeout_ms }
}

fn decode_error(e: ReadError) -> Error {
    let mut message = String::new();
    if e.syntax {
        message.push_str("the body is not valid JSON (");
        message.push_str(&e.message);
        message.push(')');
    } else {
        message.push_str(if e.path.is_empty() { "(root)" } else { &e.path });
        message.push(' ');
        message.push_str(&e.message);
    }
    Error::Decode { message }
}

/// Reads a 2xx body as `method`'s response and writes it out canonically: every
/// field present, 64-bit integers as strings, snake_case keys as camelCase.
pub fn decode_success(method: Method, body: &str) -> Result<String, Error> {
    decode_captured(method, body, &[]).map(|ctx| ctx.out)
}

/// [`decode_success`], recording the values of `capture` (for the calls that read a
/// field of the answer: a watch, the log follower, the warm-pool read-back).
pub(crate) fn decode_captured(method: Method, body: &str, capture: &'static [Capture]) -> Result<schema::Ctx, Error> {
    // A UTF-8 byte-order mark is not part of the text (`Response.text()` drops it too).
    let body = body.strip_prefix('\u{feff}').unwrap_or(body);
    let setup = Setup { capture, stray: true, ..Setup::default() };
    let ctx = schema::read_text_repaired(method.response(), body, setup).map_err(decode_error)?;
    // A Connect error body under a success status (a confused proxy) is an error, not a
    // message whose fields are all absent.
    if let (Some(code), false) = (&ctx.stray_code, ctx.first_set) {
        let mut message = String::from("a success status with a Connect error body (");
        message.push_str(code);
        message.push_str(": ");
        message.push_str(ctx.stray_message.as_deref().unwrap_or_default());
        message.push(')');
        return Err(Error::Decode { message });
    }
    Ok(ctx)
}

/// A body as text, invalid UTF-8 read as U+FFFD (as `Response.text()` does). Valid
/// text, the usual case, is checked by `from_utf8`, much faster than the lossy reader.
fn text_of(body: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(body) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(body),
    }
}

/// Makes one call: sends, retries what is worth retrying (by the method's
/// [`Policy`]), and decodes. Returns the response message as canonical JSON text.
pub async fn call<T: Transport>(
    transport: &T,
    config: &ClientConfig,
    request: &Call,
    options: &CallOptions,
) -> Result<String, Error> {
    call_capturing(transport, config, request, options, &[]).await.map(|ctx| ctx.out)
}

/// [`call`], recording the values of `capture` in the answer.
pub(crate) async fn call_capturing<T: Transport>(
    transport: &T,
    config: &ClientConfig,
    request: &Call,
    options: &CallOptions,
    capture: &'static [Capture],
) -> Result<schema::Ctx, Error> {
    let policy = Policy::new(request.method, options.unsafe_retries);
    let ended = match attempts(transport, config, request, options, policy, capture).await {
        Ok(answer) => return Ok(answer),
        Err(ended) => ended,
    };
    if policy.looks_for_existing_warm_pool(&ended) {
        return existing_warm_pool::find(transport, config, options, request, ended.error, capture).await;
    }
    Err(policy.final_error(ended))
}

/// Sends a request until it succeeds, fails in a way `policy` does not retry, or runs
/// out of retries.
async fn attempts<T: Transport>(
    transport: &T,
    config: &ClientConfig,
    call: &Call,
    options: &CallOptions,
    policy: Policy,
    capture: &'static [Capture],
) -> Result<schema::Ctx, Ended> {
    let method = call.method;
    let request = prepare(config, call, options);
    let max_retries = options.max_retries.unwrap_or(config.max_retries);
    let mut retries = 0;
    let mut uncertain = false;
    let aborted = |uncertain| Ended { error: Error::Aborted, uncertain, withheld: false };
    loop {
        let failure = match transport.send(&request).await {
            Ok(response) if (200..300).contains(&response.status) => {
                match decode_captured(method, &text_of(&response.body), capture) {
                    Ok(answer) => return Ok(answer),
                    Err(error) => Failure::without_response(error),
                }
            }
            Ok(response) => {
                let read = read_error_response(response.status, &text_of(&response.body));
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
