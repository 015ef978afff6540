//! Bytes to lines. Lines are split at `\n` bytes, which never occur inside a UTF-8
//! sequence, so a character split across two chunks is put back together before it
//! is decoded. A `\r` before the `\n` is dropped; bytes that are not UTF-8 become
//! U+FFFD, as `TextDecoder` would make them.

/// Collects chunks of a byte stream and hands out its complete lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineSplitter {
    /// The bytes after the last `\n` seen.
    pending: Vec<u8>,
}

/// One line's bytes as text, without its line ending.
fn decode(mut line: &[u8]) -> String {
    if let [rest @ .., b'\r'] = line {
        line = rest;
    }
    String::from_utf8_lossy(line).into_owned()
}

impl LineSplitter {
    /// An empty splitter.
    pub fn new() -> LineSplitter {
        LineSplitter::default()
    }

    /// Adds a chunk; returns the lines it completes.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<String> {
        let mut lines = Vec::new();
        let mut rest = chunk;
        while let Some(at) = rest.iter().position(|&b| b == b'\n') {
            let (line, after) = rest.split_at(at);
            if self.pending.is_empty() {
                lines.push(decode(line));
            } else {
                self.pending.extend_from_slice(line);
                lines.push(decode(&self.pending));
                self.pending.clear();
            }
            rest = after.get(1..).unwrap_or_default();
        }
        self.pending.extend_from_slice(rest);
        lines
    }

    /// The last line, when the stream ended without a newline after it.
    pub fn finish(&mut self) -> Option<String> {
        if self.pending.is_empty() {
            return None;
        }
        let line = decode(&self.pending);
        self.pending.clear();
        Some(line)
    }

    /// Forgets an incomplete line (the stream it came from broke off).
    pub fn discard(&mut self) {
        self.pending.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_every(text: &[u8], size: usize) -> Vec<String> {
        let mut s = LineSplitter::new();
        let mut lines: Vec<String> = text.chunks(size).flat_map(|c| s.push(c)).collect();
        lines.extend(s.finish());
        lines
    }

    #[test]
    fn lines_come_out_whole_however_the_bytes_are_cut() {
        let text = "clone ✔\r\nbuild → 🚀 done\n\x1b[31merror\x1b[0m\nlast line".as_bytes();
        let expected = ["clone ✔", "build → 🚀 done", "\x1b[31merror\x1b[0m", "last line"];
        for size in 1..=text.len() {
            assert_eq!(split_every(text, size), expected, "chunks of {size}");
        }
    }

    #[test]
    fn empty_lines_are_kept_and_a_final_newline_adds_no_line() {
        assert_eq!(split_every(b"a\n\n\r\nb\n", 3), ["a", "", "", "b"]);
        assert_eq!(split_every(b"", 1), Vec::<String>::new());
    }

    #[test]
    fn bytes_that_are_not_utf8_become_replacement_characters() {
        assert_eq!(split_every(b"a\xff\xfeb\n\xe2\x82\n", 1), ["a\u{fffd}\u{fffd}b", "\u{fffd}"]);
    }

    #[test]
    fn a_line_is_complete_only_at_its_newline() {
        let mut s = LineSplitter::new();
        assert!(s.push(b"half").is_empty());
        assert_eq!(s.push(b" line\nnext"), ["half line"]);
        s.discard();
        assert_eq!(s.finish(), None);
    }
}
