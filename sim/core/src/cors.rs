//! CORS: the demo and browser tests may call the API from any origin. Credentials are
//! bearer tokens in a header, never cookies, so `*` is safe.

use crate::message::{Answer, Headers, SimRequest};
use crate::respond::with_body;

/// Request headers a browser may send; a preflight's own list is allowed too (the
/// official SDK adds `x-stainless-*` headers, and a dev server should not block them).
const ALLOWED_HEADERS: &str =
    "authorization, content-type, connect-protocol-version, connect-timeout-ms, x-sim-fault, x-sim-outcome";
/// Response headers a browser client needs to read to follow the retry rules.
const EXPOSED_HEADERS: &str = "retry-after, retry-after-ms, x-should-retry, content-length";

/// Adds the headers every response carries (a server adds them to its own answers,
/// static files included).
pub fn decorate(headers: &mut Headers) {
    headers.insert("access-control-allow-origin", "*");
    headers.insert("access-control-expose-headers", EXPOSED_HEADERS);
}

/// The answer to an `OPTIONS` preflight for a path that takes `methods`.
pub(crate) fn preflight(request: &SimRequest, methods: &'static str) -> Answer {
    let mut resp = with_body(204, "text/plain", "");
    let requested = request
        .header_text("access-control-request-headers")
        .and_then(Result::ok)
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
    let h = &mut resp.headers;
    h.remove("content-type");
    h.insert("access-control-allow-methods", methods);
    h.insert("access-control-allow-headers", allowed);
    h.insert("access-control-max-age", "600");
    decorate(h);
    resp
}
