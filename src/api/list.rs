//! What the two list methods share: pagination, filters and the query string.

use crate::error::Error;
use crate::model::{PrebuildPhase, PrebuildTrigger, PREBUILD_PHASE, PREBUILD_TRIGGER};
use crate::schema::desc::{Kind, Presence, Rule};
use crate::validate;

/// The page size when none is given.
pub const DEFAULT_PAGE_SIZE: i32 = 25;
/// The largest page size the service allows.
pub const MAX_PAGE_SIZE: i32 = 100;

message! {
    /// Pagination options in a list request's body.
    pub struct PaginationRequest as PAGINATION_REQUEST (request) {
        /// The `nextToken` of the previous page.
        token: Option<String> = optional("token", "token", Str),
        /// Items per page, 0 to 100 (0 means the default, 25).
        page_size: Option<i32> = optional("pageSize", "page_size", Int32).rule(Rule::Range(0, MAX_PAGE_SIZE)),
    }
}

/// Checks a page size (also the simulator's, read from the query string).
pub fn check_page_size(field: &str, n: i32) -> Result<i32, Error> {
    validate::in_range(field, n, 0, MAX_PAGE_SIZE)
}

/// The query string of a list call.
pub(crate) fn query(token: Option<&str>, page_size: Option<&str>) -> String {
    let mut q = String::new();
    if let Some(t) = token.filter(|t| !t.is_empty()) {
        q.push_str("?token=");
        q.push_str(&percent_encode(t));
    }
    if let Some(n) = page_size {
        q.push(if q.is_empty() { '?' } else { '&' });
        q.push_str("pageSize=");
        q.push_str(n);
    }
    q
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub(crate) fn percent_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            for nibble in [b >> 4, b & 15] {
                out.push(char::from(HEX.get(usize::from(nibble)).copied().unwrap_or(b'0')));
            }
        }
    }
    out
}

message! {
    /// Filters of ListPrebuilds; every list empty means no filter.
    pub struct PrebuildFilter as PREBUILD_FILTER (request) {
        /// Only these projects (at most 25).
        project_ids: Vec<String> = always("projectIds", "project_ids", (Kind::List(&Kind::Str)))
            .presence(Presence::NonEmpty)
            .rule(Rule::Items(25, &Rule::Uuid)),
        /// Only prebuilds created by these subjects (at most 25).
        creator_ids: Vec<String> = always("creatorIds", "creator_ids", (Kind::List(&Kind::Str)))
            .presence(Presence::NonEmpty)
            .rule(Rule::Items(25, &Rule::Uuid)),
        /// Only prebuilds run with these subjects' credentials (at most 25).
        executor_ids: Vec<String> = always("executorIds", "executor_ids", (Kind::List(&Kind::Str)))
            .presence(Presence::NonEmpty)
            .rule(Rule::Items(25, &Rule::Uuid)),
        /// Only prebuilds in these phases (at most 10).
        phases: Vec<PrebuildPhase> = always("phases", "phases", (Kind::List(&Kind::Enum(&PREBUILD_PHASE))))
            .presence(Presence::NonEmpty)
            .rule(Rule::Items(10, &Rule::Known)),
        /// Only prebuilds started this way (at most 5).
        triggered_by: Vec<PrebuildTrigger> =
            always("triggeredBy", "triggered_by", (Kind::List(&Kind::Enum(&PREBUILD_TRIGGER))))
                .presence(Presence::NonEmpty)
                .rule(Rule::Items(5, &Rule::Known)),
    }
}

message! {
    /// Filters of ListWarmPools; every list empty means no filter.
    pub struct WarmPoolFilter as WARM_POOL_FILTER (request) {
        /// Only these projects (at most 25).
        project_ids: Vec<String> = always("projectIds", "project_ids", (Kind::List(&Kind::Str)))
            .presence(Presence::NonEmpty)
            .rule(Rule::Items(25, &Rule::Uuid)),
        /// Only these environment classes (at most 25).
        environment_class_ids: Vec<String> =
            always("environmentClassIds", "environment_class_ids", (Kind::List(&Kind::Str)))
                .presence(Presence::NonEmpty)
                .rule(Rule::Items(25, &Rule::Uuid)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_encode_the_token() {
        assert_eq!(query(None, None), "");
        assert_eq!(query(Some(""), Some("5")), "?pageSize=5");
        assert_eq!(query(Some("a b&c=d/é"), Some("50")), "?token=a%20b%26c%3Dd%2F%C3%A9&pageSize=50");
    }
}
