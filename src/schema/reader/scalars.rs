//! The reader's scalars: strings, numbers, booleans and `null`, each read as the kind
//! its field has (or as a key, a number's text, a header's value...), with the rules
//! of requests checked on the way.

use super::message::{write_default, MsgState};
use super::{At, Mode, Reader};
use crate::schema::desc::{Enum, Field, Kind, Presence, Rule};
use crate::schema::text::{integer_text, must_be, parse_i64, push_i64, push_json_str, push_u64, quoted, Seen};

impl Reader<'_> {
    pub(super) fn string(&mut self, s: &str) {
        self.ctx.null_seen = false;
        let (at, kind, item) = match self.mode {
            Mode::Value { at, kind, item } => (at, kind, item),
            Mode::Key(msg, hint) => {
                self.ctx.found = match msg.fields.get(hint) {
                    Some(f) if f.json == s => Some(hint),
                    _ => msg.find(s),
                };
                if self.ctx.found.is_none() {
                    self.ctx.key.clear();
                    self.ctx.key.push_str(s);
                }
                return;
            }
            Mode::NumberText | Mode::Stray => {
                self.ctx.scratch = Some(s.to_string());
                return;
            }
            Mode::Skip => return,
            Mode::Any => return push_json_str(&mut self.ctx.out, s),
            Mode::Header => {
                if s.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
                    return self.ctx.fail("must not contain line breaks".to_string());
                }
                self.ctx.scratch = Some(s.to_string());
                return;
            }
            Mode::Root(_) => return self.wrong(Seen::Str(s)),
        };
        match kind {
            Kind::Str => {
                if self.ctx.setup.rules {
                    self.check_text(at.field, item, s);
                }
                if !(s.is_empty() && at.field.presence == Presence::NonEmpty) {
                    self.write_str(at, s);
                }
            }
            Kind::Int64 => self.write_str(at, s),
            Kind::Int32 => match parse_i64(s.trim()).and_then(|n| i32::try_from(n).ok()) {
                Some(n) => self.write_int32(at, n),
                None => self.wrong(Seen::Str(s)),
            },
            Kind::Enum(e) => {
                if self.ctx.setup.rules && matches!(self.rule(), Rule::Known) && !e.knows(s) {
                    self.unknown_enum(e, s);
                }
                self.write_str(at, s);
            }
            Kind::Token => {
                if s.bytes().any(|b| b < 0x20 || b == 0x7f) {
                    return self.ctx.fail("must not contain control characters or line breaks".to_string());
                }
                if !s.is_empty() {
                    self.write_str(at, s);
                }
            }
            Kind::Any => push_json_str(&mut self.ctx.out, s),
            Kind::Ignored => {}
            Kind::Msg(_) | Kind::List(_) | Kind::Flag | Kind::Headers => self.wrong(Seen::Str(s)),
        }
    }

    /// The text rules of a string field.
    pub(super) fn check_text(&mut self, field: &'static Field, item: bool, s: &str) {
        if !self.ctx.setup.rules {
            return;
        }
        match self.rule() {
            // "" is a missing id; in a list it is just not a UUID.
            Rule::Uuid if s.is_empty() && !item => {
                if let Some(missing) = field.required {
                    self.ctx.violate(None, missing.to_string());
                }
            }
            Rule::Uuid if !crate::validate::is_uuid(s) => {
                self.ctx.violate(None, crate::validate::not_a_uuid(s));
            }
            Rule::PrebuildTimeout => {
                if let Err(message) = crate::validate::prebuild_timeout_rule(s) {
                    self.ctx.violate(None, message);
                }
            }
            _ => {}
        }
    }

    pub(super) fn unknown_enum(&mut self, e: &Enum, name: &str) {
        let mut m = String::from("must be one of ");
        for (i, (_, n)) in e.values.iter().enumerate() {
            if i > 0 {
                m.push_str(", ");
            }
            m.push_str(n);
        }
        m.push_str(", got ");
        m.push_str(&quoted(name));
        self.ctx.violate(None, m);
    }

    pub(super) fn write_str(&mut self, at: At, s: &str) {
        self.ctx.record(at, s);
        if at.field.presence == Presence::Query {
            return;
        }
        if self.ctx.clean {
            // A string borrowed from the JSON text had no escapes there, and JSON text
            // holds no raw quotes or control characters inside strings: as it was.
            let out = &mut self.ctx.out;
            out.push('"');
            out.push_str(s);
            out.push('"');
        } else {
            push_json_str(&mut self.ctx.out, s);
        }
    }

    pub(super) fn write_int32(&mut self, at: At, n: i32) {
        if self.ctx.setup.rules {
            if let Rule::Range(lo, hi) = self.rule() {
                if !(lo..=hi).contains(&&n) {
                    self.ctx.violate(None, crate::validate::out_of_range(*lo, *hi, i64::from(n)));
                }
            }
        }
        if self.ctx.wants_any(at) {
            let mut text = String::new();
            push_i64(&mut text, i64::from(n));
            self.ctx.record(at, &text);
        }
        if at.field.presence != Presence::Query {
            push_i64(&mut self.ctx.out, i64::from(n));
        }
    }

    /// A whole number as the reader got it: written straight out where the field is a
    /// 32-bit integer that holds it (the usual case), else read from its text.
    pub(super) fn integer(&mut self, v: i128) {
        if let Mode::Value { at, kind: Kind::Int32, .. } = self.mode {
            if let Ok(n) = i32::try_from(v) {
                self.ctx.null_seen = false;
                return self.write_int32(at, n);
            }
        }
        let mut text = String::new();
        if v < 0 {
            text.push('-');
        }
        push_u64(&mut text, u64::try_from(v.unsigned_abs()).unwrap_or(u64::MAX));
        self.number(&text);
    }

    /// A number, from its JSON text (or the shortest exact text of a JavaScript number).
    pub(super) fn number(&mut self, text: &str) {
        self.ctx.null_seen = false;
        let (at, kind) = match self.mode {
            Mode::Value { at, kind, .. } => (at, kind),
            Mode::Key(..) => {
                self.ctx.found = None;
                self.ctx.key.clear();
                self.ctx.key.push_str(text);
                return;
            }
            Mode::Any => return self.ctx.out.push_str(text),
            Mode::Skip | Mode::Stray => return,
            Mode::NumberText | Mode::Root(_) | Mode::Header => return self.wrong(Seen::Number(text)),
        };
        match kind {
            Kind::Int32 => match integer_text(text).and_then(|t| parse_i64(&t)).and_then(|n| i32::try_from(n).ok()) {
                Some(n) => self.write_int32(at, n),
                None => self.wrong(Seen::Number(text)),
            },
            Kind::Int64 => match integer_text(text) {
                Some(t) => self.write_str(at, &t),
                None => self.ctx.fail(must_be("a 64-bit integer", Seen::Number(text))),
            },
            Kind::Enum(e) => match integer_text(text).and_then(|t| parse_i64(&t)) {
                Some(n) => {
                    let name = match e.name_of(n) {
                        Some(name) => name.to_string(),
                        None => {
                            let mut t = String::new();
                            push_i64(&mut t, n);
                            if self.ctx.setup.rules && matches!(self.rule(), Rule::Known) {
                                self.unknown_enum(e, &t);
                            }
                            t
                        }
                    };
                    self.write_str(at, &name);
                }
                None => self.ctx.fail(must_be("an enum name or number", Seen::Number(text))),
            },
            Kind::Any => self.ctx.out.push_str(text),
            Kind::Ignored => {}
            _ => self.wrong(Seen::Number(text)),
        }
    }

    pub(super) fn boolean(&mut self, b: bool) {
        self.ctx.null_seen = false;
        match self.mode {
            Mode::Value { at, kind: Kind::Flag, .. } => {
                let text = if b { "true" } else { "false" };
                self.ctx.record(at, text);
                self.ctx.out.push_str(text);
            }
            Mode::Value { kind: Kind::Any | Kind::Ignored, .. } | Mode::Any => {
                if matches!(self.mode, Mode::Any | Mode::Value { kind: Kind::Any, .. }) {
                    self.ctx.out.push_str(if b { "true" } else { "false" });
                }
            }
            Mode::Skip | Mode::Stray => {}
            Mode::Key(..) => {
                self.ctx.found = None;
                self.ctx.key.clear();
            }
            _ => self.wrong(Seen::Bool(b)),
        }
    }

    pub(super) fn null(&mut self) {
        self.ctx.null_seen = true;
        match self.mode {
            Mode::Value { item: true, .. } => self.wrong(Seen::Null),
            Mode::Value { at, kind, .. } => {
                if let (Some(missing), true) = (at.field.required, self.ctx.setup.rules) {
                    self.ctx.violate(None, missing.to_string());
                }
                if at.field.presence == Presence::Always {
                    write_default(&mut self.ctx.out, kind);
                }
            }
            Mode::Any => self.ctx.out.push_str("null"),
            Mode::Root(msg) if self.ctx.setup.null_root => {
                let mut state = MsgState::begin(self.ctx, msg);
                state.end(self.ctx, msg);
            }
            Mode::Root(_) | Mode::NumberText => self.wrong(Seen::Null),
            Mode::Key(..) => {
                self.ctx.found = None;
                self.ctx.key.clear();
            }
            Mode::Skip | Mode::Stray | Mode::Header => {}
        }
    }
}
