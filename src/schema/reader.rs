//! The one reader: a serde [`DeserializeSeed`] that walks a message's descriptor over
//! serde_json (the wire's text, and JavaScript values as `JSON.stringify` writes them;
//! natively any deserializer, such as a `serde_json::Value`) and writes the message's canonical JSON as it goes: every field
//! of a response present, lowerCamelCase keys, 64-bit integers as strings, enums as
//! names. Request rules are checked on the way, and the values a caller asked for are
//! recorded.
//!
//! Size and speed come from there being one visitor type (each distinct visitor given
//! to `deserialize_any` copies the parser) and from failing without serde's error
//! machinery: a problem is kept in [`Ctx`] with its message, the visitor returns at
//! once without reading further, and the deserializer's own complaint about the
//! unread rest is dropped. The path of the bad value is assembled while the failure
//! unwinds, so a good read pays nothing for it. Fields are written in the order they
//! come; a message is rebuilt in declaration order only when it came out of order,
//! repeated a key (the last one counts, as in `JSON.parse`) or missed a field.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::desc::{Field, Kind, Msg, Presence, Rule};
use super::text::{integer_text, must_be, parse_i64, push_i64, push_json_str, push_u64, quoted, Seen};

/// serde_json (with `arbitrary_precision`) hands over a number as a one-entry map
/// under this key, holding the number's text.
const NUMBER_KEY: &str = "$serde_json::private::Number";
/// The most fields a message may have (the spans of one message live on the stack).
pub const MAX_FIELDS: usize = 16;
/// Connect error details nested deeper than this are dropped.
const MAX_DETAILS_NESTING: u32 = 100;

/// One step of a path: a field or key, or a list index.
#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Name(&'static str),
    Key(String),
    Index(u32),
}

/// A field to record wherever it is read: its message, and its index there. (Messages
/// are statics, so their addresses identify them; field tables may be copied.)
pub type Capture = (&'static Msg, usize);

/// A value read for the caller: a top-level field, a query parameter, a captured
/// field, or a header.
#[derive(Debug, Clone)]
pub struct Record {
    /// The field it belongs to.
    pub field: &'static Field,
    /// Its index in [`Setup::capture`], if it was captured.
    pub capture: Option<usize>,
    /// The index in the nearest list, for values inside list items.
    pub item: u32,
    /// A header's name (lowercased); "" otherwise.
    pub key: String,
    /// The value as text: a string as it is, an integer in decimal, an enum's name,
    /// `true` or `false`.
    pub value: String,
}

/// What a read is asked to do beyond writing the canonical JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct Setup {
    /// Check the service's rules (requests and options).
    pub rules: bool,
    /// Record every value of the root message's fields (and of their lists and headers).
    pub record_top: bool,
    /// Record these fields' values wherever they are.
    pub capture: &'static [Capture],
    /// A `null` (or `undefined`) root reads as `{}` (call parameters and options).
    pub null_root: bool,
    /// Keep a top-level `code` and `message` that the message does not have (a Connect
    /// error body under a success status).
    pub stray: bool,
}

/// A rule violation, kept until the read ends: a value of the wrong kind is reported
/// before any, and the first in declaration order wins among them.
#[derive(Debug)]
struct Violation {
    rank: Vec<u32>,
    path: String,
    message: String,
}

/// The state of one read.
#[derive(Debug, Default)]
pub struct Ctx {
    /// The canonical JSON written so far.
    pub out: String,
    setup: Setup,
    /// The first problem: its message, and the path collected while unwinding
    /// (innermost first).
    failure: Option<(String, Vec<Seg>)>,
    violation: Option<Violation>,
    /// The path to the value being read, with ranks (only while checking rules).
    path: Vec<(Seg, u32)>,
    /// Depth of the message being read (1: the root's fields).
    depth: u32,
    /// The index in the nearest list being read.
    item: u32,
    /// What the last key read was: a field's index, or None with the key in `key`.
    found: Option<usize>,
    key: String,
    /// A number's text (serde_json's private map), or a stray string.
    scratch: Option<String>,
    /// Where the fields of the messages being read were written (see `MsgState`).
    spans: Vec<(usize, usize)>,
    /// Values recorded for the caller.
    pub records: Vec<Record>,
    /// A top-level `code` and `message` of a body that is a Connect error.
    pub stray_code: Option<String>,
    /// See `stray_code`.
    pub stray_message: Option<String>,
    /// Whether the root's first field was set (not absent, not `null`).
    pub first_set: bool,
    null_seen: bool,
    /// Whether the string being read came straight from the JSON text, unescaped (so
    /// it needs no escaping to be written back).
    clean: bool,
    any_depth: u32,
    any_deepest: u32,
}

/// Why a read failed.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadError {
    /// The path of the value (`filter.projectIds[2]`); "" for the whole document.
    pub path: String,
    /// What is wrong, and what is allowed ("must be a string, got 42").
    pub message: String,
    /// Whether the text is not JSON at all (as opposed to JSON of the wrong shape).
    pub syntax: bool,
}

impl Ctx {
    /// A context for one read.
    pub fn new(setup: Setup, capacity: usize) -> Ctx {
        Ctx { out: String::with_capacity(capacity), setup, ..Ctx::default() }
    }

    fn fail(&mut self, message: String) {
        if self.failure.is_none() {
            self.failure = Some((message, Vec::new()));
        }
    }

    fn failed(&self) -> bool {
        self.failure.is_some()
    }

    /// Adds a step to the failure's path while it unwinds.
    fn unwind(&mut self, seg: Seg) {
        if let Some((_, path)) = &mut self.failure {
            path.push(seg);
        }
    }

    /// Keeps a rule violation of the value at the current path (plus `last`).
    fn violate(&mut self, last: Option<(Seg, u32)>, message: String) {
        let mut rank: Vec<u32> = self.path.iter().map(|(_, r)| *r).collect();
        let segs = self.path.iter().map(|(s, _)| s).chain(last.as_ref().map(|(s, _)| s));
        let path = path_text(segs);
        if let Some((_, r)) = &last {
            rank.push(*r);
        }
        if self.violation.as_ref().is_none_or(|v| rank < v.rank) {
            self.violation = Some(Violation { rank, path, message });
        }
    }

    fn captured(&self, owner: &'static Msg, index: u8) -> Option<usize> {
        let index = usize::from(index);
        self.setup.capture.iter().position(|(m, i)| std::ptr::eq(*m, owner) && *i == index)
    }

    fn wants(&self, field: &'static Field) -> bool {
        field.presence == Presence::Query || (self.setup.record_top && self.depth == 1)
    }

    /// Whether a value at `at` may be recorded (the common case, a response read for its
    /// text alone, records nothing).
    #[inline]
    fn wants_any(&self, at: At) -> bool {
        !self.setup.capture.is_empty() || self.setup.record_top || at.field.presence == Presence::Query
    }

    #[inline]
    fn record(&mut self, at: At, value: &str) {
        if self.wants_any(at) {
            self.record_slow(at, value);
        }
    }

    fn record_slow(&mut self, at: At, value: &str) {
        let capture = if self.setup.capture.is_empty() { None } else { self.captured(at.owner, at.index) };
        if capture.is_some() || self.wants(at.field) {
            let item = self.item;
            self.records.push(Record { field: at.field, capture, item, key: String::new(), value: value.to_string() });
        }
    }

    /// The result of a read that has ended (`end` is what the deserializer said, in
    /// words).
    pub fn finish(self, end: Result<(), String>) -> Result<Ctx, ReadError> {
        let mut ctx = self;
        if let Some((message, mut path)) = ctx.failure.take() {
            path.reverse();
            return Err(ReadError { path: path_text(path.iter()), message, syntax: false });
        }
        if let Err(message) = end {
            return Err(ReadError { path: String::new(), message, syntax: true });
        }
        if let Some(v) = ctx.violation.take() {
            return Err(ReadError { path: v.path, message: v.message, syntax: false });
        }
        Ok(ctx)
    }
}

fn path_text<'a>(segs: impl Iterator<Item = &'a Seg>) -> String {
    let mut path = String::new();
    for seg in segs {
        match seg {
            Seg::Name(name) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(name);
            }
            Seg::Key(key) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Seg::Index(i) => {
                path.push('[');
                push_u64(&mut path, u64::from(*i));
                path.push(']');
            }
        }
    }
    path
}

/// Where a value is: its field, and the field's message and index there.
#[derive(Debug, Clone, Copy)]
struct At {
    field: &'static Field,
    owner: &'static Msg,
    index: u8,
}

/// What the reader is reading.
#[derive(Debug, Clone, Copy)]
enum Mode {
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
    ctx: &'c mut Ctx,
    mode: Mode,
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

    fn at(&mut self, mode: Mode) -> Reader<'_> {
        Reader { ctx: self.ctx, mode }
    }

    /// What a value of this mode must be, for messages.
    fn expected(&self) -> &'static str {
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
    fn wrong(&mut self, got: Seen<'_>) {
        let message = match self.mode {
            Mode::Value { kind: Kind::Flag, .. } => "must be true or false".to_string(),
            Mode::Value { kind: Kind::Token, .. } | Mode::Header => "must be a string".to_string(),
            Mode::Value { kind: Kind::Headers, .. } => "must be an object of header names to string values".to_string(),
            _ => must_be(self.expected(), got),
        };
        self.ctx.fail(message);
    }

    fn rule(&self) -> &'static Rule {
        match self.mode {
            Mode::Value { at, item: true, .. } => match &at.field.rule {
                Rule::Items(_, each) => each,
                _ => &Rule::None,
            },
            Mode::Value { at, .. } => &at.field.rule,
            _ => &Rule::None,
        }
    }

    fn string(&mut self, s: &str) {
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
    fn check_text(&mut self, field: &'static Field, item: bool, s: &str) {
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

    fn unknown_enum(&mut self, e: &super::desc::Enum, name: &str) {
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

    fn write_str(&mut self, at: At, s: &str) {
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

    fn write_int32(&mut self, at: At, n: i32) {
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
    fn integer(&mut self, v: i128) {
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
    fn number(&mut self, text: &str) {
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

    fn boolean(&mut self, b: bool) {
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

    fn null(&mut self) {
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

    fn list<'de, A: SeqAccess<'de>>(&mut self, mut seq: A) -> Result<(), A::Error> {
        self.ctx.null_seen = false;
        let (at, inner) = match self.mode {
            Mode::Value { at, kind: Kind::List(inner), item: false } => (at, *inner),
            Mode::Value { kind: Kind::Any, .. } | Mode::Any => return self.any_list(seq),
            Mode::Skip | Mode::Stray | Mode::Value { kind: Kind::Ignored, .. } => {
                while seq.next_element_seed(self.at(Mode::Skip))?.is_some() {}
                return Ok(());
            }
            _ => {
                self.wrong(Seen::List);
                return Ok(());
            }
        };
        let field = at.field;
        let mark = self.ctx.out.len();
        let writes = field.presence != Presence::Query;
        if writes {
            self.ctx.out.push('[');
        }
        let mut count: u32 = 0;
        loop {
            let start = self.ctx.out.len();
            if count > 0 && writes {
                self.ctx.out.push(',');
            }
            let rules = self.ctx.setup.rules;
            if rules {
                self.ctx.path.push((Seg::Index(count), count));
            }
            self.ctx.item = count;
            let next = seq.next_element_seed(self.at(Mode::Value { at, kind: inner, item: true }));
            if rules {
                self.ctx.path.pop();
            }
            match next {
                Ok(Some(())) if !self.ctx.failed() => {}
                Ok(None) => {
                    self.ctx.out.truncate(start);
                    break;
                }
                other => {
                    if self.ctx.failed() {
                        self.ctx.unwind(Seg::Index(count));
                    }
                    return other.map(|_| ());
                }
            }
            count += 1;
        }
        if self.ctx.setup.rules {
            if let Rule::Items(max, _) = field.rule {
                if count as usize > max {
                    let mut m = String::from("may hold at most ");
                    push_u64(&mut m, max as u64);
                    m.push_str(" items, got ");
                    push_u64(&mut m, u64::from(count));
                    self.ctx.violate(None, m);
                }
            }
        }
        if count == 0 && field.presence == Presence::NonEmpty {
            self.ctx.out.truncate(mark);
        } else if writes {
            self.ctx.out.push(']');
        }
        Ok(())
    }

    fn any_list<'de, A: SeqAccess<'de>>(&mut self, mut seq: A) -> Result<(), A::Error> {
        self.ctx.any_depth += 1;
        self.ctx.any_deepest = self.ctx.any_deepest.max(self.ctx.any_depth);
        self.ctx.out.push('[');
        let mut first = true;
        loop {
            let start = self.ctx.out.len();
            if !first {
                self.ctx.out.push(',');
            }
            match seq.next_element_seed(self.at(Mode::Any))? {
                Some(()) => first = false,
                None => {
                    self.ctx.out.truncate(start);
                    break;
                }
            }
        }
        self.ctx.out.push(']');
        self.ctx.any_depth -= 1;
        Ok(())
    }

    fn map<'de, A: MapAccess<'de>>(&mut self, mut map: A) -> Result<(), A::Error> {
        self.ctx.null_seen = false;
        let msg = match self.mode {
            Mode::Root(msg) => msg,
            Mode::Value { kind: Kind::Msg(msg), .. } => *msg,
            _ => &NO_FIELDS,
        };
        // The first key tells a number (serde_json's private map) from an object.
        if map.next_key_seed(self.at(Mode::Key(msg, 0)))?.is_none() {
            return self.object(map, msg, false);
        }
        if self.ctx.found.is_none() && self.ctx.key == NUMBER_KEY {
            self.ctx.scratch = None;
            map.next_value_seed(self.at(Mode::NumberText))?;
            let text = self.ctx.scratch.take().unwrap_or_default();
            self.number(&text);
            return Ok(());
        }
        self.object(map, msg, true)
    }

    /// An object whose first key (if `keyed`) has been read.
    fn object<'de, A: MapAccess<'de>>(&mut self, mut map: A, msg: &'static Msg, keyed: bool) -> Result<(), A::Error> {
        match self.mode {
            Mode::Root(_) | Mode::Value { kind: Kind::Msg(_), .. } => self.message(map, msg, keyed),
            Mode::Value { at, kind: Kind::Headers, .. } => self.headers(map, at.field, keyed),
            Mode::Value { kind: Kind::Any, .. } | Mode::Any => self.any_object(map, keyed),
            Mode::Skip | Mode::Stray | Mode::Value { kind: Kind::Ignored, .. } => {
                if keyed {
                    map.next_value_seed(self.at(Mode::Skip))?;
                    while map.next_key_seed(self.at(Mode::Key(&NO_FIELDS, 0)))?.is_some() {
                        map.next_value_seed(self.at(Mode::Skip))?;
                    }
                }
                Ok(())
            }
            _ => {
                self.wrong(Seen::Object);
                Ok(())
            }
        }
    }

    fn message<'de, A: MapAccess<'de>>(&mut self, mut map: A, msg: &'static Msg, keyed: bool) -> Result<(), A::Error> {
        let mut state = MsgState::begin(self.ctx, msg);
        let mut has_key = keyed;
        while has_key {
            let Some(i) = self.ctx.found else {
                let stray = self.ctx.setup.stray && self.ctx.depth == 1;
                if stray && (self.ctx.key == "code" || self.ctx.key == "message") {
                    let is_code = self.ctx.key == "code";
                    self.ctx.scratch = None;
                    map.next_value_seed(self.at(Mode::Stray))?;
                    let value = self.ctx.scratch.take();
                    if is_code {
                        self.ctx.stray_code = value;
                    } else {
                        self.ctx.stray_message = value;
                    }
                } else if msg.strict {
                    let mut key = String::from(msg.unknown_prefix);
                    key.push_str(&self.ctx.key);
                    self.ctx.fail(unknown_field(msg));
                    self.ctx.unwind(Seg::Key(key));
                    self.ctx.depth -= 1;
                    return Ok(());
                } else {
                    map.next_value_seed(self.at(Mode::Skip))?;
                }
                has_key = map.next_key_seed(self.at(Mode::Key(msg, state.next)))?.is_some();
                continue;
            };
            let Some(field) = msg.fields.get(i) else { break };
            let mark = self.ctx.out.len();
            if field.presence != Presence::Query {
                if self.ctx.out.len() > state.start + 1 {
                    self.ctx.out.push(',');
                }
                push_key(&mut self.ctx.out, field);
            }
            let value_start = self.ctx.out.len();
            let rules = self.ctx.setup.rules;
            if rules {
                self.ctx.path.push((Seg::Name(field.json), i as u32));
            }
            let at = At { field, owner: msg, index: i as u8 };
            let read = map.next_value_seed(self.at(Mode::Value { at, kind: &field.kind, item: false }));
            if rules {
                self.ctx.path.pop();
            }
            if read.is_err() || self.ctx.failed() {
                self.ctx.unwind(Seg::Name(field.json));
                self.ctx.depth -= 1;
                return read;
            }
            if i == 0 && self.ctx.depth == 1 {
                self.ctx.first_set = !self.ctx.null_seen;
            }
            let written = self.ctx.out.len() > value_start;
            if !written {
                self.ctx.out.truncate(mark);
            }
            state.field(self.ctx, i, written.then_some((value_start, self.ctx.out.len())));
            has_key = map.next_key_seed(self.at(Mode::Key(msg, state.next)))?.is_some();
        }
        state.end(self.ctx, msg);
        Ok(())
    }

    fn headers<'de, A: MapAccess<'de>>(
        &mut self,
        mut map: A,
        field: &'static Field,
        keyed: bool,
    ) -> Result<(), A::Error> {
        let mut has_key = keyed;
        while has_key {
            let name = std::mem::take(&mut self.ctx.key);
            let valid = crate::validate::is_header_name(&name);
            self.ctx.scratch = None;
            let read = map.next_value_seed(self.at(Mode::Header));
            if !valid && !self.ctx.failed() {
                self.ctx.fail("is not a valid HTTP header name".to_string());
            }
            if read.is_err() || self.ctx.failed() {
                self.ctx.unwind(Seg::Key(name));
                return read;
            }
            if let Some(value) = self.ctx.scratch.take() {
                if self.ctx.wants(field) {
                    let key = name.to_ascii_lowercase();
                    self.ctx.records.push(Record { field, capture: None, item: 0, key, value });
                }
            }
            has_key = map.next_key_seed(self.at(Mode::Key(&NO_FIELDS, 0)))?.is_some();
        }
        Ok(())
    }

    fn any_object<'de, A: MapAccess<'de>>(&mut self, mut map: A, keyed: bool) -> Result<(), A::Error> {
        self.ctx.any_depth += 1;
        self.ctx.any_deepest = self.ctx.any_deepest.max(self.ctx.any_depth);
        self.ctx.out.push('{');
        let mut has_key = keyed;
        let mut first = true;
        while has_key {
            if !first {
                self.ctx.out.push(',');
            }
            first = false;
            let key = std::mem::take(&mut self.ctx.key);
            push_json_str(&mut self.ctx.out, &key);
            self.ctx.out.push(':');
            map.next_value_seed(self.at(Mode::Any))?;
            has_key = map.next_key_seed(self.at(Mode::Key(&NO_FIELDS, 0)))?.is_some();
        }
        self.ctx.out.push('}');
        self.ctx.any_depth -= 1;
        Ok(())
    }
}

/// "is not a known field; allowed here: ..." for an unknown key of `msg`.
fn unknown_field(msg: &Msg) -> String {
    if msg.fields.is_empty() {
        return "is not a known field; this object has none".to_string();
    }
    let mut m = String::from("is not a known field; allowed here: ");
    for (i, f) in msg.fields.iter().enumerate() {
        if i > 0 {
            m.push_str(", ");
        }
        m.push_str(f.json);
    }
    m
}

/// Where one message's fields were written: their spans in the output live in
/// [`Ctx`]'s `spans` from `base` on (one entry per field; nothing to clear per message
/// beyond its own fields).
struct MsgState {
    start: usize,
    base: usize,
    next: usize,
    rebuild: bool,
}

/// A field not (or no longer) written.
const ABSENT: (usize, usize) = (usize::MAX, 0);

impl MsgState {
    fn begin(ctx: &mut Ctx, msg: &'static Msg) -> MsgState {
        ctx.depth += 1;
        let start = ctx.out.len();
        ctx.out.push('{');
        let base = ctx.spans.len();
        ctx.spans.resize(base + msg.fields.len(), ABSENT);
        MsgState { start, base, next: 0, rebuild: false }
    }

    fn field(&mut self, ctx: &mut Ctx, i: usize, span: Option<(usize, usize)>) {
        let Some(slot) = ctx.spans.get_mut(self.base + i) else { return };
        if slot.0 != usize::MAX || i < self.next {
            self.rebuild = true; // a repeated key, or out of order
        }
        *slot = span.unwrap_or(ABSENT);
        self.next = i + 1;
    }

    fn span(&self, ctx: &Ctx, i: usize) -> Option<(usize, usize)> {
        ctx.spans.get(self.base + i).copied().filter(|s| s.0 != usize::MAX)
    }

    fn end(&mut self, ctx: &mut Ctx, msg: &'static Msg) {
        for (i, field) in msg.fields.iter().enumerate() {
            if self.span(ctx, i).is_some() {
                continue;
            }
            if field.presence == Presence::Always {
                self.rebuild = true;
            }
            if let (Some(missing), true) = (field.required, ctx.setup.rules) {
                ctx.violate(Some((Seg::Name(field.json), i as u32)), missing.to_string());
            }
        }
        if let (Some(check), true) = (msg.check, ctx.setup.rules) {
            let mut ints = [None; MAX_FIELDS];
            for (i, field) in msg.fields.iter().enumerate() {
                if let (Kind::Int32, Some((a, b)), Some(slot)) = (&field.kind, self.span(ctx, i), ints.get_mut(i)) {
                    *slot = ctx.out.get(a..b).and_then(parse_i64);
                }
            }
            if let Some((name, message)) = check(ints.get(..msg.fields.len()).unwrap_or_default()) {
                ctx.violate(Some((Seg::Name(name), u32::MAX)), message);
            }
        }
        if self.rebuild {
            let old = ctx.out.split_off(self.start);
            ctx.out.push('{');
            let mut first = true;
            for (i, field) in msg.fields.iter().enumerate() {
                let span = self.span(ctx, i);
                if span.is_none() && field.presence != Presence::Always {
                    continue;
                }
                let out = &mut ctx.out;
                if !first {
                    out.push(',');
                }
                first = false;
                push_key(out, field);
                match span.and_then(|(a, b)| old.get(a - self.start..b - self.start)) {
                    Some(value) => out.push_str(value),
                    None => write_default(out, &field.kind),
                }
            }
        }
        ctx.spans.truncate(self.base);
        ctx.out.push('}');
        ctx.depth -= 1;
    }
}

/// Writes a field's key and colon.
fn push_key(out: &mut String, field: &Field) {
    if field.key.is_empty() {
        out.push('"');
        out.push_str(field.json);
        out.push_str("\":");
    } else {
        out.push_str(field.key);
    }
}

/// Writes a kind's default value: what an absent field of a response reads as.
pub fn write_default(out: &mut String, kind: &Kind) {
    match kind {
        Kind::Str | Kind::Token => out.push_str("\"\""),
        Kind::Int32 => out.push('0'),
        Kind::Int64 => out.push_str("\"0\""),
        Kind::Enum(e) => push_json_str(out, e.default_name()),
        Kind::Msg(m) => {
            out.push('{');
            let mut first = true;
            for f in m.fields.iter().filter(|f| f.presence == Presence::Always) {
                if !first {
                    out.push(',');
                }
                first = false;
                push_key(out, f);
                write_default(out, &f.kind);
            }
            out.push('}');
        }
        Kind::List(_) => out.push_str("[]"),
        Kind::Flag => out.push_str("false"),
        Kind::Headers => out.push_str("{}"),
        Kind::Any => out.push_str("null"),
        Kind::Ignored => {}
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

/// Whether the error details written were nested too deeply to keep.
pub fn too_deep(ctx: &Ctx) -> bool {
    ctx.any_deepest > MAX_DETAILS_NESTING
}
