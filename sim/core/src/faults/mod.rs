//! Fault injection for client tests and demos, as decisions: the core parses and
//! counts faults and says what happens (an answer instead of the call's, or a reset, a
//! delay, a stall, a cut); its caller carries out what takes time or a connection.
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

mod answer;
mod draw;

pub use answer::{action, log_action, Action};
pub use draw::Faults;

/// The request header that asks for a fault.
pub const HEADER: &str = "x-sim-fault";

/// A request's `x-sim-fault` header, if any; a value that is not visible ASCII is
/// refused with the answer to send (API calls and log requests alike).
pub(crate) fn header_of(req: &crate::message::SimRequest) -> Result<Option<&str>, Box<crate::message::SimResponse>> {
    match req.header_text(HEADER) {
        None => Ok(None),
        Some(Ok(v)) => Ok(Some(v)),
        Some(Err(())) => Err(Box::new(crate::message::SimResponse::Answer(crate::respond::error(
            &gitpod_prebuilds::protocol::Code::InvalidArgument,
            "x-sim-fault must be ASCII text",
        )))),
    }
}
/// The longest `delay=` and `stall=` accepted, and how long a bare `stall` holds.
const MAX_DELAY_MS: u64 = 600_000;

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
    /// `times=N`: only the first N requests with the same key fail.
    times: Option<u64>,
    /// `key=K`: what `times` counts by (the whole header value by default).
    key: Option<String>,
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
}
