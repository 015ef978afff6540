//! One message's fields as they are written: in the order they come, rebuilt in
//! declaration order (with defaults for absent fields) only when needed; required
//! fields and checks across fields at the message's end.

use super::ctx::{Ctx, Seg};
use super::MAX_FIELDS;
use crate::schema::desc::{Field, Kind, Msg, Presence};
use crate::schema::text::{parse_i64, push_json_str};

/// Where one message's fields were written: their spans in the output live in
/// [`Ctx`]'s `spans` from `base` on (one entry per field; nothing to clear per message
/// beyond its own fields).
pub(super) struct MsgState {
    pub(super) start: usize,
    pub(super) base: usize,
    pub(super) next: usize,
    pub(super) rebuild: bool,
}

/// A field not (or no longer) written.
const ABSENT: (usize, usize) = (usize::MAX, 0);

impl MsgState {
    pub(super) fn begin(ctx: &mut Ctx, msg: &'static Msg) -> MsgState {
        ctx.depth += 1;
        let start = ctx.out.len();
        ctx.out.push('{');
        let base = ctx.spans.len();
        ctx.spans.resize(base + msg.fields.len(), ABSENT);
        MsgState { start, base, next: 0, rebuild: false }
    }

    pub(super) fn field(&mut self, ctx: &mut Ctx, i: usize, span: Option<(usize, usize)>) {
        let Some(slot) = ctx.spans.get_mut(self.base + i) else { return };
        if slot.0 != usize::MAX || i < self.next {
            self.rebuild = true; // a repeated key, or out of order
        }
        *slot = span.unwrap_or(ABSENT);
        self.next = i + 1;
    }

    pub(super) fn span(&self, ctx: &Ctx, i: usize) -> Option<(usize, usize)> {
        ctx.spans.get(self.base + i).copied().filter(|s| s.0 != usize::MAX)
    }

    pub(super) fn end(&mut self, ctx: &mut Ctx, msg: &'static Msg) {
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
pub(crate) fn push_key(out: &mut String, field: &Field) {
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
