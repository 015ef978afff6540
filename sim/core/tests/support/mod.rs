//! Shared by the core's tests: a simulator on a virtual clock, requests built as data,
//! and answers read back. No socket, thread or real time anywhere.
#![allow(dead_code)]

use prebuild_sim_core::{Answer, Body, SimConfig, SimRequest, SimResponse, Simulator, StreamId, StreamState};
use serde_json::Value;

/// The path prefix of every method.
pub const API: &str = "/api/gitpod.v1.PrebuildService/";
/// The start of every test's clock: 2023-11-14T22:13:20.000Z.
pub const T0: i64 = 1_700_000_000_000;
/// The clock period of the tests' simulators.
pub const TICK: i64 = 1000;

/// A simulator that starts at [`T0`] with one tick a second.
pub fn sim() -> Simulator {
    sim_with(SimConfig::default())
}

/// A simulator with these settings, starting at [`T0`] with one tick a second.
pub fn sim_with(config: SimConfig) -> Simulator {
    Simulator::new(SimConfig { epoch_ms: T0, tick_ms: TICK as u64, token_secret: [7, 9], ..config })
}

/// A call of `method` with a bearer token and this JSON body.
pub fn call(method: &str, body: &Value) -> SimRequest {
    SimRequest::new("POST", &format!("{API}{method}"))
        .with_header("Authorization", "Bearer test-token")
        .with_header("content-type", "application/json")
        .with_body(body.to_string())
}

/// The answer, which must be one.
pub fn answer(resp: SimResponse) -> Answer {
    match resp {
        SimResponse::Answer(a) => a,
        other => panic!("not an answer: {other:?}"),
    }
}

/// The JSON of an answer's body.
pub fn json(a: &Answer) -> Value {
    serde_json::from_slice(a.bytes()).unwrap_or_else(|e| panic!("{e}: {:?}", String::from_utf8_lossy(a.bytes())))
}

/// Calls `method`, which must succeed, at `now`; returns its JSON.
pub fn ok(sim: &mut Simulator, method: &str, body: Value, now: i64) -> Value {
    let a = answer(sim.handle(call(method, &body), now));
    assert_eq!(a.status, 200, "{method} {body}: {}", String::from_utf8_lossy(a.bytes()));
    json(&a)
}

/// The id of the project named `name`.
pub fn project_id(sim: &Simulator, name: &str) -> String {
    let info = sim.info();
    let projects = info["projects"].as_array().expect("projects");
    let p = projects.iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("no project {name}"));
    p["id"].as_str().expect("an id").to_string()
}

/// Creates a prebuild in `project` at `now`, with `x-sim-outcome` if given; its id.
pub fn create(sim: &mut Simulator, project: &str, outcome: Option<&str>, now: i64) -> String {
    let mut req = call("CreatePrebuild", &serde_json::json!({ "projectId": project_id(sim, project), "spec": {} }));
    if let Some(o) = outcome {
        req = req.with_header("x-sim-outcome", o);
    }
    let a = answer(sim.handle(req, now));
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(a.bytes()));
    json(&a)["prebuild"]["id"].as_str().expect("an id").to_string()
}

/// The prebuild's phase at `now`, without the `PREBUILD_PHASE_` prefix.
pub fn phase(sim: &mut Simulator, id: &str, now: i64) -> String {
    let pb = ok(sim, "GetPrebuild", serde_json::json!({ "prebuildId": id }), now);
    pb["prebuild"]["status"]["phase"].as_str().unwrap_or("").trim_start_matches("PREBUILD_PHASE_").to_string()
}

/// A log request for `id` with a fresh logs token and these extra headers.
pub fn log_request(sim: &mut Simulator, id: &str, extra: &[(&str, &str)], now: i64) -> SimRequest {
    let token = ok(sim, "CreatePrebuildLogsToken", serde_json::json!({ "prebuildId": id }), now);
    let token = token["accessToken"].as_str().expect("a token").to_string();
    let mut req =
        SimRequest::new("GET", &format!("/logs/{id}")).with_header("authorization", &format!("Bearer {token}"));
    for (name, value) in extra {
        req = req.with_header(name, value);
    }
    req
}

/// Opens the log stream of `id`; its id.
pub fn open_log(sim: &mut Simulator, id: &str, extra: &[(&str, &str)], now: i64) -> StreamId {
    let req = log_request(sim, id, extra, now);
    let a = answer(sim.handle(req, now));
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(a.bytes()));
    match a.body {
        Body::Log(stream) => stream,
        Body::Full(_) => panic!("not a stream"),
    }
}

/// Polls `stream` at `now`: the bytes it gave, and its state.
pub fn poll(sim: &mut Simulator, stream: StreamId, now: i64) -> (Vec<u8>, StreamState) {
    let p = sim.poll_log(stream, now);
    (p.pieces.concat(), p.state)
}
