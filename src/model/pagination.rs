//! The page cursor that list responses carry.

use serde::Serialize;

use crate::json::{FieldError, Obj};

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaginationResponse {
    /// The token for the next page; empty on the last page.
    pub next_token: String,
}

impl PaginationResponse {
    pub(crate) fn decode(o: &Obj<'_>) -> Result<Self, FieldError> {
        Ok(PaginationResponse { next_token: o.string("nextToken")?.unwrap_or_default() })
    }
}
