//! Reading protobuf-JSON objects: lowerCamelCase or snake_case keys, `null` as unset,
//! 64-bit integers as string or number, enums as name or number. Every failure is a
//! [`FieldError`] naming the path of the offending value; nothing here panics.

use std::borrow::Cow;

use super::{integer_text, Json as Value};
use crate::model::ProtoEnum;

/// A value that could not be read, with the path to it (`filter.projectIds[2]`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldError {
    pub(crate) path: String,
    pub(crate) message: String,
}

impl FieldError {
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { path: path.into(), message: message.into() }
    }
}

/// One JSON object being read, and where it sits in the document.
#[derive(Debug)]
pub(crate) struct Obj<'a> {
    members: &'a [(Cow<'a, str>, Value<'a>)],
    path: String,
}

/// A short description of a JSON value for messages: its type, or the value itself
/// when it is short, so a user sees what they passed.
pub(crate) fn describe(v: &Value<'_>) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(true) => "true".into(),
        Value::Bool(false) => "false".into(),
        Value::Number(n) if n.len() <= 40 => n.to_string(),
        Value::Number(_) => "a long number".into(),
        Value::String(s) if s.chars().count() <= 40 => crate::validate::quoted(s),
        Value::String(_) => "a long string".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// Whether `name` is the snake_case form of `camel` (`project_id` of `projectId`): the
/// proto field name that protobuf JSON also accepts. Compared in place, since it runs
/// for every field a response leaves out.
fn is_snake_case_of(name: &str, camel: &str) -> bool {
    let mut rest = name.bytes();
    camel.bytes().all(|b| {
        if b.is_ascii_uppercase() {
            rest.next() == Some(b'_') && rest.next() == Some(b.to_ascii_lowercase())
        } else {
            rest.next() == Some(b)
        }
    }) && rest.next().is_none()
}

/// `path.key`, built without the formatting machinery (this runs for every nested
/// message of every item of a page).
fn join(path: &str, key: &str) -> String {
    let mut out = String::with_capacity(path.len() + key.len() + 1);
    out.push_str(path);
    if !path.is_empty() {
        out.push('.');
    }
    out.push_str(key);
    out
}

impl<'a> Obj<'a> {
    /// Reads `v` as an object at `path` ("" for the document root).
    pub(crate) fn new(v: &'a Value<'a>, path: &str) -> Result<Self, FieldError> {
        match v {
            Value::Object(members) => Ok(Obj { members, path: path.to_string() }),
            other => Err(FieldError::new(
                if path.is_empty() { "(root)" } else { path },
                format!("must be an object, got {}", describe(other)),
            )),
        }
    }

    /// The path of a field of this object.
    pub(crate) fn path_of(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// The value under `key` (or its snake_case form); `null` reads as absent.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value<'a>> {
        let mut members = self.members.iter().rev();
        let v = match members.clone().find(|(name, _)| name == key) {
            Some((_, v)) => Some(v),
            None if key.bytes().any(|b| b.is_ascii_uppercase()) => {
                members.find(|(name, _)| is_snake_case_of(name, key)).map(|(_, v)| v)
            }
            None => None,
        };
        v.filter(|v| !v.is_null())
    }

    /// Fails on a key that is none of `allowed` (camelCase or snake_case), naming
    /// what is allowed: requests with a misspelt field must not be sent half-read.
    pub(crate) fn deny_unknown(&self, allowed: &[&str]) -> Result<(), FieldError> {
        for (key, _) in self.members {
            let known = allowed.iter().any(|a| a == key || is_snake_case_of(key, a));
            if !known {
                return Err(FieldError::new(
                    self.path_of(key),
                    format!("is not a known field; allowed here: {}", allowed.join(", ")),
                ));
            }
        }
        Ok(())
    }

    /// A string field.
    pub(crate) fn string(&self, key: &str) -> Result<Option<String>, FieldError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.to_string())),
            Some(other) => Err(self.type_error(key, "a string", other)),
        }
    }

    /// A 32-bit integer field: a JSON number without fraction, or a string holding one.
    pub(crate) fn int32(&self, key: &str) -> Result<Option<i32>, FieldError> {
        let Some(v) = self.get(key) else { return Ok(None) };
        let n = match v {
            Value::Number(n) => integer_text(n).and_then(|t| t.parse::<i64>().ok()),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        match n.and_then(|n| i32::try_from(n).ok()) {
            Some(n) => Ok(Some(n)),
            None => Err(self.type_error(key, "a 32-bit integer", v)),
        }
    }

    /// A 64-bit integer field, kept as decimal text (JavaScript numbers lose precision
    /// above 2^53). A string is kept as sent; a number is written out in full.
    pub(crate) fn int64_text(&self, key: &str) -> Result<Option<String>, FieldError> {
        let Some(v) = self.get(key) else { return Ok(None) };
        match v {
            Value::String(s) => Ok(Some(s.to_string())),
            Value::Number(n) => match integer_text(n) {
                Some(t) => Ok(Some(t)),
                None => Err(self.type_error(key, "a 64-bit integer", v)),
            },
            other => Err(self.type_error(key, "a 64-bit integer (string or number)", other)),
        }
    }

    /// An enum field: a name (kept even when unknown) or a number.
    pub(crate) fn enumeration<E: ProtoEnum>(&self, key: &str) -> Result<Option<E>, FieldError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(E::from_name(s))),
            Some(v @ Value::Number(n)) => match integer_text(n).and_then(|t| t.parse::<i64>().ok()) {
                Some(n) => Ok(Some(E::from_number(n))),
                None => Err(self.type_error(key, "an enum name or number", v)),
            },
            Some(other) => Err(self.type_error(key, "an enum name", other)),
        }
    }

    /// A nested object field.
    pub(crate) fn object(&self, key: &str) -> Result<Option<Obj<'a>>, FieldError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => Obj::new(v, &self.path_of(key)).map(Some),
        }
    }

    /// A list field: its items with their paths. Absent or `null` is an empty list.
    pub(crate) fn list(&self, key: &str) -> Result<Vec<(String, &'a Value<'a>)>, FieldError> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => {
                let base = self.path_of(key);
                let at = |i: usize| {
                    let mut p = String::with_capacity(base.len() + 6);
                    p.push_str(&base);
                    p.push('[');
                    crate::json::write_int(&mut p, i as i64);
                    p.push(']');
                    p
                };
                Ok(items.iter().enumerate().map(|(i, v)| (at(i), v)).collect())
            }
            Some(other) => Err(self.type_error(key, "a list", other)),
        }
    }

    /// A nested message, decoded by `decode`; an absent one decodes from `{}`, so its
    /// fields take their wire defaults ("0" for 64-bit integers).
    pub(crate) fn message<T>(
        &self,
        key: &str,
        decode: impl for<'b> FnOnce(&Obj<'b>) -> Result<T, FieldError>,
    ) -> Result<T, FieldError> {
        match self.object(key)? {
            Some(o) => decode(&o),
            None => decode(&Obj { members: &[], path: self.path_of(key) }),
        }
    }

    fn type_error(&self, key: &str, expected: &str, got: &Value<'_>) -> FieldError {
        FieldError::new(self.path_of(key), format!("must be {expected}, got {}", describe(got)))
    }
}

/// Reads a list of strings, with each item's path for messages.
pub(crate) fn string_items(items: Vec<(String, &Value<'_>)>) -> Result<Vec<(String, String)>, FieldError> {
    items
        .into_iter()
        .map(|(path, v)| match v {
            Value::String(s) => Ok((path, s.to_string())),
            other => Err(FieldError::new(path, format!("must be a string, got {}", describe(other)))),
        })
        .collect()
}

/// Reads a list of enum names (or numbers).
pub(crate) fn enum_items<E: ProtoEnum>(items: Vec<(String, &Value<'_>)>) -> Result<Vec<(String, E)>, FieldError> {
    items
        .into_iter()
        .map(|(path, v)| match v {
            Value::String(s) => Ok((path, E::from_name(s))),
            Value::Number(n) => match integer_text(n).and_then(|t| t.parse::<i64>().ok()) {
                Some(n) => Ok((path, E::from_number(n))),
                None => Err(FieldError::new(path, format!("must be an enum name, got {n}"))),
            },
            other => Err(FieldError::new(path, format!("must be an enum name, got {}", describe(other)))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value<'_> {
        Value::parse(text).unwrap()
    }

    #[test]
    fn snake_case_forms_match_exactly() {
        assert!(is_snake_case_of("project_id", "projectId"));
        assert!(is_snake_case_of("snapshot_size_bytes", "snapshotSizeBytes"));
        assert!(is_snake_case_of("id", "id"));
        for name in ["project_idx", "projectid", "project_Id", "projectId", "project_i", ""] {
            assert!(!is_snake_case_of(name, "projectId"), "{name}");
        }
    }

    #[test]
    fn reads_snake_case_and_treats_null_as_absent() {
        let v = json(r#"{"project_id": "p", "environmentClassId": null}"#);
        let o = Obj::new(&v, "").unwrap();
        assert_eq!(o.string("projectId").unwrap().as_deref(), Some("p"));
        assert_eq!(o.string("environmentClassId").unwrap(), None);
    }

    #[test]
    fn int32_accepts_numbers_and_numeric_strings_only() {
        let v = json(r#"{"a": 5, "b": "7", "c": 1.5, "d": 4294967296, "e": true, "f": 3.0}"#);
        let o = Obj::new(&v, "x").unwrap();
        assert_eq!(o.int32("a").unwrap(), Some(5));
        assert_eq!(o.int32("b").unwrap(), Some(7));
        assert_eq!(o.int32("f").unwrap(), Some(3));
        assert_eq!(o.int32("c").unwrap_err().path, "x.c");
        assert!(o.int32("d").is_err());
        assert!(o.int32("e").is_err());
    }

    #[test]
    fn int64_keeps_full_precision_as_text() {
        let v =
            json(r#"{"a": 18446744073709551615, "b": "9007199254740993", "c": 1e18, "d": {}, "e": 1e20, "f": 1.5}"#);
        let o = Obj::new(&v, "").unwrap();
        assert_eq!(o.int64_text("a").unwrap().unwrap(), "18446744073709551615");
        assert_eq!(o.int64_text("b").unwrap().unwrap(), "9007199254740993");
        assert_eq!(o.int64_text("c").unwrap().unwrap(), "1000000000000000000");
        assert!(o.int64_text("d").is_err());
        assert!(o.int64_text("e").is_err(), "beyond 64 bits");
        assert!(o.int64_text("f").is_err(), "a fraction");
    }

    #[test]
    fn unknown_keys_are_named_with_what_is_allowed() {
        let v = json(r#"{"projectID": "x"}"#);
        let err = Obj::new(&v, "").unwrap().deny_unknown(&["projectId", "spec"]).unwrap_err();
        assert_eq!(err.path, "projectID");
        assert!(err.message.contains("projectId, spec"), "{}", err.message);
    }

    #[test]
    fn a_non_object_is_an_error_not_a_panic() {
        assert!(Obj::new(&json("[1]"), "").is_err());
        assert!(Obj::new(&json("\"s\""), "a.b").unwrap_err().path == "a.b");
    }
}
