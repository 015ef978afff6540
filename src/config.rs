//! A client's settings and a call's options, read from the JavaScript options objects
//! and checked once: base URL (and whether a token may travel over it), token,
//! timeouts, retries (and a create's opt-in to unsafe ones) and extra headers.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::api::read_error;
use crate::error::Error;
use crate::validate;
use crate::wire::{self, Params, ReadError, Scalar, WithTextFallback};

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

/// `ClientOptions` as JavaScript passes them (`fetch` is used by the binding).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClientOptions {
    #[serde(default, alias = "base_url", deserialize_with = "wire::opt_string")]
    base_url: Option<String>,
    #[serde(default, deserialize_with = "token")]
    token: Option<String>,
    #[serde(default, alias = "timeout_ms", deserialize_with = "wire::opt_int32")]
    timeout_ms: Option<i32>,
    #[serde(default, alias = "max_retries", deserialize_with = "wire::opt_int32")]
    max_retries: Option<i32>,
    #[serde(default, rename = "fetch", deserialize_with = "ignored")]
    _fetch: (),
    #[serde(default, deserialize_with = "headers")]
    headers: Vec<(String, String)>,
    #[serde(default, alias = "allow_insecure_http", deserialize_with = "flag")]
    allow_insecure_http: bool,
}

/// `RequestOptions` as JavaScript passes them (`signal` is used by the binding).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RequestOptions {
    #[serde(default, rename = "signal", deserialize_with = "ignored")]
    _signal: (),
    #[serde(default, alias = "timeout_ms", deserialize_with = "wire::opt_int32")]
    timeout_ms: Option<i32>,
    #[serde(default, alias = "max_retries", deserialize_with = "wire::opt_int32")]
    max_retries: Option<i32>,
    #[serde(default, deserialize_with = "headers")]
    headers: Vec<(String, String)>,
    #[serde(default, alias = "unsafe_retries", deserialize_with = "flag")]
    unsafe_retries: bool,
}

/// A value that only the binding layer reads (a function, an AbortSignal).
fn ignored<'de, D: Deserializer<'de>>(d: D) -> Result<(), D::Error> {
    IgnoredAny::deserialize(d).map(|_| ())
}

fn token<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    wire::read_with(d, |value| match value {
        Scalar::Null => Ok(None),
        Scalar::Str(t) if t.is_empty() => Ok(None),
        Scalar::Str(t) if t.bytes().any(|b| b < 0x20 || b == 0x7f) => {
            Err("must not contain control characters or line breaks".into())
        }
        Scalar::Str(t) => Ok(Some(t.into_owned())),
        _ => Err("must be a string".into()),
    })
}

fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    wire::read_with(d, |value| match value {
        Scalar::Null => Ok(false),
        Scalar::Bool(b) => Ok(b),
        _ => Err("must be true or false".into()),
    })
}

fn is_header_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn not_headers<E: de::Error>() -> E {
    E::custom("must be an object of header names to string values")
}

/// Header names (lowercased) and values; `null` values are left out.
fn headers<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
    struct HeadersVisitor;
    impl<'de> Visitor<'de> for HeadersVisitor {
        type Value = Vec<(String, String)>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object of header names to string values")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Err(not_headers())
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Err(not_headers())
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Err(not_headers())
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Err(not_headers())
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Err(not_headers())
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(not_headers())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(name) = map.next_key::<String>()? {
                // Checked inside the value's read, so that the error's path ends in the name.
                if let Some(value) = map.next_value_seed(HeaderSeed(&name))? {
                    out.push((name.to_ascii_lowercase(), value));
                }
            }
            Ok(out)
        }
    }
    /// One header's value; `null` leaves the header out.
    struct HeaderSeed<'n>(&'n str);
    impl<'de> DeserializeSeed<'de> for HeaderSeed<'_> {
        type Value = Option<String>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
            let name_ok = is_header_name(self.0);
            wire::read_with(d, |value| match value {
                _ if !name_ok => Err("is not a valid HTTP header name".into()),
                Scalar::Null => Ok(None),
                Scalar::Str(v) if v.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) => {
                    Err("must not contain line breaks".into())
                }
                Scalar::Str(v) => Ok(Some(v.into_owned())),
                _ => Err("must be a string".into()),
            })
        }
    }
    d.deserialize_any(HeadersVisitor)
}

/// A misspelt option is named as `options.<name>`, so that it is not taken for a
/// request parameter; every other problem names the option itself.
fn option_error(mut e: ReadError) -> Error {
    if e.message.starts_with("is not a known field") {
        e.path.insert_str(0, "options.");
    }
    read_error(e)
}

fn check_timeout(ms: Option<i32>) -> Result<Option<u32>, Error> {
    match ms {
        Some(ms) if ms >= 1 => Ok(Some(ms.unsigned_abs())),
        Some(ms) => Err(Error::validation(
            "timeoutMs",
            format!("must be a whole number of milliseconds from 1 to 2147483647, got {ms}"),
        )),
        None => Ok(None),
    }
}

fn check_max_retries(n: Option<i32>) -> Result<Option<u32>, Error> {
    match n {
        Some(n) if (0..=MAX_MAX_RETRIES as i32).contains(&n) => Ok(Some(n.unsigned_abs())),
        Some(n) => Err(Error::validation("maxRetries", format!("must be from 0 to {MAX_MAX_RETRIES}, got {n}"))),
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
    pub fn read<P: Params>(options: P) -> Result<ClientConfig, Error> {
        let o: ClientOptions = options.read().map_err(option_error)?;
        let base_url = o.base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
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
        if o.token.is_some() && !secure && !o.allow_insecure_http && !is_loopback_host(after_scheme) {
            return Err(Error::validation(
                "baseUrl",
                "uses plain http:// to a host that is not this machine, which would expose the token; use https://, or set allowInsecureHttp: true",
            ));
        }
        Ok(ClientConfig {
            token: o.token,
            timeout_ms: check_timeout(o.timeout_ms)?.unwrap_or(DEFAULT_TIMEOUT_MS),
            max_retries: check_max_retries(o.max_retries)?.unwrap_or(DEFAULT_MAX_RETRIES),
            headers: o.headers,
            base_url,
        })
    }

    /// [`ClientConfig::read`] from a `serde_json::Value`.
    pub fn from_value(options: &serde_json::Value) -> Result<ClientConfig, Error> {
        ClientConfig::read(WithTextFallback(options, || Some(options.to_string())))
    }
}

impl CallOptions {
    /// Reads and checks per-call options (the JavaScript `RequestOptions`); `null`
    /// reads as `{}`.
    pub fn read<P: Params>(options: P) -> Result<CallOptions, Error> {
        let o: RequestOptions = options.read().map_err(option_error)?;
        Ok(CallOptions {
            timeout_ms: check_timeout(o.timeout_ms)?,
            max_retries: check_max_retries(o.max_retries)?,
            headers: o.headers,
            unsafe_retries: o.unsafe_retries,
        })
    }

    /// [`CallOptions::read`] from a `serde_json::Value`.
    pub fn from_value(options: &serde_json::Value) -> Result<CallOptions, Error> {
        CallOptions::read(WithTextFallback(options, || Some(options.to_string())))
    }
}
