//! The page cursor that list responses carry.

use crate::json::{FieldError, Obj, ObjectWriter, ToJson};

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PaginationResponse {
    /// The token for the next page; empty on the last page.
    pub next_token: String,
}

impl PaginationResponse {
    pub(crate) fn decode(o: &Obj<'_>) -> Result<Self, FieldError> {
        Ok(PaginationResponse { next_token: o.string("nextToken")?.unwrap_or_default() })
    }
}

impl ToJson for PaginationResponse {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out).str("nextToken", &self.next_token).end();
    }
}
