//! The responses of the 11 methods.

use crate::model::{PaginationResponse, Prebuild, Text, WarmPool, PAGINATION_RESPONSE, PREBUILD, WARM_POOL};
use crate::schema::desc::Kind;

message! {
    /// The response of CreatePrebuild, GetPrebuild and CancelPrebuild.
    pub struct PrebuildResponse<'a> as PREBUILD_RESPONSE (response) {
        /// The prebuild.
        prebuild: Prebuild<'a> = always("prebuild", "prebuild", (Kind::Msg(&PREBUILD))),
    }
}

message! {
    /// The response of ListPrebuilds.
    pub struct ListPrebuildsResponse<'a> as LIST_PREBUILDS_RESPONSE (response) {
        /// This page's prebuilds.
        prebuilds: Vec<Prebuild<'a>> = always("prebuilds", "prebuilds", (Kind::List(&Kind::Msg(&PREBUILD)))),
        /// Where the next page starts.
        pagination: PaginationResponse<'a> =
            always("pagination", "pagination", (Kind::Msg(&PAGINATION_RESPONSE))),
    }
}

message! {
    /// The response of CreatePrebuildLogsToken.
    pub struct LogsTokenResponse<'a> as LOGS_TOKEN_RESPONSE (response) {
        /// A token for reading the prebuild's logs, valid for one hour.
        access_token: Text<'a> = always("accessToken", "access_token", Str),
    }
}

message! {
    /// The response of CreateWarmPool, GetWarmPool and UpdateWarmPool.
    pub struct WarmPoolResponse<'a> as WARM_POOL_RESPONSE (response) {
        /// The warm pool.
        warm_pool: WarmPool<'a> = always("warmPool", "warm_pool", (Kind::Msg(&WARM_POOL))),
    }
}

message! {
    /// The response of ListWarmPools.
    pub struct ListWarmPoolsResponse<'a> as LIST_WARM_POOLS_RESPONSE (response) {
        /// This page's warm pools.
        warm_pools: Vec<WarmPool<'a>> = always("warmPools", "warm_pools", (Kind::List(&Kind::Msg(&WARM_POOL)))),
        /// Where the next page starts.
        pagination: PaginationResponse<'a> =
            always("pagination", "pagination", (Kind::Msg(&PAGINATION_RESPONSE))),
    }
}

message! {
    /// The empty response of DeletePrebuild and DeleteWarmPool.
    pub struct Empty as EMPTY (response) {}
}
