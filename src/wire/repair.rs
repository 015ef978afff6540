//! Second tries for the few documents serde_json refuses but protobuf JSON readers
//! (and `JSON.parse`) accept: a repeated key, where the last one counts, and a lone
//! UTF-16 surrogate escape, read as U+FFFD. Only a failed read pays for them.

use super::ReadError;

/// The text to read again after `error`, if a repair applies.
pub fn repaired(text: &str, error: &ReadError) -> Option<String> {
    if error.message.starts_with("duplicate field") {
        // serde_json's own map keeps the last of repeated keys.
        let value: serde_json::Value = serde_json::from_str(text).ok()?;
        return serde_json::to_string(&value).ok();
    }
    if error.syntax && (error.message.contains("surrogate") || error.message.contains("hex escape")) {
        return lone_surrogates_replaced(text);
    }
    None
}

/// The text with every `\u` escape of a lone surrogate replaced by `\uFFFD`, if it
/// has any.
pub(crate) fn lone_surrogates_replaced(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let unit_at = |i: usize| -> Option<u16> {
        if bytes.get(i) != Some(&b'\\') || bytes.get(i + 1) != Some(&b'u') {
            return None;
        }
        u16::from_str_radix(text.get(i + 2..i + 6)?, 16).ok()
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
