//! The fast path of response reading: a byte scanner for the bodies servers actually
//! send (keys in declaration order, some left out; strings without escapes; integers
//! in plain digits), writing the same canonical JSON as the reader in one pass over the
//! text, without serde's per-value calls.
//!
//! It is a shortcut, not a second reader: anything outside that common shape (an
//! escape, a `null`, an unknown or proto-named key, keys out of order or repeated, a
//! number with a fraction or an exponent, a syntax error, a Connect error body) makes
//! it give up, and the whole text is read again by the reader, which has the last word
//! on every value and every error. Where it does answer, its text is the reader's, byte
//! for byte: `tests/fuzz_decode.rs` holds it to that on mutated bodies.

use super::desc::{Field, Kind, Msg, Presence};
use super::reader::{push_key, write_default};

/// Deeper than this, the reader (with serde_json's recursion limit) decides.
const MAX_DEPTH: u32 = 32;

/// The canonical JSON of `text` read as `msg`, or `None` when the reader must decide.
pub fn read(msg: &'static Msg, text: &str) -> Option<String> {
    let out = String::with_capacity(text.len() + text.len() / 8 + 256);
    let mut scan = Scan { text, at: 0, copied: 0, out, depth: 0 };
    scan.message(msg)?;
    scan.skip_space();
    if scan.at != text.len() {
        return None;
    }
    scan.flush(text.len())?;
    Some(scan.out)
}

/// The output is the text with edits: most of a body the server wrote is already
/// canonical, so it is copied in long runs, and only what differs (white space, absent
/// fields, fields left out, 64-bit integers written as numbers) is cut or inserted.
struct Scan<'t> {
    text: &'t str,
    /// The next byte to read.
    at: usize,
    /// The text before this has been copied to `out` or cut.
    copied: usize,
    out: String,
    depth: u32,
}

impl<'t> Scan<'t> {
    /// Copies the text up to `upto`.
    fn flush(&mut self, upto: usize) -> Option<()> {
        if upto > self.copied {
            self.out.push_str(self.text.get(self.copied..upto)?);
            self.copied = upto;
        }
        Some(())
    }

    /// Leaves the text from `from` to `to` out.
    fn cut(&mut self, from: usize, to: usize) -> Option<()> {
        self.flush(from)?;
        self.copied = to;
        Some(())
    }

    fn skip_space(&mut self) {
        let bytes = self.text.as_bytes();
        let start = self.at;
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(self.at) {
            self.at += 1;
        }
        if self.at > start {
            let _ = self.cut(start, self.at);
        }
    }

    /// The next byte that is not white space (not consumed).
    #[inline(always)]
    fn peek(&mut self) -> Option<u8> {
        // Compact text has none: look before calling.
        match self.text.as_bytes().get(self.at) {
            Some(&b) if b > b' ' => Some(b),
            _ => {
                self.skip_space();
                self.text.as_bytes().get(self.at).copied()
            }
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// A string's contents, if it has no escape and no control character.
    fn string(&mut self) -> Option<&'t str> {
        self.expect(b'"')?;
        let start = self.at;
        let len = plain_len(self.text.as_bytes().get(start..)?)?;
        self.at = start + len + 1;
        // Both ends are ASCII quotes, so this is a whole UTF-8 text.
        self.text.get(start..start + len)
    }

    /// An integer's digits, if it is written plainly (no fraction, no exponent, no
    /// `-0`) and fits 18 digits.
    fn integer(&mut self) -> Option<(usize, &'t str)> {
        self.skip_space();
        let bytes = self.text.as_bytes();
        let start = self.at;
        let digits = start + usize::from(bytes.get(start) == Some(&b'-'));
        let mut end = digits;
        while bytes.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
        let count = end - digits;
        let lead_zero = bytes.get(digits) == Some(&b'0');
        if count == 0 || count > 18 || (lead_zero && (count > 1 || digits > start)) {
            return None;
        }
        if let Some(b'.' | b'e' | b'E') = bytes.get(end) {
            return None;
        }
        self.at = end;
        Some((start, self.text.get(start..end)?))
    }

    /// Makes `out` end where the key read at `key_at` begins (`key_out` in the output),
    /// dropping what of it was already copied (white space before its colon makes the
    /// scanner copy it early).
    fn back_to_key(&mut self, key_at: usize, key_out: usize) -> Option<()> {
        if self.copied <= key_at {
            self.flush(key_at)
        } else {
            self.out.truncate(key_out);
            Some(())
        }
    }

    fn message(&mut self, msg: &'static Msg) -> Option<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.expect(b'{')?;
        let mut next = 0;
        if self.peek()? != b'}' {
            loop {
                self.skip_space();
                let key_at = self.at;
                let mut key_out = self.out.len() + (key_at - self.copied);
                // Keys usually come in declaration order, and compact: the next field's
                // key and colon, as they are, need no scanning.
                let expected = msg.fields.get(next).map_or("", |f| f.key);
                let bytes = self.text.as_bytes();
                let index = if !expected.is_empty()
                    && bytes.get(key_at..key_at + expected.len()) == Some(expected.as_bytes())
                {
                    self.at += expected.len();
                    next
                } else {
                    let key = self.string()?;
                    self.expect(b':')?;
                    let index = match msg.fields.get(next) {
                        Some(f) if f.json == key => next,
                        _ => msg.find(key)?,
                    };
                    if msg.fields.get(index)?.json != key || index < next {
                        return None;
                    }
                    index
                };
                let field = msg.fields.get(index)?;
                if field.presence == Presence::Query {
                    return None;
                }
                if index > next {
                    let absent = msg.fields.get(next..index)?;
                    if self.copied <= key_at {
                        self.flush(key_at)?;
                        defaults(&mut self.out, absent);
                        key_out = self.out.len();
                    } else {
                        let mut text = String::new();
                        defaults(&mut text, absent);
                        self.out.insert_str(key_out, &text);
                        key_out += text.len();
                    }
                }
                let written = self.value(&field.kind, field.presence, false)?;
                next = index + 1;
                if !written {
                    self.back_to_key(key_at, key_out)?;
                    self.copied = self.at;
                    defaults(&mut self.out, msg.fields.get(index..next)?);
                    if self.peek()? == b',' {
                        self.at += 1;
                        self.copied = self.at;
                        continue;
                    }
                }
                match self.peek()? {
                    b',' => self.at += 1,
                    b'}' => break,
                    _ => return None,
                }
            }
        }
        // At the closing brace: the absent fields' defaults, and no comma before it.
        self.flush(self.at)?;
        let rest = msg.fields.get(next..)?;
        if !self.out.ends_with(['{', ',']) && rest.iter().any(|f| f.presence == Presence::Always) {
            self.out.push(',');
        }
        defaults(&mut self.out, rest);
        if self.out.ends_with(',') {
            self.out.pop();
        }
        self.at += 1;
        self.depth -= 1;
        Some(())
    }

    /// Reads a value of `kind`; false when it is left out of the output (an empty
    /// optional text or token, an empty list that is left out).
    fn value(&mut self, kind: &'static Kind, presence: Presence, item: bool) -> Option<bool> {
        match kind {
            Kind::Str | Kind::Token | Kind::Enum(_) => {
                let s = self.string()?;
                if s.is_empty() {
                    if item {
                        return None; // the reader's business
                    }
                    match kind {
                        Kind::Str if presence == Presence::NonEmpty => return Some(false),
                        Kind::Token => return Some(false),
                        _ => {}
                    }
                }
                if matches!(kind, Kind::Token) && s.bytes().any(|b| b == 0x7f) {
                    return None;
                }
            }
            Kind::Int64 => {
                if self.peek()? != b'"' {
                    // Written as a string.
                    let (start, digits) = self.integer()?;
                    self.flush(start)?;
                    self.out.push('"');
                    self.out.push_str(digits);
                    self.out.push('"');
                    self.copied = self.at;
                } else {
                    self.string()?;
                }
            }
            Kind::Int32 => {
                let (_, digits) = self.integer()?;
                i32::try_from(parse(digits)).ok()?;
            }
            Kind::Flag => {
                let word = if self.peek()? == b't' { "true" } else { "false" };
                if !self.text.get(self.at..)?.starts_with(word) {
                    return None;
                }
                self.at += word.len();
            }
            Kind::Msg(m) => self.message(m)?,
            Kind::List(inner) => return self.list(inner, presence),
            Kind::Any | Kind::Headers | Kind::Ignored => return None,
        }
        Some(true)
    }

    fn list(&mut self, inner: &'static Kind, presence: Presence) -> Option<bool> {
        self.expect(b'[')?;
        if self.peek()? == b']' {
            self.at += 1;
            return Some(presence != Presence::NonEmpty);
        }
        loop {
            if !self.value(inner, presence, true)? {
                return None;
            }
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(true);
                }
                _ => return None,
            }
        }
    }
}

/// Writes fields' defaults, each followed by a comma.
fn defaults(out: &mut String, fields: &'static [Field]) {
    for field in fields.iter().filter(|f| f.presence == Presence::Always) {
        push_key(out, field);
        write_default(out, &field.kind);
        out.push(',');
    }
}

/// Eight bytes as one word.
fn word(chunk: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(chunk);
    u64::from_le_bytes(bytes)
}

/// The value of at most 18 digits, with an optional minus.
fn parse(digits: &str) -> i64 {
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, digits),
    };
    let mut n: i64 = 0;
    for b in digits.bytes() {
        n = n * 10 + i64::from(b - b'0');
    }
    if negative {
        -n
    } else {
        n
    }
}

/// The length of a string's contents up to its closing quote, eight bytes at a time;
/// `None` at a backslash, a control character or the end of the text.
fn plain_len(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let v = word(chunk);
        let quote = v ^ (ONES * u64::from(b'"'));
        let slash = v ^ (ONES * u64::from(b'\\'));
        let found = (v.wrapping_sub(ONES * 0x20) & !v)
            | (quote.wrapping_sub(ONES) & !quote)
            | (slash.wrapping_sub(ONES) & !slash);
        let found = found & HIGH;
        if found != 0 {
            // The lowest flagged byte is exact (the borrows only run upwards).
            let first = at + (found.trailing_zeros() / 8) as usize;
            return (bytes.get(first) == Some(&b'"')).then_some(first);
        }
        at += 8;
    }
    while let Some(&b) = bytes.get(at) {
        match b {
            b'"' => return Some(at),
            b'\\' | 0..=0x1f => return None,
            _ => at += 1,
        }
    }
    None
}
