//! A client's settings and a call's options, read from the JavaScript options objects
//! and checked once: base URL (and whether a token may travel over it), token,
//! timeouts, retries and extra headers.

use crate::error::Error;
use crate::json::{FieldError, Json, Obj};
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
}

fn field(e: FieldError) -> Error {
    Error::validation(e.path, e.message)
}

fn read_timeout(o: &Obj<'_>) -> Result<Option<u32>, Error> {
    match o.int32("timeoutMs").map_err(field)? {
        Some(ms) if ms >= 1 => Ok(Some(ms as u32)),
        Some(ms) => Err(Error::validation(
            "timeoutMs",
            format!("must be a whole number of milliseconds from 1 to 2147483647, got {ms}"),
        )),
        None => Ok(None),
    }
}

fn read_max_retries(o: &Obj<'_>) -> Result<Option<u32>, Error> {
    match o.int32("maxRetries").map_err(field)? {
        Some(n) if (0..=MAX_MAX_RETRIES as i32).contains(&n) => Ok(Some(n as u32)),
        Some(n) => Err(Error::validation("maxRetries", format!("must be from 0 to {MAX_MAX_RETRIES}, got {n}"))),
        None => Ok(None),
    }
}

fn is_header_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn read_headers(o: &Obj<'_>) -> Result<Vec<(String, String)>, Error> {
    let map = match o.get("headers") {
        None => return Ok(Vec::new()),
        Some(Json::Object(map)) => map,
        Some(_) => return Err(Error::validation("headers", "must be an object of header names to string values")),
    };
    let mut out = Vec::with_capacity(map.len());
    for (name, value) in map {
        let path = format!("headers.{name}");
        if !is_header_name(name) {
            return Err(Error::validation(path, "is not a valid HTTP header name"));
        }
        match value {
            Json::String(v) if !v.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) => {
                out.push((name.to_ascii_lowercase(), v.to_string()))
            }
            Json::String(_) => return Err(Error::validation(path, "must not contain line breaks")),
            Json::Null => {}
            _ => return Err(Error::validation(path, "must be a string")),
        }
    }
    Ok(out)
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
    /// Reads and checks client options (the JavaScript `ClientOptions`, as JSON).
    pub fn from_options(options: &Json<'_>) -> Result<ClientConfig, Error> {
        let empty = Json::empty_object();
        let options = if options.is_null() { &empty } else { options };
        let o = Obj::new(options, "options").map_err(field)?;
        o.deny_unknown(&["baseUrl", "token", "timeoutMs", "maxRetries", "fetch", "headers", "allowInsecureHttp"])
            .map_err(field)?;
        let base_url = o.string("baseUrl").map_err(field)?.unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        let base_url = base_url.trim_end_matches('/').to_string();
        let rest = base_url
            .strip_prefix("https://")
            .map(|r| (r, true))
            .or_else(|| base_url.strip_prefix("http://").map(|r| (r, false)));
        let Some((after_scheme, secure)) = rest.filter(|(r, _)| !r.is_empty() && !r.starts_with('/')) else {
            return Err(Error::validation(
                "baseUrl",
                format!(
                    "must be an absolute http:// or https:// URL such as \"{DEFAULT_BASE_URL}\", got {}",
                    validate::quoted(&base_url)
                ),
            ));
        };
        let token = match o.get("token") {
            None => None,
            Some(Json::String(t)) if t.is_empty() => None,
            Some(Json::String(t)) if t.bytes().any(|b| b < 0x20 || b == 0x7f) => {
                return Err(Error::validation("token", "must not contain control characters or line breaks"))
            }
            Some(Json::String(t)) => Some(t.to_string()),
            Some(_) => return Err(Error::validation("token", "must be a string")),
        };
        let allow_insecure = match o.get("allowInsecureHttp") {
            None => false,
            Some(Json::Bool(b)) => *b,
            Some(_) => return Err(Error::validation("allowInsecureHttp", "must be true or false")),
        };
        if token.is_some() && !secure && !allow_insecure && !is_loopback_host(after_scheme) {
            return Err(Error::validation(
                "baseUrl",
                "uses plain http:// to a host that is not this machine, which would expose the token; use https://, or set allowInsecureHttp: true",
            ));
        }
        Ok(ClientConfig {
            base_url,
            token,
            timeout_ms: read_timeout(&o)?.unwrap_or(DEFAULT_TIMEOUT_MS),
            max_retries: read_max_retries(&o)?.unwrap_or(DEFAULT_MAX_RETRIES),
            headers: read_headers(&o)?,
        })
    }
}

impl CallOptions {
    /// Reads and checks per-call options (the JavaScript `RequestOptions`, as JSON;
    /// `signal` is handled by the binding).
    pub fn from_options(options: &Json<'_>) -> Result<CallOptions, Error> {
        if options.is_null() {
            return Ok(CallOptions::default());
        }
        let o = Obj::new(options, "options").map_err(field)?;
        o.deny_unknown(&["signal", "timeoutMs", "maxRetries", "headers"]).map_err(field)?;
        Ok(CallOptions {
            timeout_ms: read_timeout(&o)?,
            max_retries: read_max_retries(&o)?,
            headers: read_headers(&o)?,
        })
    }
}
