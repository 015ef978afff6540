//! Reading the wire's protobuf JSON (and JavaScript values) with serde: field helpers
//! for protobuf JSON's tolerance, and errors that name the path of the bad value.
//!
//! Reads take the fast path: nothing tracks paths while reading. A failed read of JSON
//! text finds its path from the offset where the reader stopped; a failed read of a
//! JavaScript value is read once more from its JSON text to find it.

mod containers;
mod fields;
mod number;
mod path;
mod repair;

use std::fmt::Display;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

pub(crate) use containers::{enum_list, item_message, list, message, opt_message, Item};
pub(crate) use fields::{
    int32, int64, opt_int32, opt_int64_string, opt_string, opt_text, read_enum, read_with, string, text, Scalar,
};
pub use number::integer_text;
pub(crate) use repair::lone_surrogates_replaced;
pub use repair::repaired;

/// A value that could not be read: where it is, and what is wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadError {
    /// The path of the value (`filter.projectIds[2]`); "" for the whole document.
    pub path: String,
    /// What is wrong, and what is allowed ("must be a string, got 42").
    pub message: String,
    /// Whether the text is not JSON at all (as opposed to JSON of the wrong shape).
    pub syntax: bool,
}

/// Reads a whole JSON document as the message `T`: the document must be an object,
/// and nothing may follow it. A failure names the path of the bad value, found from
/// where the reader stopped, so a successful read pays nothing for paths.
pub fn from_str<'a, T: Deserialize<'a> + Default>(text: &'a str) -> Result<T, ReadError> {
    read_text(text, false)
}

/// Reads `text` as `T` (a `null` root reads as `{}` when `null_root` allows it), then
/// checks that nothing follows.
fn read_text<'a, T: Deserialize<'a> + Default>(text: &'a str, null_root: bool) -> Result<T, ReadError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = if null_root { message::<T, _>(&mut de) } else { item_message::<T, _>(&mut de) };
    match value.and_then(|v| de.end().map(|()| v)) {
        Ok(v) => Ok(v),
        Err(e) => {
            let syntax = e.is_syntax() || e.is_eof();
            let path =
                if syntax { String::new() } else { path::path_at(text, path::offset_of(text, e.line(), e.column())) };
            Err(ReadError { path, message: plain_message(&e), syntax })
        }
    }
}

/// Where call parameters and options are read from: something that yields a value of
/// any owned message type `T`, with the path of the bad value when it fails.
pub trait Params {
    /// Reads the value as `T`; `null` reads as `{}`.
    fn read<T: DeserializeOwned + Default>(self) -> Result<T, ReadError>;
}

/// Parameters as JSON text (the simulator's request bodies, tests): read with serde_json,
/// a failure's path found from where the reader stopped.
#[derive(Debug, Clone, Copy)]
pub struct JsonText<'a>(pub &'a str);

impl Params for JsonText<'_> {
    fn read<T: DeserializeOwned + Default>(self) -> Result<T, ReadError> {
        read_text(self.0, true)
    }
}

/// Parameters read straight from a deserializer (a JavaScript value, through
/// serde-wasm-bindgen), with no path tracking on the way. Only when that read fails is
/// the value's JSON text (from `text`) read again, to name the path of what is wrong.
#[derive(Debug)]
pub struct WithTextFallback<D, F>(pub D, pub F);

impl<'de, D, F> Params for WithTextFallback<D, F>
where
    D: Deserializer<'de>,
    D::Error: Display,
    F: FnOnce() -> Option<String>,
{
    fn read<T: DeserializeOwned + Default>(self) -> Result<T, ReadError> {
        let first = match message::<T, _>(self.0) {
            Ok(v) => return Ok(v),
            Err(e) => ReadError { path: String::new(), message: rephrase(e.to_string()), syntax: false },
        };
        // The text read agrees with the first one on what is wrong; when it cannot be had
        // (a BigInt, a cycle) or reads fine, the first error stands, without a path.
        match (self.1)().map(|text| JsonText(&text).read::<T>()) {
            Some(Err(e)) if !e.syntax => Err(e),
            _ => Err(first),
        }
    }
}

/// serde_json's message without the " at line L column C" it appends (the path says
/// where), in this crate's words.
fn plain_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let text = match text.strip_suffix(&suffix) {
        Some(t) if e.is_data() => t.to_string(),
        _ => text,
    };
    rephrase(text)
}

/// serde's wording for an unknown field ("unknown field `projectID`, expected one of
/// `projectId`, `project_id`, ...") as this crate says it, listing the lowerCamelCase
/// names only.
fn rephrase(message: String) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else { return message };
    let allowed: Vec<&str> = rest.split('`').skip(2).step_by(2).filter(|name| !name.contains('_')).collect();
    if allowed.is_empty() {
        "is not a known field; this object has none".to_string()
    } else {
        format!("is not a known field; allowed here: {}", allowed.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_are_rephrased_with_the_camel_case_names() {
        assert_eq!(
            rephrase("unknown field `projectID`, expected one of `projectId`, `project_id`, `spec`".into()),
            "is not a known field; allowed here: projectId, spec"
        );
        assert_eq!(rephrase("unknown field `x`, expected `id`".into()), "is not a known field; allowed here: id");
        assert_eq!(rephrase("must be a string, got 4".into()), "must be a string, got 4");
    }
}
