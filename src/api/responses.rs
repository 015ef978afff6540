//! The response messages, decoded tolerantly from what the server sends and written
//! out in the wire's canonical form.

use crate::json::{FieldError, Obj, ObjectWriter, ToJson};
use crate::model::{PaginationResponse, Prebuild, WarmPool};

/// The response of CreatePrebuild, GetPrebuild and CancelPrebuild.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PrebuildResponse {
    /// The prebuild.
    pub prebuild: Prebuild,
}

/// The response of ListPrebuilds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListPrebuildsResponse {
    /// This page's prebuilds.
    pub prebuilds: Vec<Prebuild>,
    /// Where the next page starts.
    pub pagination: PaginationResponse,
}

/// The response of CreatePrebuildLogsToken.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogsTokenResponse {
    /// A token for reading the prebuild's logs, valid for one hour.
    pub access_token: String,
}

/// The response of CreateWarmPool, GetWarmPool and UpdateWarmPool.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WarmPoolResponse {
    /// The warm pool.
    pub warm_pool: WarmPool,
}

/// The response of ListWarmPools.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListWarmPoolsResponse {
    /// This page's warm pools.
    pub warm_pools: Vec<WarmPool>,
    /// Where the next page starts.
    pub pagination: PaginationResponse,
}

/// The empty response of DeletePrebuild and DeleteWarmPool.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Empty {}

fn items<T>(o: &Obj<'_>, key: &str, decode: fn(&Obj<'_>) -> Result<T, FieldError>) -> Result<Vec<T>, FieldError> {
    o.list(key)?.into_iter().map(|(path, v)| decode(&Obj::new(v, &path)?)).collect()
}

impl PrebuildResponse {
    pub(crate) fn decode(o: &Obj<'_>) -> Result<Self, FieldError> {
        Ok(PrebuildResponse { prebuild: o.message("prebuild", Prebuild::decode)? })
    }
}

impl ListPrebuildsResponse {
    pub(crate) fn decode(o: &Obj<'_>) -> Result<Self, FieldError> {
        Ok(ListPrebuildsResponse {
            prebuilds: items(o, "prebuilds", Prebuild::decode)?,
            pagination: o.message("pagination", PaginationResponse::decode)?,
        })
    }
}

impl LogsTokenResponse {
    pub(crate) fn decode(o: &Obj<'_>) -> Result<Self, FieldError> {
        Ok(LogsTokenResponse { access_token: o.string("accessToken")?.unwrap_or_default() })
    }
}

impl WarmPoolResponse {
    pub(crate) fn decode(o: &Obj<'_>) -> Result<Self, FieldError> {
        Ok(WarmPoolResponse { warm_pool: o.message("warmPool", WarmPool::decode)? })
    }
}

impl ListWarmPoolsResponse {
    pub(crate) fn decode(o: &Obj<'_>) -> Result<Self, FieldError> {
        Ok(ListWarmPoolsResponse {
            warm_pools: items(o, "warmPools", WarmPool::decode)?,
            pagination: o.message("pagination", PaginationResponse::decode)?,
        })
    }
}

impl ToJson for PrebuildResponse {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out).value("prebuild", &self.prebuild).end();
    }
}

impl ToJson for ListPrebuildsResponse {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out).list("prebuilds", &self.prebuilds).value("pagination", &self.pagination).end();
    }
}

impl ToJson for LogsTokenResponse {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out).str("accessToken", &self.access_token).end();
    }
}

impl ToJson for WarmPoolResponse {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out).value("warmPool", &self.warm_pool).end();
    }
}

impl ToJson for ListWarmPoolsResponse {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out).list("warmPools", &self.warm_pools).value("pagination", &self.pagination).end();
    }
}

impl ToJson for Empty {
    fn write_json(&self, out: &mut String) {
        out.push_str("{}");
    }
}
