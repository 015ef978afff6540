//! Writing JSON: string escaping, and objects whose commas take care of themselves.

/// A value that can write itself as JSON.
pub trait ToJson {
    /// Appends this value's JSON to `out`.
    fn write_json(&self, out: &mut String);

    /// This value as JSON text.
    fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }
}

/// Appends `s` as a JSON string literal.
pub fn write_str(out: &mut String, s: &str) {
    let hex = |n: u8| char::from_digit(u32::from(n), 16).unwrap_or('0');
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        // Escaped bytes are ASCII, so `start..i` falls on character boundaries.
        out.push_str(s.get(start..i).unwrap_or_default());
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(hex(b >> 4));
            out.push(hex(b & 0xf));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

/// Appends an integer in decimal.
pub(crate) fn write_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let m = n.unsigned_abs();
    let mut unit = 1u64;
    while m / unit >= 10 {
        unit *= 10;
    }
    loop {
        out.push(char::from(b'0' + (m / unit % 10) as u8));
        if unit == 1 {
            break;
        }
        unit /= 10;
    }
}

/// Writes one JSON object, member by member.
#[derive(Debug)]
pub struct ObjectWriter<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> ObjectWriter<'a> {
    /// Opens an object.
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        ObjectWriter { out, first: true }
    }

    fn key(&mut self, key: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        write_str(self.out, key);
        self.out.push(':');
        self.out
    }

    /// A string member.
    pub fn str(&mut self, key: &str, v: &str) -> &mut Self {
        write_str(self.key(key), v);
        self
    }

    /// A string member when present.
    pub fn opt_str(&mut self, key: &str, v: Option<&str>) -> &mut Self {
        if let Some(v) = v {
            self.str(key, v);
        }
        self
    }

    /// An integer member.
    pub fn int(&mut self, key: &str, v: i64) -> &mut Self {
        write_int(self.key(key), v);
        self
    }

    /// An integer member when present.
    pub fn opt_int(&mut self, key: &str, v: Option<i32>) -> &mut Self {
        if let Some(v) = v {
            self.int(key, i64::from(v));
        }
        self
    }

    /// A member of any type that writes itself.
    pub fn value(&mut self, key: &str, v: &(impl ToJson + ?Sized)) -> &mut Self {
        v.write_json(self.key(key));
        self
    }

    /// A member of any type when present.
    pub fn opt_value(&mut self, key: &str, v: Option<&impl ToJson>) -> &mut Self {
        if let Some(v) = v {
            self.value(key, v);
        }
        self
    }

    /// A list member, written even when empty.
    pub fn list<T: ToJson>(&mut self, key: &str, items: &[T]) -> &mut Self {
        items.write_json(self.key(key));
        self
    }

    /// A list member, left out when empty.
    pub fn nonempty_list<T: ToJson>(&mut self, key: &str, items: &[T]) -> &mut Self {
        if !items.is_empty() {
            self.list(key, items);
        }
        self
    }

    /// Closes the object.
    pub fn end(&mut self) {
        self.out.push('}');
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write_str(out, self);
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        write_str(out, self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_and_round_trip() {
        let s = "quote\" back\\ nl\n tab\t bell\u{7} é 😀 </script>";
        let mut out = String::new();
        write_str(&mut out, s);
        assert_eq!(out, "\"quote\\\" back\\\\ nl\\n tab\\t bell\\u0007 é 😀 </script>\"");
        assert_eq!(crate::json::Json::parse(&out).unwrap(), crate::json::Json::String(s.into()));
    }

    #[test]
    fn integers_in_decimal() {
        for n in [0, 7, -7, 1234567890, i64::MIN, i64::MAX] {
            let mut out = String::new();
            write_int(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn objects_place_their_commas() {
        let mut out = String::new();
        ObjectWriter::new(&mut out)
            .str("a", "x")
            .opt_str("b", None)
            .int("c", -1)
            .opt_int("d", Some(0))
            .nonempty_list::<String>("e", &[])
            .list("f", &["g".to_string()])
            .end();
        assert_eq!(out, r#"{"a":"x","c":-1,"d":0,"f":["g"]}"#);
    }
}
