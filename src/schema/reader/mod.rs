//! The one reader: a serde [`DeserializeSeed`] that walks a message's descriptor over
//! serde_json (the wire's text, and JavaScript values as `JSON.stringify` writes them;
//! natively any deserializer, such as a `serde_json::Value`) and writes the message's
//! canonical JSON as it goes: every field of a response present, lowerCamelCase keys,
//! 64-bit integers as strings, enums as names. Request rules are checked on the way,
//! and the values a caller asked for are recorded.
//!
//! Size and speed come from there being one visitor type (each distinct visitor given
//! to `deserialize_any` copies the parser) and from failing without serde's error
//! machinery: a problem is kept in [`Ctx`] with its message, the visitor returns at
//! once without reading further, and the deserializer's own complaint about the
//! unread rest is dropped. The path of the bad value is assembled while the failure
//! unwinds, so a good read pays nothing for it. Fields are written in the order they
//! come; a message is rebuilt in declaration order only when it came out of order,
//! repeated a key (the last one counts, as in `JSON.parse`) or missed a field.

//!
//! | module | concern |
//! |---|---|
//! | `ctx` | the state of one read: output, records, the failure and rule violations |
//! | `scalars` | strings, numbers, booleans and `null`, by the kind they are read as |
//! | `containers` | lists, messages, headers and any JSON (error details) |
//! | `message` | one message's fields: order, defaults, rebuilding, checks across fields |

mod containers;
mod ctx;
mod message;
mod scalars;

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::desc::{Field, Kind, Msg, Rule};
use super::text::{must_be, push_u64, Seen};

pub(crate) use ctx::too_deep;
pub use ctx::{Capture, Ctx, ReadError, Record, Setup};
pub(crate) use message::push_key;
pub use message::write_default;

/// serde_json (with `arbitrary_precision`) hands over a number as a one-entry map
/// under this key, holding the number's text.
const NUMBER_KEY: &str = "$serde_json::private::Number";
/// The most fields a message may have (a check across fields sees them in an array).
pub const MAX_FIELDS: usize = 16;
/// Connect error details nested deeper than this are dropped.
const MAX_DETAILS_NESTING: u32 = 100;

/// Where a value is: its field, and the field's message and index there.
#[derive(Debug, Clone, Copy)]
pub(super) struct At {
    pub(super) field: &'static Field,
    pub(super) owner: &'static Msg,
    pub(super) index: u8,
}

/// What the reader is reading.
#[derive(Debug, Clone, Copy)]
pub(super) enum Mode {
    /// The whole document, as this message.
    Root(&'static Msg),
    /// A field's value (an item of it when `item`).
    Value { at: At, kind: &'static Kind, item: bool },
    /// A key of this message's object; the index of the field most likely next (keys
    /// usually come in declaration order).
    Key(&'static Msg, usize),
    /// The text of a number (serde_json's private map).
    NumberText,
    /// Anything, skipped.
    Skip,
    /// A top-level `code` or `message` the message does not have.
    Stray,
    /// Any JSON, written back (error details).
    Any,
    /// A header's value.
    Header,
}

/// The seed and visitor of every read: one type, whatever is read.
pub struct Reader<'c> {
    pub(super) ctx: &'c mut Ctx,
    pub(super) mode: Mode,
}

impl fmt::Debug for Reader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Reader")
    }
}

/// A message with no fields, for keys of objects that are not messages.
static NO_FIELDS: Msg = Msg::response("", &[]);

impl<'c> Reader<'c> {
    /// A reader of the whole document as `msg`.
    pub fn root(ctx: &'c mut Ctx, msg: &'static Msg) -> Reader<'c> {
        Reader { ctx, mode: Mode::Root(msg) }
    }

    pub(super) fn at(&mut self, mode: Mode) -> Reader<'_> {
        Reader { ctx: self.ctx, mode }
    }

    /// What a value of this mode must be, for messages.
    pub(super) fn expected(&self) -> &'static str {
        match self.mode {
            Mode::Root(_) => "an object",
            Mode::Value { kind, .. } => match kind {
                Kind::Str => "a string",
                Kind::Int32 => "a 32-bit integer",
                Kind::Int64 => "a 64-bit integer (string or number)",
                Kind::Enum(_) => "an enum name",
                Kind::Msg(_) => "an object",
                Kind::List(_) => "a list",
                Kind::Flag | Kind::Token | Kind::Headers | Kind::Any | Kind::Ignored => "",
            },
            _ => "",
        }
    }

    /// A value of the wrong kind.
    pub(super) fn wrong(&mut self, got: Seen<'_>) {
        let message = match self.mode {
            Mode::Value { kind: Kind::Flag, .. } => "must be true or false".to_string(),
            Mode::Value { kind: Kind::Token, .. } | Mode::Header => "must be a string".to_string(),
            Mode::Value { kind: Kind::Headers, .. } => "must be an object of header names to string values".to_string(),
            _ => must_be(self.expected(), got),
        };
        self.ctx.fail(message);
    }

    pub(super) fn rule(&self) -> &'static Rule {
        match self.mode {
            Mode::Value { at, item: true, .. } => match &at.field.rule {
                Rule::Items(_, each) => each,
                _ => &Rule::None,
            },
            Mode::Value { at, .. } => &at.field.rule,
            _ => &Rule::None,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Reader<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.mode {
            Mode::Skip | Mode::Value { kind: Kind::Ignored, .. } => d.deserialize_ignored_any(self),
            _ => d.deserialize_any(self),
        }
    }
}

impl<'de> Visitor<'de> for Reader<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(mut self, v: bool) -> Result<(), E> {
        self.boolean(v);
        Ok(())
    }
    fn visit_i64<E>(mut self, v: i64) -> Result<(), E> {
        self.integer(i128::from(v));
        Ok(())
    }
    fn visit_u64<E>(mut self, v: u64) -> Result<(), E> {
        self.integer(i128::from(v));
        Ok(())
    }
    /// JavaScript numbers that are not safe integers come this way. Whole ones are
    /// written out exactly; the rest as a marker that is no integer, without pulling
    /// float formatting into the build.
    fn visit_f64<E>(mut self, v: f64) -> Result<(), E> {
        let whole = v.is_finite() && v == (v as i128) as f64;
        let mut text = String::new();
        if whole && v.abs() < 18_446_744_073_709_551_616.0 {
            if v < 0.0 {
                text.push('-');
            }
            push_u64(&mut text, v.abs() as u64);
        } else if whole {
            text.push_str("a number beyond 64 bits");
        } else {
            text.push_str("a fraction");
        }
        self.number(&text);
        Ok(())
    }
    fn visit_str<E>(mut self, v: &str) -> Result<(), E> {
        self.ctx.clean = false;
        self.string(v);
        Ok(())
    }
    fn visit_borrowed_str<E>(mut self, v: &'de str) -> Result<(), E> {
        self.ctx.clean = true;
        self.string(v);
        self.ctx.clean = false;
        Ok(())
    }
    fn visit_unit<E>(mut self) -> Result<(), E> {
        self.null();
        Ok(())
    }
    fn visit_none<E>(mut self) -> Result<(), E> {
        self.null();
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, seq: A) -> Result<(), A::Error> {
        self.list(seq)
    }
    fn visit_map<A: MapAccess<'de>>(mut self, map: A) -> Result<(), A::Error> {
        self.map(map)
    }
}
