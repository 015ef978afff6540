//! Small text helpers of the reader, written without `core::fmt` (whose machinery,
//! with float printing, would weigh more than the whole reader in the WebAssembly
//! build): JSON string escaping, integers as decimal text, exact integers from JSON
//! number text, and the short descriptions of values that error messages use.

/// Appends `s` as a JSON string literal, escaped as serde_json escapes it.
pub fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    if !bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push_str(s);
        out.push('"');
        return;
    }
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(s.get(copied..i).unwrap_or_default());
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
            out.push(char::from(HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0')));
        } else {
            out.push_str(escape);
        }
        copied = i + 1;
    }
    out.push_str(s.get(copied..).unwrap_or_default());
    out.push('"');
}

/// Appends an unsigned integer in decimal.
pub fn push_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        if let Some(d) = digits.get_mut(i) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    for &d in digits.get(i..).unwrap_or_default() {
        out.push(char::from(d));
    }
}

/// Appends a signed integer in decimal.
pub fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_u64(out, n.unsigned_abs());
}

/// An integer as decimal text.
pub fn int_text(n: i64) -> String {
    let mut s = String::new();
    push_i64(&mut s, n);
    s
}

/// `s` as a JSON string literal for a message, cut after 60 characters so a huge value
/// cannot flood it.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(64) + 2);
    match s.char_indices().nth(57).filter(|_| s.chars().count() > 60) {
        Some((cut, _)) => {
            push_json_str(&mut out, s.get(..cut).unwrap_or_default());
            out.push_str("...");
        }
        None => push_json_str(&mut out, s),
    }
    out
}

/// The decimal integer that a JSON number's text denotes (`"1e3"` -> `"1000"`,
/// `"-2.50e1"` -> `"-25"`), if it is a whole number within 64 bits (`i64::MIN` to
/// `u64::MAX`). Protobuf JSON accepts such spellings for integer fields.
pub fn integer_text(raw: &str) -> Option<String> {
    let (negative, rest) = match raw.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, raw),
    };
    let (mantissa, exponent) = match rest.split_once(['e', 'E']) {
        Some((m, e)) => (m, parse_exponent(e)?),
        None => (rest, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() || !int_part.bytes().chain(frac_part.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    // All digits, and where the decimal point falls after applying the exponent.
    let digits: String = int_part.chars().chain(frac_part.chars()).collect();
    let point = int_part.len() as i64 + exponent;
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
    let mut out = String::with_capacity(point + 1);
    if negative {
        out.push('-');
    }
    out.push_str(whole);
    for _ in whole.len()..point {
        out.push('0');
    }
    // Within 64 bits: compare as decimal text of equal length.
    let (magnitude, limit) = if negative {
        (out.get(1..).unwrap_or_default(), "9223372036854775808")
    } else {
        (&*out, "18446744073709551615")
    };
    if magnitude.len() > limit.len() || (magnitude.len() == limit.len() && magnitude > limit) {
        return None;
    }
    Some(out)
}

/// An exponent's text (`+2`, `-10`), bounded so that huge ones fail instead of wrapping.
fn parse_exponent(e: &str) -> Option<i64> {
    let (negative, digits) = match e.as_bytes().first() {
        Some(b'-') => (true, e.get(1..)?),
        Some(b'+') => (false, e.get(1..)?),
        _ => (false, e),
    };
    if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = parse_i64(digits)?;
    Some(if negative { -n } else { n })
}

/// A decimal integer (an optional `-`, then digits) within i64, without `str::parse`.
pub fn parse_i64(s: &str) -> Option<i64> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: i64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        let d = i64::from(b - b'0');
        n = n.checked_mul(10)?;
        n = if negative { n.checked_sub(d)? } else { n.checked_add(d)? };
    }
    Some(n)
}

/// One JSON value as the reader describes it in messages: scalars with their text,
/// containers by kind.
#[derive(Debug, Clone, Copy)]
pub enum Seen<'a> {
    /// `null` (or `undefined`).
    Null,
    /// A boolean.
    Bool(bool),
    /// A number, as its JSON text.
    Number(&'a str),
    /// A string.
    Str(&'a str),
    /// An array.
    List,
    /// An object.
    Object,
}

impl Seen<'_> {
    /// Appends a short description: the value itself when short, else its kind.
    pub fn describe(&self, out: &mut String) {
        match self {
            Seen::Null => out.push_str("null"),
            Seen::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Seen::Number(n) if n.len() <= 40 => out.push_str(n),
            Seen::Number(_) => out.push_str("a long number"),
            Seen::Str(s) if s.chars().count() <= 40 => out.push_str(&quoted(s)),
            Seen::Str(_) => out.push_str("a long string"),
            Seen::List => out.push_str("an array"),
            Seen::Object => out.push_str("an object"),
        }
    }
}

/// "must be {expected}, got {value}".
pub fn must_be(expected: &str, got: Seen<'_>) -> String {
    let mut m = String::with_capacity(expected.len() + 24);
    m.push_str("must be ");
    m.push_str(expected);
    m.push_str(", got ");
    got.describe(&mut m);
    m
}

/// The text with every `\u` escape of a lone UTF-16 surrogate replaced by `\uFFFD`
/// (as `JSON.parse` reads them), if it has any.
pub fn lone_surrogates_replaced(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let unit_at = |i: usize| -> Option<u16> {
        if bytes.get(i) != Some(&b'\\') || bytes.get(i + 1) != Some(&b'u') {
            return None;
        }
        let mut unit = 0u16;
        for &h in bytes.get(i + 2..i + 6)? {
            let digit = match h {
                b'0'..=b'9' => h - b'0',
                b'a'..=b'f' => h - b'a' + 10,
                b'A'..=b'F' => h - b'A' + 10,
                _ => return None,
            };
            unit = unit << 4 | u16::from(digit);
        }
        Some(unit)
    };
    let mut out = String::with_capacity(text.len());
    let (mut i, mut copied, mut changed) = (0, 0, false);
    while i < bytes.len() {
        if bytes.get(i) != Some(&b'\\') {
            i += 1;
            continue;
        }
        let Some(unit) = unit_at(i) else {
            i += 2; // another escape, such as `\\`
            continue;
        };
        let is_high = (0xD800..0xDC00).contains(&unit);
        let is_low = (0xDC00..0xE000).contains(&unit);
        if is_high && unit_at(i + 6).is_some_and(|next| (0xDC00..0xE000).contains(&next)) {
            i += 12; // a proper pair
        } else if is_high || is_low {
            out.push_str(text.get(copied..i)?);
            out.push_str("\\uFFFD");
            i += 6;
            copied = i;
            changed = true;
        } else {
            i += 6;
        }
    }
    out.push_str(text.get(copied..)?);
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_does() {
        for s in ["", "plain", "quote\" back\\slash", "\n\r\t\u{8}\u{c}", "\u{1}\u{1f}\u{7f}", "é ü 😀", "a\u{0}b"]
        {
            let mut out = String::new();
            push_json_str(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn integers_are_written_in_decimal() {
        for n in [0, 1, -1, 9, 10, 42, -42, i64::MAX, i64::MIN, 1_000_000] {
            assert_eq!(int_text(n), n.to_string());
        }
        let mut s = String::new();
        push_u64(&mut s, u64::MAX);
        assert_eq!(s, u64::MAX.to_string());
        assert_eq!(parse_i64("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_i64("9223372036854775808"), None);
        assert_eq!(parse_i64("12a"), None);
        assert_eq!(parse_i64("-"), None);
    }

    #[test]
    fn whole_numbers_in_any_spelling() {
        let cases = [
            ("0", "0"),
            ("-0", "0"),
            ("42", "42"),
            ("-42", "-42"),
            ("1e3", "1000"),
            ("1E+2", "100"),
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
        for raw in [
            "1.5",
            "1e-1",
            "18446744073709551616",
            "-9223372036854775809",
            "1e20",
            "1e400",
            "1e99999999999",
            "abc",
            "",
            "1e",
        ] {
            assert_eq!(integer_text(raw), None, "{raw}");
        }
    }

    #[test]
    fn long_values_are_described_by_kind() {
        assert_eq!(must_be("a string", Seen::Number("42")), "must be a string, got 42");
        assert_eq!(must_be("a string", Seen::Str(&"x".repeat(41))), "must be a string, got a long string");
        assert_eq!(quoted(&"y".repeat(100)).len(), 2 + 57 + 3);
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        assert_eq!(lone_surrogates_replaced(r#"{"a":"x\ud800y"}"#).unwrap(), r#"{"a":"x\uFFFDy"}"#);
        assert_eq!(
            lone_surrogates_replaced(r#""\udc00\ud83d\ude00\\ud800""#).unwrap(),
            r#""\uFFFD\ud83d\ude00\\ud800""#
        );
        assert_eq!(lone_surrogates_replaced(r#""\ud83d\ude00 \u00e9""#), None);
        assert_eq!(lone_surrogates_replaced("\"\\ud8"), None);
    }
}
