//! Requests of the warm pool methods.

use super::field_error;
use super::list::{nested, page_size, PaginationRequest, WarmPoolFilter};
use crate::error::Error;
use crate::json::{Obj, ObjectWriter, ToJson};
use crate::validate;

/// The size fields that CreateWarmPool and UpdateWarmPool share.
struct Sizes {
    desired: Option<i32>,
    min: Option<i32>,
    max: Option<i32>,
}

/// Reads the size fields and checks them together.
fn sizes(o: &Obj<'_>) -> Result<Sizes, Error> {
    let desired = o.int32("desiredSize").map_err(field_error)?;
    let min = o.int32("minSize").map_err(field_error)?;
    let max = o.int32("maxSize").map_err(field_error)?;
    if let Some(d) = desired {
        validate::in_range("desiredSize", d, 1, 20)?;
    }
    if let Some(m) = min {
        validate::in_range("minSize", m, 0, 20)?;
    }
    if let Some(m) = max {
        validate::in_range("maxSize", m, 1, 20)?;
    }
    check_min_max(min, max)?;
    Ok(Sizes { desired, min, max })
}

/// minSize may not exceed maxSize (also checked by the simulator against a pool's
/// current sizes on update).
pub fn check_min_max(min: Option<i32>, max: Option<i32>) -> Result<(), Error> {
    match (min, max) {
        (Some(lo), Some(hi)) if lo > hi => {
            Err(Error::validation("minSize", format!("must not be greater than maxSize ({hi}), got {lo}")))
        }
        _ => Ok(()),
    }
}

/// CreateWarmPool: creates the warm pool of a project and environment class.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateWarmPoolRequest {
    /// The project (it must have prebuilds enabled).
    pub project_id: String,
    /// The environment class to warm.
    pub environment_class_id: String,
    /// Deprecated fixed size, 1 to 20.
    pub desired_size: Option<i32>,
    /// The fewest instances, 0 to 20 (0 allows full scale-down); sent even when 0.
    pub min_size: Option<i32>,
    /// The most instances, 1 to 20, not below minSize.
    pub max_size: Option<i32>,
}

impl CreateWarmPoolRequest {
    pub(crate) fn parse(o: &Obj<'_>) -> Result<Self, Error> {
        o.deny_unknown(&["projectId", "environmentClassId", "desiredSize", "minSize", "maxSize"])
            .map_err(field_error)?;
        let project_id = validate::required_uuid("projectId", o.string("projectId").map_err(field_error)?)?;
        let environment_class_id =
            validate::required_uuid("environmentClassId", o.string("environmentClassId").map_err(field_error)?)?;
        let s = sizes(o)?;
        Ok(CreateWarmPoolRequest {
            project_id,
            environment_class_id,
            desired_size: s.desired,
            min_size: s.min,
            max_size: s.max,
        })
    }
}

/// The request of GetWarmPool and DeleteWarmPool: one warm pool's id.
#[derive(Debug, Clone, PartialEq)]
pub struct WarmPoolIdRequest {
    /// The warm pool.
    pub warm_pool_id: String,
}

impl WarmPoolIdRequest {
    pub(crate) fn parse(o: &Obj<'_>) -> Result<Self, Error> {
        o.deny_unknown(&["warmPoolId"]).map_err(field_error)?;
        Ok(WarmPoolIdRequest {
            warm_pool_id: validate::required_uuid("warmPoolId", o.string("warmPoolId").map_err(field_error)?)?,
        })
    }
}

/// UpdateWarmPool: changes a warm pool's size; absent fields stay as they are.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateWarmPoolRequest {
    /// The warm pool.
    pub warm_pool_id: String,
    /// Deprecated fixed size, 1 to 20.
    pub desired_size: Option<i32>,
    /// The fewest instances, 0 to 20; sent even when 0.
    pub min_size: Option<i32>,
    /// The most instances, 1 to 20, not below minSize.
    pub max_size: Option<i32>,
}

impl UpdateWarmPoolRequest {
    pub(crate) fn parse(o: &Obj<'_>) -> Result<Self, Error> {
        o.deny_unknown(&["warmPoolId", "desiredSize", "minSize", "maxSize"]).map_err(field_error)?;
        let warm_pool_id = validate::required_uuid("warmPoolId", o.string("warmPoolId").map_err(field_error)?)?;
        let s = sizes(o)?;
        Ok(UpdateWarmPoolRequest { warm_pool_id, desired_size: s.desired, min_size: s.min, max_size: s.max })
    }
}

/// ListWarmPools: a page of warm pools.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListWarmPoolsRequest {
    /// The page to read (query parameter).
    pub token: Option<String>,
    /// Items per page, 0 to 100 (query parameter).
    pub page_size: Option<i32>,
    /// Which warm pools.
    pub filter: Option<WarmPoolFilter>,
    /// Pagination in the body.
    pub pagination: Option<PaginationRequest>,
}

impl ListWarmPoolsRequest {
    pub(crate) fn parse(o: &Obj<'_>) -> Result<Self, Error> {
        o.deny_unknown(&["token", "pageSize", "filter", "pagination"]).map_err(field_error)?;
        Ok(ListWarmPoolsRequest {
            token: o.string("token").map_err(field_error)?,
            page_size: page_size(o, "pageSize")?,
            filter: nested(o, "filter", WarmPoolFilter::parse)?,
            pagination: nested(o, "pagination", PaginationRequest::parse)?,
        })
    }
}

impl ToJson for CreateWarmPoolRequest {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .str("projectId", &self.project_id)
            .str("environmentClassId", &self.environment_class_id)
            .opt_int("desiredSize", self.desired_size)
            .opt_int("minSize", self.min_size)
            .opt_int("maxSize", self.max_size)
            .end();
    }
}

impl ToJson for WarmPoolIdRequest {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out).str("warmPoolId", &self.warm_pool_id).end();
    }
}

impl ToJson for UpdateWarmPoolRequest {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .str("warmPoolId", &self.warm_pool_id)
            .opt_int("desiredSize", self.desired_size)
            .opt_int("minSize", self.min_size)
            .opt_int("maxSize", self.max_size)
            .end();
    }
}

impl ToJson for ListWarmPoolsRequest {
    /// The body: `token` and `pageSize` travel in the query.
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .opt_value("filter", self.filter.as_ref())
            .opt_value("pagination", self.pagination.as_ref())
            .end();
    }
}
