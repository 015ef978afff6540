//! Reading the wire's protobuf JSON (and JavaScript values) with serde: field helpers
//! for protobuf JSON's tolerance, and errors that name the path of the bad value.
//!
//! Reads take the fast path first; only when one fails is it run once more with
//! `serde_path_to_error` tracking, so a successful read pays nothing for paths.

mod fields;
mod number;
mod path;
mod repair;

use std::fmt::Display;

use serde::{Deserialize, Deserializer};

pub(crate) use fields::{
    enum_list, int32, int64, item_message, list, message, opt_int32, opt_int64_string, opt_message, opt_string,
    opt_text, read_enum, scalar, string, text, Item, Scalar,
};
pub use number::integer_text;
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
    let mut de = serde_json::Deserializer::from_str(text);
    match item_message::<T, _>(&mut de).and_then(|v| de.end().map(|()| v)) {
        Ok(v) => Ok(v),
        Err(e) => {
            let syntax = e.is_syntax() || e.is_eof();
            let path =
                if syntax { String::new() } else { path::path_at(text, path::offset_of(text, e.line(), e.column())) };
            Err(ReadError { path, message: plain_message(&e), syntax })
        }
    }
}

/// Reads `T` from the deserializer `make` returns (a JavaScript value, a
/// `serde_json::Value`), tracking the path (these are small: call parameters and
/// options); `null` reads as `{}`.
pub fn from_deserializer<'de, T, D, F>(make: F) -> Result<T, ReadError>
where
    T: Deserialize<'de> + Default,
    D: Deserializer<'de>,
    D::Error: Display,
    F: FnOnce() -> D,
{
    let mut track = serde_path_to_error::Track::new();
    message::<T, _>(serde_path_to_error::Deserializer::new(make(), &mut track)).map_err(|e| ReadError {
        path: path_text(&track.path()),
        message: rephrase(e.to_string()),
        syntax: false,
    })
}

/// A path as this crate writes it: `filter.projectIds[2]`, "" for the root.
fn path_text(path: &serde_path_to_error::Path) -> String {
    let text = path.to_string();
    if text == "." {
        String::new()
    } else {
        text
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
