//! `message!`: each message declared once, giving both its descriptor (a `static Msg`,
//! what the one reader interprets) and its typed struct (the native Rust API's and the
//! simulator's view of it). The struct's serde impls follow the descriptor: it is
//! written field by field as the descriptor says (present always, only when set, or
//! never: a query parameter), and read from canonical JSON (what the reader writes) by
//! JSON name. The typed structs are not on the WebAssembly client's paths, so they cost
//! it nothing.
//!
//! ```text
//! message! {
//!     /// A doc line.
//!     pub struct Subject<'a> as SUBJECT (response) {
//!         /// The subject's UUID.
//!         id: Text<'a> = always("id", "id", Str),
//!         principal: Principal = always("principal", "principal", (Kind::Enum(&PRINCIPAL))),
//!     }
//! }
//! ```
//! A field: its Rust name and type, then its descriptor: `always` or `optional`, the
//! JSON and proto names, its kind (`Str`, `Int32`, `Int64`, or a parenthesised `Kind`
//! expression), then any of `.rule(...)`, `.required(...)`, `.presence(...)`.

/// Whether an optional value is unset (and so left out of the canonical JSON).
pub trait Unset {
    /// True when there is nothing to write.
    fn unset(&self) -> bool;
}

impl<T> Unset for Option<T> {
    fn unset(&self) -> bool {
        self.is_none()
    }
}

impl<T> Unset for Vec<T> {
    fn unset(&self) -> bool {
        self.is_empty()
    }
}

impl Unset for String {
    fn unset(&self) -> bool {
        self.is_empty()
    }
}

impl Unset for std::borrow::Cow<'_, str> {
    fn unset(&self) -> bool {
        self.is_empty()
    }
}

impl Unset for i32 {
    fn unset(&self) -> bool {
        false
    }
}

/// Whether a typed field's value is written, by its descriptor's presence.
pub fn writes<T: Unset + ?Sized>(field: &super::Field, value: &T) -> bool {
    match field.presence {
        super::desc::Presence::Always => true,
        super::desc::Presence::Query => false,
        super::desc::Presence::Optional | super::desc::Presence::NonEmpty => !value.unset(),
    }
}

/// The descriptor expression of a kind written in a `message!`.
macro_rules! kind {
    (Str) => {
        $crate::schema::desc::Kind::Str
    };
    (Int32) => {
        $crate::schema::desc::Kind::Int32
    };
    (Int64) => {
        $crate::schema::desc::Kind::Int64
    };
    (($e:expr)) => {
        $e
    };
}

/// The default of a typed field: a 64-bit integer's is "0" (its text), an optional
/// value's is unset, anything else its type's default.
macro_rules! field_default {
    (always, Int64) => {
        std::borrow::Cow::Borrowed("0")
    };
    ($presence:ident, $kind:tt) => {
        Default::default()
    };
}

macro_rules! message {
    (
        $(#[$doc:meta])*
        pub struct $name:ident $(<$lt:lifetime>)? as $desc:ident ($ctor:ident $(, $extra:expr)*) {
            $(
                $(#[$fdoc:meta])*
                $field:ident : $ty:ty = $presence:ident($json:literal, $proto:literal, $kind:tt)
                    $(. $modifier:ident($($arg:expr),*))*
            ),* $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, serde::Deserialize)]
        #[serde(default)]
        pub struct $name $(<$lt>)? {
            $(
                $(#[$fdoc])*
                #[serde(rename = $json)]
                pub $field: $ty,
            )*
        }

        #[doc = concat!("The descriptor of [`", stringify!($name), "`].")]
        pub static $desc: $crate::schema::desc::Msg = $crate::schema::desc::Msg::$ctor(
            stringify!($name),
            &[$(
                $crate::schema::desc::Field::$presence($json, $proto, kind!($kind))
                    .keyed(concat!("\"", $json, "\":"))
                    $(.$modifier($($arg),*))*
            ),*],
            $($extra),*
        );

        impl $(<$lt>)? Default for $name $(<$lt>)? {
            fn default() -> Self {
                $name { $($field: field_default!($presence, $kind),)* }
            }
        }

        impl $(<$lt>)? $crate::schema::declare::Unset for $name $(<$lt>)? {
            fn unset(&self) -> bool {
                false
            }
        }

        impl $(<$lt>)? serde::Serialize for $name $(<$lt>)? {
            #[allow(unused_mut, unused_variables)]
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = s.serialize_map(None)?;
                let mut fields = $desc.fields.iter();
                $(
                    if let Some(f) = fields.next() {
                        if $crate::schema::declare::writes(f, &self.$field) {
                            map.serialize_entry(f.json, &self.$field)?;
                        }
                    }
                )*
                map.end()
            }
        }
    };
}
