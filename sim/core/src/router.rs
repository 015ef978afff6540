//! Which part answers a request: the API, prebuild logs, health, or the simulator's
//! control endpoints. Every answer gets the CORS headers. Paths outside these (the
//! demo page, the package) are the server's: see [`serves`].

use gitpod_prebuilds::api::SERVICE;
use gitpod_prebuilds::protocol::Code;
use serde_json::json;

use crate::message::{Answer, Deferred, Job, SimRequest, SimResponse};
use crate::respond::{error_with_status, json, text};
use crate::service::Service;
use crate::{api, cors, logs};

/// Where log URLs live on the simulator.
const LOGS_PREFIX: &str = "/logs/";
/// The control endpoints.
const CONTROL: [&str; 4] = ["/healthz", "/_sim/info", "/_sim/reset", "/_sim/stats"];

/// Whether the simulator answers requests for `path` (besides `OPTIONS`, which it
/// answers for every path): the API, logs, health and control endpoints. A server
/// serves other paths itself (static files), or answers them 404 as the core does.
pub fn serves(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/") || path.starts_with(LOGS_PREFIX) || CONTROL.contains(&path)
}

/// Answers one request.
pub(crate) fn route(svc: &mut Service, req: SimRequest, now: i64) -> SimResponse {
    let path = req.path.clone();
    if req.method == "OPTIONS" {
        let methods = if path.starts_with(LOGS_PREFIX) { "GET, OPTIONS" } else { "GET, HEAD, POST, OPTIONS" };
        return SimResponse::Answer(cors::preflight(&req, methods));
    }
    let api_prefix = format!("/api/{SERVICE}/");
    let reply = if let Some(name) = path.strip_prefix(&api_prefix) {
        api::serve(svc, name, req, now)
    } else if let Some(id) = path.strip_prefix(LOGS_PREFIX) {
        logs::request::serve(svc, id, req, now)
    } else if path == "/api" || path.starts_with("/api/") {
        SimResponse::Answer(error_with_status(
            404,
            &Code::Unimplemented,
            &format!("no service at {path}; the API is under {api_prefix}"),
        ))
    } else {
        let method = req.method.as_str();
        SimResponse::Answer(match path.as_str() {
            "/healthz" => only(method, &["GET", "HEAD"]).unwrap_or_else(|| text(200, "ok\n")),
            "/_sim/info" => only(method, &["GET"]).unwrap_or_else(|| json(200, info(svc).to_string())),
            "/_sim/reset" => only(method, &["POST"]).unwrap_or_else(|| json(200, reset(svc).to_string())),
            "/_sim/stats" => only(method, &["GET"]).unwrap_or_else(|| json(200, stats(svc).to_string())),
            _ => text(404, "not found\n"),
        })
    };
    decorated(reply)
}

/// Answers a request that a `delay` fault held back.
pub(crate) fn resume(svc: &mut Service, deferred: Deferred, now: i64) -> SimResponse {
    let reply = match deferred.job {
        Job::Api(method, req) => api::resume(svc, method, req, now),
        Job::Log { id, request } => logs::request::resume(svc, &id, &request, now),
    };
    decorated(reply)
}

fn decorated(mut reply: SimResponse) -> SimResponse {
    if let SimResponse::Answer(a) = &mut reply {
        cors::decorate(&mut a.headers);
    }
    reply
}

/// A 405 unless `method` is one of `allowed`.
fn only(method: &str, allowed: &[&str]) -> Option<Answer> {
    if allowed.contains(&method) {
        return None;
    }
    let mut resp = text(405, "method not allowed\n");
    resp.headers.insert("allow", allowed.join(", "));
    Some(resp)
}

/// `GET /_sim/info`: ids for demos and tests.
pub(crate) fn info(svc: &Service) -> serde_json::Value {
    let mut info = svc.state.info();
    if let Some(map) = info.as_object_mut() {
        map.insert("tickMs".into(), svc.config.tick_ms.into());
        map.insert("apiBasePath".into(), "/api".into());
    }
    info
}

/// `GET /_sim/stats`: the counters.
pub(crate) fn stats(svc: &Service) -> serde_json::Value {
    svc.stats.to_json(svc.streams.len())
}

/// `POST /_sim/reset`: back to the seed state, fault counters and stats forgotten; log
/// streams opened before end.
pub(crate) fn reset(svc: &mut Service) -> serde_json::Value {
    svc.reset();
    let (prebuilds, pools) = svc.state.counts();
    json!({ "reset": true, "prebuildCount": prebuilds, "warmPoolCount": pools })
}
