//! The API: one PrebuildService call from request to answer. Faults come first (as a
//! proxy's would), then authentication, the body, validation by the library's
//! `Request::from_value`, and the state's answer. A committed fault (`commit=1`) is
//! decided first too, but acts only after the call was applied.

use gitpod_prebuilds::api::{Method, Request};
use gitpod_prebuilds::protocol::Code;

use crate::faults::{self, Action, Target};
use crate::message::{Answer, Deferred, Delivery, Job, SimRequest, SimResponse};
use crate::outcome;
use crate::respond::{error, error_with_status, json};
use crate::service::Service;
use crate::state::{ApiError, PageQuery};

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Serves a call of the method named `name` (the last path segment), counting it in
/// `/_sim/stats`.
pub(crate) fn serve(svc: &mut Service, name: &str, req: SimRequest, now: i64) -> SimResponse {
    // Only exact wire names: the library's `from_name` also takes JavaScript names.
    let Some(method) = Method::ALL.into_iter().find(|m| m.name() == name) else {
        let message = format!("gitpod.v1.PrebuildService has no method {name:?}");
        return SimResponse::Answer(error_with_status(404, &Code::Unimplemented, &message));
    };
    svc.stats.request(method);
    let reply = faulted(svc, method, req, now);
    count(svc, method, &reply);
    reply
}

/// Serves a call that a `delay` fault held back, now that the wait is over.
pub(crate) fn resume(svc: &mut Service, method: Method, req: SimRequest, now: i64) -> SimResponse {
    let reply = SimResponse::Answer(served(svc, method, &req, now));
    count(svc, method, &reply);
    reply
}

/// Counts the status of an answer (a reset sends none; a deferred call is counted
/// when it is answered).
fn count(svc: &mut Service, method: Method, reply: &SimResponse) {
    if let SimResponse::Answer(a) = reply {
        svc.stats.status(method, a.status);
    }
}

fn faulted(svc: &mut Service, method: Method, req: SimRequest, now: i64) -> SimResponse {
    if req.method != "POST" {
        let mut resp = error_with_status(405, &Code::Unimplemented, &format!("{} takes POST", method.path()));
        resp.headers.insert("allow", "POST");
        return SimResponse::Answer(resp);
    }
    let fault_header = match faults::header_of(&req) {
        Ok(h) => h,
        Err(refused) => return *refused,
    };
    let mut stall = None;
    let mut after = None;
    match svc.faults.decide(fault_header, Target::Api) {
        Err(message) => return SimResponse::Answer(error(&Code::InvalidArgument, &message)),
        Ok(None) => {}
        Ok(Some(fault)) if fault.commit => {
            svc.stats.fault(method, fault.kind.name(), true);
            after = Some(faults::action(&fault, method));
        }
        Ok(Some(fault)) => {
            svc.stats.fault(method, fault.kind.name(), false);
            match faults::action(&fault, method) {
                Action::Respond(resp) => return SimResponse::Answer(resp),
                Action::Reset => return SimResponse::Reset,
                Action::Delay(ms) => return SimResponse::Wait(Deferred { wait_ms: ms, job: Job::Api(method, req) }),
                Action::Stall(ms) => stall = Some(ms),
                // Refused by `decide` for API calls; answered as that refusal.
                Action::Cut(_) => {
                    return SimResponse::Answer(error(&Code::InvalidArgument, "cut=N applies to log requests only"))
                }
            }
        }
    }
    let mut resp = served(svc, method, &req, now);
    if let Some(action) = after {
        return committed(action, resp);
    }
    if let Some(ms) = stall {
        resp.delivery = Delivery::Stall(ms);
    }
    SimResponse::Answer(resp)
}

/// The call served by the simulated service itself: its answer, success or error.
fn served(svc: &mut Service, method: Method, req: &SimRequest, now: i64) -> Answer {
    svc.stats.served(method);
    match call(svc, method, req, now) {
        Ok(body) => json(200, body),
        Err(e) => {
            let mut resp = error(&e.code, &e.message);
            if e.code == Code::ResourceExhausted {
                // The SDKs retry 429, but the same body will not get smaller.
                resp.headers.insert("x-should-retry", "false");
            }
            resp
        }
    }
}

/// The reply to a call that was applied (its answer is `resp`) under a committed fault:
/// the fault's answer or a reset instead, or the answer late.
fn committed(action: Action, mut resp: Answer) -> SimResponse {
    match action {
        Action::Respond(fault) => SimResponse::Answer(fault),
        Action::Reset => SimResponse::Reset,
        Action::Delay(ms) => {
            resp.delivery = Delivery::Late(ms);
            SimResponse::Answer(resp)
        }
        // Not reachable (`parse` refuses `stall;commit=1`), but the meaning is plain.
        Action::Stall(ms) => {
            resp.delivery = Delivery::Stall(ms);
            SimResponse::Answer(resp)
        }
        // Not reachable either (`cut` takes no commit and no API call): the answer.
        Action::Cut(_) => SimResponse::Answer(resp),
    }
}

fn call(svc: &mut Service, method: Method, req: &SimRequest, now: i64) -> Result<String, ApiError> {
    authorize(svc.config.token.as_deref(), req)?;
    let forced =
        outcome::parse(method, req.header(outcome::HEADER)).map_err(|m| ApiError::new(Code::InvalidArgument, m))?;
    let query = PageQuery::from_query(req.query.as_deref());
    let body = body(req)?;
    // An empty body is the empty message.
    let text = if body.iter().all(u8::is_ascii_whitespace) {
        "{}"
    } else {
        std::str::from_utf8(body)
            .map_err(|_| ApiError::new(Code::InvalidArgument, "the request body is not valid UTF-8"))?
    };
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| ApiError::new(Code::InvalidArgument, format!("the request body is not valid JSON: {e}")))?;
    let request = Request::from_value(method, &value)?;
    svc.state.call(request, &query, forced, now)
}

/// Checks `Authorization: Bearer <token>`: any non-empty token, or exactly `--token`.
fn authorize(expected: Option<&str>, req: &SimRequest) -> Result<(), ApiError> {
    let unauthenticated = |m: &str| ApiError::new(Code::Unauthenticated, m);
    let value = req
        .header_text("authorization")
        .ok_or_else(|| unauthenticated("missing Authorization header: send \"Authorization: Bearer <token>\""))?;
    let value = value.map_err(|()| unauthenticated("the Authorization header must be ASCII text"))?;
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

/// The whole body, at most [`MAX_BODY_BYTES`]; the transport's error if it broke off.
fn body(req: &SimRequest) -> Result<&[u8], ApiError> {
    if let Some(e) = &req.body_error {
        return Err(ApiError::new(Code::InvalidArgument, format!("could not read the request body: {e}")));
    }
    if req.body.len() > MAX_BODY_BYTES {
        return Err(ApiError::new(
            Code::ResourceExhausted,
            format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
        ));
    }
    Ok(&req.body)
}
