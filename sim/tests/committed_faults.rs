//! Committed faults (`x-sim-fault: KIND;commit=1`, `--commit-share`): the call takes
//! effect, then the client gets a reset, a 502, an error or a late answer instead of
//! it, as when a proxy loses the answer to a create. A retry then makes a duplicate.

mod support;

use std::collections::BTreeSet;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{http, s, wait_for, Response, Sim, API, PATIENCE, TOKEN};

/// The id of the project `acme/web-app`: new prebuilds there complete normally.
fn web_app(sim: &Sim) -> String {
    let info = sim.info();
    let project = info["projects"].as_array().unwrap().iter().find(|p| p["name"] == "acme/web-app").unwrap();
    s(project, "/id").to_string()
}

/// The ids of every prebuild of `project`, by ListPrebuilds with a project filter.
fn prebuild_ids(sim: &Sim, project: &str) -> BTreeSet<String> {
    let items = sim.walk("ListPrebuilds", "prebuilds", &json!({ "filter": { "projectIds": [project] } }), 100);
    items.iter().map(|p| s(p, "/id").to_string()).collect()
}

/// The ids in `after` that are not in `before`.
fn new_ids(before: &BTreeSet<String>, after: &BTreeSet<String>) -> Vec<String> {
    after.difference(before).cloned().collect()
}

/// A CreatePrebuild of `project` on a fresh connection with this fault header; a
/// connection closed without a response is an error.
fn create_with_fault(addr: &str, project: &str, fault: &str) -> std::io::Result<Response> {
    let auth = format!("Bearer {TOKEN}");
    let body = json!({ "projectId": project, "spec": {} }).to_string();
    let headers = [("authorization", auth.as_str()), ("content-type", "application/json"), ("x-sim-fault", fault)];
    http(addr, "POST", &format!("{API}CreatePrebuild"), &headers, body.as_bytes())
}

fn stats(sim: &Sim) -> Value {
    let r = sim.request("GET", "/_sim/stats", &[], "").unwrap();
    assert_eq!(r.status, 200);
    r.json()
}

#[test]
fn a_committed_reset_creates_the_prebuild_then_closes_without_a_response() {
    let sim = Sim::frozen(&[]);
    let project = web_app(&sim);
    let before = prebuild_ids(&sim, &project);

    let reset = create_with_fault(&sim.addr, &project, "reset;commit=1");
    assert!(reset.is_err(), "no response: {reset:?}");

    let created = new_ids(&before, &prebuild_ids(&sim, &project));
    assert_eq!(created.len(), 1, "exactly one new prebuild: {created:?}");
    let pb = sim.prebuild(&created[0]).expect("GetPrebuild finds it");
    assert_eq!(pb["metadata"]["projectId"], project.as_str());
    assert_eq!(pb["status"]["phase"], "PREBUILD_PHASE_PENDING");
}

#[test]
fn a_reset_without_commit_creates_nothing() {
    let sim = Sim::frozen(&[]);
    let project = web_app(&sim);
    let before = prebuild_ids(&sim, &project);
    assert!(create_with_fault(&sim.addr, &project, "reset").is_err());
    assert!(create_with_fault(&sim.addr, &project, "reset;commit=0").is_err());
    assert_eq!(prebuild_ids(&sim, &project), before);
}

#[test]
fn a_committed_502_answers_a_connect_error_and_the_prebuild_exists() {
    let sim = Sim::frozen(&[]);
    let project = web_app(&sim);
    let before = prebuild_ids(&sim, &project);

    let r = create_with_fault(&sim.addr, &project, "502;commit=1").unwrap();
    assert_eq!(r.status, 502, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.code(), "unavailable", "{}", r.body);
    assert!(r.json()["message"].as_str().unwrap().contains("bad gateway"), "{}", r.body);
    assert_eq!(new_ids(&before, &prebuild_ids(&sim, &project)).len(), 1);

    // Without commit, the same 502 comes before the call: nothing more is created.
    let plain = create_with_fault(&sim.addr, &project, "502").unwrap();
    assert_eq!((plain.status, plain.code()), (502, "unavailable".to_string()));
    assert_eq!(new_ids(&before, &prebuild_ids(&sim, &project)).len(), 1);
}

#[test]
fn a_committed_delay_creates_the_prebuild_before_the_answer_arrives() {
    let sim = Sim::frozen(&[]);
    let project = web_app(&sim);
    let before = prebuild_ids(&sim, &project);

    let (tx, rx) = mpsc::channel();
    let (addr, p) = (sim.addr.clone(), project.clone());
    let started = Instant::now();
    std::thread::spawn(move || tx.send(create_with_fault(&addr, &p, "delay=3000;commit=1")));

    // Seen from a second connection while the first still waits for its answer.
    let created = wait_for("the prebuild to exist during the delay", || {
        let ids = new_ids(&before, &prebuild_ids(&sim, &project));
        (!ids.is_empty()).then_some(ids)
    });
    assert_eq!(created.len(), 1, "{created:?}");
    assert!(rx.try_recv().is_err(), "the answer has not come yet ({:?})", started.elapsed());

    let r = rx.recv_timeout(PATIENCE).unwrap().expect("a response after the delay");
    assert!(started.elapsed() >= Duration::from_millis(3000), "{:?}", started.elapsed());
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(s(&r.json(), "/prebuild/id"), created[0], "the late answer is the call's own");
}

#[test]
fn a_delay_without_commit_creates_the_prebuild_only_after_the_wait() {
    let sim = Sim::frozen(&[]);
    let project = web_app(&sim);
    let before = prebuild_ids(&sim, &project);
    let (tx, rx) = mpsc::channel();
    let (addr, p) = (sim.addr.clone(), project.clone());
    std::thread::spawn(move || tx.send(create_with_fault(&addr, &p, "delay=3000")));
    std::thread::sleep(Duration::from_millis(500));
    if rx.try_recv().is_err() {
        // Still waiting (on a very slow machine the check proves nothing otherwise).
        assert_eq!(prebuild_ids(&sim, &project), before, "nothing during the delay");
    }
    let r = rx.recv_timeout(PATIENCE).unwrap_or_else(|_| panic!("no answer")).expect("a response");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(new_ids(&before, &prebuild_ids(&sim, &project)).len(), 1);
}

#[test]
fn a_retry_after_a_committed_reset_of_create_warm_pool_is_already_exists() {
    let sim = Sim::frozen(&[]);
    let info = sim.info();
    let project = s(&info, "/hints/freePair/projectId").to_string();
    let class = s(&info, "/hints/freePair/environmentClassId").to_string();
    let body = json!({ "projectId": project, "environmentClassId": class });

    let reset = sim.request(
        "POST",
        &format!("{API}CreateWarmPool"),
        &[("authorization", &format!("Bearer {TOKEN}")), ("x-sim-fault", "reset;commit=1")],
        &body.to_string(),
    );
    assert!(reset.is_err(), "no response: {reset:?}");

    let retry = sim.call("CreateWarmPool", &body);
    assert_eq!(retry.status, 409, "{}", retry.body);
    assert_eq!(retry.code(), "already_exists");
    let pools =
        sim.ok("ListWarmPools", json!({ "filter": { "projectIds": [project], "environmentClassIds": [class] } }));
    assert_eq!(pools["warmPools"].as_array().unwrap().len(), 1, "{pools}");
}

#[test]
fn stats_count_committed_faults_apart() {
    let sim = Sim::frozen(&[]);
    let project = web_app(&sim);
    let before = prebuild_ids(&sim, &project);

    assert!(create_with_fault(&sim.addr, &project, "reset;commit=1").is_err());
    let statuses: Vec<u16> =
        ["502;commit=1", "500;commit=1", "html502;commit=1", "503;commit=1", "503", "delay=1;commit=1"]
            .iter()
            .map(|f| create_with_fault(&sim.addr, &project, f).unwrap().status)
            .collect();
    assert_eq!(statuses, [502, 500, 502, 503, 503, 200]);
    assert_eq!(new_ids(&before, &prebuild_ids(&sim, &project)).len(), 6, "all but the plain 503 took effect");

    let s = stats(&sim);
    let committed = json!({ "502": 1, "500": 1, "503": 1, "delay": 1, "html502": 1, "reset": 1 });
    let faults = json!({ "502": 1, "500": 1, "503": 2, "delay": 1, "html502": 1, "reset": 1 });
    assert_eq!(s["faults"], faults, "{s}");
    assert_eq!(s["faultCount"], 7);
    assert_eq!(s["committed"], committed, "{s}");
    assert_eq!(s["committedCount"], 6);
    let create = &s["methods"]["CreatePrebuild"];
    assert_eq!(create["committed"], committed);
    assert_eq!(create["committedCount"], 6);
    assert_eq!(create["served"], 6, "a committed fault's call was served");
    assert_eq!(create["statuses"], json!({ "200": 1, "500": 1, "502": 2, "503": 2 }));
    assert_eq!(s["methods"]["ListPrebuilds"]["committedCount"], 0);

    assert_eq!(sim.request("POST", "/_sim/reset", &[], "").unwrap().status, 200);
    assert_eq!(stats(&sim)["committed"], json!({}));
}

#[test]
fn commit_with_a_kind_that_does_not_take_it_is_refused() {
    let sim = Sim::frozen(&[]);
    let project = web_app(&sim);
    let before = prebuild_ids(&sim, &project);
    for fault in ["malformed;commit=1", "429;commit=1", "stall=10;commit=1", "503;commit=yes"] {
        let r = create_with_fault(&sim.addr, &project, fault).unwrap();
        assert_eq!((r.status, r.code()), (400, "invalid_argument".to_string()), "{fault}: {}", r.body);
        let message = r.json()["message"].as_str().unwrap().to_string();
        assert!(message.contains("x-sim-fault") && message.contains("commit"), "{fault}: {message}");
        if !fault.ends_with("yes") {
            assert!(message.contains("reset, 502, 503, 500, delay=MS and html502"), "{fault}: {message}");
        }
    }
    assert_eq!(prebuild_ids(&sim, &project), before, "a refused header applies nothing");
    assert_eq!(stats(&sim)["faultCount"], 0);
}

/// Sends `n` CreatePrebuild calls without a fault header; returns how many got a 500
/// or a 502 and how many a reset.
fn create_many(sim: &Sim, project: &str, n: usize) -> (u64, u64) {
    let auth = format!("Bearer {TOKEN}");
    let body = json!({ "projectId": project, "spec": {} }).to_string();
    let (mut errors, mut resets) = (0, 0);
    for _ in 0..n {
        match http(&sim.addr, "POST", &format!("{API}CreatePrebuild"), &[("authorization", &auth)], body.as_bytes()) {
            Ok(r) => {
                let answer = (r.status, r.code());
                assert!(
                    matches!(answer, (500, ref c) if c == "internal")
                        || matches!(answer, (502, ref c) if c == "unavailable"),
                    "{}: {}",
                    r.status,
                    r.body
                );
                errors += 1;
            }
            Err(_) => resets += 1,
        }
    }
    (errors, resets)
}

/// The prebuild ids of `project` on one page, past a global fault rate: a header
/// whose fault has already happened `times=0` times asks for none.
fn prebuild_ids_unfaulted(sim: &Sim, project: &str) -> BTreeSet<String> {
    let body = json!({ "filter": { "projectIds": [project] } }).to_string();
    let r = sim.call_with("ListPrebuilds", "?pageSize=100", &[("x-sim-fault", "503;times=0")], &body);
    assert_eq!(r.status, 200, "{}", r.body);
    let page = r.json();
    assert_eq!(page["pagination"]["nextToken"], "", "one page holds them all");
    page["prebuilds"].as_array().unwrap().iter().map(|p| s(p, "/id").to_string()).collect()
}

#[test]
fn a_commit_share_of_one_makes_every_drawn_fault_a_committed_one() {
    let sim = Sim::frozen(&["--fault-rate", "1", "--commit-share", "1"]);
    let project = web_app(&sim);
    let before = prebuild_ids_unfaulted(&sim, &project);
    let (errors, resets) = create_many(&sim, &project, 30);
    assert_eq!(errors + resets, 30, "every call failed");

    let created = new_ids(&before, &prebuild_ids_unfaulted(&sim, &project));
    assert_eq!(created.len(), 30, "and every call took effect");
    let create = &stats(&sim)["methods"]["CreatePrebuild"];
    assert_eq!(create["faultCount"], 30, "{create}");
    assert_eq!(create["committedCount"], 30, "{create}");
    assert_eq!(create["committed"], create["faults"], "{create}");
    assert_eq!(create["served"], 30);
    assert_eq!(create["committed"]["reset"].as_u64().unwrap_or(0), resets);
    let kinds: Vec<&String> = create["committed"].as_object().unwrap().keys().collect();
    // Never a 503: that would tell a client the call was not served.
    assert!(kinds.iter().all(|k| ["500", "502", "reset"].contains(&k.as_str())), "{kinds:?}");
}

#[test]
fn without_a_commit_share_drawn_faults_apply_nothing() {
    let sim = Sim::frozen(&["--fault-rate", "1"]);
    let project = web_app(&sim);
    let before = prebuild_ids_unfaulted(&sim, &project);
    let auth = format!("Bearer {TOKEN}");
    let body = json!({ "projectId": project, "spec": {} }).to_string();
    for _ in 0..20 {
        let r = http(&sim.addr, "POST", &format!("{API}CreatePrebuild"), &[("authorization", &auth)], body.as_bytes());
        assert!(r.map_or(true, |r| r.status == 503 || r.status == 429), "a fault every time");
    }
    assert_eq!(prebuild_ids_unfaulted(&sim, &project), before);
    let create = &stats(&sim)["methods"]["CreatePrebuild"];
    assert_eq!((create["faultCount"].clone(), create["committedCount"].clone()), (json!(20), json!(0)));
    assert_eq!(create["served"], 0);
}

#[test]
fn a_committed_503_on_cancel_still_cancels() {
    let sim = Sim::frozen(&[]);
    let project = web_app(&sim);
    let created = sim.ok("CreatePrebuild", json!({ "projectId": project, "spec": {} }));
    let id = s(&created, "/prebuild/id").to_string();
    let body = json!({ "prebuildId": id }).to_string();
    let r = sim.call_with("CancelPrebuild", "", &[("x-sim-fault", "503;commit=1")], &body);
    assert_eq!((r.status, r.code()), (503, "unavailable".to_string()), "{}", r.body);
    let pb = sim.prebuild(&id).unwrap();
    assert_eq!(pb["spec"]["desiredPhase"], "PREBUILD_PHASE_CANCELLED", "the cancel happened: {pb}");
    assert_eq!(pb["status"]["phase"], "PREBUILD_PHASE_CANCELLING", "{pb}");
}
