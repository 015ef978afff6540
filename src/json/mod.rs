//! A small JSON layer made for this API: a parser into [`Json`], a writer, and a reader
//! of protobuf-JSON objects. It keeps numbers as their text (no floating point: 64-bit
//! integers stay exact and the WebAssembly build carries no float formatting), limits
//! nesting, and never panics on any input.

use std::borrow::Cow;

mod number;
mod parse;
mod read;
mod write;

pub use number::integer_text;
pub use parse::{ParseError, MAX_DEPTH};
pub(crate) use read::{enum_items, string_items, FieldError, Obj};
pub(crate) use write::write_int;
pub use write::{write_str, ObjectWriter, ToJson};

/// A parsed JSON value. Strings and numbers borrow from the parsed text where they can
/// (no escapes), so reading a large response allocates little.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as its (valid) JSON text.
    Number(Cow<'a, str>),
    /// A string.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Json<'a>>),
    /// An object's members in document order; on a repeated key the last one counts.
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

impl<'a> Json<'a> {
    /// Parses a whole JSON document.
    pub fn parse(text: &'a str) -> Result<Json<'a>, ParseError> {
        parse::parse(text)
    }

    /// The member `key` of an object (the last one, if repeated).
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// An empty object.
    pub fn empty_object() -> Json<'a> {
        Json::Object(Vec::new())
    }

    /// The same value, owning all its text.
    pub fn into_owned(self) -> Json<'static> {
        let own = |s: Cow<'a, str>| Cow::Owned(s.into_owned());
        match self {
            Json::Null => Json::Null,
            Json::Bool(b) => Json::Bool(b),
            Json::Number(n) => Json::Number(own(n)),
            Json::String(s) => Json::String(own(s)),
            Json::Array(items) => Json::Array(items.into_iter().map(Json::into_owned).collect()),
            Json::Object(members) => Json::Object(members.into_iter().map(|(k, v)| (own(k), v.into_owned())).collect()),
        }
    }
}

impl ToJson for Json<'_> {
    fn write_json(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => write_str(out, s),
            Json::Array(items) => items.write_json(out),
            Json::Object(members) => {
                let mut o = ObjectWriter::new(out);
                for (k, v) in members {
                    o.value(k, v);
                }
                o.end();
            }
        }
    }
}
