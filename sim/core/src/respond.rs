//! Building answers: JSON, Connect errors, plain text.

use gitpod_prebuilds::protocol::{error_body, Code};

use crate::message::Answer;

/// An answer with this status, content type and body.
pub fn with_body(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Answer {
    Answer::full(status, content_type, body)
}

/// A JSON answer.
pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Answer {
    with_body(status, "application/json", body)
}

/// A Connect error: the code's HTTP status and `{"code": ..., "message": ...}`.
pub fn error(code: &Code, message: &str) -> Answer {
    json(code.http_status(), error_body(code, message))
}

/// A Connect error with a status other than the code's own (405, for one).
pub fn error_with_status(status: u16, code: &Code, message: &str) -> Answer {
    json(status, error_body(code, message))
}

/// Plain text.
pub fn text(status: u16, body: &'static str) -> Answer {
    with_body(status, "text/plain; charset=utf-8", body)
}
