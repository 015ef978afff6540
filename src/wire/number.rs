//! Integers from JSON number text, exactly, without floating point.

/// The decimal integer that a JSON number's text denotes (`"1e3"` -> `"1000"`,
/// `"-2.50e1"` -> `"-25"`), if it is a whole number within 64 bits (`i64::MIN` to
/// `u64::MAX`). Protobuf JSON accepts such spellings for integer fields.
pub fn integer_text(raw: &str) -> Option<String> {
    let (negative, rest) = match raw.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, raw),
    };
    let (mantissa, exponent) = match rest.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (rest, 0),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((a, b)) => (a, b),
        None => (mantissa, ""),
    };
    if int_part.is_empty() || !int_part.bytes().chain(frac_part.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    // All digits, and where the decimal point falls after applying the exponent.
    let digits: String = int_part.chars().chain(frac_part.chars()).collect();
    let point = int_part.len() as i64 + i64::from(exponent);
    let digits = digits.trim_start_matches('0');
    let point = point - (int_part.len() + frac_part.len() - digits.len()) as i64;
    if digits.is_empty() {
        return Some("0".to_string());
    }
    if point <= 0 || point > 20 {
        return None;
    }
    let point = point as usize;
    let (whole, fraction) = if point >= digits.len() { (digits, "") } else { digits.split_at(point) };
    if fraction.bytes().any(|b| b != b'0') {
        return None;
    }
    let mut magnitude = String::with_capacity(point);
    magnitude.push_str(whole);
    for _ in whole.len()..point {
        magnitude.push('0');
    }
    // Within 64 bits: compare as decimal text of equal length.
    let limit = if negative { "9223372036854775808" } else { "18446744073709551615" };
    if magnitude.len() > limit.len() || (magnitude.len() == limit.len() && magnitude.as_str() > limit) {
        return None;
    }
    Some(if negative { format!("-{magnitude}") } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_in_any_spelling() {
        let cases = [
            ("0", "0"),
            ("-0", "0"),
            ("42", "42"),
            ("-42", "-42"),
            ("1e3", "1000"),
            ("1.5e1", "15"),
            ("-2.50e1", "-25"),
            ("3.000", "3"),
            ("0.0", "0"),
            ("120e-1", "12"),
            ("18446744073709551615", "18446744073709551615"),
            ("-9223372036854775808", "-9223372036854775808"),
            ("9007199254740993", "9007199254740993"),
        ];
        for (raw, want) in cases {
            assert_eq!(integer_text(raw).as_deref(), Some(want), "{raw}");
        }
    }

    #[test]
    fn fractions_and_overflow_are_not_integers() {
        for raw in
            ["1.5", "1e-1", "18446744073709551616", "-9223372036854775809", "1e20", "1e400", "1e99999999999", "abc", ""]
        {
            assert_eq!(integer_text(raw), None, "{raw}");
        }
    }
}
