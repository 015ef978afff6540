//! The wait, watch and log-follow policy over a scripted transport with a virtual
//! clock: what is polled, how long each gap is, what is handed out, and how a log
//! survives broken streams, closed streams and refused tokens without losing or
//! repeating a line.

mod support;

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use gitpod_prebuilds::api::{Call, Method};
use gitpod_prebuilds::call::{CallOptions, ClientConfig, HttpRequest, HttpResponse, Transport, TransportError};
use gitpod_prebuilds::follow::{
    BodyStream, FollowSettings, LogEvent, LogFollow, StreamRequest, StreamResponse, StreamTransport, Subject, Watch,
    DEFAULT_IDLE_TIMEOUT_MS, MAX_LOG_RECONNECTS,
};
use gitpod_prebuilds::retry::RetryHeaders;
use gitpod_prebuilds::Error;
use serde_json::{json, Value};
use support::block_on;

const ID: &str = "07e03a28-65a5-4d98-b532-8ea67b188048";
const LOG_URL: &str = "https://logs.example.test/prebuilds/07e03a28";

type Chunk = Result<Vec<u8>, TransportError>;
/// A scripted log response: its status and body chunks, or no response at all.
type Opened = Result<(u16, Vec<Chunk>), TransportError>;

/// A scripted body: chunks, then a clean end (or the error a chunk is; a stall is a
/// [`TransportError::Timeout`]). It notes the idle limit of each read.
#[derive(Debug)]
struct Body(VecDeque<Chunk>, Rc<RefCell<Vec<u32>>>);

impl BodyStream for Body {
    async fn chunk(&mut self, idle_ms: u32) -> Result<Option<Vec<u8>>, TransportError> {
        self.1.borrow_mut().push(idle_ms);
        self.0.pop_front().transpose()
    }
}

/// API answers and log streams in order; sleeps move a virtual clock.
#[derive(Default)]
struct Fake {
    api: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
    sent: RefCell<Vec<HttpRequest>>,
    streams: RefCell<VecDeque<Opened>>,
    opened: RefCell<Vec<StreamRequest>>,
    sleeps: RefCell<Vec<f64>>,
    clock: Cell<f64>,
    /// Aborts the sleep with this index.
    abort_sleep: Option<usize>,
    /// The idle limit of every body read.
    idle_limits: Rc<RefCell<Vec<u32>>>,
}

impl Fake {
    fn api(&self, answers: impl IntoIterator<Item = Result<HttpResponse, TransportError>>) -> &Fake {
        self.api.borrow_mut().extend(answers);
        self
    }
    fn stream(&self, status: u16, chunks: Vec<Chunk>) -> &Fake {
        self.streams.borrow_mut().push_back(Ok((status, chunks)));
        self
    }
    fn methods(&self) -> Vec<String> {
        self.sent.borrow().iter().map(|r| r.url.rsplit('/').next().unwrap().to_string()).collect()
    }
}

impl Transport for Fake {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        self.sent.borrow_mut().push(request.clone());
        self.api.borrow_mut().pop_front().expect("more API calls than scripted")
    }
    async fn sleep(&self, ms: f64) -> Result<(), TransportError> {
        let n = self.sleeps.borrow().len();
        self.sleeps.borrow_mut().push(ms);
        if self.abort_sleep == Some(n) {
            return Err(TransportError::Aborted { sent: false });
        }
        self.clock.set(self.clock.get() + ms);
        Ok(())
    }
    fn now_ms(&self) -> f64 {
        self.clock.get()
    }
    fn random(&self) -> f64 {
        0.0
    }
}

impl StreamTransport for Fake {
    type Body = Body;
    async fn open(&self, request: &StreamRequest) -> Result<StreamResponse<Body>, TransportError> {
        self.opened.borrow_mut().push(request.clone());
        let (status, chunks) = self.streams.borrow_mut().pop_front().expect("more log requests than scripted")?;
        let body = Body(chunks.into(), Rc::clone(&self.idle_limits));
        Ok(StreamResponse { status, retry: RetryHeaders::default(), body })
    }
}

fn ok(body: Value) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse { status: 200, body: body.to_string().into_bytes(), retry: RetryHeaders::default() })
}

fn status(code: u16, body: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse { status: code, body: body.into(), retry: RetryHeaders::default() })
}

fn prebuild(phase: &str, version: u32, log_url: &str) -> Result<HttpResponse, TransportError> {
    ok(json!({"prebuild": {"id": ID, "status": {
        "phase": format!("PREBUILD_PHASE_{phase}"), "statusVersion": version.to_string(), "logUrl": log_url}}}))
}

fn warm_pool(phase: &str, version: u32) -> Result<HttpResponse, TransportError> {
    ok(
        json!({"warmPool": {"id": ID, "status": {"phase": format!("WARM_POOL_PHASE_{phase}"), "statusVersion": version}}}),
    )
}

fn token(t: &str) -> Result<HttpResponse, TransportError> {
    ok(json!({ "accessToken": t }))
}

fn config() -> ClientConfig {
    ClientConfig::from_value(&json!({"baseUrl": "https://api.example.test", "token": "api-secret", "maxRetries": 1}))
        .unwrap()
}

fn settings(subject: Subject, options: Value) -> FollowSettings {
    FollowSettings::from_value(subject, &options).unwrap()
}

fn watch(subject: Subject, options: Value) -> Watch {
    let get = match subject {
        Subject::Prebuild => Call::from_value(Method::GetPrebuild, &json!({ "prebuildId": ID })),
        Subject::WarmPool => Call::from_value(Method::GetWarmPool, &json!({ "warmPoolId": ID })),
    };
    Watch::new(get.unwrap(), settings(subject, options)).unwrap()
}

/// Every state a watch hands out, as (phase, statusVersion), and how it ended.
fn drain(w: &mut Watch, fake: &Fake) -> (Vec<(String, String)>, Result<(), Error>) {
    let mut seen = Vec::new();
    loop {
        match block_on(w.next(fake, &config(), &CallOptions::default())) {
            Ok(Some(text)) => {
                let v: Value = serde_json::from_str(&text).unwrap();
                let phase = v["status"]["phase"].as_str().unwrap();
                let short = phase.rsplit_once("_PHASE_").unwrap().1.to_string();
                seen.push((short, v["status"]["statusVersion"].as_str().unwrap().to_string()));
            }
            Ok(None) => return (seen, Ok(())),
            Err(e) => return (seen, Err(e)),
        }
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn a_watch_hands_out_the_first_state_and_each_change_until_a_final_phase() {
    let fake = Fake::default();
    fake.api([
        prebuild("PENDING", 1, ""),
        prebuild("PENDING", 1, ""),
        prebuild("RUNNING", 2, ""),
        prebuild("RUNNING", 2, ""),
        prebuild("RUNNING", 2, ""),
        prebuild("COMPLETED", 3, ""),
    ]);
    let mut w = watch(Subject::Prebuild, json!({"intervalMs": 100, "maxIntervalMs": 200}));
    let (seen, end) = drain(&mut w, &fake);
    end.unwrap();
    assert_eq!(seen, pairs(&[("PENDING", "1"), ("RUNNING", "2"), ("COMPLETED", "3")]));
    // Gaps grow by half to the cap and start over after each change.
    assert_eq!(*fake.sleeps.borrow(), [100.0, 150.0, 100.0, 150.0, 200.0]);
    assert!(w.is_finished());
    assert_eq!(fake.methods(), vec!["GetPrebuild"; 6]);
    assert!(block_on(w.next(&fake, &config(), &CallOptions::default())).unwrap().is_none(), "nothing after the end");
}

#[test]
fn a_prebuild_already_final_is_handed_out_once_without_waiting() {
    let fake = Fake::default();
    fake.api([prebuild("FAILED", 9, "")]);
    let (seen, end) = drain(&mut watch(Subject::Prebuild, json!({})), &fake);
    end.unwrap();
    assert_eq!(seen, pairs(&[("FAILED", "9")]));
    assert!(fake.sleeps.borrow().is_empty());
}

#[test]
fn until_chooses_the_phases_that_end_the_wait() {
    let fake = Fake::default();
    fake.api([prebuild("PENDING", 1, ""), prebuild("RUNNING", 2, "")]);
    let (seen, end) = drain(&mut watch(Subject::Prebuild, json!({"until": ["RUNNING"]})), &fake);
    end.unwrap();
    assert_eq!(seen.last().unwrap().0, "RUNNING");
    assert_eq!(fake.sent.borrow().len(), 2);
}

#[test]
fn a_phase_change_without_a_new_status_version_still_counts() {
    let fake = Fake::default();
    fake.api([prebuild("RUNNING", 0, ""), prebuild("CANCELLED", 0, "")]);
    let (seen, end) = drain(&mut watch(Subject::Prebuild, json!({})), &fake);
    end.unwrap();
    assert_eq!(seen, pairs(&[("RUNNING", "0"), ("CANCELLED", "0")]));
}

#[test]
fn warm_pools_settle_at_ready_by_default() {
    let fake = Fake::default();
    fake.api([warm_pool("PENDING", 1), warm_pool("READY", 2)]);
    let (seen, end) = drain(&mut watch(Subject::WarmPool, json!({})), &fake);
    end.unwrap();
    assert_eq!(seen, pairs(&[("PENDING", "1"), ("READY", "2")]));
}

#[test]
fn past_the_deadline_the_wait_fails_with_the_last_state_seen() {
    let fake = Fake::default();
    fake.api((0..20).map(|_| prebuild("RUNNING", 4, "")));
    let mut w = watch(Subject::Prebuild, json!({"intervalMs": 300, "deadlineMs": 1000}));
    let (seen, end) = drain(&mut w, &fake);
    assert_eq!(seen.len(), 1);
    let Err(Error::WaitTimeout { awaited, deadline_ms, last_seen }) = end else { panic!("{end:?}") };
    assert_eq!(deadline_ms, 1000);
    assert!(awaited.contains(ID) && awaited.contains("COMPLETED, FAILED, CANCELLED or DELETED"), "{awaited}");
    let last: Value = serde_json::from_str(&last_seen.unwrap()).unwrap();
    assert_eq!(last["status"]["phase"], "PREBUILD_PHASE_RUNNING");
    // 300 + 450, then the rest up to the deadline: one last poll at 1000 ms.
    assert_eq!(*fake.sleeps.borrow(), [300.0, 450.0, 250.0]);
    assert_eq!(fake.sent.borrow().len(), 4);
    assert_eq!(
        Error::WaitTimeout { awaited: "x".into(), deadline_ms: 5, last_seen: None }.to_string(),
        "gave up waiting for x after 5 ms"
    );
}

#[test]
fn a_prebuild_that_disappears_fails_the_wait_with_its_404() {
    let fake = Fake::default();
    fake.api([prebuild("RUNNING", 1, ""), status(404, r#"{"code":"not_found","message":"prebuild not found"}"#)]);
    let (seen, end) = drain(&mut watch(Subject::Prebuild, json!({})), &fake);
    assert_eq!(seen.len(), 1);
    assert!(matches!(&end, Err(Error::Api { status: 404, .. })), "{end:?}");
}

#[test]
fn a_poll_retries_like_any_call_and_an_abort_ends_the_wait() {
    let fake = Fake::default();
    fake.api([status(503, r#"{"code":"unavailable"}"#), prebuild("RUNNING", 1, ""), prebuild("RUNNING", 1, "")]);
    let fake = Fake { abort_sleep: Some(1), ..fake };
    let (seen, end) = drain(&mut watch(Subject::Prebuild, json!({"intervalMs": 50})), &fake);
    assert_eq!(seen.len(), 1, "the 503 was retried within the poll");
    assert!(matches!(end, Err(Error::Aborted)), "{end:?}");
    assert_eq!(*fake.sleeps.borrow(), [500.0, 50.0]);
}

// ---- logs ----

fn follower() -> LogFollow<Body> {
    follower_with(json!({"intervalMs": 100}))
}

fn follower_with(options: Value) -> LogFollow<Body> {
    let get = Call::from_value(Method::GetPrebuild, &json!({ "prebuildId": ID })).unwrap();
    LogFollow::new(get, &settings(Subject::Prebuild, options)).unwrap()
}

fn bytes(s: &str) -> Chunk {
    Ok(s.as_bytes().to_vec())
}

fn broken() -> Chunk {
    Err(TransportError::Connection("connection reset".into()))
}

/// Every event a follower hands out, and how it ended.
fn events(fake: &Fake) -> (Vec<LogEvent>, Result<(), Error>) {
    events_of(follower(), fake)
}

/// Every event `f` hands out, and how it ended.
fn events_of(mut f: LogFollow<Body>, fake: &Fake) -> (Vec<LogEvent>, Result<(), Error>) {
    let mut events = Vec::new();
    loop {
        match block_on(f.next(fake, &config(), &CallOptions::default())) {
            Ok(Some(event)) => events.push(event),
            Ok(None) => return (events, Ok(())),
            Err(e) => return (events, Err(e)),
        }
    }
}

/// Every batch of lines a follower hands out, and how it ended.
fn follow(fake: &Fake) -> (Vec<Vec<String>>, Result<(), Error>) {
    let (events, end) = events(fake);
    let batches = events
        .into_iter()
        .filter_map(|e| match e {
            LogEvent::Lines(lines) => Some(lines),
            _ => None,
        })
        .collect();
    (batches, end)
}

fn all(batches: &[Vec<String>]) -> Vec<String> {
    batches.concat()
}

#[test]
fn the_log_waits_for_its_url_then_streams_with_a_logs_token() {
    let fake = Fake::default();
    fake.api([
        prebuild("PENDING", 1, ""),
        prebuild("RUNNING", 2, LOG_URL),
        token("logs-1"),
        prebuild("COMPLETED", 3, LOG_URL),
    ]);
    fake.stream(200, vec![bytes("clone ✔\nbui"), bytes("ld \u{2192} "), bytes("ok\r\nlast")]);
    let (batches, end) = follow(&fake);
    end.unwrap();
    assert_eq!(batches, [vec!["clone ✔".to_string()], vec!["build → ok".into()], vec!["last".into()]]);
    let opened = fake.opened.borrow();
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0].url, LOG_URL);
    assert_eq!(opened[0].headers, [("authorization".to_string(), "Bearer logs-1".to_string())]);
    assert_eq!(fake.methods(), ["GetPrebuild", "GetPrebuild", "CreatePrebuildLogsToken", "GetPrebuild"]);
    assert_eq!(*fake.sleeps.borrow(), [100.0]);
}

#[test]
fn a_broken_stream_is_reconnected_and_its_replay_skipped_without_losing_a_line() {
    let fake = Fake::default();
    fake.api([prebuild("RUNNING", 1, LOG_URL), token("t"), prebuild("COMPLETED", 2, LOG_URL)]);
    fake.stream(200, vec![bytes("one\ntwo\nthr"), broken()]);
    fake.stream(200, vec![bytes("one\ntwo\nthree\nfour\n")]);
    let (batches, end) = follow(&fake);
    end.unwrap();
    assert_eq!(all(&batches), ["one", "two", "three", "four"]);
    assert_eq!(fake.opened.borrow().len(), 2);
    assert_eq!(*fake.sleeps.borrow(), [500.0], "one backoff step before the reconnect");
}

#[test]
fn a_stream_closed_while_the_prebuild_runs_is_reconnected() {
    let fake = Fake::default();
    fake.api([
        prebuild("RUNNING", 1, LOG_URL),
        token("t"),
        prebuild("RUNNING", 1, LOG_URL),
        prebuild("FAILED", 2, LOG_URL),
    ]);
    fake.stream(200, vec![bytes("a\nb\n")]);
    fake.stream(200, vec![bytes("a\n"), bytes("b\nc\nerror: exit 1")]);
    let (batches, end) = follow(&fake);
    end.unwrap();
    assert_eq!(all(&batches), ["a", "b", "c", "error: exit 1"]);
}

#[test]
fn a_refused_token_is_replaced_at_once_and_the_stream_goes_on() {
    let fake = Fake::default();
    fake.api([prebuild("RUNNING", 1, LOG_URL), token("old"), token("new"), prebuild("COMPLETED", 2, LOG_URL)]);
    fake.stream(200, vec![bytes("x\n"), broken()]);
    fake.stream(401, vec![bytes("token expired")]);
    fake.stream(200, vec![bytes("x\ny\n")]);
    let (batches, end) = follow(&fake);
    end.unwrap();
    assert_eq!(all(&batches), ["x", "y"]);
    let auth: Vec<String> = fake.opened.borrow().iter().map(|r| r.headers[0].1.clone()).collect();
    assert_eq!(auth, ["Bearer old", "Bearer old", "Bearer new"]);
}

#[test]
fn tokens_refused_again_and_again_fail_without_showing_the_token() {
    let fake = Fake::default();
    fake.api([prebuild("RUNNING", 1, LOG_URL), token("tok-A"), token("tok-B"), token("tok-C")]);
    for t in ["tok-A", "tok-B", "tok-C"] {
        fake.stream(401, vec![bytes(&format!(r#"{{"code":"unauthenticated","message":"bad token {t}"}}"#))]);
    }
    let (batches, end) = follow(&fake);
    assert!(batches.is_empty());
    let e = end.unwrap_err();
    assert!(matches!(&e, Error::Api { status: 401, .. }), "{e:?}");
    assert!(!e.to_string().contains("tok-"), "{e}");
    assert!(e.to_string().contains("[redacted]"), "{e}");
}

#[test]
fn reconnects_back_off_and_give_up_after_too_many_without_a_new_line() {
    let fake = Fake::default();
    fake.api([prebuild("RUNNING", 1, LOG_URL), token("secret-logs-token")]);
    for _ in 0..=MAX_LOG_RECONNECTS {
        fake.streams
            .borrow_mut()
            .push_back(Err(TransportError::Connection("refused by Bearer secret-logs-token".into())));
    }
    let (_, end) = follow(&fake);
    let e = end.unwrap_err();
    assert!(matches!(&e, Error::Connection { message } if !message.contains("secret-logs-token")), "{e:?}");
    let sleeps = fake.sleeps.borrow();
    assert_eq!(sleeps.len(), MAX_LOG_RECONNECTS as usize);
    assert_eq!(sleeps[..5], [500.0, 1000.0, 2000.0, 4000.0, 8000.0]);
}

#[test]
fn a_new_line_resets_the_reconnect_count() {
    let fake = Fake::default();
    fake.api([prebuild("RUNNING", 1, LOG_URL), token("t"), prebuild("COMPLETED", 2, LOG_URL)]);
    let mut text = String::new();
    for i in 0..(MAX_LOG_RECONNECTS + 3) {
        text.push_str(&format!("line {i}\n"));
        fake.stream(200, vec![bytes(&text), broken()]);
    }
    fake.stream(200, vec![bytes(&text)]);
    let (batches, end) = follow(&fake);
    end.unwrap();
    assert_eq!(all(&batches).len(), (MAX_LOG_RECONNECTS + 3) as usize);
    assert!(fake.sleeps.borrow().iter().all(|&s| s == 500.0), "{:?}", fake.sleeps.borrow());
}

#[test]
fn a_server_error_is_retried_and_a_client_error_is_not() {
    let fake = Fake::default();
    fake.api([prebuild("RUNNING", 1, LOG_URL), token("t"), prebuild("COMPLETED", 2, LOG_URL)]);
    fake.stream(503, vec![bytes("upstream busy")]);
    fake.stream(200, vec![bytes("ok\n")]);
    let (batches, end) = follow(&fake);
    end.unwrap();
    assert_eq!(all(&batches), ["ok"]);

    let fake = Fake::default();
    fake.api([prebuild("RUNNING", 1, LOG_URL), token("t")]);
    fake.stream(403, vec![bytes(r#"{"code":"permission_denied","message":"no"}"#)]);
    let (_, end) = follow(&fake);
    assert!(matches!(end, Err(Error::Api { status: 403, .. })), "{end:?}");
}

#[test]
fn a_final_prebuild_without_a_log_ends_at_once() {
    let fake = Fake::default();
    fake.api([prebuild("CANCELLED", 3, "")]);
    let (batches, end) = follow(&fake);
    end.unwrap();
    assert!(batches.is_empty() && fake.opened.borrow().is_empty());
}

#[test]
fn a_prebuild_deleted_while_following_fails_with_its_404() {
    let fake = Fake::default();
    fake.api([prebuild("RUNNING", 1, LOG_URL), token("t"), status(404, r#"{"code":"not_found","message":"gone"}"#)]);
    fake.stream(200, vec![bytes("a\n")]);
    let (batches, end) = follow(&fake);
    assert_eq!(all(&batches), ["a"]);
    assert!(matches!(end, Err(Error::Api { status: 404, .. })), "{end:?}");
}

#[test]
fn the_follower_says_when_it_waits_streams_and_reconnects() {
    let fake = Fake::default();
    fake.api([
        prebuild("PENDING", 1, ""),
        prebuild("PENDING", 1, ""),
        prebuild("RUNNING", 2, LOG_URL),
        token("t"),
        prebuild("COMPLETED", 3, LOG_URL),
    ]);
    fake.stream(200, vec![bytes("a\n"), broken()]);
    fake.stream(200, vec![bytes("a\nb\n")]);
    let (events, end) = events(&fake);
    end.unwrap();
    let lines = |l: &[&str]| LogEvent::Lines(l.iter().map(|s| s.to_string()).collect());
    assert_eq!(
        events,
        [
            LogEvent::Waiting,
            LogEvent::Streaming,
            lines(&["a"]),
            LogEvent::Reconnecting { attempt: 1, wait_ms: 500.0, reason: "connection error: connection reset".into() },
            LogEvent::Streaming,
            lines(&["b"]),
        ]
    );
    assert_eq!(*fake.sleeps.borrow(), [100.0, 150.0, 500.0], "waiting is announced once, then polled quietly");
}

fn stalled() -> Chunk {
    Err(TransportError::Timeout)
}

#[test]
fn a_stream_that_sends_nothing_for_the_idle_limit_is_reconnected() {
    let fake = Fake::default();
    fake.api([prebuild("RUNNING", 1, LOG_URL), token("t"), prebuild("COMPLETED", 2, LOG_URL)]);
    fake.stream(200, vec![bytes("one\ntw"), stalled()]);
    fake.stream(200, vec![bytes("one\ntwo\nthree\n")]);
    let (events, end) = events_of(follower_with(json!({"intervalMs": 100, "idleTimeoutMs": 300})), &fake);
    end.unwrap();
    let lines = |l: &[&str]| LogEvent::Lines(l.iter().map(|s| s.to_string()).collect());
    assert_eq!(
        events,
        [
            LogEvent::Streaming,
            lines(&["one"]),
            LogEvent::Reconnecting {
                attempt: 1,
                wait_ms: 500.0,
                reason: "connection error: no data came on the log stream for 300 ms (idleTimeoutMs)".into()
            },
            LogEvent::Streaming,
            lines(&["two", "three"]),
        ]
    );
    assert_eq!(fake.opened.borrow().len(), 2);
    let limits = fake.idle_limits.borrow();
    assert!(limits.len() >= 4 && limits.iter().all(|&ms| ms == 300), "{limits:?}");
}

#[test]
fn streams_that_keep_stalling_give_up_saying_so_and_the_default_limit_is_30_s() {
    let fake = Fake::default();
    fake.api([prebuild("RUNNING", 1, LOG_URL), token("t")]);
    for _ in 0..=MAX_LOG_RECONNECTS {
        fake.stream(200, vec![bytes("same\n"), stalled()]);
    }
    let (events, end) = events(&fake);
    let e = end.unwrap_err();
    assert_eq!(e.to_string(), "connection error: no data came on the log stream for 30000 ms (idleTimeoutMs)");
    assert_eq!(events.iter().filter(|e| matches!(e, LogEvent::Lines(_))).count(), 1, "the replayed line is skipped");
    assert_eq!(fake.opened.borrow().len(), MAX_LOG_RECONNECTS as usize + 1);
    assert!(fake.idle_limits.borrow().iter().all(|&ms| ms == DEFAULT_IDLE_TIMEOUT_MS));
    assert_eq!(DEFAULT_IDLE_TIMEOUT_MS, 30_000);
}
