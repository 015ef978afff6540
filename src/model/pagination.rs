//! The page cursor that list responses carry.

use serde::{Deserialize, Serialize};

use super::Text;

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaginationResponse<'a> {
    /// The token for the next page; empty on the last page.
    #[serde(default, borrow, alias = "next_token", deserialize_with = "crate::wire::text")]
    pub next_token: Text<'a>,
}
