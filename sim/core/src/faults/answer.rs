//! What a fault does to a request, decided here and carried out by the caller: the
//! answer it gets instead of the call's (a Connect error, a proxy's HTML page, a
//! truncated body), or what happens to the connection or the timing (reset, delay,
//! stall, cut).

use gitpod_prebuilds::api::{
    Empty, ListPrebuildsResponse, ListWarmPoolsResponse, LogsTokenResponse, Method, PrebuildResponse, WarmPoolResponse,
};
use gitpod_prebuilds::protocol::Code;

use super::{Fault, Kind};
use crate::message::Answer;
use crate::respond::{error, error_with_status, json, with_body};

/// The decision a fault comes to.
#[derive(Debug)]
pub enum Action {
    /// Answer this instead of serving the call.
    Respond(Answer),
    /// Close the connection without answering.
    Reset,
    /// Wait this many milliseconds, then serve the call normally.
    Delay(u64),
    /// Serve the call, but hold the second half of the body back this many milliseconds.
    Stall(u64),
    /// Serve the log, but drop the connection after this many lines.
    Cut(u64),
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
    let with_retry_after = |mut resp: Answer| {
        if let Some(ms) = fault.retry_after_ms {
            resp.headers.insert("retry-after-ms", ms.to_string());
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
        Kind::Delay(ms) => Action::Delay(ms),
        Kind::Stall(ms) => Action::Stall(ms),
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
    fn truncated_bodies_are_not_json() {
        for m in Method::ALL {
            let body = truncated_body(m);
            assert!(serde_json::from_str::<serde_json::Value>(&body).is_err(), "{m:?} {body}");
        }
    }
}
