//! The body type the server sends: a whole body, one that (for the `stall` fault)
//! sends its first half, holds the rest back, and then sends it, or a stream fed by a
//! task (a prebuild's log). A stalled body gives up at once when the server stops, so a
//! stall never delays a shutdown; a log stream's task does the same.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::{Body, Frame, SizeHint};
use tokio::sync::{mpsc, watch};

/// A response body.
pub enum SimBody {
    /// All at once.
    Whole(Full<Bytes>),
    /// The first half, a wait, the second half.
    Stalled(Stalled),
    /// Pieces as a task sends them, sent chunked. The sender dropped ends the body
    /// cleanly; an error ends it abruptly (the connection is closed without the last
    /// chunk).
    Stream(mpsc::Receiver<Result<Bytes, std::io::Error>>),
}

/// Where a stalled body is.
pub struct Stalled {
    first: Option<Bytes>,
    rest: Option<Bytes>,
    /// Completes with `true` after the wait, `false` when the server stops first.
    wait: Pin<Box<dyn Future<Output = bool> + Send>>,
    len: u64,
}

impl std::fmt::Debug for SimBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimBody::Whole(_) => f.write_str("SimBody::Whole"),
            SimBody::Stalled(s) => write!(f, "SimBody::Stalled({} bytes)", s.len),
            SimBody::Stream(_) => f.write_str("SimBody::Stream"),
        }
    }
}

impl SimBody {
    /// `body` with its second half held back for `wait` (or until `stop` turns true).
    pub fn stalled(body: Bytes, wait: Duration, mut stop: watch::Receiver<bool>) -> SimBody {
        let len = body.len() as u64;
        let half = body.len() / 2;
        let wait = Box::pin(async move {
            tokio::select! {
                () = tokio::time::sleep(wait) => true,
                _ = stop.wait_for(|stopping| *stopping) => false,
            }
        });
        SimBody::Stalled(Stalled { first: Some(body.slice(..half)), rest: Some(body.slice(half..)), wait, len })
    }
}

impl Body for SimBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            SimBody::Whole(full) => Pin::new(full).poll_frame(cx).map_err(|never| match never {}),
            SimBody::Stalled(s) => {
                if let Some(first) = s.first.take() {
                    return Poll::Ready(Some(Ok(Frame::data(first))));
                }
                if s.rest.is_none() {
                    return Poll::Ready(None);
                }
                match s.wait.as_mut().poll(cx) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(true) => Poll::Ready(s.rest.take().map(|b| Ok(Frame::data(b)))),
                    Poll::Ready(false) => {
                        s.rest = None;
                        Poll::Ready(Some(Err(std::io::Error::other("the server is stopping"))))
                    }
                }
            }
            SimBody::Stream(rx) => rx.poll_recv(cx).map(|piece| piece.map(|r| r.map(Frame::data))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            SimBody::Whole(full) => full.is_end_stream(),
            SimBody::Stalled(s) => s.first.is_none() && s.rest.is_none(),
            SimBody::Stream(_) => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            SimBody::Whole(full) => full.size_hint(),
            SimBody::Stalled(s) => SizeHint::with_exact(s.len),
            SimBody::Stream(_) => SizeHint::default(),
        }
    }
}
