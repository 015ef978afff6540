//! The state of one read: the canonical JSON written so far, the values recorded for
//! the caller, and what went wrong (the first failure, with its path, and the first
//! rule violation in declaration order).

use super::{At, MAX_DETAILS_NESTING};
use crate::schema::desc::{Field, Msg, Presence};
use crate::schema::text::push_u64;

/// One step of a path: a field or key, or a list index.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Seg {
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
pub(super) struct Violation {
    pub(super) rank: Vec<u32>,
    pub(super) path: String,
    pub(super) message: String,
}

/// The state of one read.
#[derive(Debug, Default)]
pub struct Ctx {
    /// The canonical JSON written so far.
    pub out: String,
    pub(super) setup: Setup,
    /// The first problem: its message, and the path collected while unwinding
    /// (innermost first).
    pub(super) failure: Option<(String, Vec<Seg>)>,
    pub(super) violation: Option<Violation>,
    /// The path to the value being read, with ranks (only while checking rules).
    pub(super) path: Vec<(Seg, u32)>,
    /// Depth of the message being read (1: the root's fields).
    pub(super) depth: u32,
    /// The index in the nearest list being read.
    pub(super) item: u32,
    /// What the last key read was: a field's index, or None with the key in `key`.
    pub(super) found: Option<usize>,
    pub(super) key: String,
    /// A number's text (serde_json's private map), or a stray string.
    pub(super) scratch: Option<String>,
    /// Where the fields of the messages being read were written (see `MsgState`).
    pub(super) spans: Vec<(usize, usize)>,
    /// Values recorded for the caller.
    pub records: Vec<Record>,
    /// A top-level `code` and `message` of a body that is a Connect error.
    pub stray_code: Option<String>,
    /// See `stray_code`.
    pub stray_message: Option<String>,
    /// Whether the root's first field was set (not absent, not `null`).
    pub first_set: bool,
    pub(super) null_seen: bool,
    /// Whether the string being read came straight from the JSON text, unescaped (so
    /// it needs no escaping to be written back).
    pub(super) clean: bool,
    pub(super) any_depth: u32,
    pub(super) any_deepest: u32,
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

    pub(super) fn fail(&mut self, message: String) {
        if self.failure.is_none() {
            self.failure = Some((message, Vec::new()));
        }
    }

    pub(super) fn failed(&self) -> bool {
        self.failure.is_some()
    }

    /// Adds a step to the failure's path while it unwinds.
    pub(super) fn unwind(&mut self, seg: Seg) {
        if let Some((_, path)) = &mut self.failure {
            path.push(seg);
        }
    }

    /// Keeps a rule violation of the value at the current path (plus `last`).
    pub(super) fn violate(&mut self, last: Option<(Seg, u32)>, message: String) {
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

    pub(super) fn captured(&self, owner: &'static Msg, index: u8) -> Option<usize> {
        let index = usize::from(index);
        self.setup.capture.iter().position(|(m, i)| std::ptr::eq(*m, owner) && *i == index)
    }

    pub(super) fn wants(&self, field: &'static Field) -> bool {
        field.presence == Presence::Query || (self.setup.record_top && self.depth == 1)
    }

    /// Whether a value at `at` may be recorded (the common case, a response read for its
    /// text alone, records nothing).
    #[inline]
    pub(super) fn wants_any(&self, at: At) -> bool {
        !self.setup.capture.is_empty() || self.setup.record_top || at.field.presence == Presence::Query
    }

    #[inline]
    pub(super) fn record(&mut self, at: At, value: &str) {
        if self.wants_any(at) {
            self.record_slow(at, value);
        }
    }

    pub(super) fn record_slow(&mut self, at: At, value: &str) {
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

pub(super) fn path_text<'a>(segs: impl Iterator<Item = &'a Seg>) -> String {
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

/// Whether the error details written were nested too deeply to keep.
pub(crate) fn too_deep(ctx: &Ctx) -> bool {
    ctx.any_deepest > MAX_DETAILS_NESTING
}
