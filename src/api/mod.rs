//! The PrebuildService's 11 methods as data: their paths, their requests (parsed and
//! validated by the same code in the client and in the simulator) and their responses.

mod list;
mod prebuilds;
mod responses;
mod warm_pools;

pub use list::{check_page_size, PaginationRequest, PrebuildFilter, WarmPoolFilter, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
pub use prebuilds::{CreatePrebuildRequest, CreatePrebuildSpec, ListPrebuildsRequest, PrebuildIdRequest};
pub use responses::{
    Empty, ListPrebuildsResponse, ListWarmPoolsResponse, LogsTokenResponse, PrebuildResponse, WarmPoolResponse,
};
pub use warm_pools::{
    check_min_max, CreateWarmPoolRequest, ListWarmPoolsRequest, UpdateWarmPoolRequest, WarmPoolIdRequest,
};

use crate::error::Error;
use crate::json::{FieldError, Json, Obj, ToJson};

/// The service's name in every path.
pub const SERVICE: &str = "gitpod.v1.PrebuildService";

/// One of the service's methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Starts a prebuild of a project.
    CreatePrebuild,
    /// Reads one prebuild.
    GetPrebuild,
    /// Lists prebuilds, a page at a time.
    ListPrebuilds,
    /// Cancels a running prebuild.
    CancelPrebuild,
    /// Deletes a prebuild and its snapshot.
    DeletePrebuild,
    /// Makes a one-hour token for reading a prebuild's logs.
    CreatePrebuildLogsToken,
    /// Creates the warm pool of a project and environment class.
    CreateWarmPool,
    /// Reads one warm pool.
    GetWarmPool,
    /// Lists warm pools, a page at a time.
    ListWarmPools,
    /// Changes a warm pool's size.
    UpdateWarmPool,
    /// Deletes a warm pool.
    DeleteWarmPool,
}

impl Method {
    /// All methods, in the order of the JavaScript client's documentation.
    pub const ALL: [Method; 11] = [
        Method::CreatePrebuild,
        Method::GetPrebuild,
        Method::ListPrebuilds,
        Method::CancelPrebuild,
        Method::DeletePrebuild,
        Method::CreatePrebuildLogsToken,
        Method::CreateWarmPool,
        Method::GetWarmPool,
        Method::ListWarmPools,
        Method::UpdateWarmPool,
        Method::DeleteWarmPool,
    ];

    /// The method's name on the wire (`CreatePrebuild`).
    pub fn name(self) -> &'static str {
        match self {
            Method::CreatePrebuild => "CreatePrebuild",
            Method::GetPrebuild => "GetPrebuild",
            Method::ListPrebuilds => "ListPrebuilds",
            Method::CancelPrebuild => "CancelPrebuild",
            Method::DeletePrebuild => "DeletePrebuild",
            Method::CreatePrebuildLogsToken => "CreatePrebuildLogsToken",
            Method::CreateWarmPool => "CreateWarmPool",
            Method::GetWarmPool => "GetWarmPool",
            Method::ListWarmPools => "ListWarmPools",
            Method::UpdateWarmPool => "UpdateWarmPool",
            Method::DeleteWarmPool => "DeleteWarmPool",
        }
    }

    /// The method for a wire name (`CreatePrebuild`) or a JavaScript method name
    /// (`createPrebuild`).
    pub fn from_name(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| {
            // The wire name, or the same with a lowercase first letter.
            let (mut a, mut b) = (name.chars(), m.name().chars());
            matches!((a.next(), b.next()), (Some(x), Some(y)) if x.eq_ignore_ascii_case(&y)) && a.as_str() == b.as_str()
        })
    }

    /// The path below the base URL: `/gitpod.v1.PrebuildService/CreatePrebuild`.
    pub fn path(self) -> String {
        format!("/{SERVICE}/{}", self.name())
    }

    /// Whether the method only reads (the reference marks these side-effect free).
    pub fn is_read_only(self) -> bool {
        matches!(self, Method::GetPrebuild | Method::ListPrebuilds | Method::GetWarmPool | Method::ListWarmPools)
    }
}

/// A parsed, validated request of any method.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// CreatePrebuild.
    CreatePrebuild(CreatePrebuildRequest),
    /// GetPrebuild.
    GetPrebuild(PrebuildIdRequest),
    /// ListPrebuilds.
    ListPrebuilds(ListPrebuildsRequest),
    /// CancelPrebuild.
    CancelPrebuild(PrebuildIdRequest),
    /// DeletePrebuild.
    DeletePrebuild(PrebuildIdRequest),
    /// CreatePrebuildLogsToken.
    CreatePrebuildLogsToken(PrebuildIdRequest),
    /// CreateWarmPool.
    CreateWarmPool(CreateWarmPoolRequest),
    /// GetWarmPool.
    GetWarmPool(WarmPoolIdRequest),
    /// ListWarmPools.
    ListWarmPools(ListWarmPoolsRequest),
    /// UpdateWarmPool.
    UpdateWarmPool(UpdateWarmPoolRequest),
    /// DeleteWarmPool.
    DeleteWarmPool(WarmPoolIdRequest),
}

impl Request {
    /// Parses and validates the parameters of `method` (a JSON object; `null` reads as
    /// `{}`). Every rule of the service is checked; the first violation is returned.
    pub fn parse(method: Method, params: &Json<'_>) -> Result<Request, Error> {
        let empty = Json::empty_object();
        let params = if params.is_null() { &empty } else { params };
        let o = Obj::new(params, "").map_err(field_error)?;
        Ok(match method {
            Method::CreatePrebuild => Request::CreatePrebuild(CreatePrebuildRequest::parse(&o)?),
            Method::GetPrebuild => Request::GetPrebuild(PrebuildIdRequest::parse(&o)?),
            Method::ListPrebuilds => Request::ListPrebuilds(ListPrebuildsRequest::parse(&o)?),
            Method::CancelPrebuild => Request::CancelPrebuild(PrebuildIdRequest::parse(&o)?),
            Method::DeletePrebuild => Request::DeletePrebuild(PrebuildIdRequest::parse(&o)?),
            Method::CreatePrebuildLogsToken => Request::CreatePrebuildLogsToken(PrebuildIdRequest::parse(&o)?),
            Method::CreateWarmPool => Request::CreateWarmPool(CreateWarmPoolRequest::parse(&o)?),
            Method::GetWarmPool => Request::GetWarmPool(WarmPoolIdRequest::parse(&o)?),
            Method::ListWarmPools => Request::ListWarmPools(ListWarmPoolsRequest::parse(&o)?),
            Method::UpdateWarmPool => Request::UpdateWarmPool(UpdateWarmPoolRequest::parse(&o)?),
            Method::DeleteWarmPool => Request::DeleteWarmPool(WarmPoolIdRequest::parse(&o)?),
        })
    }

    /// The JSON body to send (list methods leave `token` and `pageSize` to the query).
    pub fn body(&self) -> String {
        match self {
            Request::CreatePrebuild(r) => r.to_json(),
            Request::GetPrebuild(r)
            | Request::CancelPrebuild(r)
            | Request::DeletePrebuild(r)
            | Request::CreatePrebuildLogsToken(r) => r.to_json(),
            Request::ListPrebuilds(r) => r.to_json(),
            Request::CreateWarmPool(r) => r.to_json(),
            Request::GetWarmPool(r) | Request::DeleteWarmPool(r) => r.to_json(),
            Request::ListWarmPools(r) => r.to_json(),
            Request::UpdateWarmPool(r) => r.to_json(),
        }
    }

    /// The query string for list methods (`?token=T&pageSize=50`), else empty.
    pub fn query(&self) -> String {
        match self {
            Request::ListPrebuilds(r) => list::query(r.token.as_deref(), r.page_size),
            Request::ListWarmPools(r) => list::query(r.token.as_deref(), r.page_size),
            _ => String::new(),
        }
    }
}

/// Turns a JSON reading error into a validation error of the request.
pub(crate) fn field_error(e: FieldError) -> Error {
    Error::validation(e.path, e.message)
}
