//! The PrebuildService's resources as plain Rust values.
//!
//! Serialising a model gives the wire's protobuf JSON (lowerCamelCase keys, 64-bit
//! integers as strings, enums as names). Reading one is tolerant the way protobuf JSON
//! is: snake_case keys, `null`, numbers for enums and 64-bit integers as strings or
//! numbers are accepted, unknown fields ignored and omitted fields read as defaults.

/// A resource's reading and writing: both resources are `{ id, metadata, spec, status }`.
macro_rules! resource {
    ($name:ident, $metadata:ident, $spec:ident, $status:ident) => {
        impl $name {
            pub(crate) fn decode(o: &crate::json::Obj<'_>) -> Result<Self, crate::json::FieldError> {
                Ok($name {
                    id: o.string("id")?.unwrap_or_default(),
                    metadata: o.message("metadata", $metadata::decode)?,
                    spec: o.message("spec", $spec::decode)?,
                    status: o.message("status", $status::decode)?,
                })
            }
        }

        impl crate::json::ToJson for $name {
            fn write_json(&self, out: &mut String) {
                crate::json::ObjectWriter::new(out)
                    .str("id", &self.id)
                    .value("metadata", &self.metadata)
                    .value("spec", &self.spec)
                    .value("status", &self.status)
                    .end();
            }
        }
    };
}
use resource;

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
