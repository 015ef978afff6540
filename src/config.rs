//! A client's settings and a call's options, read from the JavaScript options objects
//! and checked once: base URL (and whether a token may travel over it), token,
//! timeouts, retries (and a create's opt-in to unsafe ones) and extra headers.

use crate::api::read_error;
use crate::error::Error;
use crate::schema::text::{parse_i64, push_i64};
use crate::schema::{messages, Ctx, Setup, Source};
use crate::validate;

/// The public API's base URL.
pub const DEFAULT_BASE_URL: &str = "https://app.gitpod.io/api";
/// The per-attempt timeout when none is set.
pub const DEFAULT_TIMEOUT_MS: u32 = 60_000;
/// Retries after the first attempt when none is set.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The most retries a caller may ask for.
pub const MAX_MAX_RETRIES: u32 = 10;

/// A client's settings, checked once when the client is made.
#[derive(Clone, PartialEq)]
pub struct ClientConfig {
    /// The API's base URL, without a trailing slash.
    pub base_url: String,
    /// The bearer token, if any. Never printed.
    pub token: Option<String>,
    /// Per-attempt timeout.
    pub timeout_ms: u32,
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Headers added to every request.
    pub headers: Vec<(String, String)>,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("timeout_ms", &self.timeout_ms)
            .field("max_retries", &self.max_retries)
            .field("headers", &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .finish()
    }
}

/// Per-call settings that override the client's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallOptions {
    /// Per-attempt timeout for this call.
    pub timeout_ms: Option<u32>,
    /// Retries for this call.
    pub max_retries: Option<u32>,
    /// Headers for this call, added after (and so winning over) the client's.
    pub headers: Vec<(String, String)>,
    /// Retry a createPrebuild by the plain rules, even after a failure the server may
    /// have acted on (a retry may then start a second prebuild).
    pub unsafe_retries: bool,
}

/// How options objects are read: by the schema, every value recorded, rules on.
const OPTIONS: Setup = Setup { rules: true, record_top: true, null_root: true, capture: &[], stray: false };

/// The headers recorded from an options object, in order.
fn headers(o: &Ctx) -> Vec<(String, String)> {
    o.records.iter().filter(|r| !r.key.is_empty()).map(|r| (r.key.clone(), r.value.clone())).collect()
}

fn int_option(o: &Ctx, json: &str) -> Option<i64> {
    o.value(json).and_then(parse_i64)
}

fn check_timeout(ms: Option<i64>) -> Result<Option<u32>, Error> {
    match ms {
        Some(ms) if ms >= 1 => Ok(u32::try_from(ms).ok()),
        Some(ms) => {
            let mut m = String::from("must be a whole number of milliseconds from 1 to 2147483647, got ");
            push_i64(&mut m, ms);
            Err(Error::validation("timeoutMs", m))
        }
        None => Ok(None),
    }
}

fn check_max_retries(n: Option<i64>) -> Result<Option<u32>, Error> {
    match n {
        Some(n) if (0..=i64::from(MAX_MAX_RETRIES)).contains(&n) => Ok(u32::try_from(n).ok()),
        Some(n) => Err(Error::validation("maxRetries", validate::out_of_range(0, MAX_MAX_RETRIES as i32, n))),
        None => Ok(None),
    }
}

/// Whether a URL's host is this machine (where plain `http://` cannot be overheard).
fn is_loopback_host(url_after_scheme: &str) -> bool {
    // As fetch parses URLs (WHATWG): `\` ends the authority like `/` does.
    let authority = url_after_scheme.split(['/', '?', '#', '\\']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(rest) = host_port.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    let host = host.to_ascii_lowercase();
    host == "localhost" || host.ends_with(".localhost") || host == "::1" || {
        let parts: Vec<&str> = host.split('.').collect();
        parts.len() == 4 && parts.first() == Some(&"127") && parts.iter().all(|p| p.parse::<u8>().is_ok())
    }
}

impl ClientConfig {
    /// Reads and checks client options (the JavaScript `ClientOptions`); `null` reads
    /// as `{}`.
    pub fn read<S: Source>(options: S) -> Result<ClientConfig, Error> {
        let o = options.read(&messages::CLIENT_OPTIONS, OPTIONS).map_err(read_error)?;
        let base_url = o.value("baseUrl").unwrap_or(DEFAULT_BASE_URL).trim_end_matches('/').to_string();
        let token = o.value("token").map(str::to_string);
        let rest = base_url
            .strip_prefix("https://")
            .map(|r| (r, true))
            .or_else(|| base_url.strip_prefix("http://").map(|r| (r, false)));
        let Some((after_scheme, secure)) = rest.filter(|(r, _)| !r.is_empty() && !r.starts_with('/')) else {
            let mut m = String::from("must be an absolute http:// or https:// URL such as \"");
            m.push_str(DEFAULT_BASE_URL);
            m.push_str("\", got ");
            m.push_str(&validate::quoted(&base_url));
            return Err(Error::validation("baseUrl", m));
        };
        let allow_insecure_http = o.value("allowInsecureHttp") == Some("true");
        if token.is_some() && !secure && !allow_insecure_http && !is_loopback_host(after_scheme) {
            return Err(Error::validation(
                "baseUrl",
                "uses plain http:// to a host that is not this machine, which would expose the token; use https://, or set allowInsecureHttp: true",
            ));
        }
        Ok(ClientConfig {
            timeout_ms: check_timeout(int_option(&o, "timeoutMs"))?.unwrap_or(DEFAULT_TIMEOUT_MS),
            max_retries: check_max_retries(int_option(&o, "maxRetries"))?.unwrap_or(DEFAULT_MAX_RETRIES),
            headers: headers(&o),
            token,
            base_url,
        })
    }

    /// [`ClientConfig::read`] from a `serde_json::Value`.
    pub fn from_value(options: &serde_json::Value) -> Result<ClientConfig, Error> {
        ClientConfig::read(options)
    }
}

impl CallOptions {
    /// Reads and checks per-call options (the JavaScript `RequestOptions`); `null`
    /// reads as `{}`.
    pub fn read<S: Source>(options: S) -> Result<CallOptions, Error> {
        let o = options.read(&messages::REQUEST_OPTIONS, OPTIONS).map_err(read_error)?;
        Ok(CallOptions {
            timeout_ms: check_timeout(int_option(&o, "timeoutMs"))?,
            max_retries: check_max_retries(int_option(&o, "maxRetries"))?,
            headers: headers(&o),
            unsafe_retries: o.value("unsafeRetries") == Some("true"),
        })
    }

    /// [`CallOptions::read`] from a `serde_json::Value`.
    pub fn from_value(options: &serde_json::Value) -> Result<CallOptions, Error> {
        CallOptions::read(options)
    }
}
