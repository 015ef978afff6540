//! Which handler serves a request: the API, prebuild logs, health, the simulator's
//! control endpoints, or static files. Every response gets the CORS headers.

use gitpod_prebuilds::api::SERVICE;
use gitpod_prebuilds::protocol::Code;
use hyper::body::Incoming;
use hyper::header::HeaderValue;
use hyper::{Method, Request};
use serde_json::json;
use std::sync::Arc;
use tokio::sync::watch;

use crate::respond::{error_with_status, json, text, Resp};
use crate::server::{Ctx, Reply};
use crate::{cors, handlers, logs, static_files};

/// Routes one request; `stop` turns true when the server shuts down.
pub async fn route(ctx: &Arc<Ctx>, req: Request<Incoming>, stop: &watch::Receiver<bool>) -> Reply {
    let path = req.uri().path().to_string();
    if req.method() == Method::OPTIONS {
        let methods = if path.starts_with(logs::PATH_PREFIX) { "GET, OPTIONS" } else { "GET, HEAD, POST, OPTIONS" };
        return Reply::Response(cors::preflight(req.headers(), methods));
    }
    let method = req.method().clone();
    let api_prefix = format!("/api/{SERVICE}/");
    let reply = if let Some(name) = path.strip_prefix(&api_prefix) {
        handlers::api(ctx, name, req).await
    } else if let Some(id) = path.strip_prefix(logs::PATH_PREFIX) {
        logs::handler::serve(ctx, id, req, stop).await
    } else if path == "/api" || path.starts_with("/api/") {
        Reply::Response(error_with_status(
            404,
            &Code::Unimplemented,
            &format!("no service at {path}; the API is under {api_prefix}"),
        ))
    } else {
        Reply::Response(match path.as_str() {
            "/healthz" => only(&method, &[Method::GET, Method::HEAD]).unwrap_or_else(|| text(200, "ok\n")),
            "/_sim/info" => only(&method, &[Method::GET]).unwrap_or_else(|| info(ctx)),
            "/_sim/reset" => only(&method, &[Method::POST]).unwrap_or_else(|| reset(ctx)),
            "/_sim/stats" => {
                only(&method, &[Method::GET]).unwrap_or_else(|| json(200, ctx.stats.to_json().to_string()))
            }
            p => match p.strip_prefix("/pkg/") {
                Some(rel) => static_files::serve(&ctx.pkg_dir, "/pkg/", rel, &method).await,
                None => static_files::serve(&ctx.www_dir, "/", p.trim_start_matches('/'), &method).await,
            },
        })
    };
    match reply {
        Reply::Response(mut resp) => {
            cors::decorate(&mut resp);
            Reply::Response(resp)
        }
        Reply::Stall(mut resp, d) => {
            cors::decorate(&mut resp);
            Reply::Stall(resp, d)
        }
        Reply::Stream(mut resp) => {
            cors::decorate(&mut resp);
            Reply::Stream(resp)
        }
        Reply::Reset => Reply::Reset,
    }
}

/// A 405 unless `method` is one of `allowed`.
fn only(method: &Method, allowed: &[Method]) -> Option<Resp> {
    if allowed.contains(method) {
        return None;
    }
    let mut resp = text(405, "method not allowed\n");
    let list = allowed.iter().map(Method::as_str).collect::<Vec<_>>().join(", ");
    if let Ok(v) = HeaderValue::from_str(&list) {
        resp.headers_mut().insert("allow", v);
    }
    Some(resp)
}

/// `GET /_sim/info`: ids for demos and tests.
fn info(ctx: &Ctx) -> Resp {
    let mut info = ctx.sim.lock().unwrap_or_else(|e| e.into_inner()).info();
    if let Some(map) = info.as_object_mut() {
        map.insert("tickMs".into(), ctx.tick_ms.into());
        map.insert("apiBasePath".into(), "/api".into());
    }
    json(200, info.to_string())
}

/// `POST /_sim/reset`: back to the seed state, fault counters and stats forgotten.
fn reset(ctx: &Ctx) -> Resp {
    let (prebuilds, pools) = {
        let mut sim = ctx.sim.lock().unwrap_or_else(|e| e.into_inner());
        sim.reset();
        sim.counts()
    };
    ctx.faults.clear();
    ctx.stats.clear();
    // Log streams opened before see the new generation and end.
    ctx.changed();
    json(200, json!({ "reset": true, "prebuildCount": prebuilds, "warmPoolCount": pools }).to_string())
}
