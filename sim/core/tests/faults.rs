//! Faults as decisions: the core answers instead of the call, or tells its caller to
//! reset, wait, deliver late or stall, and counts what it decided.

mod support;

use prebuild_sim_core::{Delivery, SimConfig, SimResponse, Simulator};
use serde_json::{json, Value};
use support::{answer, call, json, ok, project_id, sim, sim_with, T0};

fn count(sim: &mut Simulator) -> usize {
    let body =
        json!({ "filter": { "projectIds": [project_id(sim, "acme/web-app")] }, "pagination": { "pageSize": 100 } });
    ok(sim, "ListPrebuilds", body, T0)["prebuilds"].as_array().unwrap().len()
}

fn create_with(sim: &mut Simulator, fault: &str) -> SimResponse {
    let body = json!({ "projectId": project_id(sim, "acme/web-app"), "spec": {} });
    sim.handle(call("CreatePrebuild", &body).with_header("x-sim-fault", fault), T0)
}

#[test]
fn a_reset_is_a_decision_and_commit_applies_the_call_first() {
    let mut sim = sim();
    let before = count(&mut sim);
    assert_eq!(create_with(&mut sim, "reset"), SimResponse::Reset);
    assert_eq!(count(&mut sim), before, "nothing happened");
    assert_eq!(create_with(&mut sim, "reset;commit=1"), SimResponse::Reset);
    assert_eq!(count(&mut sim), before + 1, "the call took effect, only its answer is lost");
    let stats = sim.stats();
    assert_eq!(stats["methods"]["CreatePrebuild"]["faults"], json!({ "reset": 2 }));
    assert_eq!(stats["committed"], json!({ "reset": 1 }));
}

#[test]
fn error_faults_answer_instead_of_the_call() {
    let mut sim = sim();
    let a = answer(create_with(&mut sim, "503;retry-after-ms=50"));
    assert_eq!((a.status, a.headers.get("retry-after-ms")), (503, Some("50")));
    assert_eq!(json(&a)["code"], "unavailable");
    let html = answer(create_with(&mut sim, "html502"));
    assert_eq!((html.status, html.headers.get("content-type")), (502, Some("text/html")));
    let malformed = answer(create_with(&mut sim, "malformed"));
    assert_eq!(malformed.status, 200);
    assert!(serde_json::from_slice::<Value>(malformed.bytes()).is_err());
    let bad = answer(create_with(&mut sim, "teapot"));
    assert_eq!(bad.status, 400);
}

#[test]
fn a_delay_defers_the_call_until_the_caller_resumes_it() {
    let mut sim = sim();
    let before = count(&mut sim);
    let SimResponse::Wait(deferred) = create_with(&mut sim, "delay=250") else { panic!("not deferred") };
    assert_eq!(deferred.wait_ms(), 250);
    assert_eq!(count(&mut sim), before, "not served during the wait");
    let a = answer(sim.resume(deferred, T0 + 250));
    assert_eq!(a.status, 200);
    assert_eq!(count(&mut sim), before + 1);
    assert_eq!(json(&a)["prebuild"]["metadata"]["createdAt"], "2023-11-14T22:13:20.250Z");
}

#[test]
fn a_committed_delay_and_a_stall_serve_the_call_and_shape_the_delivery() {
    let mut sim = sim();
    let before = count(&mut sim);
    let late = answer(create_with(&mut sim, "delay=300;commit=1"));
    assert_eq!((late.status, late.delivery), (200, Delivery::Late(300)));
    assert_eq!(count(&mut sim), before + 1, "applied before the late answer");
    let stalled = answer(sim.handle(call("ListWarmPools", &json!({})).with_header("x-sim-fault", "stall=40"), T0));
    assert_eq!((stalled.status, stalled.delivery), (200, Delivery::Stall(40)));
    assert!(!json(&stalled)["warmPools"].as_array().unwrap().is_empty(), "the whole normal answer");
}

#[test]
fn times_and_key_limit_a_fault_to_the_first_requests() {
    let mut sim = sim();
    let get = |sim: &mut Simulator| {
        let req = call("ListWarmPools", &json!({})).with_header("x-sim-fault", "503;times=2;key=k");
        answer(sim.handle(req, T0)).status
    };
    assert_eq!([get(&mut sim), get(&mut sim), get(&mut sim)], [503, 503, 200]);
    sim.reset();
    assert_eq!(get(&mut sim), 503, "a reset forgets the counters");
}

#[test]
fn a_fault_rate_draws_the_same_faults_for_the_same_seed() {
    let draws = |seed: u64| {
        let mut sim = sim_with(SimConfig { seed, fault_rate: 0.5, ..SimConfig::default() });
        (0..40)
            .map(|_| match sim.handle(call("ListWarmPools", &json!({})), T0) {
                SimResponse::Answer(a) => a.status.to_string(),
                SimResponse::Reset => "reset".to_string(),
                SimResponse::Wait(_) => "wait".to_string(),
            })
            .collect::<Vec<_>>()
    };
    let a = draws(3);
    assert_eq!(a, draws(3));
    assert!(a.iter().any(|s| s == "200") && a.iter().any(|s| s != "200"), "{a:?}");
}
