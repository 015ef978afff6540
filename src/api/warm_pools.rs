//! Requests of the warm pool methods, with the service's rules.

use super::list::{PaginationRequest, WarmPoolFilter, PAGINATION_REQUEST, WARM_POOL_FILTER};
use crate::error::Error;
use crate::schema::desc::{Kind, Presence, Rule};
use crate::validate::UUID_REQUIRED;

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

/// The schema's check across the size fields (minSize and maxSize are the last two
/// fields of both CreateWarmPool and UpdateWarmPool).
fn min_not_above_max(ints: &[Option<i64>]) -> Option<(&'static str, String)> {
    let n = ints.len();
    let (Some(Some(min)), Some(Some(max))) = (ints.get(n.wrapping_sub(2)), ints.get(n.wrapping_sub(1))) else {
        return None;
    };
    (min > max).then(|| ("minSize", min_above_max(*min, *max)))
}

message! {
    /// CreateWarmPool: creates the warm pool of a project and environment class.
    pub struct CreateWarmPoolRequest as CREATE_WARM_POOL_REQUEST (request_checked, min_not_above_max) {
        /// The project (it must have prebuilds enabled).
        project_id: String = always("projectId", "project_id", Str).rule(Rule::Uuid).required(UUID_REQUIRED),
        /// The environment class to warm.
        environment_class_id: String =
            always("environmentClassId", "environment_class_id", Str).rule(Rule::Uuid).required(UUID_REQUIRED),
        /// Deprecated fixed size, 1 to 20.
        desired_size: Option<i32> = optional("desiredSize", "desired_size", Int32).rule(Rule::Range(1, 20)),
        /// The fewest instances, 0 to 20 (0 allows full scale-down); sent even when 0.
        min_size: Option<i32> = optional("minSize", "min_size", Int32).rule(Rule::Range(0, 20)),
        /// The most instances, 1 to 20, not below minSize.
        max_size: Option<i32> = optional("maxSize", "max_size", Int32).rule(Rule::Range(1, 20)),
    }
}

message! {
    /// The request of GetWarmPool and DeleteWarmPool: one warm pool's id.
    pub struct WarmPoolIdRequest as WARM_POOL_ID_REQUEST (request) {
        /// The warm pool.
        warm_pool_id: String = always("warmPoolId", "warm_pool_id", Str).rule(Rule::Uuid).required(UUID_REQUIRED),
    }
}

message! {
    /// UpdateWarmPool: changes a warm pool's size; absent fields stay as they are.
    pub struct UpdateWarmPoolRequest as UPDATE_WARM_POOL_REQUEST (request_checked, min_not_above_max) {
        /// The warm pool.
        warm_pool_id: String = always("warmPoolId", "warm_pool_id", Str).rule(Rule::Uuid).required(UUID_REQUIRED),
        /// Deprecated fixed size, 1 to 20.
        desired_size: Option<i32> = optional("desiredSize", "desired_size", Int32).rule(Rule::Range(1, 20)),
        /// The fewest instances, 0 to 20; sent even when 0.
        min_size: Option<i32> = optional("minSize", "min_size", Int32).rule(Rule::Range(0, 20)),
        /// The most instances, 1 to 20, not below minSize.
        max_size: Option<i32> = optional("maxSize", "max_size", Int32).rule(Rule::Range(1, 20)),
    }
}

message! {
    /// ListWarmPools: a page of warm pools.
    pub struct ListWarmPoolsRequest as LIST_WARM_POOLS_REQUEST (request) {
        /// The page to read (query parameter).
        token: Option<String> = optional("token", "token", Str).presence(Presence::Query),
        /// Items per page, 0 to 100 (query parameter).
        page_size: Option<i32> = optional("pageSize", "page_size", Int32)
            .presence(Presence::Query)
            .rule(Rule::Range(0, super::MAX_PAGE_SIZE)),
        /// Which warm pools.
        filter: Option<WarmPoolFilter> = optional("filter", "filter", (Kind::Msg(&WARM_POOL_FILTER))),
        /// Pagination in the body.
        pagination: Option<PaginationRequest> =
            optional("pagination", "pagination", (Kind::Msg(&PAGINATION_REQUEST))),
    }
}
