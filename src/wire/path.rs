//! The path (`prebuilds[3].status.phase`) of the value that a JSON text's reader stopped
//! at, worked out from the text and the byte offset after the failure: responses are
//! read once, on the fast path, and only a failed read pays for finding where.

use std::borrow::Cow;

/// One open array or object, with where in it the reader is.
enum Frame<'a> {
    /// An array, and the index of the item begun last (None before the first).
    Array(Option<usize>),
    /// An object, and the key whose value is being read (None between members).
    Object(Option<Cow<'a, str>>),
}

/// The path of the value being read when the reader stopped at byte `offset` of
/// `text`: object keys joined by `.`, array items as `[i]`; "" for the whole document.
pub(crate) fn path_at(text: &str, offset: usize) -> String {
    let bytes = text.as_bytes();
    let end = offset.min(bytes.len());
    let mut frames: Vec<Frame<'_>> = Vec::new();
    let mut awaiting_key = false;
    let mut i = 0;
    while i < end {
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'"' => {
                let close = string_end(bytes, i + 1);
                if awaiting_key {
                    let raw = text.get(i..close).unwrap_or_default();
                    let key = if raw.contains('\\') {
                        Cow::Owned(serde_json::from_str::<String>(raw).unwrap_or_default())
                    } else {
                        Cow::Borrowed(raw.get(1..raw.len().saturating_sub(1)).unwrap_or_default())
                    };
                    if let Some(Frame::Object(k)) = frames.last_mut() {
                        *k = Some(key);
                    }
                    awaiting_key = false;
                } else {
                    begin_value(&mut frames);
                }
                i = close;
                continue;
            }
            b'{' => {
                begin_value(&mut frames);
                frames.push(Frame::Object(None));
                awaiting_key = true;
            }
            b'[' => {
                begin_value(&mut frames);
                frames.push(Frame::Array(None));
            }
            b'}' | b']' => {
                frames.pop();
                awaiting_key = false;
            }
            b',' => {
                if let Some(Frame::Object(k)) = frames.last_mut() {
                    *k = None;
                    awaiting_key = true;
                }
            }
            b':' | b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => {
                // A number, true, false or null: one value, however long.
                begin_value(&mut frames);
                while bytes.get(i + 1).is_some_and(|c| !b",]}: \t\n\r".contains(c)) {
                    i += 1;
                }
            }
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &frames {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Array(Some(index)) => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
            Frame::Object(None) | Frame::Array(None) => {}
        }
    }
    path
}

/// A value starts: in an array, that is the next item.
fn begin_value(frames: &mut [Frame<'_>]) {
    if let Some(Frame::Array(index)) = frames.last_mut() {
        *index = Some(index.map_or(0, |i| i + 1));
    }
}

/// Where a string whose body starts at `from` ends (just past its closing quote).
fn string_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The byte offset of serde_json's line and column (both count from 1; the column
/// counts bytes).
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.bytes().enumerate().filter(|(_, b)| *b == b'\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1)
    };
    line_start + column
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_after(text: &str, marker: &str) -> String {
        let at = text.find(marker).unwrap() + marker.len();
        path_at(text, at)
    }

    #[test]
    fn paths_of_values() {
        assert_eq!(path_after(r#"{"prebuild":{"id":42}}"#, "42"), "prebuild.id");
        assert_eq!(path_after(r#"{"prebuilds":[{"id":"a"},null]}"#, "null"), "prebuilds[1]");
        assert_eq!(
            path_after(r#"{"prebuilds":[{"id":"a"},{"status":{"phase":true}}]}"#, "true"),
            "prebuilds[1].status.phase"
        );
        assert_eq!(path_after(r#"{"prebuild":"x"}"#, r#""x""#), "prebuild");
        assert_eq!(path_after(r#"{"prebuilds":{"0":{}}}"#, r#"{"prebuilds":{"#), "prebuilds");
        assert_eq!(path_after(r#"[1]"#, "["), "");
        assert_eq!(path_after(r#"null"#, "null"), "");
        assert_eq!(path_after(r#"{"a\"b":{"c":1}}"#, "1"), "a\"b.c");
        assert_eq!(path_after(r#"{"a":"x,y:\"{[","b":[[1,2],[3]]}"#, "3"), "b[1][0]");
    }

    #[test]
    fn any_offset_and_text_is_safe() {
        for text in ["", "{", "\"", "{\"a", "[[[", "}}}", "\"\\", "{\"é\":[\"ü\""] {
            for offset in 0..text.len() + 3 {
                let _ = path_at(text, offset);
            }
        }
        assert_eq!(offset_of("ab\ncd\nef", 3, 1), 7);
        assert_eq!(offset_of("abc", 1, 2), 2);
    }
}
