//! One log request, `GET /logs/{prebuildId}`: faults first (as a proxy's would), then
//! the logs token, then the prebuild, then the streamed text. Errors are Connect error
//! bodies, as the API's: 401 `unauthenticated` for a missing, malformed, unknown or
//! expired token, another prebuild's token or the API token; 404 `not_found` for an
//! unknown or deleted prebuild; 400 `invalid_argument` for a bad `x-sim-fault`.

use std::sync::Arc;

use gitpod_prebuilds::protocol::Code;
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderValue, AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, WWW_AUTHENTICATE};
use hyper::{Method, Request, Response};
use tokio::sync::watch;

use super::stream::{self, Plan};
use super::tokens::Refusal;
use crate::faults::{self, Action, Target};
use crate::respond::{error, error_with_status, Resp};
use crate::server::{Ctx, Reply};
use crate::time::{now_ms, rfc3339};

/// Serves a request for the log at `/logs/{rest}`, counting it in `/_sim/stats`.
pub async fn serve(ctx: &Arc<Ctx>, rest: &str, req: Request<Incoming>, stop: &watch::Receiver<bool>) -> Reply {
    ctx.stats.log_request();
    let reply = answer(ctx, rest, req, stop).await;
    match &reply {
        Reply::Response(resp) | Reply::Stall(resp, _) => ctx.stats.log_status(resp.status().as_u16()),
        Reply::Stream(resp) => ctx.stats.log_status(resp.status().as_u16()),
        Reply::Reset => {}
    }
    reply
}

async fn answer(ctx: &Arc<Ctx>, id: &str, req: Request<Incoming>, stop: &watch::Receiver<bool>) -> Reply {
    if id.is_empty() || id.contains('/') {
        let message = "no log here: log URLs are /logs/{prebuildId}, as in a prebuild's status.logUrl";
        return Reply::Response(error_with_status(404, &Code::NotFound, message));
    }
    if req.method() != Method::GET {
        let mut resp = error_with_status(405, &Code::Unimplemented, "log URLs take GET");
        resp.headers_mut().insert("allow", HeaderValue::from_static("GET, OPTIONS"));
        return Reply::Response(resp);
    }
    let fault_header = match req.headers().get(faults::HEADER).map(|v| v.to_str()) {
        None => None,
        Some(Ok(v)) => Some(v),
        Some(Err(_)) => return Reply::Response(error(&Code::InvalidArgument, "x-sim-fault must be ASCII text")),
    };
    let (mut stall, mut cut) = (None, None);
    match ctx.faults.decide(fault_header, Target::Logs) {
        Err(message) => return Reply::Response(error(&Code::InvalidArgument, &message)),
        Ok(None) => {}
        Ok(Some(fault)) => {
            ctx.stats.log_fault(fault.kind.name());
            match faults::log_action(&fault) {
                Action::Respond(resp) => return Reply::Response(resp),
                Action::Reset => return Reply::Reset,
                Action::Delay(d) => tokio::time::sleep(d).await,
                Action::Stall(d) => stall = Some(d),
                Action::Cut(lines) => cut = Some(lines),
            }
        }
    }
    let token = match bearer(req.headers()) {
        Ok(token) => token,
        Err(message) => return Reply::Response(unauthenticated(message)),
    };
    let now = now_ms();
    let (facts, generation) = {
        let sim = ctx.sim.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(refusal) = sim.check_logs_token(token, id, now) {
            return Reply::Response(unauthenticated(refused(&refusal, id)));
        }
        match sim.log_facts(id) {
            Some(facts) => (facts, sim.generation()),
            None if sim.log_progress(id).is_some() => {
                return Reply::Response(error(&Code::NotFound, &format!("prebuild {id} is deleted; its log is gone")))
            }
            None => return Reply::Response(error(&Code::NotFound, &format!("prebuild {id} not found"))),
        }
    };
    ctx.stats.log_served();
    let plan = Plan::new(facts, generation, ctx.log_chunk_bytes, cut, stall);
    let mut resp = Response::new(stream::start(ctx.clone(), plan, stop.clone()));
    let h = resp.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Browsers show text/plain as it arrives only when they need not sniff it; proxies
    // such as nginx pass a stream on at once only when told not to buffer it.
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Reply::Stream(resp)
}

/// The token of `Authorization: Bearer <token>`, or why there is none.
fn bearer(headers: &HeaderMap) -> Result<&str, String> {
    let how = "send \"Authorization: Bearer <token>\" with a logs token from CreatePrebuildLogsToken";
    let value = headers.get(AUTHORIZATION).ok_or_else(|| format!("missing Authorization header: {how}"))?;
    let value = value.to_str().map_err(|_| format!("the Authorization header must be ASCII text: {how}"))?;
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => Ok(token.trim()),
        _ => Err(format!("the Authorization header is not a bearer token: {how}")),
    }
}

fn refused(refusal: &Refusal, id: &str) -> String {
    match refusal {
        Refusal::Unknown => "the bearer token is not a logs token of this simulator (the API token does not open \
                             logs); get one from CreatePrebuildLogsToken"
            .to_string(),
        Refusal::Expired { at_ms } => {
            format!("the logs token expired at {}; get a new one from CreatePrebuildLogsToken", rfc3339(*at_ms))
        }
        Refusal::OtherPrebuild => {
            format!("the logs token is for another prebuild; get one for {id} from CreatePrebuildLogsToken")
        }
    }
}

fn unauthenticated(message: String) -> Resp {
    let mut resp = error(&Code::Unauthenticated, &message);
    resp.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"prebuild-logs\""));
    resp
}
