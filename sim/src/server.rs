//! The HTTP server: accepting connections, serving each with hyper's HTTP/1.1
//! connection API (so a connection can be dropped without an answer for the `reset`
//! fault, with a TCP RST), and graceful shutdown. What a request gets is `exchange`'s
//! business.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

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
use crate::ctx::Ctx;
use crate::exchange::{exchange, Handled};

/// How long open connections get to finish after a shutdown signal.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

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

/// Serves one request; a reset closes the connection instead of answering.
async fn respond(
    ctx: Arc<Ctx>,
    reset: Arc<Notify>,
    stop: watch::Receiver<bool>,
    req: Request<Incoming>,
) -> Result<Response<SimBody>, Infallible> {
    match exchange(&ctx, req, &stop).await {
        Handled::Response(resp) => Ok(*resp),
        Handled::Reset => {
            reset.notify_one();
            // Never answer: the connection task drops this request with its connection.
            std::future::pending().await
        }
    }
}
