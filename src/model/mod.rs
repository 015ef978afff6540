//! The PrebuildService's resources as plain Rust values.
//!
//! Serialising a model gives the wire's protobuf JSON (lowerCamelCase keys, 64-bit
//! integers as strings, enums as names). Reading one is tolerant the way protobuf JSON
//! is: snake_case keys, `null`, numbers for enums and 64-bit integers as strings or
//! numbers are accepted, unknown fields ignored and omitted fields read as defaults.

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
