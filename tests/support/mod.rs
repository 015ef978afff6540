//! A scripted [`Transport`] for native tests of the whole call: it answers from a list
//! and records every request it is sent and every wait it is asked for.
// Each test file uses a part of this module.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use gitpod_prebuilds::call::{HttpRequest, HttpResponse, Transport, TransportError};
use gitpod_prebuilds::retry::RetryHeaders;

/// Runs a future whose awaits are all ready at once (the scripted transport never waits).
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// The answers to give, in order, and what was asked.
#[derive(Default)]
pub struct Script {
    answers: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
    /// Every request sent, in order.
    pub sent: RefCell<Vec<HttpRequest>>,
    /// Every wait before a retry, in milliseconds.
    pub sleeps: RefCell<Vec<f64>>,
    /// Ends every wait as the caller's abort would.
    pub abort_sleep: bool,
}

impl Script {
    /// A transport that gives these answers, one per request.
    pub fn new(answers: Vec<Result<HttpResponse, TransportError>>) -> Script {
        Script { answers: RefCell::new(answers.into()), ..Default::default() }
    }

    /// The method name at the end of each sent request's path (`CreateWarmPool`), with
    /// the query if any.
    pub fn methods(&self) -> Vec<String> {
        self.sent.borrow().iter().map(|r| r.url.rsplit('/').next().unwrap_or("").to_string()).collect()
    }

    /// Whether every scripted answer was used.
    pub fn finished(&self) -> bool {
        self.answers.borrow().is_empty()
    }
}

impl Transport for Script {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        self.sent.borrow_mut().push(request.clone());
        self.answers.borrow_mut().pop_front().expect("the call sent more requests than scripted")
    }
    async fn sleep(&self, ms: f64) -> Result<(), TransportError> {
        self.sleeps.borrow_mut().push(ms);
        if self.abort_sleep {
            Err(TransportError::Aborted { sent: false })
        } else {
            Ok(())
        }
    }
    fn now_ms(&self) -> f64 {
        0.0
    }
    fn random(&self) -> f64 {
        0.0
    }
}

/// A response with this status and body, and no retry headers.
pub fn status(code: u16, body: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse { status: code, body: body.into(), retry: RetryHeaders::default() })
}

/// A response with this status and body and an `x-should-retry` header.
pub fn status_saying(code: u16, body: &str, should_retry: &str) -> Result<HttpResponse, TransportError> {
    let retry = RetryHeaders { should_retry: Some(should_retry.into()), ..Default::default() };
    Ok(HttpResponse { status: code, body: body.into(), retry })
}

/// An attempt that timed out.
pub fn timeout() -> Result<HttpResponse, TransportError> {
    Err(TransportError::Timeout)
}

/// An attempt the caller aborted after it was handed over to be sent.
pub fn aborted_in_flight() -> Result<HttpResponse, TransportError> {
    Err(TransportError::Aborted { sent: true })
}

/// An attempt the caller aborted before it went out (the signal was already aborted).
pub fn aborted_before_sending() -> Result<HttpResponse, TransportError> {
    Err(TransportError::Aborted { sent: false })
}

/// An attempt whose connection failed.
pub fn reset() -> Result<HttpResponse, TransportError> {
    Err(TransportError::Connection("connection reset".into()))
}
