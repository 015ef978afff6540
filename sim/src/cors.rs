//! CORS: the demo and browser tests may call the API from any origin. Credentials are
//! bearer tokens in a header, never cookies, so `*` is safe.

use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::Response;

use crate::respond::{with_body, Resp};

/// Request headers a browser may send; a preflight's own list is allowed too (the
/// official SDK adds `x-stainless-*` headers, and a dev server should not block them).
const ALLOWED_HEADERS: &str =
    "authorization, content-type, connect-protocol-version, connect-timeout-ms, x-sim-fault, x-sim-outcome";
/// Response headers a browser client needs to read to follow the retry rules.
const EXPOSED_HEADERS: &str = "retry-after, retry-after-ms, x-should-retry, content-length";

/// Adds the headers every response carries.
pub fn decorate<B>(resp: &mut Response<B>) {
    let h = resp.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(EXPOSED_HEADERS));
}

/// The answer to an `OPTIONS` preflight for a path that takes `methods`.
pub fn preflight(request_headers: &HeaderMap, methods: &'static str) -> Resp {
    let mut resp = with_body(204, "text/plain", "");
    let requested = request_headers
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .and_then(|v| v.to_str().ok())
        .map(|list| {
            list.split(',')
                .map(str::trim)
                .filter(|name| {
                    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                })
                .map(str::to_ascii_lowercase)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let mut allowed = ALLOWED_HEADERS.to_string();
    for name in requested {
        if !ALLOWED_HEADERS.split(", ").any(|a| a == name) {
            allowed.push_str(", ");
            allowed.push_str(&name);
        }
    }
    let h = resp.headers_mut();
    h.remove(header::CONTENT_TYPE);
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static(methods));
    if let Ok(v) = HeaderValue::from_str(&allowed) {
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, v);
    }
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    decorate(&mut resp);
    resp
}
