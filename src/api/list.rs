//! What the two list methods share: pagination, filters and the query string.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::model::{PrebuildPhase, PrebuildTrigger};
use crate::validate;

/// The page size when none is given.
pub const DEFAULT_PAGE_SIZE: i32 = 25;
/// The largest page size the service allows.
pub const MAX_PAGE_SIZE: i32 = 100;

/// Pagination options in a list request's body.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PaginationRequest {
    /// The `nextToken` of the previous page.
    #[serde(default, deserialize_with = "crate::wire::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Items per page, 0 to 100 (0 means the default, 25).
    #[serde(default, alias = "page_size", deserialize_with = "crate::wire::opt_int32")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i32>,
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

/// Filters of ListPrebuilds; every list empty means no filter.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrebuildFilter {
    /// Only these projects (at most 25).
    #[serde(default, alias = "project_ids", deserialize_with = "crate::wire::list")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub project_ids: Vec<String>,
    /// Only prebuilds created by these subjects (at most 25).
    #[serde(default, alias = "creator_ids", deserialize_with = "crate::wire::list")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub creator_ids: Vec<String>,
    /// Only prebuilds run with these subjects' credentials (at most 25).
    #[serde(default, alias = "executor_ids", deserialize_with = "crate::wire::list")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub executor_ids: Vec<String>,
    /// Only prebuilds in these phases (at most 10).
    #[serde(default, deserialize_with = "crate::wire::enum_list")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<PrebuildPhase>,
    /// Only prebuilds started this way (at most 5).
    #[serde(default, alias = "triggered_by", deserialize_with = "crate::wire::enum_list")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub triggered_by: Vec<PrebuildTrigger>,
}

/// Filters of ListWarmPools; every list empty means no filter.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WarmPoolFilter {
    /// Only these projects (at most 25).
    #[serde(default, alias = "project_ids", deserialize_with = "crate::wire::list")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub project_ids: Vec<String>,
    /// Only these environment classes (at most 25).
    #[serde(default, alias = "environment_class_ids", deserialize_with = "crate::wire::list")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub environment_class_ids: Vec<String>,
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
