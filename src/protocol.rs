//! The Connect protocol's error side: codes, their HTTP statuses, and reading an error
//! response into an [`Error`].

use crate::error::Error;
use crate::schema::text::push_u64;
use crate::schema::{self, messages, reader, Setup};

/// A Connect error code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Code {
    /// The caller cancelled.
    Canceled,
    /// Unknown error.
    Unknown,
    /// Bad input.
    InvalidArgument,
    /// The deadline passed.
    DeadlineExceeded,
    /// No such resource.
    NotFound,
    /// The resource exists already.
    AlreadyExists,
    /// Not allowed.
    PermissionDenied,
    /// Rate limit or quota hit.
    ResourceExhausted,
    /// The system is not in a state for this.
    FailedPrecondition,
    /// A concurrency conflict.
    Aborted,
    /// Out of range.
    OutOfRange,
    /// Not implemented.
    Unimplemented,
    /// Internal error.
    Internal,
    /// Unavailable for now: try again.
    Unavailable,
    /// Unrecoverable data loss.
    DataLoss,
    /// No valid credentials.
    Unauthenticated,
    /// A code this client does not know, as sent.
    Other(String),
}

const CODES: [(Code, &str, u16); 16] = [
    (Code::Canceled, "canceled", 499),
    (Code::Unknown, "unknown", 500),
    (Code::InvalidArgument, "invalid_argument", 400),
    (Code::DeadlineExceeded, "deadline_exceeded", 504),
    (Code::NotFound, "not_found", 404),
    (Code::AlreadyExists, "already_exists", 409),
    (Code::PermissionDenied, "permission_denied", 403),
    (Code::ResourceExhausted, "resource_exhausted", 429),
    (Code::FailedPrecondition, "failed_precondition", 400),
    (Code::Aborted, "aborted", 409),
    (Code::OutOfRange, "out_of_range", 400),
    (Code::Unimplemented, "unimplemented", 501),
    (Code::Internal, "internal", 500),
    (Code::Unavailable, "unavailable", 503),
    (Code::DataLoss, "data_loss", 500),
    (Code::Unauthenticated, "unauthenticated", 401),
];

impl Code {
    /// The code for its wire name; an unknown name is kept.
    pub fn from_name(name: &str) -> Code {
        CODES
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(c, _, _)| c.clone())
            .unwrap_or_else(|| Code::Other(name.to_string()))
    }

    /// The wire name (`not_found`).
    pub fn as_str(&self) -> &str {
        match self {
            Code::Other(s) => s,
            known => CODES.iter().find(|(c, _, _)| c == known).map(|(_, n, _)| *n).unwrap_or("unknown"),
        }
    }

    /// The HTTP status a server answers with for this code.
    pub fn http_status(&self) -> u16 {
        CODES.iter().find(|(c, _, _)| c == self).map(|(_, _, s)| *s).unwrap_or(500)
    }

    /// The code implied by an HTTP status when the body names none.
    pub fn from_status(status: u16) -> Code {
        match status {
            400 => Code::Internal,
            401 => Code::Unauthenticated,
            403 => Code::PermissionDenied,
            404 => Code::Unimplemented,
            429 | 502 | 503 | 504 => Code::Unavailable,
            _ => Code::Unknown,
        }
    }
}

/// The headers every request carries, before authorisation and the caller's own.
pub const BASE_HEADERS: [(&str, &str); 2] = [("content-type", "application/json"), ("connect-protocol-version", "1")];

/// Reads a non-2xx response into an [`Error::Api`]: the code from the body when it is
/// a Connect error body, else from the status. A body that is not JSON (a proxy's HTML
/// page) is not echoed: it says nothing a program could use.
pub fn error_from_response(status: u16, body: &str) -> Error {
    read_error_response(status, body).error
}

/// An error response, read.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse {
    /// The error, as [`error_from_response`] reads it.
    pub error: Error,
    /// Whether the body itself named the Connect code; when it did not, the code was
    /// derived from the status (a gateway's page, an empty body, a body without `code`).
    pub code_in_body: bool,
}

/// [`error_from_response`], telling also where the code came from: the retry rules of
/// createPrebuild trust a code the server wrote, not one this client inferred.
pub fn read_error_response(status: u16, body: &str) -> ErrorResponse {
    let body = body.strip_prefix('\u{feff}').unwrap_or(body);
    // `code` and `message` are kept when they are strings (a field of another type is
    // ignored, not fatal); `details` passes through as read.
    let setup = Setup { stray: true, ..Setup::default() };
    let parsed = schema::read_text_repaired(&messages::ERROR_BODY, body, setup).ok();
    let body_code =
        parsed.as_ref().and_then(|b| b.stray_code.as_deref()).filter(|c| !c.is_empty()).map(Code::from_name);
    let code_in_body = body_code.is_some();
    let code = body_code.unwrap_or_else(|| Code::from_status(status));
    let mut status_text = String::from("HTTP ");
    push_u64(&mut status_text, u64::from(status));
    let message = match (parsed.as_ref().and_then(|b| b.stray_message.clone()), &parsed) {
        (Some(m), _) => m,
        (None, Some(_)) => status_text,
        (None, None) => status_text + " with a body that is not a Connect error",
    };
    // The canonical body is `{"details":X}` or `{}`; details too deep to pass on, or not
    // a list, read as none.
    let details = parsed
        .as_ref()
        .filter(|b| !reader::too_deep(b))
        .and_then(|b| b.out.strip_prefix("{\"details\":"))
        .and_then(|d| d.strip_suffix('}'))
        .filter(|d| d.starts_with('['))
        .unwrap_or("[]")
        .to_string();
    ErrorResponse { error: Error::Api { status, code, message, details }, code_in_body }
}

/// The JSON body a server sends for an error.
pub fn error_body(code: &Code, message: &str) -> String {
    let mut body = String::from("{\"code\":");
    schema::text::push_json_str(&mut body, code.as_str());
    body.push_str(",\"message\":");
    schema::text::push_json_str(&mut body, message);
    body.push('}');
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_status_and_name() {
        for (code, name, status) in CODES.iter() {
            assert_eq!(code.http_status(), *status);
            assert_eq!(code.as_str(), *name);
            assert_eq!(&Code::from_name(name), code);
        }
        assert_eq!(Code::from_name("teapot"), Code::Other("teapot".into()));
        assert_eq!(Code::from_name("teapot").as_str(), "teapot");
    }

    #[test]
    fn status_fallbacks_follow_connect() {
        let cases = [
            (400, Code::Internal),
            (401, Code::Unauthenticated),
            (403, Code::PermissionDenied),
            (404, Code::Unimplemented),
            (429, Code::Unavailable),
            (502, Code::Unavailable),
            (503, Code::Unavailable),
            (504, Code::Unavailable),
            (500, Code::Unknown),
            (418, Code::Unknown),
        ];
        for (status, code) in cases {
            assert_eq!(Code::from_status(status), code, "status {status}");
        }
    }

    #[test]
    fn body_code_wins_over_status() {
        let e =
            error_from_response(400, r#"{"code":"not_found","message":"no such prebuild","details":[{"type":"x"}]}"#);
        assert_eq!(
            e,
            Error::Api {
                status: 400,
                code: Code::NotFound,
                message: "no such prebuild".into(),
                details: r#"[{"type":"x"}]"#.into()
            }
        );
    }

    #[test]
    fn the_source_of_the_code_is_kept() {
        let from_body = read_error_response(502, r#"{"code":"unavailable","message":"upstream"}"#);
        assert!(from_body.code_in_body);
        assert!(matches!(from_body.error, Error::Api { code: Code::Unavailable, .. }));
        for body in ["<html>502</html>", "", r#"{"message":"no code"}"#, r#"{"code":""}"#, r#"{"code":7}"#] {
            let derived = read_error_response(502, body);
            assert!(!derived.code_in_body, "{body:?}");
            assert!(matches!(derived.error, Error::Api { code: Code::Unavailable, .. }), "{body:?}");
        }
    }

    #[test]
    fn html_bodies_fall_back_to_the_status() {
        match error_from_response(502, "<html><body>Bad gateway</body></html>") {
            Error::Api { code, message, details, .. } => {
                assert_eq!(code, Code::Unavailable);
                assert!(!message.contains("<html>"));
                assert_eq!(details, "[]");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lone_surrogates_in_details_read_as_replacement_characters() {
        let body = r#"{"code":"not_found","details":["\udc00\ud800"]}"#;
        match error_from_response(404, body) {
            Error::Api { details, .. } => {
                let read: serde_json::Value = serde_json::from_str(&details).unwrap();
                assert_eq!(read, serde_json::json!(["\u{FFFD}\u{FFFD}"]));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn deeply_nested_details_are_dropped() {
        let deep = format!("{}{}", "[".repeat(101), "]".repeat(101));
        let body = format!(r#"{{"code":"internal","details":{deep}}}"#);
        assert!(matches!(error_from_response(500, &body), Error::Api { details, .. } if details == "[]"));
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let body = format!(r#"{{"code":"internal","details":{deep}}}"#);
        assert!(matches!(error_from_response(500, &body), Error::Api { details, .. } if details == deep));
    }

    #[test]
    fn error_bodies_round_trip() {
        let body = error_body(&Code::AlreadyExists, "a warm pool exists");
        match error_from_response(409, &body) {
            Error::Api { code, message, .. } => {
                assert_eq!(code, Code::AlreadyExists);
                assert_eq!(message, "a warm pool exists");
            }
            other => panic!("{other:?}"),
        }
    }
}
