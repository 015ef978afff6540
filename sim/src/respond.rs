//! Building responses: JSON, Connect errors, plain text.

use bytes::Bytes;
use gitpod_prebuilds::protocol::{error_body, Code};
use http_body_util::Full;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Response, StatusCode};

/// The one response type of the server: whole bodies, never streamed.
pub type Resp = Response<Full<Bytes>>;

/// A response with this status, content type and body.
pub fn with_body(status: u16, content_type: &'static str, body: impl Into<Bytes>) -> Resp {
    let mut resp = Response::new(Full::new(body.into()));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

/// A JSON response.
pub fn json(status: u16, body: impl Into<Bytes>) -> Resp {
    with_body(status, "application/json", body)
}

/// A Connect error: the code's HTTP status and `{"code": ..., "message": ...}`.
pub fn error(code: &Code, message: &str) -> Resp {
    json(code.http_status(), error_body(code, message))
}

/// A Connect error with a status other than the code's own (405, for one).
pub fn error_with_status(status: u16, code: &Code, message: &str) -> Resp {
    json(status, error_body(code, message))
}

/// Plain text.
pub fn text(status: u16, body: &'static str) -> Resp {
    with_body(status, "text/plain; charset=utf-8", body)
}
