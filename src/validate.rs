//! The PrebuildService's validation rules, as checks that return an error saying what
//! is allowed.

use crate::error::Error;
use crate::schema::text::{parse_i64, push_i64};

/// An example for messages, so a user sees the expected shape.
pub(crate) const UUID_SHAPE: &str = "a UUID like \"07e03a28-65a5-4d98-b532-8ea67b188048\"";
/// What a required id says when it is missing.
pub(crate) const UUID_REQUIRED: &str = "is required: a UUID like \"07e03a28-65a5-4d98-b532-8ea67b188048\"";

pub(crate) use crate::schema::text::quoted;

/// Whether `s` is a UUID: 8-4-4-4-12 hexadecimal digits.
pub(crate) fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// "must be a UUID like ..., got "s"".
pub(crate) fn not_a_uuid(s: &str) -> String {
    let mut m = String::from("must be ");
    m.push_str(UUID_SHAPE);
    m.push_str(", got ");
    m.push_str(&quoted(s));
    m
}

/// "must be from {lo} to {hi}, got {v}".
pub(crate) fn out_of_range(lo: i32, hi: i32, v: i64) -> String {
    let mut m = String::from("must be from ");
    push_i64(&mut m, i64::from(lo));
    m.push_str(" to ");
    push_i64(&mut m, i64::from(hi));
    m.push_str(", got ");
    push_i64(&mut m, v);
    m
}

/// An integer within `lo..=hi`.
pub(crate) fn in_range(field: &str, v: i32, lo: i32, hi: i32) -> Result<i32, Error> {
    if (lo..=hi).contains(&v) {
        Ok(v)
    } else {
        Err(Error::validation(field, out_of_range(lo, hi, i64::from(v))))
    }
}

/// Whether `s` is an HTTP header name (an RFC 9110 token).
pub(crate) fn is_header_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A protobuf JSON duration (`"3600s"`, `"1.5s"`) in nanoseconds, or `None` when the
/// text is not one.
pub(crate) fn duration_nanos(s: &str) -> Option<i64> {
    let body = s.strip_suffix('s')?;
    let (neg, body) = match body.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, body),
    };
    let (secs, frac) = match body.split_once('.') {
        Some((a, b)) => (a, b),
        None => (body, ""),
    };
    if secs.is_empty() || secs.len() > 12 || !secs.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if frac.len() > 9 || !frac.bytes().all(|c| c.is_ascii_digit()) || (body.contains('.') && frac.is_empty()) {
        return None;
    }
    let secs: i64 = parse_i64(secs)?;
    let mut nanos: i64 = 0;
    let mut unit = 100_000_000;
    for c in frac.bytes() {
        nanos += i64::from(c - b'0') * unit;
        unit /= 10;
    }
    let total = secs.checked_mul(1_000_000_000)?.checked_add(nanos)?;
    Some(if neg { -total } else { total })
}

/// The prebuild timeout rule: a duration from 300s to 7200s; the message if broken.
pub(crate) fn prebuild_timeout_rule(s: &str) -> Result<(), String> {
    const RULE: &str = "must be a duration from \"300s\" to \"7200s\" (5 minutes to 2 hours)";
    let mut m = String::from(RULE);
    match duration_nanos(s) {
        Some(n) if (300_000_000_000..=7_200_000_000_000).contains(&n) => return Ok(()),
        None => m.push_str(" written as seconds with an \"s\""),
        Some(_) => {}
    }
    m.push_str(", got ");
    m.push_str(&quoted(s));
    Err(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids() {
        assert!(is_uuid("07e03a28-65a5-4d98-b532-8ea67b188048"));
        assert!(is_uuid("07E03A28-65A5-4D98-B532-8EA67B188048"));
        assert!(!is_uuid("07e03a28-65a5-4d98-b532-8ea67b18804"));
        assert!(!is_uuid("07e03a28x65a5-4d98-b532-8ea67b188048"));
        assert!(!is_uuid("g7e03a28-65a5-4d98-b532-8ea67b188048"));
        assert!(!is_uuid("07e03a28-65a5-4d98-b532-8ea67b1880488"));
        assert!(!is_uuid("ü7e03a28-65a5-4d98-b532-8ea67b18804"));
        assert!(!is_uuid(""));
    }

    #[test]
    fn durations() {
        assert_eq!(duration_nanos("3600s"), Some(3_600_000_000_000));
        assert_eq!(duration_nanos("1.5s"), Some(1_500_000_000));
        assert_eq!(duration_nanos("0.000000001s"), Some(1));
        assert_eq!(duration_nanos("-2s"), Some(-2_000_000_000));
        for bad in ["", "s", "3600", "1.s", ".5s", "1.0000000001s", "+9125115.360s", "1e3s", "1h", " 1s"] {
            assert_eq!(duration_nanos(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn prebuild_timeout_bounds_are_inclusive() {
        assert!(prebuild_timeout_rule("300s").is_ok());
        assert!(prebuild_timeout_rule("7200s").is_ok());
        assert!(prebuild_timeout_rule("7200.000s").is_ok());
        assert!(prebuild_timeout_rule("299.999s").is_err());
        assert!(prebuild_timeout_rule("7200.000000001s").is_err());
        let e = prebuild_timeout_rule("1h").unwrap_err();
        assert!(e.contains("\"300s\" to \"7200s\"") && e.contains("written as seconds"), "{e}");
        assert!(!prebuild_timeout_rule("1s").unwrap_err().contains("written as"));
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let e = not_a_uuid(&"x".repeat(500));
        assert!(e.len() < 200, "{e}");
        assert_eq!(out_of_range(0, 100, -1), "must be from 0 to 100, got -1");
    }
}
