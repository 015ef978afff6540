//! Scalar field helpers for `#[serde(deserialize_with = ...)]`: protobuf JSON's
//! tolerance, and messages that name what was expected and what came. Messages and
//! lists are in `containers.rs`.
//!
//! Every helper reads through `deserialize_any`, so the value's own kind decides and a
//! wrong kind gets this crate's message ("must be a string, got 42"), never one that
//! needs float formatting. With serde_json's `arbitrary_precision`, a number that is not
//! a plain 64-bit integer arrives as its text, so integers stay exact without floats.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::SeqAccessDeserializer;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::model::ProtoEnum;
use crate::schema::text::integer_text;

/// One JSON value as a field helper sees it: scalars with their text, containers only
/// by kind (their contents are skipped).
#[derive(Debug)]
pub(crate) enum Scalar<'de> {
    Null,
    Bool(bool),
    /// A number, as its JSON text (or, from JavaScript, the shortest exact text we have).
    Number(Cow<'de, str>),
    Str(Cow<'de, str>),
    List,
    Object,
}

impl Scalar<'_> {
    /// A short description for messages: the value itself when short, else its kind.
    pub(crate) fn describe(&self) -> String {
        match self {
            Scalar::Null => "null".into(),
            Scalar::Bool(b) => if *b { "true" } else { "false" }.into(),
            Scalar::Number(n) if n.len() <= 40 => n.to_string(),
            Scalar::Number(_) => "a long number".into(),
            Scalar::Str(s) if s.chars().count() <= 40 => crate::validate::quoted(s),
            Scalar::Str(_) => "a long string".into(),
            Scalar::List => "an array".into(),
            Scalar::Object => "an object".into(),
        }
    }

    /// The whole-number value of a number, or of a string holding one, within i64.
    pub(super) fn integer(&self) -> Option<i64> {
        match self {
            Scalar::Number(n) => integer_text(n).and_then(|t| t.parse().ok()),
            Scalar::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

pub(super) fn wrong<E: de::Error>(expected: &str, got: &Scalar<'_>) -> E {
    E::custom(wrong_text(expected, got))
}

pub(super) fn wrong_text(expected: &str, got: &Scalar<'_>) -> String {
    let mut m = String::with_capacity(expected.len() + 24);
    m.push_str("must be ");
    m.push_str(expected);
    m.push_str(", got ");
    m.push_str(&got.describe());
    m
}

/// Turns a [`Scalar`] into a field's value, or says what was expected.
type Convert<'de, T> = fn(Scalar<'de>) -> Result<T, String>;

/// Reads any JSON value and converts it inside the visit, so that a reader that
/// records positions (serde_json) places the error right after the bad value.
pub(super) struct ScalarVisitor<F>(pub(super) F);

/// The scalar itself.
pub(super) fn keep(s: Scalar<'_>) -> Result<Scalar<'_>, String> {
    Ok(s)
}

macro_rules! converted {
    ($self:ident, $scalar:expr) => {
        ($self.0)($scalar).map_err(E::custom)
    };
}

impl<'de, T, F: FnOnce(Scalar<'de>) -> Result<T, String>> Visitor<'de> for ScalarVisitor<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        converted!(self, Scalar::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        converted!(self, Scalar::Null)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        converted!(self, Scalar::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        converted!(self, Scalar::Number(Cow::Owned(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        converted!(self, Scalar::Number(Cow::Owned(v.to_string())))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<T, E> {
        converted!(self, Scalar::Number(Cow::Owned(v.to_string())))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<T, E> {
        converted!(self, Scalar::Number(Cow::Owned(v.to_string())))
    }
    /// Only JavaScript numbers that are not safe integers come this way. Whole ones are
    /// written out exactly; the rest as a marker that is no integer, without pulling float
    /// formatting into the build.
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        let whole = v.is_finite() && v == (v as i128) as f64;
        converted!(self, Scalar::Number(Cow::Owned(if whole { (v as i128).to_string() } else { "a fraction".into() })))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<T, E> {
        converted!(self, Scalar::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        converted!(self, Scalar::Str(Cow::Owned(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        converted!(self, Scalar::Str(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        IgnoredAny::deserialize(SeqAccessDeserializer::new(seq))?;
        (self.0)(Scalar::List).map_err(de::Error::custom)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        // serde_json (with `arbitrary_precision`) hands over a number that is not a plain
        // 64-bit integer as a one-entry map under this key, holding the number's text.
        const NUMBER: &str = "$serde_json::private::Number";
        let Some(key) = map.next_key::<Cow<'_, str>>()? else {
            return (self.0)(Scalar::Object).map_err(de::Error::custom);
        };
        if key == NUMBER {
            let text = map.next_value::<String>()?;
            return (self.0)(Scalar::Number(Cow::Owned(text))).map_err(de::Error::custom);
        }
        map.next_value::<IgnoredAny>()?;
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        (self.0)(Scalar::Object).map_err(de::Error::custom)
    }
}

/// Reads any JSON value and converts it with `convert`.
pub(super) fn read<'de, T, D: Deserializer<'de>>(d: D, convert: Convert<'de, T>) -> Result<T, D::Error> {
    d.deserialize_any(ScalarVisitor(convert))
}

/// A string; `null` reads as "".
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Cow<'de, str>, D::Error> {
    read(d, |v| match v {
        Scalar::Str(s) => Ok(s),
        Scalar::Null => Ok(Cow::Borrowed("")),
        other => Err(wrong_text("a string", &other)),
    })
}

/// An optional string; `null` reads as unset.
pub(crate) fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    read(d, |v| match v {
        Scalar::Str(s) => Ok(Some(s)),
        Scalar::Null => Ok(None),
        other => Err(wrong_text("a string", &other)),
    })
}

/// An owned string (request fields); `null` reads as "", which proto3 treats as unset.
pub(crate) fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    text(d).map(Cow::into_owned)
}

/// An optional owned string (request fields).
pub(crate) fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    opt_text(d).map(|t| t.map(Cow::into_owned))
}

/// An optional 32-bit integer: a whole number in any JSON spelling, or a string holding
/// one (protobuf JSON allows both).
pub(crate) fn opt_int32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    read(d, |v| match v {
        Scalar::Null => Ok(None),
        v => match v.integer().and_then(|n| i32::try_from(n).ok()) {
            Some(n) => Ok(Some(n)),
            None => Err(wrong_text("a 32-bit integer", &v)),
        },
    })
}

/// A 32-bit integer; `null` reads as 0.
pub(crate) fn int32<'de, D: Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
    opt_int32(d).map(Option::unwrap_or_default)
}

/// An optional 64-bit integer, kept as decimal text (JavaScript numbers lose precision
/// above 2^53): a string is kept as sent, a number is written out in full.
pub(crate) fn opt_int64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    read(d, |v| match v {
        Scalar::Null => Ok(None),
        Scalar::Str(s) => Ok(Some(s)),
        Scalar::Number(n) => match integer_text(&n) {
            Some(t) => Ok(Some(Cow::Owned(t))),
            None => Err(wrong_text("a 64-bit integer", &Scalar::Number(n))),
        },
        other => Err(wrong_text("a 64-bit integer (string or number)", &other)),
    })
}

/// A 64-bit integer as text; `null` reads as "0".
pub(crate) fn int64<'de, D: Deserializer<'de>>(d: D) -> Result<Cow<'de, str>, D::Error> {
    opt_int64(d).map(|v| v.unwrap_or(Cow::Borrowed("0")))
}

/// An optional 64-bit integer as owned text (request fields).
pub(crate) fn opt_int64_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    opt_int64(d).map(|t| t.map(Cow::into_owned))
}

/// An enum value from its name (kept even when unknown) or its number.
pub(crate) fn read_enum<'de, E: ProtoEnum, D: Deserializer<'de>>(d: D) -> Result<Option<E>, D::Error> {
    read(d, |v| match &v {
        Scalar::Null => Ok(None),
        Scalar::Str(s) => Ok(Some(E::from_name(s))),
        Scalar::Number(_) => match v.integer() {
            Some(n) => Ok(Some(E::from_number(n))),
            None => Err(wrong_text("an enum name or number", &v)),
        },
        _ => Err(wrong_text("an enum name", &v)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, Default)]
    struct Probe<'a> {
        #[serde(default, borrow, deserialize_with = "text")]
        s: Cow<'a, str>,
        #[serde(default, deserialize_with = "int32")]
        i: i32,
        #[serde(default, borrow, deserialize_with = "int64")]
        l: Cow<'a, str>,
    }

    fn probe(text: &str) -> Result<Probe<'_>, String> {
        serde_json::from_str::<Probe<'_>>(text).map_err(|e| e.to_string())
    }

    #[test]
    fn strings_borrow_and_null_reads_as_empty() {
        let p = probe(r#"{"s": "abc", "l": null}"#).unwrap();
        assert!(matches!(p.s, Cow::Borrowed("abc")));
        assert_eq!(p.l, "0");
        assert_eq!(probe(r#"{"s": null}"#).unwrap().s, "");
        assert!(probe(r#"{"s": 42}"#).unwrap_err().starts_with("must be a string, got 42"));
        assert!(probe(r#"{"s": 1.5}"#).unwrap_err().starts_with("must be a string, got 1.5"));
        let e = probe(r#"{"s": {"a": 1}}"#).unwrap_err();
        assert!(e.starts_with("must be a string, got an object"), "{e}");
    }

    #[test]
    fn int32_accepts_numbers_and_numeric_strings_only() {
        assert_eq!(probe(r#"{"i": 5}"#).unwrap().i, 5);
        assert_eq!(probe(r#"{"i": "7"}"#).unwrap().i, 7);
        assert_eq!(probe(r#"{"i": 3.0}"#).unwrap().i, 3);
        assert_eq!(probe(r#"{"i": 5e1}"#).unwrap().i, 50);
        assert!(probe(r#"{"i": 1.5}"#).unwrap_err().starts_with("must be a 32-bit integer, got 1.5"));
        assert!(probe(r#"{"i": 4294967296}"#).is_err());
        assert!(probe(r#"{"i": true}"#).is_err());
        let e = probe(r#"{"i": 99999999999999999999999}"#).unwrap_err();
        assert!(e.starts_with("must be a 32-bit integer, got 99999999999999999999999"), "{e}");
    }

    #[test]
    fn int64_keeps_full_precision_as_text() {
        assert_eq!(probe(r#"{"l": 18446744073709551615}"#).unwrap().l, "18446744073709551615");
        assert_eq!(probe(r#"{"l": "9007199254740993"}"#).unwrap().l, "9007199254740993");
        assert_eq!(probe(r#"{"l": 1e18}"#).unwrap().l, "1000000000000000000");
        assert!(probe(r#"{"l": {}}"#).unwrap_err().contains("(string or number), got an object"));
        let e = probe(r#"{"l": 1e20}"#).unwrap_err();
        assert!(e.starts_with("must be a 64-bit integer, got 1e+20"), "{e}");
        assert!(probe(r#"{"l": 1.5}"#).is_err(), "a fraction");
    }
}
