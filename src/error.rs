//! The one error type of the core. Each variant becomes one JavaScript error class
//! (see [`Error::class_name`]); none of them ever holds the API token.

use std::fmt;

use crate::protocol::Code;
use crate::schema::text::push_u64;

/// Everything a call can fail with.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// Bad input, found before anything was sent.
    Validation {
        /// The path of the offending parameter (`spec.timeout`, `filter.projectIds[2]`).
        field: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// The server answered with an error.
    Api {
        /// The HTTP status.
        status: u16,
        /// The Connect code, from the body or else from the status.
        code: Code,
        /// The server's message.
        message: String,
        /// The Connect error details, as JSON text of an array.
        details: String,
    },
    /// The request did not reach the server or no answer came back.
    Connection {
        /// What the platform reported.
        message: String,
    },
    /// An attempt took longer than its timeout.
    Timeout {
        /// The per-attempt timeout that ran out.
        timeout_ms: u32,
    },
    /// The caller's AbortSignal ended the call.
    Aborted,
    /// A successful response whose body is not the expected message.
    Decode {
        /// What is wrong with the body.
        message: String,
    },
    /// A wait for a prebuild or warm pool ran past its deadline.
    WaitTimeout {
        /// What was waited for, as a sentence ("prebuild X to reach COMPLETED or FAILED").
        awaited: String,
        /// The wait's deadline.
        deadline_ms: u32,
        /// The last state seen (the prebuild or warm pool as JSON text), if any poll
        /// succeeded.
        last_seen: Option<String>,
    },
    /// A create that the server may have carried out although the call failed (its
    /// answer was lost: a timeout, a dropped connection, a gateway error). It is
    /// `error` to programs (its JavaScript class, with `mayHaveBeenCreated: true`), and
    /// `advice` says what to do before trying again.
    OutcomeUnknown {
        /// The error the call ended with.
        error: Box<Error>,
        /// What the caller should know, added to the message.
        advice: &'static str,
    },
}

impl Error {
    pub(crate) fn validation(field: impl Into<String>, rule: impl AsRef<str>) -> Self {
        let field = field.into();
        let mut message = String::with_capacity(field.len() + rule.as_ref().len() + 1);
        message.push_str(&field);
        message.push(' ');
        message.push_str(rule.as_ref());
        Error::Validation { message, field }
    }

    /// The message for people: what went wrong, and what is allowed or what to do.
    /// (Built by hand rather than through `Display`, which would bring `core::fmt`'s
    /// machinery into the WebAssembly build.)
    pub fn message(&self) -> String {
        let mut m = String::new();
        match self {
            Error::Validation { message, .. } => m.push_str(message),
            Error::Api { status, code, message, .. } => {
                push_u64(&mut m, u64::from(*status));
                m.push(' ');
                m.push_str(code.as_str());
                m.push_str(": ");
                m.push_str(message);
            }
            Error::Connection { message } => {
                m.push_str("connection error: ");
                m.push_str(message);
            }
            Error::Timeout { timeout_ms } => {
                m.push_str("request timed out after ");
                push_u64(&mut m, u64::from(*timeout_ms));
                m.push_str(" ms");
            }
            Error::Aborted => m.push_str("request was aborted"),
            Error::Decode { message } => {
                m.push_str("unexpected response: ");
                m.push_str(message);
            }
            Error::WaitTimeout { awaited, deadline_ms, .. } => {
                m.push_str("gave up waiting for ");
                m.push_str(awaited);
                m.push_str(" after ");
                push_u64(&mut m, u64::from(*deadline_ms));
                m.push_str(" ms");
            }
            Error::OutcomeUnknown { error, advice } => {
                m.push_str(&error.message());
                m.push_str("; ");
                m.push_str(advice);
            }
        }
        m
    }

    /// The name of the JavaScript error class for this error, following the official
    /// SDKs: API errors by HTTP status, the rest by kind.
    pub fn class_name(&self) -> &'static str {
        match self {
            Error::Validation { .. } => "ValidationError",
            Error::Api { status, .. } => match status {
                400 => "BadRequestError",
                401 => "AuthenticationError",
                403 => "PermissionDeniedError",
                404 => "NotFoundError",
                409 => "ConflictError",
                422 => "UnprocessableEntityError",
                429 => "RateLimitError",
                s if *s >= 500 => "InternalServerError",
                _ => "APIError",
            },
            Error::Connection { .. } => "APIConnectionError",
            Error::Timeout { .. } => "APIConnectionTimeoutError",
            Error::Aborted => "APIUserAbortError",
            Error::Decode { .. } => "ResponseDecodeError",
            Error::WaitTimeout { .. } => "WaitTimeoutError",
            Error::OutcomeUnknown { error, .. } => error.class_name(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16) -> Error {
        Error::Api { status, code: Code::from_status(status), message: "m".into(), details: "[]".into() }
    }

    #[test]
    fn api_errors_take_the_class_of_their_status() {
        let cases = [
            (400, "BadRequestError"),
            (401, "AuthenticationError"),
            (403, "PermissionDeniedError"),
            (404, "NotFoundError"),
            (409, "ConflictError"),
            (422, "UnprocessableEntityError"),
            (429, "RateLimitError"),
            (500, "InternalServerError"),
            (503, "InternalServerError"),
            (418, "APIError"),
            (499, "APIError"),
        ];
        for (status, class) in cases {
            assert_eq!(api(status).class_name(), class, "status {status}");
        }
    }

    #[test]
    fn other_kinds_have_their_own_classes() {
        assert_eq!(Error::validation("a", "b").class_name(), "ValidationError");
        assert_eq!(Error::Timeout { timeout_ms: 1 }.class_name(), "APIConnectionTimeoutError");
        assert_eq!(Error::Aborted.class_name(), "APIUserAbortError");
        assert_eq!(Error::Connection { message: "x".into() }.class_name(), "APIConnectionError");
        assert_eq!(Error::Decode { message: "x".into() }.class_name(), "ResponseDecodeError");
    }

    #[test]
    fn an_unknown_outcome_keeps_the_class_of_its_error_and_adds_advice() {
        let e = Error::OutcomeUnknown { error: Box::new(api(502)), advice: "it may exist" };
        assert_eq!(e.class_name(), "InternalServerError");
        assert_eq!(e.to_string(), "502 unavailable: m; it may exist");
        let t = Error::OutcomeUnknown { error: Box::new(Error::Timeout { timeout_ms: 5 }), advice: "a" };
        assert_eq!(t.class_name(), "APIConnectionTimeoutError");
    }

    #[test]
    fn messages_read_as_sentences() {
        assert_eq!(
            Error::validation("spec.timeout", "must be at least 300s").to_string(),
            "spec.timeout must be at least 300s"
        );
        assert_eq!(api(404).to_string(), "404 unimplemented: m");
    }
}
