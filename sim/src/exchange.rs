//! One request from hyper to the simulator and back: static files are served here;
//! everything else is read whole (headers, query, body up to the core's limit), handed
//! to the core with the wall-clock time, and its answer carried out: sent, sent late,
//! stalled, streamed, or replaced by a reset. A `delay` fault's wait happens here too,
//! before the core serves the request. One log line per request.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue, CONTENT_LENGTH};
use hyper::{Method, Request, Response, StatusCode};
use prebuild_sim_core::{cors, Answer, Body, Delivery, Headers, SimRequest, SimResponse, MAX_BODY_BYTES};
use tokio::sync::watch;

use crate::body::SimBody;
use crate::clock::now_ms;
use crate::ctx::Ctx;
use crate::{log_stream, static_files};

/// How much of a too-large body is read before giving up on the connection.
const DRAIN_LIMIT_BYTES: usize = 16 << 20;

/// What the connection does after a request.
#[derive(Debug)]
pub enum Handled {
    /// Send this response.
    Response(Box<Response<SimBody>>),
    /// Close the connection without answering (the `reset` fault).
    Reset,
}

/// Serves one request and logs it; `stop` turns true when the server shuts down.
pub async fn exchange(ctx: &Arc<Ctx>, req: Request<Incoming>, stop: &watch::Receiver<bool>) -> Handled {
    let started = Instant::now();
    let line = format!("{} {}", req.method(), req.uri().path());
    let elapsed = || started.elapsed().as_secs_f64() * 1000.0;
    if req.method() != Method::OPTIONS && !prebuild_sim_core::serves(req.uri().path()) {
        let mut resp = static_files::route(ctx, req.uri().path(), req.method()).await;
        let mut cors_headers = Headers::default();
        cors::decorate(&mut cors_headers);
        insert_all(resp.headers_mut(), &cors_headers);
        ctx.logger.line(format!("{line} {} {:.1} ms", resp.status().as_u16(), elapsed()));
        return Handled::Response(Box::new(resp.map(SimBody::Whole)));
    }
    let request = read(req).await;
    let mut reply = ctx.sim().handle(request, now_ms());
    // A call may have changed a prebuild (a cancel, a delete, a reset): log streams look again.
    ctx.changed();
    let answer = loop {
        match reply {
            SimResponse::Answer(answer) => break answer,
            SimResponse::Reset => {
                ctx.logger.line(format!("{line} reset {:.1} ms", elapsed()));
                return Handled::Reset;
            }
            SimResponse::Wait(deferred) => {
                tokio::time::sleep(Duration::from_millis(deferred.wait_ms())).await;
                reply = ctx.sim().resume(deferred, now_ms());
                ctx.changed();
            }
        }
    };
    let status = answer.status;
    let (resp, note) = deliver(ctx, answer, stop).await;
    ctx.logger.line(format!("{line} {status} {:.1} ms{note}", elapsed()));
    Handled::Response(Box::new(resp))
}

/// The core's view of a request: everything but a body past the core's limit (a
/// larger one is still read, up to [`DRAIN_LIMIT_BYTES`], and thrown away: answering
/// before the client has sent it would close the connection on unread data, and the
/// client would see a reset instead of the error).
async fn read(req: Request<Incoming>) -> SimRequest {
    let (parts, mut body) = req.into_parts();
    let mut request = SimRequest::new(parts.method.as_str(), parts.uri.path());
    request.query = parts.uri.query().map(str::to_string);
    request.headers =
        parts.headers.iter().map(|(name, value)| (name.as_str().to_string(), value.as_bytes().to_vec())).collect();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        match frame {
            Ok(frame) => {
                if let Ok(data) = frame.into_data() {
                    total = total.saturating_add(data.len());
                    if request.body.len() <= MAX_BODY_BYTES {
                        // Past the limit by at most a frame: the core refuses it.
                        request.body.extend_from_slice(&data);
                    } else if total > DRAIN_LIMIT_BYTES {
                        break;
                    }
                }
            }
            Err(e) => {
                request.body_error = Some(e.to_string());
                break;
            }
        }
    }
    request
}

/// Carries out an answer's delivery; says how, for the request log.
async fn deliver(ctx: &Arc<Ctx>, answer: Answer, stop: &watch::Receiver<bool>) -> (Response<SimBody>, &'static str) {
    let mut resp = Response::new(SimBody::Whole(Full::new(Bytes::new())));
    *resp.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    insert_all(resp.headers_mut(), &answer.headers);
    let bytes = match answer.body {
        Body::Full(bytes) => Bytes::from(bytes),
        Body::Log(id) => {
            *resp.body_mut() = log_stream::start(ctx.clone(), id, stop.clone());
            return (resp, ", streaming");
        }
    };
    match answer.delivery {
        Delivery::Now => {
            *resp.body_mut() = SimBody::Whole(Full::new(bytes));
            (resp, "")
        }
        Delivery::Late(ms) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            *resp.body_mut() = SimBody::Whole(Full::new(bytes));
            (resp, "")
        }
        Delivery::Stall(ms) => {
            resp.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            *resp.body_mut() = SimBody::stalled(bytes, Duration::from_millis(ms), stop.clone());
            (resp, ", body stalled")
        }
    }
}

/// Copies the core's headers onto hyper's (a header hyper cannot carry is left out).
fn insert_all(to: &mut hyper::HeaderMap, headers: &Headers) {
    for (name, value) in headers.iter() {
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
            to.insert(name, value);
        }
    }
}
