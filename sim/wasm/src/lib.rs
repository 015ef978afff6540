//! `prebuild-sim-wasm`: the simulated PrebuildService ([`prebuild_sim_core`]) for
//! JavaScript, as the class `WasmSim`. It converts and nothing more: requests, times
//! and options in, the core's answers and decisions out. What takes time or touches a
//! connection (a delay, a stall, a reset, a streamed log, the clock) is carried out by
//! the package's `sim.js`, as the native server carries it out with sockets and timers.
//!
//! Deferred requests (a `delay` fault) and log streams stay here, named by numbers that
//! JavaScript hands back. Nothing panics on what JavaScript passes: bad options are an
//! error, unknown numbers an empty answer.

#![deny(missing_docs)]
#![warn(rust_2018_idioms, missing_debug_implementations)]
// A panic kills the wasm instance for every later call: nothing may reach one.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::string_slice)
)]

use std::collections::BTreeMap;

use prebuild_sim_core::{
    Body, Deferred, Delivery, SimConfig, SimRequest, SimResponse, Simulator, StreamId, StreamState,
};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// The simulator, with the requests and log streams it handed to JavaScript.
#[wasm_bindgen]
#[derive(Debug)]
pub struct WasmSim {
    sim: Simulator,
    deferred: BTreeMap<u32, Deferred>,
    streams: BTreeMap<u32, StreamId>,
    next: u32,
}

/// What a request comes to: `kind` is `"answer"`, `"reset"` or `"wait"`.
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct Outcome {
    kind: &'static str,
    status: u16,
    headers: Vec<String>,
    body: Vec<u8>,
    stream: u32,
    delivery: &'static str,
    ms: f64,
    deferred: u32,
}

#[wasm_bindgen]
impl Outcome {
    /// `"answer"`, `"reset"` (reject as a network failure) or `"wait"` (wait `ms`, then
    /// `resume(deferred)`).
    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> String {
        self.kind.to_string()
    }
    /// The answer's status.
    #[wasm_bindgen(getter)]
    pub fn status(&self) -> u16 {
        self.status
    }
    /// The answer's headers as name, value, name, value...
    #[wasm_bindgen(getter)]
    pub fn headers(&self) -> Vec<String> {
        self.headers.clone()
    }
    /// The answer's whole body (empty for a log stream).
    #[wasm_bindgen(getter)]
    pub fn body(&self) -> Vec<u8> {
        self.body.clone()
    }
    /// The log stream to poll, or 0 when the body is whole.
    #[wasm_bindgen(getter)]
    pub fn stream(&self) -> u32 {
        self.stream
    }
    /// `"now"`, `"late"` (the answer `ms` late) or `"stall"` (the second half of the
    /// body `ms` late).
    #[wasm_bindgen(getter)]
    pub fn delivery(&self) -> String {
        self.delivery.to_string()
    }
    /// Milliseconds of a late or stalled delivery, or of a wait.
    #[wasm_bindgen(getter)]
    pub fn ms(&self) -> f64 {
        self.ms
    }
    /// The deferred request to resume after a wait.
    #[wasm_bindgen(getter)]
    pub fn deferred(&self) -> u32 {
        self.deferred
    }
}

/// One poll of a log stream: `pieces` to write in order, then `state`: `"open"` (poll
/// again after a change, or at `wakeAt` when it is not NaN), `"ended"` (end cleanly),
/// `"cut"` or `"broken"` (end abruptly, for `reason`).
#[wasm_bindgen]
#[derive(Debug)]
pub struct LogChunk {
    pieces: Vec<Vec<u8>>,
    state: &'static str,
    wake_at: f64,
    reason: &'static str,
}

#[wasm_bindgen]
impl LogChunk {
    /// The pieces, each a Uint8Array.
    #[wasm_bindgen(getter)]
    pub fn pieces(&self) -> js_sys::Array {
        self.pieces.iter().map(|p| js_sys::Uint8Array::from(p.as_slice())).collect()
    }
    /// `"open"`, `"ended"`, `"cut"` or `"broken"`.
    #[wasm_bindgen(getter)]
    pub fn state(&self) -> String {
        self.state.to_string()
    }
    /// When to poll again whatever happens (Unix ms), or NaN.
    #[wasm_bindgen(getter, js_name = wakeAt)]
    pub fn wake_at(&self) -> f64 {
        self.wake_at
    }
    /// Why a broken stream ended.
    #[wasm_bindgen(getter)]
    pub fn reason(&self) -> String {
        self.reason.to_string()
    }
}

#[wasm_bindgen]
impl WasmSim {
    /// A simulator from options as JSON text (`seed`, `prebuilds`, `tickMs`,
    /// `faultRate`, `commitShare`, `token`, `logsTokenTtlMs`, `logChunkBytes`,
    /// `publicUrl`), starting at `epoch_ms`, with logs tokens drawn from `secret` (four
    /// random 32-bit words).
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str, epoch_ms: f64, secret: Vec<u32>) -> Result<WasmSim, JsError> {
        let config = config(options, epoch_ms, &secret).map_err(|e| JsError::new(&e))?;
        Ok(WasmSim { sim: Simulator::new(config), deferred: BTreeMap::new(), streams: BTreeMap::new(), next: 0 })
    }

    /// Answers a request at `now` (Unix ms). `headers` are name, value, name, value...;
    /// `query` is the query string without its `?`, or undefined.
    pub fn handle(
        &mut self,
        method: &str,
        path: &str,
        query: Option<String>,
        headers: Vec<String>,
        body: Vec<u8>,
        now: f64,
    ) -> Outcome {
        let mut request = SimRequest::new(method, path).with_body(body);
        request.query = query;
        let mut pairs = headers.into_iter();
        while let (Some(name), Some(value)) = (pairs.next(), pairs.next()) {
            request.headers.push((name, value.into_bytes()));
        }
        let response = self.sim.handle(request, ms(now));
        self.outcome(response)
    }

    /// Serves the request that a `delay` held back, once its wait is over; an unknown
    /// number is a reset.
    pub fn resume(&mut self, deferred: u32, now: f64) -> Outcome {
        match self.deferred.remove(&deferred) {
            Some(d) => {
                let response = self.sim.resume(d, ms(now));
                self.outcome(response)
            }
            None => Outcome { kind: "reset", ..Outcome::default() },
        }
    }

    /// Forgets a deferred request whose caller went away (it never happens).
    #[wasm_bindgen(js_name = dropDeferred)]
    pub fn drop_deferred(&mut self, deferred: u32) {
        self.deferred.remove(&deferred);
    }

    /// New bytes of a log stream at `now`; an unknown stream is broken.
    #[wasm_bindgen(js_name = pollLog)]
    pub fn poll_log(&mut self, stream: u32, now: f64) -> LogChunk {
        let Some(&id) = self.streams.get(&stream) else {
            return LogChunk { pieces: Vec::new(), state: "broken", wake_at: f64::NAN, reason: "the stream is closed" };
        };
        let poll = self.sim.poll_log(id, ms(now));
        let (state, wake_at, reason) = match poll.state {
            StreamState::Open { wake_at_ms } => ("open", wake_at_ms.map_or(f64::NAN, |t| t as f64), ""),
            StreamState::Ended => ("ended", f64::NAN, ""),
            StreamState::Cut => ("cut", f64::NAN, "the stream was cut by the x-sim-fault cut fault"),
            StreamState::Broken(why) => ("broken", f64::NAN, why),
        };
        LogChunk { pieces: poll.pieces, state, wake_at, reason }
    }

    /// Closes a log stream, however it ended (until then it counts as open in stats).
    #[wasm_bindgen(js_name = closeLog)]
    pub fn close_log(&mut self, stream: u32) {
        if let Some(id) = self.streams.remove(&stream) {
            self.sim.close_log(id);
        }
    }

    /// Runs every clock tick due by `now`; returns how many ran.
    pub fn advance(&mut self, now: f64) -> f64 {
        self.sim.advance(ms(now)) as f64
    }

    /// When the next tick is due (Unix ms).
    #[wasm_bindgen(js_name = nextTickMs)]
    pub fn next_tick_ms(&self) -> f64 {
        self.sim.next_tick_ms() as f64
    }

    /// `/_sim/info`'s document, as JSON text.
    pub fn info(&self) -> String {
        self.sim.info().to_string()
    }

    /// `/_sim/stats`'s document, as JSON text.
    pub fn stats(&self) -> String {
        self.sim.stats().to_string()
    }

    /// Back to the seed state, as `POST /_sim/reset`; its answer as JSON text.
    pub fn reset(&mut self) -> String {
        self.sim.reset().to_string()
    }

    fn outcome(&mut self, response: SimResponse) -> Outcome {
        match response {
            SimResponse::Reset => Outcome { kind: "reset", ..Outcome::default() },
            SimResponse::Wait(d) => {
                let ms = d.wait_ms() as f64;
                let n = self.number();
                self.deferred.insert(n, d);
                Outcome { kind: "wait", ms, deferred: n, ..Outcome::default() }
            }
            SimResponse::Answer(answer) => {
                let headers = answer.headers.iter().flat_map(|(n, v)| [n.to_string(), v.to_string()]).collect();
                let (delivery, ms) = match answer.delivery {
                    Delivery::Now => ("now", 0.0),
                    Delivery::Late(ms) => ("late", ms as f64),
                    Delivery::Stall(ms) => ("stall", ms as f64),
                };
                let (body, stream) = match answer.body {
                    Body::Full(bytes) => (bytes, 0),
                    Body::Log(id) => {
                        let n = self.number();
                        self.streams.insert(n, id);
                        (Vec::new(), n)
                    }
                };
                Outcome { kind: "answer", status: answer.status, headers, body, stream, delivery, ms, deferred: 0 }
            }
        }
    }

    /// A fresh number, never 0.
    fn number(&mut self) -> u32 {
        self.next = self.next.wrapping_add(1).max(1);
        self.next
    }
}

/// A time from JavaScript as Unix ms (NaN is 0; beyond i64, the nearest end).
fn ms(t: f64) -> i64 {
    if t.is_nan() {
        0
    } else {
        t as i64 // saturating
    }
}

/// The settings from the options' JSON text: the command line's defaults for what is
/// missing, an error for what is there but wrong.
fn config(options: &str, epoch_ms: f64, secret: &[u32]) -> Result<SimConfig, String> {
    let value: Value = serde_json::from_str(options).map_err(|e| format!("options are not JSON: {e}"))?;
    let Value::Object(map) = value else { return Err("options must be an object".into()) };
    let mut c = SimConfig { epoch_ms: ms(epoch_ms), ..SimConfig::default() };
    let mut words = secret.iter().map(|&w| u64::from(w));
    let mut word = || words.next().unwrap_or(0);
    c.token_secret = [word() << 32 | word(), word() << 32 | word()];
    for (key, v) in &map {
        match key.as_str() {
            "seed" => c.seed = int(key, v, u64::MAX)?,
            "prebuilds" => c.prebuilds = usize::try_from(int(key, v, 1_000_000)?).unwrap_or(0),
            "tickMs" => c.tick_ms = int(key, v, u64::from(u32::MAX))?.max(1),
            "faultRate" => c.fault_rate = share(key, v)?,
            "commitShare" => c.commit_share = share(key, v)?,
            "logsTokenTtlMs" => c.logs_token_ttl_ms = int(key, v, 1 << 53)?,
            "logChunkBytes" => c.log_chunk_bytes = usize::try_from(int(key, v, 1 << 20)?).unwrap_or(0),
            "token" => match v {
                Value::Null => c.token = None,
                Value::String(s) if !s.is_empty() => c.token = Some(s.clone()),
                _ => return Err("token must be a non-empty string".into()),
            },
            "publicUrl" => match v {
                Value::String(s) if !s.is_empty() => c.public_url = s.trim_end_matches('/').to_string(),
                _ => return Err("publicUrl must be a URL".into()),
            },
            _ => return Err(format!("unknown option {key}")),
        }
    }
    Ok(c)
}

/// A whole number from 0 to `max`.
fn int(key: &str, v: &Value, max: u64) -> Result<u64, String> {
    v.as_u64().filter(|&n| n <= max).ok_or_else(|| format!("{key} must be a whole number from 0 to {max}"))
}

/// A share from 0 to 1.
fn share(key: &str, v: &Value) -> Result<f64, String> {
    v.as_f64().filter(|f| (0.0..=1.0).contains(f)).ok_or_else(|| format!("{key} must be a number from 0 to 1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_checked() {
        assert!(config("{}", 0.0, &[]).is_ok());
        assert!(config("[]", 0.0, &[]).is_err());
        assert!(config("{\"seed\":-1}", 0.0, &[]).is_err());
        assert!(config("{\"faultRate\":2}", 0.0, &[]).is_err());
        assert!(config("{\"token\":\"\"}", 0.0, &[]).is_err());
        assert!(config("{\"nope\":1}", 0.0, &[]).is_err());
        assert!(config("{", 0.0, &[]).is_err());
        let c = config("{\"seed\":7,\"tickMs\":20,\"token\":\"t\"}", 5.0, &[1, 2, 3, 4]).unwrap();
        assert_eq!((c.seed, c.tick_ms, c.token.as_deref(), c.epoch_ms), (7, 20, Some("t"), 5));
        assert_eq!(c.token_secret, [1 << 32 | 2, 3 << 32 | 4]);
    }

    #[test]
    fn times_saturate() {
        assert_eq!(ms(f64::NAN), 0);
        assert_eq!(ms(f64::INFINITY), i64::MAX);
        assert_eq!(ms(1.5e3), 1500);
    }
}
