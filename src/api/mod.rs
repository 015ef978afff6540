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

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::Error;
use crate::wire::{JsonText, Params, ReadError, WithTextFallback};

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

/// Reads one request type and runs its rules.
fn read_one<T: DeserializeOwned + Default, P: Params>(
    params: P,
    check: fn(&mut T) -> Result<(), Error>,
) -> Result<T, Error> {
    let mut request: T = params.read().map_err(read_error)?;
    check(&mut request)?;
    Ok(request)
}

impl Request {
    /// Reads and validates the parameters of `method` (a JavaScript value, JSON text);
    /// `null` reads as `{}`. Unknown fields and wrong types are found while reading, then
    /// every rule of the service is checked; the first violation is returned.
    pub fn read<P: Params>(method: Method, params: P) -> Result<Request, Error> {
        Ok(match method {
            Method::CreatePrebuild => Request::CreatePrebuild(read_one(params, CreatePrebuildRequest::check)?),
            Method::GetPrebuild => Request::GetPrebuild(read_one(params, PrebuildIdRequest::check)?),
            Method::ListPrebuilds => Request::ListPrebuilds(read_one(params, ListPrebuildsRequest::check)?),
            Method::CancelPrebuild => Request::CancelPrebuild(read_one(params, PrebuildIdRequest::check)?),
            Method::DeletePrebuild => Request::DeletePrebuild(read_one(params, PrebuildIdRequest::check)?),
            Method::CreatePrebuildLogsToken => {
                Request::CreatePrebuildLogsToken(read_one(params, PrebuildIdRequest::check)?)
            }
            Method::CreateWarmPool => Request::CreateWarmPool(read_one(params, CreateWarmPoolRequest::check)?),
            Method::GetWarmPool => Request::GetWarmPool(read_one(params, WarmPoolIdRequest::check)?),
            Method::ListWarmPools => Request::ListWarmPools(read_one(params, ListWarmPoolsRequest::check)?),
            Method::UpdateWarmPool => Request::UpdateWarmPool(read_one(params, UpdateWarmPoolRequest::check)?),
            Method::DeleteWarmPool => Request::DeleteWarmPool(read_one(params, WarmPoolIdRequest::check)?),
        })
    }

    /// [`Request::read`] from a `serde_json::Value` (read directly; written out as text
    /// only when the read fails, to name the path).
    pub fn from_value(method: Method, params: &serde_json::Value) -> Result<Request, Error> {
        Request::read(method, WithTextFallback(params, || Some(params.to_string())))
    }

    /// [`Request::read`] from a JSON body; an empty body is the empty message.
    pub fn from_json(method: Method, body: &str) -> Result<Request, Error> {
        let body = if body.trim().is_empty() { "{}" } else { body };
        Request::read(method, JsonText(body))
    }

    /// The method this request is for.
    pub fn method(&self) -> Method {
        match self {
            Request::CreatePrebuild(_) => Method::CreatePrebuild,
            Request::GetPrebuild(_) => Method::GetPrebuild,
            Request::ListPrebuilds(_) => Method::ListPrebuilds,
            Request::CancelPrebuild(_) => Method::CancelPrebuild,
            Request::DeletePrebuild(_) => Method::DeletePrebuild,
            Request::CreatePrebuildLogsToken(_) => Method::CreatePrebuildLogsToken,
            Request::CreateWarmPool(_) => Method::CreateWarmPool,
            Request::GetWarmPool(_) => Method::GetWarmPool,
            Request::ListWarmPools(_) => Method::ListWarmPools,
            Request::UpdateWarmPool(_) => Method::UpdateWarmPool,
            Request::DeleteWarmPool(_) => Method::DeleteWarmPool,
        }
    }

    /// The JSON body to send (list methods leave `token` and `pageSize` to the query).
    pub fn body(&self) -> String {
        fn json<T: Serialize>(v: &T) -> String {
            // These types hold only strings, integers and lists of them: writing cannot fail.
            serde_json::to_string(v).unwrap_or_default()
        }
        match self {
            Request::CreatePrebuild(r) => json(r),
            Request::GetPrebuild(r)
            | Request::CancelPrebuild(r)
            | Request::DeletePrebuild(r)
            | Request::CreatePrebuildLogsToken(r) => json(r),
            Request::ListPrebuilds(r) => json(r),
            Request::CreateWarmPool(r) => json(r),
            Request::GetWarmPool(r) | Request::DeleteWarmPool(r) => json(r),
            Request::ListWarmPools(r) => json(r),
            Request::UpdateWarmPool(r) => json(r),
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

/// A value of the parameters that could not be read, as a validation error.
pub(crate) fn read_error(e: ReadError) -> Error {
    let field = if e.path.is_empty() { "(root)".to_string() } else { e.path };
    if e.syntax {
        return Error::validation(field, format!("is not valid JSON ({})", e.message));
    }
    Error::validation(field, e.message)
}
