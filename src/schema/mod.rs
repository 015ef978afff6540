//! The PrebuildService's messages declared once, as data ([`messages`]), and the one
//! reader that interprets them ([`reader`]): from the wire's JSON text, or the JSON
//! text of JavaScript values (call parameters, options), to canonical JSON text,
//! checking the service's rules on the way. One reader over one deserializer
//! (serde_json's) is one copy of the code in the WebAssembly build.
//!
//! | module | concern |
//! |---|---|
//! | [`declare`] | `message!`: a message declared once, as descriptor and typed struct |
//! | [`desc`] | what a descriptor says: kinds, presence, rules |
//! | [`messages`] | every message, request and options object |
//! | [`reader`] | the `DeserializeSeed` that walks descriptors |
//! | [`text`] | escaping, integers, descriptions: small and without `core::fmt` |

#[macro_use]
pub mod declare;
pub mod desc;
pub mod fast;
pub mod messages;
pub mod reader;
pub mod text;

use std::fmt::Display;

use serde::de::{DeserializeSeed, Deserializer};

pub use desc::{Field, Kind, Msg};
pub use reader::{Capture, Ctx, ReadError, Record, Setup};

/// Reads JSON text as `msg`; nothing may follow the value.
pub fn read_text(msg: &'static Msg, text: &str, setup: Setup) -> Result<Ctx, ReadError> {
    // A response body of the usual shape takes the fast path; the reader decides the rest.
    if !setup.rules && !setup.record_top && !setup.null_root && setup.capture.is_empty() {
        if let Some(out) = fast::read(msg, text) {
            let mut ctx = Ctx::new(setup, 0);
            ctx.out = out;
            return Ok(ctx);
        }
    }
    read_text_by_reader(msg, text, setup)
}

/// [`read_text`] by the reader alone, never the fast path (what the fast path is
/// tested against).
pub fn read_text_by_reader(msg: &'static Msg, text: &str, setup: Setup) -> Result<Ctx, ReadError> {
    // Room for the defaults a sparse body leaves out, so that a page is written without
    // growing the buffer.
    let mut ctx = Ctx::new(setup, text.len() + text.len() / 8 + 256);
    let mut de = serde_json::Deserializer::from_str(text);
    let end = reader::Reader::root(&mut ctx, msg).deserialize(&mut de);
    let end = end.and_then(|()| de.end());
    ctx.finish(end.map_err(|e| syntax_error(&e)))
}

/// A syntax error in this crate's words, from where and what kind it is. (serde_json's
/// own `Display` would bring its table of messages and `core::fmt` into the
/// WebAssembly build.)
fn syntax_error(e: &serde_json::Error) -> String {
    let mut m = String::from(match e.classify() {
        serde_json::error::Category::Eof => "the text ends early",
        _ => "unexpected text",
    });
    m.push_str(" at line ");
    text::push_u64(&mut m, e.line() as u64);
    m.push_str(" column ");
    text::push_u64(&mut m, e.column() as u64);
    m
}

/// Reads any deserializer's value (natively: a `serde_json::Value`) as `msg`.
pub fn read_from<'de, D: Deserializer<'de>>(msg: &'static Msg, d: D, setup: Setup) -> Result<Ctx, ReadError>
where
    D::Error: Display,
{
    let mut ctx = Ctx::new(setup, 128);
    let end = reader::Reader::root(&mut ctx, msg).deserialize(d);
    ctx.finish(end.map_err(|e| e.to_string()))
}

/// Reads a whole JSON text as `msg`, and when serde_json refuses it, once more with
/// lone UTF-16 surrogate escapes read as U+FFFD (which `JSON.parse` accepts), if it
/// has any.
pub fn read_text_repaired(msg: &'static Msg, text: &str, setup: Setup) -> Result<Ctx, ReadError> {
    match read_text(msg, text, setup) {
        Err(e) if e.syntax => match text::lone_surrogates_replaced(text) {
            Some(fixed) => read_text(msg, &fixed, setup),
            None => Err(e),
        },
        other => other,
    }
}

/// Where call parameters and options are read from.
pub trait Source {
    /// Reads the value as `msg`.
    fn read(self, msg: &'static Msg, setup: Setup) -> Result<Ctx, ReadError>;
}

/// Parameters as JSON text (the simulator's request bodies, tests).
#[derive(Debug, Clone, Copy)]
pub struct JsonText<'a>(pub &'a str);

impl Source for JsonText<'_> {
    fn read(self, msg: &'static Msg, setup: Setup) -> Result<Ctx, ReadError> {
        read_text(msg, self.0, setup)
    }
}

impl Source for &serde_json::Value {
    fn read(self, msg: &'static Msg, setup: Setup) -> Result<Ctx, ReadError> {
        read_from(msg, self, setup)
    }
}

impl Ctx {
    /// The first recorded value of `field` (by JSON name) of the root message.
    pub fn value(&self, json: &str) -> Option<&str> {
        self.records.iter().find(|r| r.field.json == json).map(|r| r.value.as_str())
    }

    /// Every recorded value of the `i`th captured field, with its list index.
    pub fn values(&self, i: usize) -> impl Iterator<Item = (u32, &str)> + '_ {
        self.records.iter().filter(move |r| r.capture == Some(i)).map(|r| (r.item, r.value.as_str()))
    }
}

#[cfg(test)]
mod tests;
