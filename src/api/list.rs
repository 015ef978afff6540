//! What the two list methods share: pagination and the query string.

use crate::error::Error;
use crate::json::{enum_items, string_items, FieldError, Obj, ObjectWriter, ToJson};
use crate::model::{PrebuildPhase, PrebuildTrigger, ProtoEnum};
use crate::validate;

use super::field_error;

/// The page size when none is given.
pub const DEFAULT_PAGE_SIZE: i32 = 25;
/// The largest page size the service allows.
pub const MAX_PAGE_SIZE: i32 = 100;

/// Pagination options in a list request's body.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PaginationRequest {
    /// The `nextToken` of the previous page.
    pub token: Option<String>,
    /// Items per page, 0 to 100 (0 means the default, 25).
    pub page_size: Option<i32>,
}

impl PaginationRequest {
    pub(crate) fn parse(o: &Obj<'_>) -> Result<Self, Error> {
        o.deny_unknown(&["token", "pageSize"]).map_err(field_error)?;
        Ok(PaginationRequest { token: o.string("token").map_err(field_error)?, page_size: page_size(o, "pageSize")? })
    }
}

/// Reads and checks a page size field.
pub(crate) fn page_size(o: &Obj<'_>, key: &str) -> Result<Option<i32>, Error> {
    match o.int32(key).map_err(field_error)? {
        Some(n) => validate::in_range(&o.path_of(key), n, 0, MAX_PAGE_SIZE).map(Some),
        None => Ok(None),
    }
}

/// Checks a page size read from elsewhere (the simulator's query string).
pub fn check_page_size(field: &str, n: i32) -> Result<i32, Error> {
    validate::in_range(field, n, 0, MAX_PAGE_SIZE)
}

/// The query string of a list call.
pub(crate) fn query(token: Option<&str>, page_size: Option<i32>) -> String {
    let mut q = String::new();
    if let Some(t) = token.filter(|t| !t.is_empty()) {
        q.push_str("?token=");
        q.push_str(&percent_encode(t));
    }
    if let Some(n) = page_size {
        q.push(if q.is_empty() { '?' } else { '&' });
        q.push_str("pageSize=");
        q.push_str(&n.to_string());
    }
    q
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A list of UUIDs, at most `max` of them.
fn uuid_list(o: &Obj<'_>, key: &str, max: usize) -> Result<Vec<String>, Error> {
    let items = string_items(o.list(key).map_err(field_error)?).map_err(field_error)?;
    validate::at_most(&o.path_of(key), &items, max)?;
    items.into_iter().map(|(path, id)| validate::uuid(&path, &id).map(|_| id)).collect()
}

/// A list of defined enum values, at most `max` of them.
fn enum_list<E: ProtoEnum>(o: &Obj<'_>, key: &str, max: usize) -> Result<Vec<E>, Error> {
    let items = enum_items::<E>(o.list(key).map_err(field_error)?).map_err(field_error)?;
    validate::at_most(&o.path_of(key), &items, max)?;
    items
        .into_iter()
        .map(|(path, e)| {
            if e.is_known() {
                Ok(e)
            } else {
                Err(Error::validation(
                    path,
                    format!("must be one of {}, got {}", E::names().join(", "), validate::quoted(e.as_str())),
                ))
            }
        })
        .collect()
}

/// Filters of ListPrebuilds; every list empty means no filter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PrebuildFilter {
    /// Only these projects (at most 25).
    pub project_ids: Vec<String>,
    /// Only prebuilds created by these subjects (at most 25).
    pub creator_ids: Vec<String>,
    /// Only prebuilds run with these subjects' credentials (at most 25).
    pub executor_ids: Vec<String>,
    /// Only prebuilds in these phases (at most 10).
    pub phases: Vec<PrebuildPhase>,
    /// Only prebuilds started this way (at most 5).
    pub triggered_by: Vec<PrebuildTrigger>,
}

impl PrebuildFilter {
    pub(crate) fn parse(o: &Obj<'_>) -> Result<Self, Error> {
        o.deny_unknown(&["projectIds", "creatorIds", "executorIds", "phases", "triggeredBy"]).map_err(field_error)?;
        Ok(PrebuildFilter {
            project_ids: uuid_list(o, "projectIds", 25)?,
            creator_ids: uuid_list(o, "creatorIds", 25)?,
            executor_ids: uuid_list(o, "executorIds", 25)?,
            phases: enum_list(o, "phases", 10)?,
            triggered_by: enum_list(o, "triggeredBy", 5)?,
        })
    }
}

/// Filters of ListWarmPools; every list empty means no filter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WarmPoolFilter {
    /// Only these projects (at most 25).
    pub project_ids: Vec<String>,
    /// Only these environment classes (at most 25).
    pub environment_class_ids: Vec<String>,
}

impl WarmPoolFilter {
    pub(crate) fn parse(o: &Obj<'_>) -> Result<Self, Error> {
        o.deny_unknown(&["projectIds", "environmentClassIds"]).map_err(field_error)?;
        Ok(WarmPoolFilter {
            project_ids: uuid_list(o, "projectIds", 25)?,
            environment_class_ids: uuid_list(o, "environmentClassIds", 25)?,
        })
    }
}

impl ToJson for PaginationRequest {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out).opt_str("token", self.token.as_deref()).opt_int("pageSize", self.page_size).end();
    }
}

impl ToJson for PrebuildFilter {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .nonempty_list("projectIds", &self.project_ids)
            .nonempty_list("creatorIds", &self.creator_ids)
            .nonempty_list("executorIds", &self.executor_ids)
            .nonempty_list("phases", &self.phases)
            .nonempty_list("triggeredBy", &self.triggered_by)
            .end();
    }
}

impl ToJson for WarmPoolFilter {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .nonempty_list("projectIds", &self.project_ids)
            .nonempty_list("environmentClassIds", &self.environment_class_ids)
            .end();
    }
}

/// Reads an optional nested object with `parse`.
pub(crate) fn nested<T>(
    o: &Obj<'_>,
    key: &str,
    parse: impl FnOnce(&Obj<'_>) -> Result<T, Error>,
) -> Result<Option<T>, Error> {
    match o.object(key).map_err(|e: FieldError| field_error(e))? {
        Some(inner) => parse(&inner).map(Some),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_encode_the_token() {
        assert_eq!(query(None, None), "");
        assert_eq!(query(Some(""), Some(5)), "?pageSize=5");
        assert_eq!(query(Some("a b&c=d/é"), Some(50)), "?token=a%20b%26c%3Dd%2F%C3%A9&pageSize=50");
    }
}
