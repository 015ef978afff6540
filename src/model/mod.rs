//! The PrebuildService's resources as typed Rust values: the native API's and the
//! simulator's view. Each is declared once with `message!`, which gives the struct and
//! its descriptor (`PREBUILD`, `WARM_POOL`, ...) for the schema's reader.
//!
//! Serialising a model gives the wire's canonical protobuf JSON (lowerCamelCase keys,
//! 64-bit integers as strings, enums as names, every field present but unset optional
//! ones). A model is read from canonical JSON; the wire's tolerant protobuf JSON is read
//! by the schema's reader first ([`crate::schema`]), which writes it canonically.

use std::borrow::Cow;

mod enums;
mod pagination;
mod prebuild;
mod subject;
mod warm_pool;

pub use enums::{
    PrebuildPhase, PrebuildTrigger, Principal, ProtoEnum, WarmPoolPhase, PREBUILD_PHASE, PREBUILD_TRIGGER, PRINCIPAL,
    WARM_POOL_PHASE,
};
pub use pagination::{PaginationResponse, PAGINATION_RESPONSE};
pub use prebuild::{
    Prebuild, PrebuildMetadata, PrebuildSpec, PrebuildStatus, PREBUILD, PREBUILD_METADATA, PREBUILD_SPEC,
    PREBUILD_STATUS,
};
pub use subject::{Subject, SUBJECT};
pub use warm_pool::{
    WarmPool, WarmPoolMetadata, WarmPoolSpec, WarmPoolStatus, WARM_POOL, WARM_POOL_METADATA, WARM_POOL_SPEC,
    WARM_POOL_STATUS,
};

/// Text in a model: borrowed from the document it was read from, or owned.
pub type Text<'a> = Cow<'a, str>;
