//! The HTTP server: accepting connections, serving each with hyper's HTTP/1.1
//! connection API (so a connection can be dropped without an answer for the `reset`
//! fault), per-request logging, and graceful shutdown.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use socket2::SockRef;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;

use crate::body::SimBody;
use crate::faults::Faults;
use crate::log::Logger;
use crate::respond::Resp;
use crate::router;
use crate::state::Sim;
use crate::stats::Stats;

/// How long open connections get to finish after a shutdown signal.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// What every request handler shares.
#[derive(Debug)]
pub struct Ctx {
    /// The simulated service. A plain mutex: it is never held across an `await`.
    pub sim: Mutex<Sim>,
    /// Fault injection state.
    pub faults: Faults,
    /// Counters for `/_sim/stats`.
    pub stats: Stats,
    /// `--token`: the only accepted token, if given.
    pub token: Option<String>,
    /// `--www`.
    pub www_dir: PathBuf,
    /// `--pkg`.
    pub pkg_dir: PathBuf,
    /// `--tick-ms`, for `/_sim/info`.
    pub tick_ms: u64,
    /// `--log-chunk-bytes`: 0 writes log lines whole.
    pub log_chunk_bytes: usize,
    /// Bumped after every tick, API call and reset, so log streams look for new lines.
    pub changes: watch::Sender<u64>,
    /// Request log.
    pub logger: Logger,
}

impl Ctx {
    /// Wakes the log streams: the state may have changed.
    pub fn changed(&self) {
        self.changes.send_modify(|n| *n = n.wrapping_add(1));
    }
}

/// A handler's result: a response, or a connection to close without one.
#[derive(Debug)]
pub enum Reply {
    /// Send this.
    Response(Resp),
    /// Send this, but hold the second half of its body back this long (`stall`).
    Stall(Resp, Duration),
    /// Send this streamed response (a prebuild's log).
    Stream(Response<SimBody>),
    /// Close the connection without answering (the `reset` fault).
    Reset,
}

/// Accepts connections until `shutdown` completes, then lets open connections finish
/// (for at most [`DRAIN_TIMEOUT`]).
pub async fn serve(listener: TcpListener, ctx: Arc<Ctx>, shutdown: impl std::future::Future<Output = ()>) {
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(connection(stream, ctx.clone(), stop_rx.clone()));
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    ctx.logger.line(format!("accept failed: {e}"));
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            // Reap finished connections so the set does not grow without bound.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let drained = tokio::time::timeout(DRAIN_TIMEOUT, async { while connections.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        connections.abort_all();
    }
}

/// Serves one connection until it ends, is reset, or the server stops.
async fn connection(stream: TcpStream, ctx: Arc<Ctx>, mut stop: watch::Receiver<bool>) {
    let _ = stream.set_nodelay(true);
    // A second handle on the socket: after hyper's is dropped, setting SO_LINGER to 0
    // on this one makes the close a TCP RST, as a crashed proxy's would be.
    let socket = SockRef::from(&stream).try_clone().ok();
    let reset = Arc::new(Notify::new());
    let service = {
        let reset = reset.clone();
        let stop = stop.clone();
        service_fn(move |req| respond(ctx.clone(), reset.clone(), stop.clone(), req))
    };
    let conn = http1::Builder::new().timer(TokioTimer::new()).serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    let mut stopping = false;
    loop {
        tokio::select! {
            _ = conn.as_mut() => break,
            () = reset.notified() => {
                if let Some(socket) = &socket {
                    let _ = socket.set_linger(Some(Duration::ZERO));
                }
                break;
            }
            _ = stop.changed(), if !stopping => {
                stopping = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
    // `conn` (hyper's handle) and `socket` are dropped here; the last close sends
    // the RST when a reset was asked for.
}

/// Serves one request and logs it.
async fn respond(
    ctx: Arc<Ctx>,
    reset: Arc<Notify>,
    stop: watch::Receiver<bool>,
    req: Request<Incoming>,
) -> Result<Response<SimBody>, Infallible> {
    let started = Instant::now();
    let line = format!("{} {}", req.method(), req.uri().path());
    let elapsed = || started.elapsed().as_secs_f64() * 1000.0;
    match router::route(&ctx, req, &stop).await {
        Reply::Response(resp) => {
            ctx.logger.line(format!("{line} {} {:.1} ms", resp.status().as_u16(), elapsed()));
            Ok(resp.map(SimBody::Whole))
        }
        Reply::Stall(resp, wait) => {
            ctx.logger.line(format!("{line} {} {:.1} ms, body stalled", resp.status().as_u16(), elapsed()));
            let (mut parts, body) = resp.into_parts();
            let bytes = match http_body_util::BodyExt::collect(body).await {
                Ok(collected) => collected.to_bytes(),
                Err(never) => match never {},
            };
            parts.headers.insert(hyper::header::CONTENT_LENGTH, hyper::header::HeaderValue::from(bytes.len()));
            Ok(Response::from_parts(parts, SimBody::stalled(bytes, wait, stop)))
        }
        Reply::Stream(resp) => {
            ctx.logger.line(format!("{line} {} {:.1} ms, streaming", resp.status().as_u16(), elapsed()));
            Ok(resp)
        }
        Reply::Reset => {
            ctx.logger.line(format!("{line} reset {:.1} ms", elapsed()));
            reset.notify_one();
            // Never answer: the connection task drops this request with its connection.
            std::future::pending().await
        }
    }
}
