//! The reader's containers: lists, messages (through `MsgState`), the headers option
//! and any JSON (Connect error details); and a number's private map from serde_json.

use serde::de::{MapAccess, SeqAccess};

use super::ctx::{Record, Seg};
use super::message::{push_key, MsgState};
use super::{At, Mode, Reader, NO_FIELDS, NUMBER_KEY};
use crate::schema::desc::{Field, Kind, Msg, Presence, Rule};
use crate::schema::text::{push_json_str, push_u64, Seen};

impl Reader<'_> {
    pub(super) fn list<'de, A: SeqAccess<'de>>(&mut self, mut seq: A) -> Result<(), A::Error> {
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

    pub(super) fn any_list<'de, A: SeqAccess<'de>>(&mut self, mut seq: A) -> Result<(), A::Error> {
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

    pub(super) fn map<'de, A: MapAccess<'de>>(&mut self, mut map: A) -> Result<(), A::Error> {
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
    pub(super) fn object<'de, A: MapAccess<'de>>(
        &mut self,
        mut map: A,
        msg: &'static Msg,
        keyed: bool,
    ) -> Result<(), A::Error> {
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

    pub(super) fn message<'de, A: MapAccess<'de>>(
        &mut self,
        mut map: A,
        msg: &'static Msg,
        keyed: bool,
    ) -> Result<(), A::Error> {
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

    pub(super) fn headers<'de, A: MapAccess<'de>>(
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

    pub(super) fn any_object<'de, A: MapAccess<'de>>(&mut self, mut map: A, keyed: bool) -> Result<(), A::Error> {
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
