//! Container field helpers: nested messages and lists, read through `deserialize_any`
//! like the scalars, so a value of the wrong kind gets this crate's message.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::fields::{keep, read, wrong, wrong_text, Scalar, ScalarVisitor};
use crate::model::ProtoEnum;

/// A nested message; `null` or absent reads as the message with every field at its
/// default.
pub(crate) fn message<'de, T: Deserialize<'de> + Default, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    opt_message(d).map(Option::unwrap_or_default)
}

/// An optional nested message (request fields): `null` reads as unset.
pub(crate) fn opt_message<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_any(MessageVisitor { null_ok: true, marker: PhantomData })
}

/// A list; `null` reads as empty. Items are read by `T`'s own rules, where `null` is no
/// item (a list cannot hold "unset").
pub(crate) fn list<'de, T: Item<'de>, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    d.deserialize_any(ListVisitor(PhantomData))
}

/// A type that can be an item of a list.
pub(crate) trait Item<'de>: Sized {
    /// Reads one list item.
    fn read_item<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

struct MessageVisitor<T> {
    null_ok: bool,
    marker: PhantomData<T>,
}

/// Reads a message from an object, whatever deserializer it comes from: the derived
/// code sees every key (so unknown ones are found and aliases work) in document order.
fn from_map<'de, T: Deserialize<'de>, A: MapAccess<'de>>(map: A) -> Result<T, A::Error> {
    T::deserialize(MapAccessDeserializer::new(map))
}

/// The scalar cases of a container's visitor: each is the wrong kind.
macro_rules! scalars_are_wrong {
    ($expected:expr) => {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Err(wrong($expected, &Scalar::Bool(v)))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Err(wrong($expected, &Scalar::Number(Cow::Owned(v.to_string()))))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Err(wrong($expected, &Scalar::Number(Cow::Owned(v.to_string()))))
        }
        fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
            Err(wrong($expected, &Scalar::Number(Cow::Owned(v.to_string()))))
        }
        fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
            Err(wrong($expected, &Scalar::Number(Cow::Owned(v.to_string()))))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            ScalarVisitor(keep).visit_f64(v).and_then(|s| Err(wrong($expected, &s)))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Err(wrong($expected, &Scalar::Str(Cow::Borrowed(v))))
        }
    };
}

/// An object read as `T`; `null` is no message (`None`) where that is allowed.
impl<'de, T: Deserialize<'de>> Visitor<'de> for MessageVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        from_map(map).map(Some)
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        self.visit_unit()
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        if self.null_ok {
            Ok(None)
        } else {
            Err(wrong("an object", &Scalar::Null))
        }
    }
    scalars_are_wrong!("an object");
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Option<T>, A::Error> {
        Err(wrong("an object", &Scalar::List))
    }
}

struct ListVisitor<T>(PhantomData<T>);

struct ItemSeed<T>(PhantomData<T>);

impl<'de, T: Item<'de>> DeserializeSeed<'de> for ItemSeed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::read_item(d)
    }
}

impl<'de, T: Item<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // A hint from the input is not trusted beyond a modest size.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(256));
        while let Some(item) = seq.next_element_seed(ItemSeed(PhantomData))? {
            out.push(item);
        }
        Ok(out)
    }
    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    scalars_are_wrong!("a list");
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Vec<T>, A::Error> {
        Err(wrong("a list", &Scalar::Object))
    }
}

/// A message as a list item: `null` is not allowed.
pub(crate) fn item_message<'de, T: Deserialize<'de> + Default, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    // `null` is refused, so there is always a message.
    d.deserialize_any(MessageVisitor { null_ok: false, marker: PhantomData }).map(Option::unwrap_or_default)
}

impl<'de> Item<'de> for String {
    fn read_item<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        read(d, |v| match v {
            Scalar::Str(s) => Ok(s.into_owned()),
            other => Err(wrong_text("a string", &other)),
        })
    }
}

/// A list item of an enum type (request filters): a name, or a number.
#[derive(Debug)]
pub(crate) struct EnumItem<E>(pub(crate) E);

impl<'de, E: ProtoEnum> Item<'de> for EnumItem<E> {
    fn read_item<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        read(d, |v| match &v {
            Scalar::Str(s) => Ok(EnumItem(E::from_name(s))),
            Scalar::Number(_) => {
                v.integer().map(|n| EnumItem(E::from_number(n))).ok_or_else(|| wrong_text("an enum name", &v))
            }
            _ => Err(wrong_text("an enum name", &v)),
        })
    }
}

/// A list of enum values, each a name or a number (request filters).
pub(crate) fn enum_list<'de, E: ProtoEnum, D: Deserializer<'de>>(d: D) -> Result<Vec<E>, D::Error> {
    list::<EnumItem<E>, D>(d).map(|items| items.into_iter().map(|EnumItem(e)| e).collect())
}
