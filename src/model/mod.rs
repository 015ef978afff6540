//! The PrebuildService's resources as plain serde types.
//!
//! Serialising a model gives the wire's protobuf JSON (lowerCamelCase keys, 64-bit
//! integers as strings, enums as names, every field present but unset optional ones).
//! Reading one is tolerant the way protobuf JSON is: snake_case keys, `null`, numbers
//! for enums and 64-bit integers as strings or numbers are accepted, unknown fields
//! ignored and omitted fields read as defaults. Text borrows from the document it was
//! read from where it can ([`Text`]), so reading a large page allocates little.

use std::borrow::Cow;

mod enums;
mod pagination;
mod prebuild;
mod subject;
mod warm_pool;

pub use enums::{PrebuildPhase, PrebuildTrigger, Principal, ProtoEnum, WarmPoolPhase};
pub use pagination::PaginationResponse;
pub use prebuild::{Prebuild, PrebuildMetadata, PrebuildSpec, PrebuildStatus};
pub use subject::Subject;
pub use warm_pool::{WarmPool, WarmPoolMetadata, WarmPoolSpec, WarmPoolStatus};

/// Text in a model: borrowed from the document it was read from, or owned.
pub type Text<'a> = Cow<'a, str>;

/// An enum field: its value, or its default (`..._UNSPECIFIED`) when absent or `null`.
pub(crate) fn enum_or_default<'de, E, D>(d: D) -> Result<E, D::Error>
where
    E: ProtoEnum + Default,
    D: serde::Deserializer<'de>,
{
    crate::wire::read_enum(d).map(Option::unwrap_or_default)
}

/// The wire default of a 64-bit integer field.
pub(crate) fn zero<'a>() -> Text<'a> {
    Cow::Borrowed("0")
}
