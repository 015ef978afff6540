//! Helpers of the log tests (`logs.rs`, `log_faults.rs`): prebuilds and their logs
//! tokens, log requests read with the chunked decoder, errors and counters.

use serde_json::{json, Value};

use super::chunked::Reader;
use super::{s, Sim};

pub fn project_id(sim: &Sim, name: &str) -> String {
    let info = sim.info();
    let p = info["projects"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap();
    s(p, "/id").to_string()
}

/// Creates a prebuild, with `x-sim-outcome` when `outcome` is given.
pub fn create(sim: &Sim, project: &str, outcome: Option<&str>) -> String {
    let headers: Vec<(&str, &str)> = outcome.map(|o| ("x-sim-outcome", o)).into_iter().collect();
    let r = sim.call_with("CreatePrebuild", "", &headers, &json!({ "projectId": project, "spec": {} }).to_string());
    assert_eq!(r.status, 200, "{}", r.body);
    s(&r.json(), "/prebuild/id").to_string()
}

pub fn logs_token(sim: &Sim, id: &str) -> String {
    s(&sim.ok("CreatePrebuildLogsToken", json!({ "prebuildId": id })), "/accessToken").to_string()
}

pub fn phase(sim: &Sim, id: &str) -> String {
    s(&sim.prebuild(id).expect("the prebuild exists"), "/status/phase")
        .trim_start_matches("PREBUILD_PHASE_")
        .to_string()
}

/// Opens the log of `id` with `token` and extra headers.
pub fn open(sim: &Sim, id: &str, token: &str, extra: &[(&str, &str)]) -> Reader {
    let auth = format!("Bearer {token}");
    let mut headers = vec![("authorization", auth.as_str())];
    headers.extend_from_slice(extra);
    Reader::get(&sim.addr, &format!("/logs/{id}"), &headers).expect("a response")
}

/// The whole log of a finished prebuild, which must end cleanly.
pub fn whole_log(sim: &Sim, id: &str) -> String {
    let r = open(sim, id, &logs_token(sim, id), &[]);
    assert_eq!(r.status, 200);
    let body = r.read_all();
    body.end.as_ref().expect("a clean end");
    body.text()
}

/// The ids of the prebuilds in `phase` (e.g. `COMPLETED`).
pub fn in_phase(sim: &Sim, phase: &str) -> Vec<String> {
    let filter = json!({ "filter": { "phases": [format!("PREBUILD_PHASE_{phase}")] } });
    sim.walk("ListPrebuilds", "prebuilds", &filter, 100).iter().map(|p| s(p, "/id").to_string()).collect()
}

/// An error answer's Connect code and message.
pub fn error_of(r: Reader) -> (u16, String, String) {
    let status = r.status;
    let body: Value = serde_json::from_slice(&r.read_all().bytes()).expect("a JSON error body");
    (status, s(&body, "/code").to_string(), s(&body, "/message").to_string())
}

pub fn stats(sim: &Sim) -> Value {
    sim.request("GET", "/_sim/stats", &[], "").unwrap().json()
}
