//! The simulator on a virtual clock: lifecycles move only when the caller advances
//! time, timestamps are the times handed in, and a seed gives the same world.

mod support;

use prebuild_sim_core::{serves, SimConfig, SimRequest, Simulator};
use serde_json::json;
use support::{answer, call, create, json, ok, phase, sim, sim_with, T0, TICK};

#[test]
fn a_new_prebuild_completes_after_18_ticks_of_the_callers_clock() {
    let mut sim = sim();
    let id = create(&mut sim, "acme/web-app", None, T0 + 10);
    assert_eq!(phase(&mut sim, &id, T0 + 10), "PENDING");
    // Hours of wall-clock time change nothing without a tick.
    assert_eq!(phase(&mut sim, &id, T0 + 3_600_000), "PENDING");
    assert_eq!(sim.advance(T0 + TICK), 1);
    assert_eq!(phase(&mut sim, &id, T0 + TICK), "STARTING");
    sim.advance(T0 + 17 * TICK);
    assert_ne!(phase(&mut sim, &id, T0 + 17 * TICK), "COMPLETED");
    sim.advance(T0 + 18 * TICK);
    let pb = ok(&mut sim, "GetPrebuild", json!({ "prebuildId": id }), T0 + 18 * TICK);
    let status = &pb["prebuild"]["status"];
    assert_eq!(status["phase"], "PREBUILD_PHASE_COMPLETED");
    assert_eq!(status["snapshotCompletionPercentage"], 100);
    // The 18th tick's own time, not the time of the call that read it.
    assert_eq!(status["completionTime"], "2023-11-14T22:13:38.000Z");
    assert_eq!(pb["prebuild"]["metadata"]["createdAt"], "2023-11-14T22:13:20.010Z");
    assert!(status["logUrl"].as_str().unwrap().starts_with("http://127.0.0.1:8787/logs/"));
}

#[test]
fn advance_runs_each_tick_due_and_tick_schedules_the_next_one_period_on() {
    let mut sim = sim();
    assert_eq!(sim.next_tick_ms(), T0 + TICK);
    assert_eq!(sim.advance(T0 + TICK - 1), 0);
    assert_eq!(sim.advance(T0 + 10 * TICK + 500), 10);
    assert_eq!(sim.next_tick_ms(), T0 + 11 * TICK);
    assert_eq!(sim.advance(T0 + 10 * TICK + 900), 0, "nothing due twice");
    // A server's timer calls `tick` with the time it woke at: the next is a period on.
    sim.tick(T0 + 11 * TICK + 300);
    assert_eq!(sim.next_tick_ms(), T0 + 12 * TICK + 300);
}

#[test]
fn a_seed_gives_the_same_world_and_the_same_new_ids() {
    let list = |sim: &mut Simulator| ok(sim, "ListPrebuilds", json!({ "pagination": { "pageSize": 50 } }), T0);
    let (mut a, mut b) = (sim(), sim());
    assert_eq!(list(&mut a), list(&mut b));
    assert_eq!(create(&mut a, "acme/web-app", None, T0), create(&mut b, "acme/web-app", None, T0));
    let mut other = sim_with(SimConfig { seed: 2, ..SimConfig::default() });
    assert_ne!(list(&mut a), list(&mut other));
    assert_eq!(a.info()["seed"], 1);
    assert_eq!(a.info()["tickMs"], TICK);
}

#[test]
fn reset_brings_back_the_seed_and_forgets_the_counters() {
    let mut sim = sim();
    let before = sim.info()["prebuildCount"].clone();
    create(&mut sim, "acme/web-app", None, T0);
    assert_ne!(sim.info()["prebuildCount"], before);
    assert_eq!(sim.stats()["requests"], 1);
    let reset = sim.reset();
    assert_eq!(reset["reset"], true);
    assert_eq!(reset["prebuildCount"], before);
    assert_eq!(sim.info()["prebuildCount"], before);
    assert_eq!(sim.stats()["requests"], 0);
}

#[test]
fn validation_and_authentication_come_from_the_library_and_the_settings() {
    let mut sim = sim_with(SimConfig { token: Some("s3cret".into()), ..SimConfig::default() });
    let a = answer(sim.handle(call("GetPrebuild", &json!({ "prebuildId": "x" })), T0));
    assert_eq!((a.status, json(&a)["code"].as_str()), (401, Some("unauthenticated")));
    let req = SimRequest::new("POST", "/api/gitpod.v1.PrebuildService/GetPrebuild")
        .with_header("authorization", "Bearer s3cret")
        .with_body(r#"{"prebuildId":"not-a-uuid"}"#);
    let a = answer(sim.handle(req, T0));
    assert_eq!(a.status, 400);
    assert!(json(&a)["message"].as_str().unwrap().contains("prebuildId"), "{}", json(&a));
    let big = SimRequest::new("POST", "/api/gitpod.v1.PrebuildService/ListPrebuilds")
        .with_header("authorization", "Bearer s3cret")
        .with_body(vec![b' '; prebuild_sim_core::MAX_BODY_BYTES + 1]);
    let a = answer(sim.handle(big, T0));
    assert_eq!((a.status, a.headers.get("x-should-retry")), (429, Some("false")));
}

#[test]
fn the_core_answers_control_paths_and_preflights_and_says_which_paths_are_its_own() {
    let mut sim = sim();
    let health = answer(sim.handle(SimRequest::new("GET", "/healthz"), T0));
    assert_eq!((health.status, health.bytes()), (200, &b"ok\n"[..]));
    assert_eq!(health.headers.get("access-control-allow-origin"), Some("*"));
    let info = answer(sim.handle(SimRequest::new("GET", "/_sim/info"), T0));
    assert_eq!(json(&info)["apiBasePath"], "/api");
    let wrong = answer(sim.handle(SimRequest::new("GET", "/_sim/reset"), T0));
    assert_eq!((wrong.status, wrong.headers.get("allow")), (405, Some("POST")));
    let preflight = SimRequest::new("OPTIONS", "/logs/x").with_header("access-control-request-headers", "X-Custom");
    let pre = answer(sim.handle(preflight, T0));
    assert_eq!(pre.status, 204);
    assert_eq!(pre.headers.get("access-control-allow-methods"), Some("GET, OPTIONS"));
    assert!(pre.headers.get("access-control-allow-headers").unwrap().ends_with(", x-custom"));
    for path in ["/api", "/api/x", "/logs/abc", "/healthz", "/_sim/stats"] {
        assert!(serves(path), "{path}");
    }
    for path in ["/", "/index.html", "/pkg/index.js", "/apix", "/logs", "/_sim/other"] {
        assert!(!serves(path), "{path}");
    }
    assert_eq!(answer(sim.handle(SimRequest::new("GET", "/index.html"), T0)).status, 404);
}
