//! Requests of the warm pool methods.

use serde::{Deserialize, Serialize};

use super::list::{PaginationRequest, WarmPoolFilter};
use crate::error::Error;

/// minSize may not exceed maxSize (also checked by the simulator against a pool's
/// current sizes on update).
pub fn check_min_max(min: Option<i32>, max: Option<i32>) -> Result<(), Error> {
    match (min, max) {
        (Some(lo), Some(hi)) if lo > hi => Err(Error::validation("minSize", min_above_max(lo.into(), hi.into()))),
        _ => Ok(()),
    }
}

/// "must not be greater than maxSize ({max}), got {min}".
pub fn min_above_max(min: i64, max: i64) -> String {
    let mut m = String::from("must not be greater than maxSize (");
    crate::schema::text::push_i64(&mut m, max);
    m.push_str("), got ");
    crate::schema::text::push_i64(&mut m, min);
    m
}

/// CreateWarmPool: creates the warm pool of a project and environment class.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateWarmPoolRequest {
    /// The project (it must have prebuilds enabled).
    #[serde(default, alias = "project_id", deserialize_with = "crate::wire::string")]
    pub project_id: String,
    /// The environment class to warm.
    #[serde(default, alias = "environment_class_id", deserialize_with = "crate::wire::string")]
    pub environment_class_id: String,
    /// Deprecated fixed size, 1 to 20.
    #[serde(default, alias = "desired_size", deserialize_with = "crate::wire::opt_int32")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired_size: Option<i32>,
    /// The fewest instances, 0 to 20 (0 allows full scale-down); sent even when 0.
    #[serde(default, alias = "min_size", deserialize_with = "crate::wire::opt_int32")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_size: Option<i32>,
    /// The most instances, 1 to 20, not below minSize.
    #[serde(default, alias = "max_size", deserialize_with = "crate::wire::opt_int32")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_size: Option<i32>,
}

/// The request of GetWarmPool and DeleteWarmPool: one warm pool's id.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WarmPoolIdRequest {
    /// The warm pool.
    #[serde(default, alias = "warm_pool_id", deserialize_with = "crate::wire::string")]
    pub warm_pool_id: String,
}

/// UpdateWarmPool: changes a warm pool's size; absent fields stay as they are.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateWarmPoolRequest {
    /// The warm pool.
    #[serde(default, alias = "warm_pool_id", deserialize_with = "crate::wire::string")]
    pub warm_pool_id: String,
    /// Deprecated fixed size, 1 to 20.
    #[serde(default, alias = "desired_size", deserialize_with = "crate::wire::opt_int32")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired_size: Option<i32>,
    /// The fewest instances, 0 to 20; sent even when 0.
    #[serde(default, alias = "min_size", deserialize_with = "crate::wire::opt_int32")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_size: Option<i32>,
    /// The most instances, 1 to 20, not below minSize.
    #[serde(default, alias = "max_size", deserialize_with = "crate::wire::opt_int32")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_size: Option<i32>,
}

/// ListWarmPools: a page of warm pools.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListWarmPoolsRequest {
    /// The page to read (query parameter).
    #[serde(default, skip_serializing, deserialize_with = "crate::wire::opt_string")]
    pub token: Option<String>,
    /// Items per page, 0 to 100 (query parameter).
    #[serde(default, skip_serializing, alias = "page_size", deserialize_with = "crate::wire::opt_int32")]
    pub page_size: Option<i32>,
    /// Which warm pools.
    #[serde(default, deserialize_with = "crate::wire::opt_message")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<WarmPoolFilter>,
    /// Pagination in the body.
    #[serde(default, deserialize_with = "crate::wire::opt_message")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<PaginationRequest>,
}
