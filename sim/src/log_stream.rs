//! A log stream's task: it polls the core's stream with the wall-clock time, writes the
//! pieces it gets into the response body, and sleeps until the simulator changes (a
//! tick, a request) or the time the core named (a stall's end) comes. It ends the body
//! as the core says: cleanly, or abruptly (a `cut`, a reset), and abruptly too when the
//! server stops. Whichever way it ends, it closes the core's stream.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use prebuild_sim_core::{StreamId, StreamState};
use tokio::sync::{mpsc, watch};

use crate::body::SimBody;
use crate::clock::now_ms;
use crate::ctx::Ctx;

/// How long a cut waits before dropping the connection, so the lines written before
/// it leave the server's buffers rather than being dropped with the connection.
const CUT_PAUSE: Duration = Duration::from_millis(30);
/// Pieces in flight between the task and the connection.
const QUEUE: usize = 16;

/// Starts the task that writes the stream `id`; returns the body it feeds.
pub fn start(ctx: Arc<Ctx>, id: StreamId, stop: watch::Receiver<bool>) -> SimBody {
    let (tx, rx) = mpsc::channel(QUEUE);
    tokio::spawn(async move {
        let _open = Open(ctx.clone(), id);
        if let Some(why) = follow(&ctx, id, &tx, stop).await {
            // An error ends the body without its last chunk, and hyper closes the
            // connection: the reader sees an incomplete body, not an end.
            let _ = tx.send(Err(std::io::Error::other(why))).await;
        }
    });
    SimBody::Stream(rx)
}

/// Closes the core's stream when the task ends, whichever way: `/_sim/stats` counts
/// it as open until then.
struct Open(Arc<Ctx>, StreamId);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.sim().close_log(self.1);
    }
}

type Tx = mpsc::Sender<Result<Bytes, std::io::Error>>;

/// Writes the stream until it ends; `Some(reason)` when it must end abruptly, `None`
/// for a clean end or a reader that went away.
async fn follow(ctx: &Ctx, id: StreamId, tx: &Tx, mut stop: watch::Receiver<bool>) -> Option<&'static str> {
    let mut changes = ctx.changes.subscribe();
    loop {
        // Marked seen before the state is read: a change after the read wakes us.
        changes.borrow_and_update();
        let polled = ctx.sim().poll_log(id, now_ms());
        for piece in polled.pieces {
            if tx.send(Ok(Bytes::from(piece))).await.is_err() {
                return None;
            }
        }
        let wake_at = match polled.state {
            StreamState::Open { wake_at_ms } => wake_at_ms,
            StreamState::Ended => return None,
            StreamState::Cut => {
                tokio::time::sleep(CUT_PAUSE).await;
                return Some("the stream was cut by the x-sim-fault cut fault");
            }
            StreamState::Broken(why) => return Some(why),
        };
        let until = async {
            match wake_at {
                Some(at) => tokio::time::sleep(Duration::from_millis(u64::try_from(at - now_ms()).unwrap_or(0))).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            changed = changes.changed() => if changed.is_err() { return Some("the server is stopping") },
            () = until => {}
            _ = stop.wait_for(|stopping| *stopping) => return Some("the server is stopping"),
            () = tx.closed() => return None,
        }
    }
}
