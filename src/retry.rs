//! Which failures are retried and how long to wait first, as the official SDKs for
//! this API do it ([`policy`] narrows the rules for creates). Pure functions: the
//! caller passes the clock and the randomness.

pub mod policy;

use crate::error::Error;
use crate::protocol::Code;

/// The longest server-suggested wait that is honoured; longer ones fall back to
/// exponential backoff.
pub const MAX_RETRY_AFTER_MS: f64 = 60_000.0;
/// The first backoff step.
pub const INITIAL_DELAY_MS: f64 = 500.0;
/// The longest backoff step.
pub const MAX_DELAY_MS: f64 = 8_000.0;

/// The response headers that steer retries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RetryHeaders {
    /// `x-should-retry: true|false`, which overrides the decision by status.
    pub should_retry: Option<String>,
    /// `retry-after-ms`: milliseconds to wait.
    pub retry_after_ms: Option<String>,
    /// `retry-after`: seconds, or an HTTP date.
    pub retry_after: Option<String>,
}

/// Whether a failed attempt is worth another: connection errors, timeouts, 408, 429
/// and 5xx are; 409 is unless its code is `already_exists`, which a retry cannot
/// change. `x-should-retry` overrides the status. Bad input, aborts and successful
/// responses that failed to decode are never retried.
pub fn is_retryable(error: &Error, headers: &RetryHeaders) -> bool {
    match error {
        Error::Connection { .. } | Error::Timeout { .. } => true,
        Error::Api { status, code, .. } => match headers.should_retry.as_deref() {
            Some("true") => true,
            Some("false") => false,
            _ => match status {
                408 | 429 => true,
                409 => *code != Code::AlreadyExists,
                s => *s >= 500,
            },
        },
        Error::Validation { .. }
        | Error::Aborted
        | Error::Decode { .. }
        | Error::WaitTimeout { .. }
        | Error::OutcomeUnknown { .. } => false,
    }
}

/// How long to wait before the next attempt, in milliseconds. `retries_so_far` counts
/// the retries already made; `now_ms` is the Unix time (for `retry-after` dates);
/// `random` is uniform in `[0, 1)` and spreads clients apart.
pub fn delay_ms(retries_so_far: u32, headers: &RetryHeaders, now_ms: f64, random: f64) -> f64 {
    if let Some(ms) = suggested_ms(headers, now_ms) {
        if (0.0..MAX_RETRY_AFTER_MS).contains(&ms) {
            return ms;
        }
    }
    backoff_ms(retries_so_far, random)
}

/// Exponential backoff: `min(0.5 s * 2^n, 8 s)` times a jitter factor in `(0.75, 1]`.
pub fn backoff_ms(retries_so_far: u32, random: f64) -> f64 {
    let step = INITIAL_DELAY_MS * 2f64.powi(retries_so_far.min(16) as i32);
    let random = if random.is_finite() { random.clamp(0.0, 1.0) } else { 0.0 };
    step.min(MAX_DELAY_MS) * (1.0 - 0.25 * random)
}

/// The wait the server asked for, if it asked in a form we can read.
fn suggested_ms(headers: &RetryHeaders, now_ms: f64) -> Option<f64> {
    if let Some(ms) = headers.retry_after_ms.as_deref().and_then(decimal) {
        return Some(ms);
    }
    let after = headers.retry_after.as_deref()?.trim();
    match decimal(after) {
        Some(secs) => Some(secs * 1000.0),
        None => http_date_ms(after).map(|at| at - now_ms),
    }
}

/// A plain decimal number (`250`, `-5`, `1.5`), as header values write them. Parsed by
/// hand: the platform's float parser would add kilobytes to the WebAssembly build.
fn decimal(s: &str) -> Option<f64> {
    let s = s.trim();
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || whole.len() > 15 || fraction.len() > 9 {
        return None;
    }
    let mut value = 0.0;
    for b in whole.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10.0 + f64::from(b - b'0');
    }
    let mut scale = 1.0;
    for b in fraction.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        scale /= 10.0;
        value += f64::from(b - b'0') * scale;
    }
    Some(if negative { -value } else { value })
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) into Unix milliseconds.
fn http_date_ms(s: &str) -> Option<f64> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else { return None };
    let day: i64 = day.parse().ok()?;
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .iter()
        .position(|m| m == month)? as i64
        + 1;
    let year: i64 = year.parse().ok()?;
    let hms: Vec<i64> = time.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let [h, m, sec] = hms.as_slice() else { return None };
    // Bounded fields keep the arithmetic below far from overflow, whatever a server sends.
    if !(1..=9999).contains(&year)
        || !(1..=31).contains(&day)
        || !(0..=23).contains(h)
        || !(0..=59).contains(m)
        || !(0..=60).contains(sec)
    {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + h * 3600 + m * 60 + sec) * 1000) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, code: Code) -> Error {
        Error::Api { status, code, message: String::new(), details: "[]".into() }
    }

    fn headers(should: Option<&str>, ms: Option<&str>, after: Option<&str>) -> RetryHeaders {
        RetryHeaders {
            should_retry: should.map(Into::into),
            retry_after_ms: ms.map(Into::into),
            retry_after: after.map(Into::into),
        }
    }

    #[test]
    fn retried_statuses_follow_the_official_sdks() {
        let none = RetryHeaders::default();
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(is_retryable(&api(s, Code::from_status(s)), &none), "{s}");
        }
        for s in [400, 401, 403, 404, 422] {
            assert!(!is_retryable(&api(s, Code::from_status(s)), &none), "{s}");
        }
        assert!(is_retryable(&api(409, Code::Aborted), &none));
        assert!(!is_retryable(&api(409, Code::AlreadyExists), &none));
        assert!(is_retryable(&Error::Connection { message: "x".into() }, &none));
        assert!(is_retryable(&Error::Timeout { timeout_ms: 5 }, &none));
        assert!(!is_retryable(&Error::Aborted, &none));
        assert!(!is_retryable(&Error::Decode { message: "x".into() }, &none));
        assert!(!is_retryable(&Error::validation("a", "b"), &none));
    }

    #[test]
    fn x_should_retry_overrides_the_status() {
        assert!(is_retryable(&api(400, Code::InvalidArgument), &headers(Some("true"), None, None)));
        assert!(!is_retryable(&api(503, Code::Unavailable), &headers(Some("false"), None, None)));
        assert!(is_retryable(&api(503, Code::Unavailable), &headers(Some("maybe"), None, None)));
    }

    #[test]
    fn backoff_doubles_up_to_eight_seconds_with_jitter_below_a_quarter() {
        assert_eq!(backoff_ms(0, 0.0), 500.0);
        assert_eq!(backoff_ms(1, 0.0), 1000.0);
        assert_eq!(backoff_ms(3, 0.0), 4000.0);
        assert_eq!(backoff_ms(4, 0.0), 8000.0);
        assert_eq!(backoff_ms(40, 0.0), 8000.0);
        assert_eq!(backoff_ms(0, 1.0), 375.0);
        for n in 0..10 {
            for r in [0.0, 0.3, 0.999] {
                let d = backoff_ms(n, r);
                let step = (500.0 * 2f64.powi(n as i32)).min(8000.0);
                assert!(d <= step && d > step * 0.75 - 1e-9, "{n} {r} {d}");
            }
        }
        assert_eq!(backoff_ms(0, f64::NAN), 500.0);
    }

    #[test]
    fn retry_after_ms_comes_first_then_retry_after() {
        assert_eq!(delay_ms(0, &headers(None, Some("250"), Some("7")), 0.0, 0.5), 250.0);
        assert_eq!(delay_ms(0, &headers(None, None, Some("2")), 0.0, 0.5), 2000.0);
        assert_eq!(delay_ms(0, &headers(None, Some("junk"), Some("1.5")), 0.0, 0.5), 1500.0);
    }

    #[test]
    fn suggestions_outside_zero_to_sixty_seconds_fall_back_to_backoff() {
        assert_eq!(delay_ms(0, &headers(None, Some("60000"), None), 0.0, 0.0), 500.0);
        assert_eq!(delay_ms(1, &headers(None, Some("-5"), None), 0.0, 0.0), 1000.0);
        assert_eq!(delay_ms(0, &headers(None, None, Some("3600")), 0.0, 0.0), 500.0);
    }

    #[test]
    fn header_numbers_are_read_without_the_float_parser() {
        assert_eq!(decimal("250"), Some(250.0));
        assert_eq!(decimal(" 1.5 "), Some(1.5));
        assert_eq!(decimal("-5"), Some(-5.0));
        for bad in ["", ".5", "1.2.3", "1e3", "inf", "NaN", "12a", "-", "9999999999999999"] {
            assert_eq!(decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn retry_after_dates_are_relative_to_now() {
        let at = http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(at, 784_111_777_000.0);
        let d = delay_ms(0, &headers(None, None, Some("Sun, 06 Nov 1994 08:49:37 GMT")), at - 3000.0, 0.0);
        assert_eq!(d, 3000.0);
        assert_eq!(http_date_ms("Sun, 06 Foo 1994 08:49:37 GMT"), None);
        assert_eq!(http_date_ms("yesterday"), None);
    }
}
