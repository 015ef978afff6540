//! Streaming a prebuild's log, line by line, to its end.
//!
//! The log server replays the log from its first line on every request and closes
//! the stream when the prebuild ends. So the follower counts the lines it has handed
//! out and, after a reconnect, skips that many; a stream that breaks off, or closes
//! while the prebuild still runs, or sends nothing for the idle limit
//! (`idleTimeoutMs`), is reconnected with backoff; a refused token (401) is replaced
//! by a fresh one. The log ends when a stream closes cleanly and the prebuild is in a
//! final phase.

use crate::api::{Call, Method};
use crate::call::{call_capturing, CallOptions, ClientConfig, TransportError};
use crate::error::Error;
use crate::protocol::error_from_response;
use crate::retry::{self, RetryHeaders};
use crate::schema::messages::LOGS_TOKEN_RESPONSE;
use crate::schema::Capture;

use super::gaps::PollGaps;
use super::lines::LineSplitter;
use super::settings::{FollowSettings, Subject};
use super::stream::{BodyStream, StreamRequest, StreamTransport};
use super::watch::Seen;

/// What is read of a logs token answer: the token.
static TOKEN: [Capture; 1] = [(&LOGS_TOKEN_RESPONSE, 0)];

/// Reconnects in a row without a new line before the follower gives up.
pub const MAX_LOG_RECONNECTS: u32 = 10;
/// Fresh tokens in a row the log server may refuse before the follower gives up.
const MAX_REFUSED_TOKENS: u32 = 2;
/// How much of an error response's body is read.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// What a follower has to say: lines, or how the connection stands (for a UI that
/// shows "waiting for logs" or "reconnecting").
#[derive(Debug, Clone, PartialEq)]
pub enum LogEvent {
    /// The next lines of the log (at least one).
    Lines(Vec<String>),
    /// The prebuild has no log yet; the follower polls until it has.
    Waiting,
    /// A log stream is open (the first one, or again after a reconnect).
    Streaming,
    /// The stream failed or closed early; the next attempt comes after `wait_ms`.
    Reconnecting {
        /// Reconnects in a row without a new line, this one included.
        attempt: u32,
        /// The wait before it.
        wait_ms: f64,
        /// What went wrong, for people.
        reason: String,
    },
}

/// What one step of the follower came to: something to hand out (or the end), or
/// nothing yet.
#[derive(Debug)]
enum Step {
    Done(Option<LogEvent>),
    Again,
}

/// One open log stream.
#[derive(Debug)]
struct Connection<B> {
    body: B,
    lines: LineSplitter,
    /// Complete lines received on this connection.
    seen: u64,
}

impl<B> Connection<B> {
    /// The lines not handed out before (the stream replays from the first line).
    fn fresh(&mut self, lines: Vec<String>, handed_out: &mut u64) -> Vec<String> {
        let mut fresh = Vec::new();
        for line in lines {
            if self.seen >= *handed_out {
                fresh.push(line);
                *handed_out += 1;
            }
            self.seen += 1;
        }
        fresh
    }
}

/// A prebuild's log being followed. Each [`LogFollow::next`] returns the next lines.
#[derive(Debug)]
pub struct LogFollow<B> {
    get: Call,
    token_request: Call,
    gaps: PollGaps,
    log_url: Option<String>,
    /// How long an open stream may send nothing before it is reconnected.
    idle_timeout_ms: u32,
    token: Option<String>,
    connection: Option<Connection<B>>,
    handed_out: u64,
    /// Reconnects since the last new line.
    failures: u32,
    refused: u32,
    /// A wait that the next call starts with (announced by the event just returned).
    pending_wait: Option<f64>,
    waiting_announced: bool,
    finished: bool,
}

fn is_final(phase: &str) -> bool {
    Subject::Prebuild.final_phases().contains(&phase)
}

/// `error` with `secret` cut out of every text in it.
fn redacted(error: Error, secret: Option<&str>) -> Error {
    let Some(secret) = secret.filter(|s| !s.is_empty()) else { return error };
    let cut = |s: String| if s.contains(secret) { s.replace(secret, "[redacted]") } else { s };
    match error {
        Error::Api { status, code, message, details } => {
            Error::Api { status, code, message: cut(message), details: cut(details) }
        }
        Error::Connection { message } => Error::Connection { message: cut(message) },
        other => other,
    }
}

/// Reads up to `limit` bytes of a body; a body that breaks off (or stalls for
/// `idle_ms`) gives what came.
async fn read_to_limit<B: BodyStream>(mut body: B, limit: usize, idle_ms: u32) -> String {
    let mut bytes = Vec::new();
    while bytes.len() < limit {
        match body.chunk(idle_ms).await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            _ => break,
        }
    }
    bytes.truncate(limit);
    String::from_utf8_lossy(&bytes).into_owned()
}

impl<B: BodyStream> LogFollow<B> {
    /// A follower of the log of the prebuild that `get` (a validated `getPrebuild`
    /// request) reads; `settings` set the polls while the log is not there yet.
    pub fn new(get: Call, settings: &FollowSettings) -> Result<LogFollow<B>, Error> {
        let (Method::GetPrebuild, Some(prebuild_id)) = (get.method, get.value("prebuildId")) else {
            return Err(Error::validation("method", "only a prebuild has a log"));
        };
        let token_request = Call::with_id(Method::CreatePrebuildLogsToken, "prebuildId", prebuild_id);
        Ok(LogFollow {
            get,
            token_request,
            gaps: PollGaps::new(settings.interval_ms, settings.max_interval_ms),
            log_url: None,
            idle_timeout_ms: settings.idle_timeout_ms,
            token: None,
            connection: None,
            handed_out: 0,
            failures: 0,
            refused: 0,
            pending_wait: None,
            waiting_announced: false,
            finished: false,
        })
    }

    /// Lines handed out so far.
    pub fn lines_handed_out(&self) -> u64 {
        self.handed_out
    }

    /// The prebuild's state now; remembers its log URL.
    async fn state<T: StreamTransport<Body = B>>(
        &mut self,
        transport: &T,
        config: &ClientConfig,
        options: &CallOptions,
    ) -> Result<Seen, Error> {
        let capture = Seen::capture(Subject::Prebuild);
        let seen = Seen::read(Subject::Prebuild, call_capturing(transport, config, &self.get, options, capture).await?);
        if !seen.log_url.is_empty() {
            self.log_url = Some(seen.log_url.clone());
        }
        Ok(seen)
    }

    /// Counts a failed connection and plans the wait before the next (announced as
    /// [`LogEvent::Reconnecting`]), or gives up with `error`.
    fn back_off<T: StreamTransport<Body = B>>(
        &mut self,
        transport: &T,
        error: Error,
        headers: &RetryHeaders,
    ) -> Result<Step, Error> {
        if self.failures >= MAX_LOG_RECONNECTS {
            return Err(error);
        }
        let wait_ms = retry::delay_ms(self.failures, headers, transport.now_ms(), transport.random());
        self.failures += 1;
        self.pending_wait = Some(wait_ms);
        Ok(Step::Done(Some(LogEvent::Reconnecting { attempt: self.failures, wait_ms, reason: error.message() })))
    }

    /// The next lines of the log, or news of the connection, or `None` at the log's
    /// end. Fails with [`Error::Aborted`], an error of the API calls it makes (a 404
    /// when the prebuild is gone), or the last connection error after
    /// [`MAX_LOG_RECONNECTS`] reconnects without a new line.
    pub async fn next<T: StreamTransport<Body = B>>(
        &mut self,
        transport: &T,
        config: &ClientConfig,
        options: &CallOptions,
    ) -> Result<Option<LogEvent>, Error> {
        let timeout_ms = options.timeout_ms.unwrap_or(config.timeout_ms);
        loop {
            if self.finished {
                return Ok(None);
            }
            if let Some(wait) = self.pending_wait.take() {
                transport.sleep(wait).await.map_err(|_| Error::Aborted)?;
            }
            let step = if self.connection.is_some() {
                self.read(transport, config, options).await?
            } else if let Some(url) = self.log_url.clone() {
                self.connect(transport, config, options, url, timeout_ms).await?
            } else {
                self.look_for_log(transport, config, options).await?
            };
            if let Step::Done(event) = step {
                return Ok(event);
            }
        }
    }

    /// No log URL yet: polls the prebuild (announcing the wait once).
    async fn look_for_log<T: StreamTransport<Body = B>>(
        &mut self,
        transport: &T,
        config: &ClientConfig,
        options: &CallOptions,
    ) -> Result<Step, Error> {
        let seen = self.state(transport, config, options).await?;
        if !seen.log_url.is_empty() {
            return Ok(Step::Again);
        }
        if is_final(&seen.phase) {
            self.finished = true;
            return Ok(Step::Done(None));
        }
        self.pending_wait = Some(self.gaps.next(transport.random()));
        if self.waiting_announced {
            return Ok(Step::Again);
        }
        self.waiting_announced = true;
        Ok(Step::Done(Some(LogEvent::Waiting)))
    }

    /// Reads the open stream's next chunk: new lines, the log's end, or a reconnect.
    async fn read<T: StreamTransport<Body = B>>(
        &mut self,
        transport: &T,
        config: &ClientConfig,
        options: &CallOptions,
    ) -> Result<Step, Error> {
        let Some(connection) = self.connection.as_mut() else { return Ok(Step::Again) };
        match connection.body.chunk(self.idle_timeout_ms).await {
            Ok(Some(bytes)) => {
                let lines = connection.lines.push(&bytes);
                let fresh = connection.fresh(lines, &mut self.handed_out);
                if fresh.is_empty() {
                    return Ok(Step::Again);
                }
                self.failures = 0;
                Ok(Step::Done(Some(LogEvent::Lines(fresh))))
            }
            Ok(None) => {
                let tail = connection.lines.finish();
                let connection = self.connection.take();
                if !is_final(&self.state(transport, config, options).await?.phase) {
                    let ended = Error::Connection { message: "the log stream ended before the prebuild did".into() };
                    return self.back_off(transport, ended, &RetryHeaders::default());
                }
                self.finished = true;
                let fresh = match (tail, connection) {
                    (Some(line), Some(mut c)) => c.fresh(vec![line], &mut self.handed_out),
                    _ => Vec::new(),
                };
                Ok(Step::Done((!fresh.is_empty()).then_some(LogEvent::Lines(fresh))))
            }
            Err(TransportError::Aborted { .. }) => Err(Error::Aborted),
            Err(e) => {
                self.connection = None;
                let message = match e {
                    TransportError::Connection(message) => message,
                    _ => {
                        let mut m = String::from("no data came on the log stream for ");
                        crate::schema::text::push_u64(&mut m, u64::from(self.idle_timeout_ms));
                        m.push_str(" ms (idleTimeoutMs)");
                        m
                    }
                };
                self.back_off(transport, Error::Connection { message }, &RetryHeaders::default())
            }
        }
    }

    /// The logs token in hand, or a new one.
    async fn token<T: StreamTransport<Body = B>>(
        &mut self,
        transport: &T,
        config: &ClientConfig,
        options: &CallOptions,
    ) -> Result<String, Error> {
        if let Some(token) = &self.token {
            return Ok(token.clone());
        }
        let answer = call_capturing(transport, config, &self.token_request, options, &TOKEN).await?;
        let token = answer.values(0).next().map(|(_, t)| t.to_string()).unwrap_or_default();
        self.token = Some(token.clone());
        Ok(token)
    }

    /// Opens a stream of the log at `url`: streaming, a fresh token after a 401, or a
    /// reconnect.
    async fn connect<T: StreamTransport<Body = B>>(
        &mut self,
        transport: &T,
        config: &ClientConfig,
        options: &CallOptions,
        url: String,
        timeout_ms: u32,
    ) -> Result<Step, Error> {
        let token = self.token(transport, config, options).await?;
        let request = StreamRequest {
            url,
            headers: vec![("authorization".into(), String::from("Bearer ") + &token)],
            timeout_ms,
        };
        let r = match transport.open(&request).await {
            Ok(r) => r,
            Err(TransportError::Aborted { .. }) => return Err(Error::Aborted),
            Err(TransportError::Timeout) => {
                return self.back_off(transport, Error::Timeout { timeout_ms }, &RetryHeaders::default())
            }
            Err(TransportError::Connection(message)) => {
                let error = redacted(Error::Connection { message }, Some(&token));
                return self.back_off(transport, error, &RetryHeaders::default());
            }
        };
        if r.status == 200 {
            self.refused = 0;
            self.connection = Some(Connection { body: r.body, lines: LineSplitter::new(), seen: 0 });
            return Ok(Step::Done(Some(LogEvent::Streaming)));
        }
        let (status, headers) = (r.status, r.retry);
        let body = read_to_limit(r.body, MAX_ERROR_BODY, self.idle_timeout_ms).await;
        let error = redacted(error_from_response(status, &body), Some(&token));
        match status {
            401 => {
                // Expired or revoked: a fresh token, at once.
                self.token = None;
                self.refused += 1;
                if self.refused > MAX_REFUSED_TOKENS {
                    return Err(error);
                }
                Ok(Step::Again)
            }
            404 => {
                // Gone with its prebuild (the poll fails with a 404 too), or not there yet.
                let seen = self.state(transport, config, options).await?;
                if is_final(&seen.phase) && seen.log_url.is_empty() {
                    self.finished = true;
                    return Ok(Step::Done(None));
                }
                self.back_off(transport, error, &headers)
            }
            _ if retry::is_retryable(&error, &headers) => self.back_off(transport, error, &headers),
            _ => Err(error),
        }
    }
}
