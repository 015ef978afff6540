//! The API over HTTP: one PrebuildService call from request to response. Faults come
//! first (as a proxy's would), then authentication, the body, validation by the
//! library's `Request::from_value`, and the state's answer. A committed fault
//! (`commit=1`) is decided first too, but acts only after the call was applied.

use bytes::Bytes;
use gitpod_prebuilds::api::{Method, Request};
use gitpod_prebuilds::protocol::Code;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue, AUTHORIZATION};

use crate::faults::{self, Action, Target};
use crate::outcome;
use crate::respond::{error, error_with_status, json, Resp};
use crate::server::{Ctx, Reply};
use crate::state::{ApiError, PageQuery};
use crate::time::now_ms;

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// How much of a too-large body is read before giving up on the connection.
const DRAIN_LIMIT_BYTES: usize = 16 << 20;

/// Serves a call of the method named `name` (the last path segment), counting it in
/// `/_sim/stats`.
pub async fn api(ctx: &Ctx, name: &str, req: hyper::Request<Incoming>) -> Reply {
    // Only exact wire names: the library's `from_name` also takes JavaScript names.
    let Some(method) = Method::ALL.into_iter().find(|m| m.name() == name) else {
        let message = format!("gitpod.v1.PrebuildService has no method {name:?}");
        return Reply::Response(error_with_status(404, &Code::Unimplemented, &message));
    };
    ctx.stats.request(method);
    let reply = serve(ctx, method, req).await;
    match &reply {
        Reply::Response(resp) | Reply::Stall(resp, _) => ctx.stats.status(method, resp.status().as_u16()),
        Reply::Stream(resp) => ctx.stats.status(method, resp.status().as_u16()),
        Reply::Reset => {}
    }
    reply
}

async fn serve(ctx: &Ctx, method: Method, req: hyper::Request<Incoming>) -> Reply {
    if req.method() != hyper::Method::POST {
        let mut resp = error_with_status(405, &Code::Unimplemented, &format!("{} takes POST", method.path()));
        resp.headers_mut().insert("allow", HeaderValue::from_static("POST"));
        return Reply::Response(resp);
    }
    let fault_header = match req.headers().get(faults::HEADER).map(|v| v.to_str()) {
        None => None,
        Some(Ok(v)) => Some(v),
        Some(Err(_)) => return Reply::Response(error(&Code::InvalidArgument, "x-sim-fault must be ASCII text")),
    };
    let mut stall = None;
    let mut after = None;
    match ctx.faults.decide(fault_header, Target::Api) {
        Err(message) => return Reply::Response(error(&Code::InvalidArgument, &message)),
        Ok(None) => {}
        Ok(Some(fault)) if fault.commit => {
            ctx.stats.fault(method, fault.kind.name(), true);
            after = Some(faults::action(&fault, method));
        }
        Ok(Some(fault)) => {
            ctx.stats.fault(method, fault.kind.name(), false);
            match faults::action(&fault, method) {
                Action::Respond(resp) => return Reply::Response(resp),
                Action::Reset => return Reply::Reset,
                Action::Delay(d) => tokio::time::sleep(d).await,
                Action::Stall(d) => stall = Some(d),
                // Refused by `decide` for API calls; answered as that refusal.
                Action::Cut(_) => {
                    return Reply::Response(error(&Code::InvalidArgument, "cut=N applies to log requests only"))
                }
            }
        }
    }
    ctx.stats.served(method);
    let result = call(ctx, method, req).await;
    // A call may have changed a prebuild (a cancel, a delete): log streams look again.
    ctx.changed();
    let resp = match result {
        Ok(body) => json(200, body),
        Err(e) => {
            let mut resp = error(&e.code, &e.message);
            if e.code == Code::ResourceExhausted {
                // The SDKs retry 429, but the same body will not get smaller.
                resp.headers_mut().insert("x-should-retry", HeaderValue::from_static("false"));
            }
            resp
        }
    };
    if let Some(action) = after {
        return committed(action, resp).await;
    }
    match stall {
        Some(d) => Reply::Stall(resp, d),
        None => Reply::Response(resp),
    }
}

/// The reply to a call that was applied (its answer is `resp`) under a committed fault:
/// the fault's answer or a reset instead, or the answer late.
async fn committed(action: Action, resp: Resp) -> Reply {
    match action {
        Action::Respond(fault) => Reply::Response(fault),
        Action::Reset => Reply::Reset,
        Action::Delay(d) => {
            tokio::time::sleep(d).await;
            Reply::Response(resp)
        }
        // Not reachable (`parse` refuses `stall;commit=1`), but the meaning is plain.
        Action::Stall(d) => Reply::Stall(resp, d),
        // Not reachable either (`cut` takes no commit and no API call): the answer.
        Action::Cut(_) => Reply::Response(resp),
    }
}

async fn call(ctx: &Ctx, method: Method, req: hyper::Request<Incoming>) -> Result<String, ApiError> {
    authorize(ctx.token.as_deref(), req.headers())?;
    let forced = outcome::parse(method, req.headers().get(outcome::HEADER).map(HeaderValue::as_bytes))
        .map_err(|m| ApiError::new(Code::InvalidArgument, m))?;
    let query = PageQuery::from_query(req.uri().query());
    let body = read_body(req).await?;
    // An empty body is the empty message.
    let text = if body.iter().all(u8::is_ascii_whitespace) {
        "{}"
    } else {
        std::str::from_utf8(&body)
            .map_err(|_| ApiError::new(Code::InvalidArgument, "the request body is not valid UTF-8"))?
    };
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| ApiError::new(Code::InvalidArgument, format!("the request body is not valid JSON: {e}")))?;
    let request = Request::from_value(method, &value)?;
    let mut sim = ctx.sim.lock().unwrap_or_else(|e| e.into_inner());
    sim.call(request, &query, forced, now_ms())
}

/// Checks `Authorization: Bearer <token>`: any non-empty token, or exactly `--token`.
fn authorize(expected: Option<&str>, headers: &HeaderMap) -> Result<(), ApiError> {
    let unauthenticated = |m: &str| ApiError::new(Code::Unauthenticated, m);
    let value = headers
        .get(AUTHORIZATION)
        .ok_or_else(|| unauthenticated("missing Authorization header: send \"Authorization: Bearer <token>\""))?;
    let value = value.to_str().map_err(|_| unauthenticated("the Authorization header must be ASCII text"))?;
    let token = match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => return Err(unauthenticated("the Authorization header must be \"Bearer <token>\"")),
    };
    if token.is_empty() {
        return Err(unauthenticated("the bearer token is empty"));
    }
    match expected {
        Some(t) if t != token => Err(unauthenticated("the bearer token is not valid")),
        _ => Ok(()),
    }
}

/// The whole body, at most [`MAX_BODY_BYTES`]. A larger body is still read (up to
/// [`DRAIN_LIMIT_BYTES`]) and thrown away: answering before the client has sent it
/// would close the connection on unread data, and the client would see a reset
/// instead of the error.
async fn read_body(req: hyper::Request<Incoming>) -> Result<Bytes, ApiError> {
    let mut body = req.into_body();
    let mut kept = Vec::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        let frame =
            frame.map_err(|e| ApiError::new(Code::InvalidArgument, format!("could not read the request body: {e}")))?;
        if let Ok(data) = frame.into_data() {
            total = total.saturating_add(data.len());
            if total <= MAX_BODY_BYTES {
                kept.extend_from_slice(&data);
            } else if total > DRAIN_LIMIT_BYTES {
                break;
            }
        }
    }
    if total > MAX_BODY_BYTES {
        return Err(ApiError::new(
            Code::ResourceExhausted,
            format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
        ));
    }
    Ok(Bytes::from(kept))
}
