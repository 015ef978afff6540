//! The PrebuildService's 11 methods as data: their paths, their requests (parsed and
//! validated by the same code in the client and in the simulator) and their responses.

pub(crate) mod list;
mod prebuilds;
mod responses;
mod warm_pools;

pub use list::{
    check_page_size, PaginationRequest, PrebuildFilter, WarmPoolFilter, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE,
    PAGINATION_REQUEST, PREBUILD_FILTER, WARM_POOL_FILTER,
};
pub use prebuilds::{
    CreatePrebuildRequest, CreatePrebuildSpec, ListPrebuildsRequest, PrebuildIdRequest, CREATE_PREBUILD_REQUEST,
    CREATE_PREBUILD_SPEC, LIST_PREBUILDS_REQUEST, PREBUILD_ID_REQUEST,
};
pub use responses::{
    Empty, ListPrebuildsResponse, ListWarmPoolsResponse, LogsTokenResponse, PrebuildResponse, WarmPoolResponse, EMPTY,
    LIST_PREBUILDS_RESPONSE, LIST_WARM_POOLS_RESPONSE, LOGS_TOKEN_RESPONSE, PREBUILD_RESPONSE, WARM_POOL_RESPONSE,
};
pub use warm_pools::{
    check_min_max, min_above_max, CreateWarmPoolRequest, ListWarmPoolsRequest, UpdateWarmPoolRequest,
    WarmPoolIdRequest, CREATE_WARM_POOL_REQUEST, LIST_WARM_POOLS_REQUEST, UPDATE_WARM_POOL_REQUEST,
    WARM_POOL_ID_REQUEST,
};

use serde::Serialize;

use crate::error::Error;
use crate::schema::messages as m;
use crate::schema::text::push_json_str;
use crate::schema::{Msg, ReadError, Setup, Source};

pub use crate::schema::JsonText;

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
        let mut p = String::with_capacity(64);
        p.push('/');
        p.push_str(SERVICE);
        p.push('/');
        p.push_str(self.name());
        p
    }

    /// The descriptor of the method's request.
    pub fn request(self) -> &'static Msg {
        match self {
            Method::CreatePrebuild => &m::CREATE_PREBUILD_REQUEST,
            Method::GetPrebuild | Method::CancelPrebuild | Method::DeletePrebuild | Method::CreatePrebuildLogsToken => {
                &m::PREBUILD_ID_REQUEST
            }
            Method::ListPrebuilds => &m::LIST_PREBUILDS_REQUEST,
            Method::CreateWarmPool => &m::CREATE_WARM_POOL_REQUEST,
            Method::GetWarmPool | Method::DeleteWarmPool => &m::WARM_POOL_ID_REQUEST,
            Method::ListWarmPools => &m::LIST_WARM_POOLS_REQUEST,
            Method::UpdateWarmPool => &m::UPDATE_WARM_POOL_REQUEST,
        }
    }

    /// The descriptor of the method's response.
    pub fn response(self) -> &'static Msg {
        match self {
            Method::CreatePrebuild | Method::GetPrebuild | Method::CancelPrebuild => &m::PREBUILD_RESPONSE,
            Method::ListPrebuilds => &m::LIST_PREBUILDS_RESPONSE,
            Method::CreatePrebuildLogsToken => &m::LOGS_TOKEN_RESPONSE,
            Method::CreateWarmPool | Method::GetWarmPool | Method::UpdateWarmPool => &m::WARM_POOL_RESPONSE,
            Method::ListWarmPools => &m::LIST_WARM_POOLS_RESPONSE,
            Method::DeletePrebuild | Method::DeleteWarmPool => &m::EMPTY,
        }
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

/// One call's request as the wire needs it, read and checked by the schema: the
/// canonical JSON body, the query string (list methods), and the root's values.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The method.
    pub method: Method,
    /// The JSON body: the parameters in canonical form, without the query's.
    pub body: String,
    /// `?token=...&pageSize=...` for list methods, else "".
    pub query: String,
    /// The root's scalar values by JSON name (ids, sizes), for the calls a call makes.
    values: Vec<(&'static str, String)>,
}

impl Call {
    /// Reads and checks the parameters of `method` (a JavaScript value, JSON text);
    /// `null` reads as `{}`. A value of the wrong kind or an unknown field is reported
    /// first; then the first rule violated, in declaration order.
    pub fn read<S: Source>(method: Method, params: S) -> Result<Call, Error> {
        let setup = Setup { rules: true, record_top: true, null_root: true, ..Setup::default() };
        let ctx = params.read(method.request(), setup).map_err(read_error)?;
        let query = list::query(ctx.value("token"), ctx.value("pageSize"));
        let values = ctx.records.into_iter().filter(|r| r.key.is_empty()).map(|r| (r.field.json, r.value)).collect();
        Ok(Call { method, body: ctx.out, query, values })
    }

    /// [`Call::read`] from a `serde_json::Value`.
    pub fn from_value(method: Method, params: &serde_json::Value) -> Result<Call, Error> {
        Call::read(method, params)
    }

    /// [`Call::read`] from a JSON body; an empty body is the empty message.
    pub fn from_json(method: Method, body: &str) -> Result<Call, Error> {
        let body = if body.trim().is_empty() { "{}" } else { body };
        Call::read(method, JsonText(body))
    }

    /// A call whose only parameter is an id (checked already).
    pub(crate) fn with_id(method: Method, json: &'static str, id: &str) -> Call {
        let mut body = String::with_capacity(id.len() + 24);
        body.push_str("{\"");
        body.push_str(json);
        body.push_str("\":");
        push_json_str(&mut body, id);
        body.push('}');
        Call { method, body, query: String::new(), values: vec![(json, id.to_string())] }
    }

    /// A call with a body and query made here (checked already).
    pub(crate) fn prepared(method: Method, body: String, query: String) -> Call {
        Call { method, body, query, values: Vec::new() }
    }

    /// A value of the root's fields, as text (`prebuildId`, `minSize`).
    pub fn value(&self, json: &str) -> Option<&str> {
        self.values.iter().find(|(k, _)| *k == json).map(|(_, v)| v.as_str())
    }
}

impl Request {
    /// Reads and validates the parameters of `method` into the typed request (the
    /// simulator's and native users' view): [`Call::read`], then the canonical body.
    pub fn read<S: Source>(method: Method, params: S) -> Result<Request, Error> {
        Request::from_call(&Call::read(method, params)?)
    }

    /// The typed view of a call read by [`Call::read`].
    pub fn from_call(call: &Call) -> Result<Request, Error> {
        fn typed<'a, T: serde::Deserialize<'a>>(body: &'a str) -> Result<T, Error> {
            serde_json::from_str(body).map_err(|e| Error::validation("(root)", e.to_string()))
        }
        let token = call.value("token").map(str::to_string);
        let page_size = call.value("pageSize").and_then(|n| n.parse().ok());
        let body = call.body.as_str();
        Ok(match call.method {
            Method::CreatePrebuild => Request::CreatePrebuild(typed(body)?),
            Method::GetPrebuild => Request::GetPrebuild(typed(body)?),
            Method::ListPrebuilds => Request::ListPrebuilds(ListPrebuildsRequest { token, page_size, ..typed(body)? }),
            Method::CancelPrebuild => Request::CancelPrebuild(typed(body)?),
            Method::DeletePrebuild => Request::DeletePrebuild(typed(body)?),
            Method::CreatePrebuildLogsToken => Request::CreatePrebuildLogsToken(typed(body)?),
            Method::CreateWarmPool => Request::CreateWarmPool(typed(body)?),
            Method::GetWarmPool => Request::GetWarmPool(typed(body)?),
            Method::ListWarmPools => Request::ListWarmPools(ListWarmPoolsRequest { token, page_size, ..typed(body)? }),
            Method::UpdateWarmPool => Request::UpdateWarmPool(typed(body)?),
            Method::DeleteWarmPool => Request::DeleteWarmPool(typed(body)?),
        })
    }

    /// [`Request::read`] from a `serde_json::Value`.
    pub fn from_value(method: Method, params: &serde_json::Value) -> Result<Request, Error> {
        Request::read(method, params)
    }

    /// [`Request::read`] from a JSON body; an empty body is the empty message.
    pub fn from_json(method: Method, body: &str) -> Result<Request, Error> {
        Request::from_call(&Call::from_json(method, body)?)
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
            Request::ListPrebuilds(r) => list::query(r.token.as_deref(), r.page_size.map(int).as_deref()),
            Request::ListWarmPools(r) => list::query(r.token.as_deref(), r.page_size.map(int).as_deref()),
            _ => String::new(),
        }
    }
}

fn int(n: i32) -> String {
    crate::schema::text::int_text(i64::from(n))
}

/// A value of the parameters that could not be read, as a validation error.
pub(crate) fn read_error(e: ReadError) -> Error {
    let field = if e.path.is_empty() { "(root)".to_string() } else { e.path };
    if e.syntax {
        let mut m = String::from("is not valid JSON (");
        m.push_str(&e.message);
        m.push(')');
        return Error::validation(field, m);
    }
    Error::validation(field, e.message)
}
