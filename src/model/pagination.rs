//! The page cursor that list responses carry.

use super::Text;

message! {
    /// Where the next page starts.
    pub struct PaginationResponse<'a> as PAGINATION_RESPONSE (response) {
        /// The token for the next page; empty on the last page.
        next_token: Text<'a> = always("nextToken", "next_token", Str),
    }
}
