//! One log request, `GET /logs/{prebuildId}`: faults first (as a proxy's would), then
//! the logs token, then the prebuild, then the stream. Errors are Connect error
//! bodies, as the API's: 401 `unauthenticated` for a missing, malformed, unknown or
//! expired token, another prebuild's token or the API token; 404 `not_found` for an
//! unknown or deleted prebuild; 400 `invalid_argument` for a bad `x-sim-fault`.

use gitpod_prebuilds::protocol::Code;

use super::stream::LogStream;
use super::tokens::Refusal;
use crate::faults::{self, Action, Target};
use crate::message::{Answer, Body, Deferred, Delivery, Headers, Job, SimRequest, SimResponse};
use crate::respond::{error, error_with_status};
use crate::service::Service;
use crate::time::rfc3339;

/// Serves a request for the log at `/logs/{rest}`, counting it in `/_sim/stats`.
pub(crate) fn serve(svc: &mut Service, rest: &str, req: SimRequest, now: i64) -> SimResponse {
    svc.stats.log_request();
    let reply = faulted(svc, rest, req, now);
    count(svc, &reply);
    reply
}

/// Serves a log request that a `delay` fault held back, now that the wait is over.
pub(crate) fn resume(svc: &mut Service, id: &str, req: &SimRequest, now: i64) -> SimResponse {
    let reply = SimResponse::Answer(answer(svc, id, req, None, None, now));
    count(svc, &reply);
    reply
}

fn count(svc: &mut Service, reply: &SimResponse) {
    if let SimResponse::Answer(a) = reply {
        svc.stats.log_status(a.status);
    }
}

fn faulted(svc: &mut Service, id: &str, req: SimRequest, now: i64) -> SimResponse {
    if id.is_empty() || id.contains('/') {
        let message = "no log here: log URLs are /logs/{prebuildId}, as in a prebuild's status.logUrl";
        return SimResponse::Answer(error_with_status(404, &Code::NotFound, message));
    }
    if req.method != "GET" {
        let mut resp = error_with_status(405, &Code::Unimplemented, "log URLs take GET");
        resp.headers.insert("allow", "GET, OPTIONS");
        return SimResponse::Answer(resp);
    }
    let fault_header = match faults::header_of(&req) {
        Ok(h) => h,
        Err(refused) => return *refused,
    };
    let (mut stall, mut cut) = (None, None);
    match svc.faults.decide(fault_header, Target::Logs) {
        Err(message) => return SimResponse::Answer(error(&Code::InvalidArgument, &message)),
        Ok(None) => {}
        Ok(Some(fault)) => {
            svc.stats.log_fault(fault.kind.name());
            match faults::log_action(&fault) {
                Action::Respond(resp) => return SimResponse::Answer(resp),
                Action::Reset => return SimResponse::Reset,
                Action::Delay(ms) => {
                    let job = Job::Log { id: id.to_string(), request: req };
                    return SimResponse::Wait(Deferred { wait_ms: ms, job });
                }
                Action::Stall(ms) => stall = Some(ms),
                Action::Cut(lines) => cut = Some(lines),
            }
        }
    }
    SimResponse::Answer(answer(svc, id, &req, cut, stall, now))
}

/// The answer once faults are decided: an error, or the stream.
fn answer(svc: &mut Service, id: &str, req: &SimRequest, cut: Option<u64>, stall: Option<u64>, now: i64) -> Answer {
    let token = match bearer(req) {
        Ok(token) => token,
        Err(message) => return unauthenticated(message),
    };
    let state = &svc.state;
    if let Err(refusal) = state.check_logs_token(token, id, now) {
        return unauthenticated(refused(&refusal, id));
    }
    let facts = match state.log_facts(id) {
        Some(facts) => facts,
        None if state.log_progress(id).is_some() => {
            return error(&Code::NotFound, &format!("prebuild {id} is deleted; its log is gone"))
        }
        None => return error(&Code::NotFound, &format!("prebuild {id} not found")),
    };
    svc.stats.log_served();
    let stream = LogStream::new(facts, state.generation(), svc.config.log_chunk_bytes, cut, stall);
    let id = svc.streams.open(stream);
    let mut headers = Headers::default();
    headers.insert("content-type", "text/plain; charset=utf-8");
    headers.insert("cache-control", "no-store");
    // Browsers show text/plain as it arrives only when they need not sniff it; proxies
    // such as nginx pass a stream on at once only when told not to buffer it.
    headers.insert("x-content-type-options", "nosniff");
    headers.insert("x-accel-buffering", "no");
    Answer { status: 200, headers, body: Body::Log(id), delivery: Delivery::Now }
}

/// The token of `Authorization: Bearer <token>`, or why there is none.
fn bearer(req: &SimRequest) -> Result<&str, String> {
    let how = "send \"Authorization: Bearer <token>\" with a logs token from CreatePrebuildLogsToken";
    let value = req.header_text("authorization").ok_or_else(|| format!("missing Authorization header: {how}"))?;
    let value = value.map_err(|()| format!("the Authorization header must be ASCII text: {how}"))?;
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

fn unauthenticated(message: String) -> Answer {
    let mut resp = error(&Code::Unauthenticated, &message);
    resp.headers.insert("www-authenticate", "Bearer realm=\"prebuild-logs\"");
    resp
}
