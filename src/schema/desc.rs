//! The types that describe a message as data: its fields, their names, kinds,
//! presence and rules. One interpreter ([`super::reader`]) reads every message from
//! these descriptors, so no code is generated per message.

/// What a field holds.
#[derive(Debug)]
pub enum Kind {
    /// A string.
    Str,
    /// A 32-bit integer: a whole number in any JSON spelling, or a string holding one.
    Int32,
    /// A 64-bit integer, written as a decimal string (exact beyond 2^53).
    Int64,
    /// An enum, written as its name; read from a name (kept even when unknown) or a number.
    Enum(&'static Enum),
    /// A nested message.
    Msg(&'static Msg),
    /// A list of strings, enums or messages.
    List(&'static Kind),
    /// Any JSON value, written back as read (Connect error details).
    Any,
    /// `true` or `false`; `null` reads as `false` (options).
    Flag,
    /// The API token option: a string without control characters; "" is no token.
    Token,
    /// HTTP header names to string values; a `null` value leaves the header out (options).
    Headers,
    /// A value only the binding layer uses (a function, an AbortSignal): skipped.
    Ignored,
}

/// An enum's values: its wire names, each with its number.
#[derive(Debug)]
pub struct Enum {
    /// `(number, name)`, in number order; the first is the default (`..._UNSPECIFIED`).
    pub values: &'static [(i32, &'static str)],
}

impl Enum {
    /// The name of a number, if this enum has it.
    pub fn name_of(&self, number: i64) -> Option<&'static str> {
        self.values.iter().find(|(n, _)| i64::from(*n) == number).map(|(_, name)| *name)
    }

    /// Whether `name` is one of the values.
    pub fn knows(&self, name: &str) -> bool {
        self.values.iter().any(|(_, n)| *n == name)
    }

    /// The default value's name.
    pub fn default_name(&self) -> &'static str {
        self.values.first().map_or("", |(_, name)| *name)
    }
}

/// When a field is written into the canonical JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always: its default when absent or `null` (response fields).
    Always,
    /// Only when set: `null` and absence leave it out (optional fields; "sent even when 0").
    Optional,
    /// Only when set and not empty: an empty string or list is unset (request lists, ids).
    NonEmpty,
    /// Never written into the body: read into the request's query string.
    Query,
}

/// A rule of the service on one field's value, checked while reading.
#[derive(Debug)]
pub enum Rule {
    /// Nothing beyond the kind.
    None,
    /// A UUID (8-4-4-4-12 hex digits).
    Uuid,
    /// An integer within `lo..=hi`.
    Range(i32, i32),
    /// A prebuild timeout: a protobuf duration from 300s to 7200s.
    PrebuildTimeout,
    /// An enum value this client knows.
    Known,
    /// At most `max` items, each following `each`.
    Items(usize, &'static Rule),
}

/// One field of a message.
#[derive(Debug)]
pub struct Field {
    /// The JSON name (lowerCamelCase), as written.
    pub json: &'static str,
    /// The proto name (snake_case), also accepted when reading.
    pub proto: &'static str,
    /// The JSON name quoted with its colon (`"id":`), as written before the value; ""
    /// when not given (then it is written piece by piece).
    pub key: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// When it is written.
    pub presence: Presence,
    /// When a request must set it (absent, `null` and "" are missing): what the error
    /// says after the field's name.
    pub required: Option<&'static str>,
    /// The service's rule on its value.
    pub rule: Rule,
}

impl Field {
    /// A field written always (response messages).
    pub const fn always(json: &'static str, proto: &'static str, kind: Kind) -> Field {
        Field { json, proto, key: "", kind, presence: Presence::Always, required: None, rule: Rule::None }
    }

    /// A field written only when set.
    pub const fn optional(json: &'static str, proto: &'static str, kind: Kind) -> Field {
        Field { json, proto, key: "", kind, presence: Presence::Optional, required: None, rule: Rule::None }
    }

    /// The same field with its quoted key (`concat!("\"", json, "\":")`), which the
    /// reader writes in one piece.
    pub const fn keyed(self, key: &'static str) -> Field {
        Field { key, ..self }
    }

    /// The same field with a rule.
    pub const fn rule(self, rule: Rule) -> Field {
        Field { rule, ..self }
    }

    /// The same field, required; `message` follows the field's name when it is missing.
    pub const fn required(self, message: &'static str) -> Field {
        Field { required: Some(message), ..self }
    }

    /// The same field with another presence.
    pub const fn presence(self, presence: Presence) -> Field {
        Field { presence, ..self }
    }
}

/// A check across the fields of one message, run after it was read: the values of
/// its integer fields by index (None when unset) in, a violation `(field, message)` out.
pub type CrossCheck = fn(&[Option<i64>]) -> Option<(&'static str, String)>;

/// A message: its fields in declaration order (the order they are written in).
#[derive(Debug)]
pub struct Msg {
    /// The message's name, for documentation and tests.
    pub name: &'static str,
    /// Its fields.
    pub fields: &'static [Field],
    /// Whether an unknown field is an error (requests, options) or ignored (responses).
    pub strict: bool,
    /// Put before the name of an unknown field in errors (`options.`), so that a
    /// misspelt option is not taken for a request parameter.
    pub unknown_prefix: &'static str,
    /// A rule across fields, if any.
    pub check: Option<CrossCheck>,
}

impl Msg {
    /// A response message: unknown fields ignored.
    pub const fn response(name: &'static str, fields: &'static [Field]) -> Msg {
        Msg { name, fields, strict: false, unknown_prefix: "", check: None }
    }

    /// A request message: unknown fields refused.
    pub const fn request(name: &'static str, fields: &'static [Field]) -> Msg {
        Msg { name, fields, strict: true, unknown_prefix: "", check: None }
    }

    /// A request message with a rule across its fields.
    pub const fn request_checked(name: &'static str, fields: &'static [Field], check: CrossCheck) -> Msg {
        Msg { name, fields, strict: true, unknown_prefix: "", check: Some(check) }
    }

    /// The index of the field named `key` (JSON or proto name).
    pub fn find(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.json == key || f.proto == key)
    }

    /// The field with this JSON name.
    pub fn field(&self, json: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.json == json)
    }
}
