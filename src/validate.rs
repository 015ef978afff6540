//! The PrebuildService's validation rules, as checks that return an error saying what
//! is allowed.

use crate::error::Error;

/// An example for messages, so a user sees the expected shape.
const UUID_SHAPE: &str = "a UUID like \"07e03a28-65a5-4d98-b532-8ea67b188048\"";

/// `s` as a JSON string literal for a message, cut after 60 characters so a huge value
/// cannot flood it. (JSON quoting rather than `{:?}`, whose Unicode tables would add
/// kilobytes to the WebAssembly build.)
pub(crate) fn quoted(s: &str) -> String {
    let json = |s: &str| serde_json::to_string(s).unwrap_or_default();
    match s.char_indices().nth(57).filter(|_| s.chars().count() > 60) {
        Some((cut, _)) => json(s.get(..cut).unwrap_or_default()) + "...",
        None => json(s),
    }
}

/// Whether `s` is a UUID: 8-4-4-4-12 hexadecimal digits.
pub(crate) fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A required UUID field; the empty string counts as missing, as in proto3.
pub(crate) fn required_uuid(field: &str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        Err(Error::validation(field, format!("is required: {UUID_SHAPE}")))
    } else {
        uuid(field, value)
    }
}

/// An optional UUID field; the empty string counts as unset.
pub(crate) fn optional_uuid(field: &str, value: Option<String>) -> Result<Option<String>, Error> {
    match value {
        Some(s) if !s.is_empty() => uuid(field, &s).map(|_| Some(s)),
        _ => Ok(None),
    }
}

/// A UUID.
pub(crate) fn uuid(field: &str, s: &str) -> Result<(), Error> {
    if is_uuid(s) {
        Ok(())
    } else {
        Err(Error::validation(field, format!("must be {UUID_SHAPE}, got {}", quoted(s))))
    }
}

/// An integer within `lo..=hi`.
pub(crate) fn in_range(field: &str, v: i32, lo: i32, hi: i32) -> Result<i32, Error> {
    if (lo..=hi).contains(&v) {
        Ok(v)
    } else {
        Err(Error::validation(field, format!("must be from {lo} to {hi}, got {v}")))
    }
}

/// A list no longer than `max`.
pub(crate) fn at_most<T>(field: &str, items: &[T], max: usize) -> Result<(), Error> {
    if items.len() <= max {
        Ok(())
    } else {
        Err(Error::validation(field, format!("may hold at most {max} items, got {}", items.len())))
    }
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
    let secs: i64 = secs.parse().ok()?;
    let mut nanos: i64 = 0;
    let mut unit = 100_000_000;
    for c in frac.bytes() {
        nanos += i64::from(c - b'0') * unit;
        unit /= 10;
    }
    let total = secs.checked_mul(1_000_000_000)?.checked_add(nanos)?;
    Some(if neg { -total } else { total })
}

/// The prebuild timeout: a duration from 300s to 7200s.
pub(crate) fn prebuild_timeout(field: &str, s: &str) -> Result<(), Error> {
    const RULE: &str = "must be a duration from \"300s\" to \"7200s\" (5 minutes to 2 hours)";
    match duration_nanos(s) {
        None => Err(Error::validation(field, format!("{RULE} written as seconds with an \"s\", got {}", quoted(s)))),
        Some(n) if (300_000_000_000..=7_200_000_000_000).contains(&n) => Ok(()),
        Some(_) => Err(Error::validation(field, format!("{RULE}, got {}", quoted(s)))),
    }
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
        assert!(prebuild_timeout("t", "300s").is_ok());
        assert!(prebuild_timeout("t", "7200s").is_ok());
        assert!(prebuild_timeout("t", "7200.000s").is_ok());
        assert!(prebuild_timeout("t", "299.999s").is_err());
        assert!(prebuild_timeout("t", "7200.000000001s").is_err());
        let e = prebuild_timeout("spec.timeout", "1h").unwrap_err();
        assert!(e.to_string().contains("\"300s\" to \"7200s\""), "{e}");
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "x".repeat(500);
        let e = uuid("id", &long).unwrap_err().to_string();
        assert!(e.len() < 200, "{e}");
    }
}
