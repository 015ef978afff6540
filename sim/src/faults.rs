//! Fault injection for client tests and demos.
//!
//! Per request: `x-sim-fault: KIND[;retry-after-ms=MS][;times=N][;key=K][;commit=1]`
//! with KIND one of `503`, `502`, `500`, `429`, `reset`, `delay=MS`, `stall[=MS]`,
//! `malformed`, `html502`, and for log requests `cut=N`. With `times`, only the first N
//! requests carrying the same key fail (the key defaults to the whole header value);
//! without it, every request carrying the header does.
//!
//! Log requests (`GET /logs/{id}`) take the kinds that make sense for a stream of text:
//! all but `malformed` and `commit=1` (a log request changes nothing), plus `cut=N`,
//! which ends the stream abruptly after N lines. `cut` on an API call is refused.
//!
//! A fault normally comes before the call, which then never happens. With `commit=1`
//! the call is applied first and the fault replaces (or, for `delay`, holds back) its
//! answer: the prebuild exists, but the client sees a reset, a 502 or a timeout. That is
//! what makes a retried create start a second prebuild, and what a client must survive.
//! Only the kinds that a lost answer looks like take it: `reset`, `502`, `503`, `500`,
//! `delay=MS`, `html502` (see [`Kind::takes_commit`]).
//!
//! Globally, `--fault-rate P` answers a share P of API calls (not log
//! requests) with 503, 429 or a reset;
//! `--commit-share S` makes a share S of those drawn faults committed ones (500, 502 or
//! a reset after the call was applied). A drawn committed fault is never a 503: a 503
//! (like a 429) tells a client that the call was not served, and clients retry even a
//! create on it, as they may. A committed `503` is still there to ask for by header, as
//! a server that breaks that promise.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use gitpod_prebuilds::api::{
    Empty, ListPrebuildsResponse, ListWarmPoolsResponse, LogsTokenResponse, Method, PrebuildResponse, WarmPoolResponse,
};
use gitpod_prebuilds::protocol::Code;
use hyper::header::HeaderValue;

use crate::respond::{error, error_with_status, json, with_body, Resp};
use crate::rng::Rng;

/// The request header that asks for a fault.
pub const HEADER: &str = "x-sim-fault";
/// The longest `delay=` and `stall=` accepted, and how long a bare `stall` holds.
const MAX_DELAY_MS: u64 = 600_000;
/// Counters kept at most; more are forgotten (tests use few keys).
const MAX_KEYS: usize = 10_000;

/// What goes wrong.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// 503 `unavailable`.
    Unavailable,
    /// 502 with a Connect `unavailable` JSON body, as a Connect-aware gateway (Envoy)
    /// writes when its upstream failed or timed out. A plain load balancer's 502 has no
    /// Connect body: that is [`Kind::Html502`]. Neither says whether the upstream
    /// served the call, whatever the body's code, so a client must not retry a create
    /// on either.
    BadGateway,
    /// 500 `internal`.
    Internal,
    /// 429 `resource_exhausted`.
    RateLimited,
    /// The connection is closed without a response.
    Reset,
    /// The answer comes this many milliseconds late, otherwise normal.
    Delay(u64),
    /// The call is served, but after the headers and the first half of the body the
    /// rest waits this many milliseconds (as a stuck proxy or a dying upstream would).
    Stall(u64),
    /// 200 with a truncated JSON body.
    Malformed,
    /// 502 with a proxy's HTML page (nginx), as a plain load balancer answers when its
    /// upstream failed.
    Html502,
    /// A log stream ends abruptly after this many lines: the connection is dropped
    /// without the chunked encoding's last chunk.
    Cut(u64),
}

/// What kind of request a fault is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A PrebuildService call.
    Api,
    /// A log request, `GET /logs/{id}`.
    Logs,
}

impl Kind {
    /// The name counted in `/_sim/stats` (`503`, `reset`, `delay`, `stall`...).
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Unavailable => "503",
            Kind::BadGateway => "502",
            Kind::Internal => "500",
            Kind::RateLimited => "429",
            Kind::Reset => "reset",
            Kind::Delay(_) => "delay",
            Kind::Stall(_) => "stall",
            Kind::Malformed => "malformed",
            Kind::Html502 => "html502",
            Kind::Cut(_) => "cut",
        }
    }

    /// Whether `commit=1` makes sense: the kinds a lost answer looks like. A 429 or a
    /// truncated 200 would tell a client something about the call that is not true of
    /// one that took effect, and a stall already serves the call.
    pub fn takes_commit(&self) -> bool {
        matches!(
            self,
            Kind::Reset | Kind::BadGateway | Kind::Unavailable | Kind::Internal | Kind::Delay(_) | Kind::Html502
        )
    }
}

/// The kinds that take `commit=1`, as the error for the others says.
const COMMIT_KINDS: &str = "reset, 502, 503, 500, delay=MS and html502";

/// A parsed `x-sim-fault` header.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// What goes wrong.
    pub kind: Kind,
    /// `retry-after-ms` to send with a 429 or 503.
    pub retry_after_ms: Option<u64>,
    /// `commit=1`: apply the call first, then fail.
    pub commit: bool,
    times: Option<u64>,
    key: Option<String>,
}

/// What the server does about a fault.
#[derive(Debug)]
pub enum Action {
    /// Answer this instead of serving the call.
    Respond(Resp),
    /// Close the connection without answering.
    Reset,
    /// Wait, then serve the call normally.
    Delay(Duration),
    /// Serve the call, but hold the second half of the body back this long.
    Stall(Duration),
    /// Serve the log, but drop the connection after this many lines.
    Cut(u64),
}

/// Parses a header value; the error says what is wrong.
pub fn parse(value: &str) -> Result<Fault, String> {
    let mut parts = value.split(';').map(str::trim);
    let kind_text = parts.next().unwrap_or("").to_ascii_lowercase();
    let number = |name: &str, v: &str| {
        v.parse::<u64>().map_err(|_| format!("{HEADER}: {name} must be a whole number, got {v:?}"))
    };
    let kind = match kind_text.as_str() {
        "503" => Kind::Unavailable,
        "502" => Kind::BadGateway,
        "500" => Kind::Internal,
        "429" => Kind::RateLimited,
        "reset" => Kind::Reset,
        "malformed" => Kind::Malformed,
        "html502" => Kind::Html502,
        "stall" => Kind::Stall(MAX_DELAY_MS),
        other => {
            let millis = |name: &str, ms: &str| {
                let ms = number(name, ms)?;
                if ms > MAX_DELAY_MS {
                    return Err(format!("{HEADER}: {name} may be at most {MAX_DELAY_MS} ms, got {ms}"));
                }
                Ok(ms)
            };
            if let Some(ms) = other.strip_prefix("delay=") {
                Kind::Delay(millis("delay", ms)?)
            } else if let Some(ms) = other.strip_prefix("stall=") {
                Kind::Stall(millis("stall", ms)?)
            } else if let Some(n) = other.strip_prefix("cut=") {
                Kind::Cut(number("cut", n)?)
            } else {
                return Err(format!(
                    "{HEADER}: unknown fault {other:?}; use 503, 502, 500, 429, reset, delay=MS, stall[=MS], malformed, html502 or (on log requests) cut=N, then optionally ;retry-after-ms=MS;times=N;key=K;commit=1"
                ));
            }
        }
    };
    let mut fault = Fault { kind, retry_after_ms: None, commit: false, times: None, key: None };
    for param in parts.filter(|p| !p.is_empty()) {
        let (name, v) = param.split_once('=').map(|(n, v)| (n.trim(), v.trim())).unwrap_or((param, ""));
        match name.to_ascii_lowercase().as_str() {
            "retry-after-ms" => fault.retry_after_ms = Some(number("retry-after-ms", v)?),
            "times" => fault.times = Some(number("times", v)?),
            "key" if !v.is_empty() => fault.key = Some(v.to_string()),
            "commit" => fault.commit = flag("commit", v)?,
            _ => {
                return Err(format!(
                    "{HEADER}: unknown parameter {param:?}; allowed: retry-after-ms, times, key, commit"
                ))
            }
        }
    }
    if fault.commit && !fault.kind.takes_commit() {
        return Err(format!(
            "{HEADER}: commit=1 does not go with {kind_text:?}; only {COMMIT_KINDS} can fail after the call was applied"
        ));
    }
    Ok(fault)
}

/// `1` or `0` (a bare `commit` is `1`).
fn flag(name: &str, v: &str) -> Result<bool, String> {
    match v {
        "1" | "" => Ok(true),
        "0" => Ok(false),
        _ => Err(format!("{HEADER}: {name} must be 1 or 0, got {v:?}")),
    }
}

/// The fault state shared by all requests: `times` counters and the random source.
#[derive(Debug)]
pub struct Faults {
    rate: f64,
    commit_share: f64,
    counters: Mutex<HashMap<String, u64>>,
    rng: Mutex<Rng>,
}

impl Faults {
    /// Faults with a global rate (0 for none) drawn from a seeded generator.
    pub fn new(rate: f64, seed: u64) -> Faults {
        Faults {
            rate,
            commit_share: 0.0,
            counters: Mutex::new(HashMap::new()),
            rng: Mutex::new(Rng::new(seed ^ 0xFA17)),
        }
    }

    /// Makes a share (0..1) of the faults drawn by the global rate committed ones.
    pub fn with_commit_share(self, share: f64) -> Faults {
        Faults { commit_share: share, ..self }
    }

    /// The fault for a request of `target` with this header value (if any), counting
    /// `times`. A fault that does not apply to `target` is an error, and not counted.
    pub fn decide(&self, header: Option<&str>, target: Target) -> Result<Option<Fault>, String> {
        match header.map(str::trim).filter(|h| !h.is_empty()) {
            Some(value) => {
                let fault = parse(value)?;
                applies(&fault, target)?;
                let Some(times) = fault.times else { return Ok(Some(fault)) };
                let key = fault.key.clone().unwrap_or_else(|| value.to_string());
                let mut counters = self.counters.lock().unwrap_or_else(|e| e.into_inner());
                if counters.len() >= MAX_KEYS && !counters.contains_key(&key) {
                    counters.clear();
                }
                let seen = counters.entry(key).or_insert(0);
                if *seen >= times {
                    return Ok(None);
                }
                *seen += 1;
                Ok(Some(fault))
            }
            // The global rate is for API calls: a log stream is one long request, and
            // the draws of a seed stay those of its API calls.
            None if self.rate > 0.0 && target == Target::Api => {
                let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
                if !rng.chance(self.rate) {
                    return Ok(None);
                }
                // No draw for the share when it is 0: the sequence of faults of a seed
                // stays what it was before committed faults existed.
                let commit = self.commit_share > 0.0 && rng.chance(self.commit_share);
                let kinds: &[Kind] = if commit {
                    // Lost answers that the plain rules retry (a retry is what turns them
                    // into duplicates) and that do not claim the call was not served, as
                    // a 503 would.
                    &[Kind::Internal, Kind::BadGateway, Kind::Reset]
                } else {
                    &[Kind::Unavailable, Kind::RateLimited, Kind::Reset]
                };
                let kind = kinds[rng.below(kinds.len() as u64) as usize].clone();
                Ok(Some(Fault { kind, retry_after_ms: None, commit, times: None, key: None }))
            }
            None => Ok(None),
        }
    }

    /// Forgets every `times` counter (for `/_sim/reset`).
    pub fn clear(&self) {
        self.counters.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// Refuses the faults that make no sense for `target`.
fn applies(fault: &Fault, target: Target) -> Result<(), String> {
    match (target, &fault.kind) {
        (Target::Api, Kind::Cut(_)) => Err(format!(
            "{HEADER}: cut=N applies to log requests (GET /logs/{{prebuildId}}) only; an API answer is one JSON body, see malformed or stall"
        )),
        (Target::Logs, Kind::Malformed) => Err(format!(
            "{HEADER}: malformed applies to API calls only; on log requests cut=N ends the stream early"
        )),
        (Target::Logs, _) if fault.commit => {
            Err(format!("{HEADER}: commit=1 applies to API calls only: a log request changes nothing"))
        }
        _ => Ok(()),
    }
}

const HTML_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// What to do about `fault` for a call of `method`.
pub fn action(fault: &Fault, method: Method) -> Action {
    match fault.kind {
        Kind::Malformed => Action::Respond(json(200, truncated_body(method))),
        _ => log_action(fault),
    }
}

/// What to do about `fault` for a log request (or any request but `malformed`).
pub fn log_action(fault: &Fault) -> Action {
    let with_retry_after = |mut resp: Resp| {
        if let Some(ms) = fault.retry_after_ms {
            resp.headers_mut().insert("retry-after-ms", HeaderValue::from(ms));
        }
        resp
    };
    match fault.kind {
        Kind::Unavailable => {
            Action::Respond(with_retry_after(error(&Code::Unavailable, "simulated fault: the service is unavailable")))
        }
        Kind::BadGateway => Action::Respond(error_with_status(
            502,
            &Code::Unavailable,
            "simulated fault: bad gateway (the upstream did not answer in time)",
        )),
        Kind::Internal => Action::Respond(error(&Code::Internal, "simulated fault: internal error")),
        Kind::RateLimited => {
            Action::Respond(with_retry_after(error(&Code::ResourceExhausted, "simulated fault: too many requests")))
        }
        Kind::Reset => Action::Reset,
        Kind::Delay(ms) => Action::Delay(Duration::from_millis(ms)),
        Kind::Stall(ms) => Action::Stall(Duration::from_millis(ms)),
        // Refused by `applies` for API calls; a log request never carries it.
        Kind::Malformed => Action::Respond(error(&Code::InvalidArgument, "malformed applies to API calls only")),
        Kind::Html502 => Action::Respond(with_body(502, "text/html", HTML_502)),
        Kind::Cut(lines) => Action::Cut(lines),
    }
}

/// The first half of a plausible success body of `method`: framing intact, JSON not.
fn truncated_body(method: Method) -> String {
    let full = match method {
        Method::CreatePrebuild | Method::GetPrebuild | Method::CancelPrebuild => {
            serde_json::to_string(&PrebuildResponse::default()).unwrap_or_default()
        }
        Method::ListPrebuilds => serde_json::to_string(&ListPrebuildsResponse::default()).unwrap_or_default(),
        Method::CreatePrebuildLogsToken => serde_json::to_string(&LogsTokenResponse::default()).unwrap_or_default(),
        Method::CreateWarmPool | Method::GetWarmPool | Method::UpdateWarmPool => {
            serde_json::to_string(&WarmPoolResponse::default()).unwrap_or_default()
        }
        Method::ListWarmPools => serde_json::to_string(&ListWarmPoolsResponse::default()).unwrap_or_default(),
        Method::DeletePrebuild | Method::DeleteWarmPool => serde_json::to_string(&Empty {}).unwrap_or_default(),
    };
    // The bodies are ASCII, so any cut is at a character boundary.
    full[..full.len().div_ceil(2).max(1)].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_parse() {
        let f = parse("429;retry-after-ms=50;times=2;key=abc").unwrap();
        assert_eq!(f.kind, Kind::RateLimited);
        assert_eq!(f.retry_after_ms, Some(50));
        assert_eq!(f.times, Some(2));
        assert_eq!(f.key.as_deref(), Some("abc"));
        assert_eq!(parse(" delay=250 ").unwrap().kind, Kind::Delay(250));
        assert_eq!(parse("RESET").unwrap().kind, Kind::Reset);
        assert!(parse("teapot").is_err());
        assert!(parse("503;times=x").is_err());
        assert!(parse("503;colour=red").is_err());
        assert!(parse("delay=").is_err());
        assert_eq!(parse("stall").unwrap().kind, Kind::Stall(MAX_DELAY_MS));
        assert_eq!(parse("stall=40").unwrap().kind, Kind::Stall(40));
        assert!(parse("stall=x").is_err());
        assert!(parse("stall=600001").is_err());
        assert_eq!(parse("stall=5").unwrap().kind.name(), "stall");
        assert_eq!(parse("502").unwrap().kind.name(), "502");
        assert!(!parse("502").unwrap().commit);
    }

    #[test]
    fn commit_goes_with_the_kinds_a_lost_answer_looks_like() {
        for ok in ["reset", "502", "503", "500", "delay=10", "html502"] {
            let f = parse(&format!("{ok};commit=1;times=1")).unwrap();
            assert!(f.commit, "{ok}");
        }
        assert!(parse("reset;commit").unwrap().commit);
        assert!(!parse("reset;commit=0").unwrap().commit);
        assert!(parse("reset;commit=yes").is_err());
        for bad in ["malformed", "429", "stall", "stall=5"] {
            let e = parse(&format!("{bad};commit=1")).unwrap_err();
            assert!(e.contains("only reset, 502, 503, 500, delay=MS and html502"), "{bad}: {e}");
        }
        // commit=0 says nothing is committed, so any kind takes it.
        assert!(parse("429;commit=0").is_ok());
    }

    #[test]
    fn the_commit_share_draws_committed_faults_of_committable_kinds() {
        let faults = Faults::new(1.0, 3).with_commit_share(1.0);
        for _ in 0..200 {
            let f = faults.decide(None, Target::Api).unwrap().unwrap();
            assert!(f.commit && f.kind.takes_commit() && f.kind != Kind::Unavailable, "{f:?}");
        }
        let none = Faults::new(1.0, 3);
        assert!((0..200).all(|_| !none.decide(None, Target::Api).unwrap().unwrap().commit));
    }

    #[test]
    fn times_counts_per_key() {
        let faults = Faults::new(0.0, 1);
        let h = Some("503;times=2;key=k1");
        assert!(faults.decide(h, Target::Api).unwrap().is_some());
        assert!(faults.decide(h, Target::Api).unwrap().is_some());
        assert!(faults.decide(h, Target::Api).unwrap().is_none());
        assert!(faults.decide(Some("503;times=1;key=k2"), Target::Api).unwrap().is_some());
        assert!(faults.decide(Some("503"), Target::Api).unwrap().is_some());
        assert!(faults.decide(None, Target::Api).unwrap().is_none());
    }

    #[test]
    fn cut_is_for_log_requests_and_malformed_and_commit_for_api_calls() {
        let faults = Faults::new(1.0, 1);
        assert_eq!(parse("cut=3").unwrap().kind, Kind::Cut(3));
        assert_eq!(parse("cut=0").unwrap().kind.name(), "cut");
        assert!(parse("cut=").is_err() && parse("cut=-1").is_err() && parse("cut").is_err());
        assert!(parse("cut=2;commit=1").is_err(), "a cut does not take commit");
        let e = faults.decide(Some("cut=2;times=1;key=c"), Target::Api).unwrap_err();
        assert!(e.contains("log requests"), "{e}");
        // Refused without counting: the first log request still gets it.
        assert_eq!(faults.decide(Some("cut=2;times=1;key=c"), Target::Logs).unwrap().unwrap().kind, Kind::Cut(2));
        assert!(faults.decide(Some("cut=2;times=1;key=c"), Target::Logs).unwrap().is_none());
        assert!(faults.decide(Some("malformed"), Target::Logs).unwrap_err().contains("API calls only"));
        assert!(faults.decide(Some("503;commit=1"), Target::Logs).unwrap_err().contains("changes nothing"));
        for kind in ["503", "502", "500", "429", "reset", "delay=5", "stall", "html502"] {
            assert!(faults.decide(Some(kind), Target::Logs).unwrap().is_some(), "{kind}");
        }
        assert!(faults.decide(None, Target::Logs).unwrap().is_none(), "the global rate is for API calls");
        assert!(faults.decide(None, Target::Api).unwrap().is_some());
    }

    #[test]
    fn truncated_bodies_are_not_json() {
        for m in Method::ALL {
            let body = truncated_body(m);
            assert!(serde_json::from_str::<serde_json::Value>(&body).is_err(), "{m:?} {body}");
        }
    }

    #[test]
    fn the_global_rate_is_honoured_roughly() {
        let faults = Faults::new(0.5, 9);
        let hits = (0..1000).filter(|_| faults.decide(None, Target::Api).unwrap().is_some()).count();
        assert!((350..650).contains(&hits), "{hits}");
    }
}
