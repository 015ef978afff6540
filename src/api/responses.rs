//! The response messages: read tolerantly from what the server sends, written out in
//! the wire's canonical form.

use serde::{Deserialize, Serialize};

use crate::model::{PaginationResponse, Prebuild, Text, WarmPool};
use crate::wire::{item_message, Item};

impl<'de: 'a, 'a> Item<'de> for Prebuild<'a> {
    fn read_item<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        item_message(d)
    }
}

impl<'de: 'a, 'a> Item<'de> for WarmPool<'a> {
    fn read_item<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        item_message(d)
    }
}

/// The response of CreatePrebuild, GetPrebuild and CancelPrebuild.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PrebuildResponse<'a> {
    /// The prebuild.
    #[serde(default, borrow, deserialize_with = "crate::wire::message")]
    pub prebuild: Prebuild<'a>,
}

/// The response of ListPrebuilds.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ListPrebuildsResponse<'a> {
    /// This page's prebuilds.
    #[serde(default, borrow, deserialize_with = "crate::wire::list")]
    pub prebuilds: Vec<Prebuild<'a>>,
    /// Where the next page starts.
    #[serde(default, borrow, deserialize_with = "crate::wire::message")]
    pub pagination: PaginationResponse<'a>,
}

/// The response of CreatePrebuildLogsToken.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogsTokenResponse<'a> {
    /// A token for reading the prebuild's logs, valid for one hour.
    #[serde(default, borrow, alias = "access_token", deserialize_with = "crate::wire::text")]
    pub access_token: Text<'a>,
}

/// The response of CreateWarmPool, GetWarmPool and UpdateWarmPool.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WarmPoolResponse<'a> {
    /// The warm pool.
    #[serde(default, borrow, alias = "warm_pool", deserialize_with = "crate::wire::message")]
    pub warm_pool: WarmPool<'a>,
}

/// The response of ListWarmPools.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListWarmPoolsResponse<'a> {
    /// This page's warm pools.
    #[serde(default, borrow, alias = "warm_pools", deserialize_with = "crate::wire::list")]
    pub warm_pools: Vec<WarmPool<'a>>,
    /// Where the next page starts.
    #[serde(default, borrow, deserialize_with = "crate::wire::message")]
    pub pagination: PaginationResponse<'a>,
}

/// The empty response of DeletePrebuild and DeleteWarmPool.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Empty {}
