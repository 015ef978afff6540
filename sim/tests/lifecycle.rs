//! Lifecycles on a fast clock: prebuilds reaching COMPLETED, FAILED, CANCELLED and
//! gone; warm pools turning READY, following snapshots, converging and going away;
//! `/_sim/reset`. Every wait is a poll with a generous deadline.

mod support;

use serde_json::{json, Value};
use support::{s, version, wait_for, Sim};

const ORDER: [&str; 7] = ["PENDING", "STARTING", "RUNNING", "STOPPING", "SNAPSHOTTING", "COMPLETED", "FAILED"];

fn project<'a>(info: &'a Value, name: &str) -> &'a Value {
    info["projects"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()
}

fn phase(pb: &Value) -> String {
    s(pb, "/status/phase").trim_start_matches("PREBUILD_PHASE_").to_string()
}

/// Polls a prebuild until it reaches `last`, checking that phases only move forward
/// and that the status version grows whenever the status changes.
fn follow(sim: &Sim, id: &str, last: &str) -> (Value, Vec<String>) {
    let mut seen: Vec<String> = Vec::new();
    let mut previous: Option<Value> = None;
    let done = wait_for(&format!("prebuild {id} to reach {last}"), || {
        let pb = sim.prebuild(id).expect("the prebuild exists");
        let p = phase(&pb);
        if seen.last() != Some(&p) {
            seen.push(p.clone());
        }
        if let Some(prev) = &previous {
            let (a, b) = (version(prev, "/status/statusVersion"), version(&pb, "/status/statusVersion"));
            assert!(b >= a, "statusVersion never decreases");
            if prev["status"] != pb["status"] {
                assert!(b > a, "statusVersion grows with each change: {} -> {}", prev["status"], pb["status"]);
            }
        }
        previous = Some(pb.clone());
        (p == last).then_some(pb)
    });
    let positions: Vec<usize> = seen.iter().map(|p| ORDER.iter().position(|o| o == p).unwrap_or(99)).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "phases move forward: {seen:?}");
    (done, seen)
}

#[test]
fn a_new_prebuild_completes_with_a_snapshot() {
    let sim = Sim::fast(&[]);
    let web = project(&sim.info(), "acme/web-app").clone();
    let created = sim.ok("CreatePrebuild", json!({ "projectId": web["id"], "spec": {} }));
    let id = s(&created, "/prebuild/id").to_string();
    let (done, seen) = follow(&sim, &id, "COMPLETED");
    assert!(seen.len() >= 2, "{seen:?}");
    let status = &done["status"];
    assert!(status["completionTime"].as_str().unwrap().ends_with('Z'));
    assert!(s(&done, "/status/snapshotSizeBytes").parse::<u64>().unwrap() > 0);
    assert_eq!(status["snapshotCompletionPercentage"], 100);
    assert!(!s(&done, "/status/environmentId").is_empty());
    assert_eq!(s(&done, "/status/logUrl"), format!("{}/logs/{id}", sim.url));
    assert_eq!(status["failureMessage"], "");
    assert!(version(&done, "/status/statusVersion") > version(&created, "/prebuild/status/statusVersion"));
    assert_ne!(done["metadata"]["updatedAt"], created["prebuild"]["metadata"]["updatedAt"]);
}

#[test]
fn snapshot_progress_is_visible_while_snapshotting() {
    let sim = Sim::fast(&[]);
    let web = project(&sim.info(), "acme/web-app").clone();
    let id = s(&sim.ok("CreatePrebuild", json!({ "projectId": web["id"], "spec": {} })), "/prebuild/id").to_string();
    let mut percentages = Vec::new();
    wait_for("completion", || {
        let pb = sim.prebuild(&id).unwrap();
        if phase(&pb) == "SNAPSHOTTING" {
            percentages.push(pb["status"]["snapshotCompletionPercentage"].as_i64().unwrap());
        }
        (phase(&pb) == "COMPLETED").then_some(())
    });
    assert!(percentages.windows(2).all(|w| w[0] <= w[1]), "{percentages:?}");
    assert!(percentages.iter().all(|p| (0..=100).contains(p)));
}

#[test]
fn projects_decide_failures_and_warnings() {
    let sim = Sim::fast(&[]);
    let info = sim.info();
    let failing = project(&info, "acme/legacy-monolith");
    let id =
        s(&sim.ok("CreatePrebuild", json!({ "projectId": failing["id"], "spec": {} })), "/prebuild/id").to_string();
    let (failed, _) = follow(&sim, &id, "FAILED");
    assert!(!s(&failed, "/status/failureMessage").is_empty());
    assert!(failed["status"]["completionTime"].is_string());

    let warning = project(&info, "acme/api-server");
    let id =
        s(&sim.ok("CreatePrebuild", json!({ "projectId": warning["id"], "spec": {} })), "/prebuild/id").to_string();
    let (done, _) = follow(&sim, &id, "COMPLETED");
    assert!(!s(&done, "/status/warningMessage").is_empty(), "a warning, and still completed");
}

#[test]
fn a_cancelled_prebuild_ends_cancelled() {
    let sim = Sim::fast(&[]);
    let web = project(&sim.info(), "acme/web-app").clone();
    let id = s(&sim.ok("CreatePrebuild", json!({ "projectId": web["id"], "spec": {} })), "/prebuild/id").to_string();
    let cancelled = sim.ok("CancelPrebuild", json!({ "prebuildId": id }));
    assert_eq!(cancelled["prebuild"]["status"]["phase"], "PREBUILD_PHASE_CANCELLING");
    let done = wait_for("CANCELLED", || sim.prebuild(&id).filter(|pb| phase(pb) == "CANCELLED"));
    assert_eq!(done["spec"]["desiredPhase"], "PREBUILD_PHASE_CANCELLED");
    assert!(done["status"]["completionTime"].is_string());
    let again = sim.call("CancelPrebuild", &json!({ "prebuildId": id }));
    assert_eq!((again.status, again.code()), (400, "failed_precondition".to_string()));
}

#[test]
fn a_deleted_prebuild_goes_away() {
    let sim = Sim::fast(&[]);
    let completed = sim.ok("ListPrebuilds", json!({ "filter": { "phases": ["PREBUILD_PHASE_COMPLETED"] } }));
    let id = s(&completed, "/prebuilds/0/id").to_string();
    assert_eq!(sim.ok("DeletePrebuild", json!({ "prebuildId": id })), json!({}));
    let mut phases = Vec::new();
    wait_for("the prebuild to be gone", || match sim.prebuild(&id) {
        Some(pb) => {
            phases.push(phase(&pb));
            None
        }
        None => Some(()),
    });
    assert!(phases.iter().all(|p| p == "DELETING" || p == "DELETED"), "{phases:?}");
    let r = sim.call("DeletePrebuild", &json!({ "prebuildId": id }));
    assert_eq!((r.status, r.code()), (404, "not_found".to_string()));
    let listed = sim.walk("ListPrebuilds", "prebuilds", &json!({}), 100);
    assert!(listed.iter().all(|p| p["id"] != id.as_str()));
}

#[test]
fn a_warm_pool_turns_ready_converges_and_follows_new_snapshots() {
    let sim = Sim::fast(&[]);
    let info = sim.info();
    let project = s(&info, "/hints/freePair/projectId").to_string();
    let class = s(&info, "/hints/freePair/environmentClassId").to_string();
    let created = sim
        .ok("CreateWarmPool", json!({ "projectId": project, "environmentClassId": class, "minSize": 1, "maxSize": 4 }));
    let id = s(&created, "/warmPool/id").to_string();

    // The newest completed prebuild of the pair (seeded ones may still complete).
    let newest_completed = || {
        let completed = sim.walk(
            "ListPrebuilds",
            "prebuilds",
            &json!({ "filter": { "projectIds": [project], "phases": ["PREBUILD_PHASE_COMPLETED"] } }),
            100,
        );
        completed
            .iter()
            .find(|p| p["metadata"]["environmentClassId"] == class.as_str())
            .map(|p| s(p, "/id").to_string())
    };
    let ready = wait_for("READY with instances and the newest snapshot", || {
        let pool = sim.warm_pool(&id)?;
        let settled = pool["status"]["phase"] == "WARM_POOL_PHASE_READY"
            && pool["status"]["runningInstances"] == pool["status"]["desiredSize"]
            && pool["status"]["desiredSize"].as_i64().unwrap_or(0) > 0
            && pool["spec"]["snapshotId"].as_str().map(str::to_string) == newest_completed();
        settled.then_some(pool)
    });
    let desired = ready["status"]["desiredSize"].as_i64().unwrap();
    assert!((1..=4).contains(&desired), "within [minSize, maxSize]: {desired}");
    assert!(version(&ready, "/status/statusVersion") > version(&created, "/warmPool/status/statusVersion"));
    assert!(version(&ready, "/spec/specVersion") > version(&created, "/warmPool/spec/specVersion"));

    // Resizing: the autoscaler's size moves into the new bounds, instances follow.
    sim.ok("UpdateWarmPool", json!({ "warmPoolId": id, "minSize": 6, "maxSize": 6 }));
    wait_for("6 running instances", || {
        sim.warm_pool(&id).filter(|p| p["status"]["runningInstances"] == 6 && p["status"]["desiredSize"] == 6)
    });

    // A newer completed prebuild of the pair becomes the snapshot.
    let newer = sim.ok("CreatePrebuild", json!({ "projectId": project, "environmentClassId": class, "spec": {} }));
    let newer_id = s(&newer, "/prebuild/id").to_string();
    wait_for("the pool to follow the new snapshot", || {
        sim.warm_pool(&id).filter(|p| p["spec"]["snapshotId"] == newer_id.as_str())
    });

    sim.ok("DeleteWarmPool", json!({ "warmPoolId": id }));
    wait_for("the pool to be gone", || sim.warm_pool(&id).is_none().then_some(()));
    // The pair is free again.
    sim.ok("CreateWarmPool", json!({ "projectId": project, "environmentClassId": class }));
}

#[test]
fn a_pending_pool_waits_for_a_completed_prebuild() {
    let sim = Sim::fast(&[]);
    let info = sim.info();
    let failing = project(&info, "acme/legacy-monolith");
    let pools = sim.ok("ListWarmPools", json!({ "filter": { "projectIds": [failing["id"]] } }));
    let pool = &pools["warmPools"][0];
    assert_eq!(pool["status"]["phase"], "WARM_POOL_PHASE_PENDING");
    assert!(pool["spec"].get("snapshotId").is_none(), "no snapshot yet");
    // Its prebuilds always fail, so it stays PENDING.
    let id =
        s(&sim.ok("CreatePrebuild", json!({ "projectId": failing["id"], "spec": {} })), "/prebuild/id").to_string();
    follow(&sim, &id, "FAILED");
    let again = sim.warm_pool(s(pool, "/id")).unwrap();
    assert_eq!(again["status"]["phase"], "WARM_POOL_PHASE_PENDING");
}

#[test]
fn reset_restores_the_seed() {
    let sim = Sim::fast(&[]);
    let info = sim.info();
    let counts = (info["prebuildCount"].clone(), info["warmPoolCount"].clone());
    let seed_first = sim.ok("ListPrebuilds", json!({ "pagination": { "pageSize": 100 } }));
    let web = project(&info, "acme/web-app").clone();
    let id = s(&sim.ok("CreatePrebuild", json!({ "projectId": web["id"], "spec": {} })), "/prebuild/id").to_string();
    assert_eq!(sim.request("GET", "/_sim/reset", &[], "").unwrap().status, 405);
    let r = sim.request("POST", "/_sim/reset", &[], "").unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(sim.prebuild(&id).is_none(), "created prebuilds are gone");
    let after = sim.info();
    assert_eq!((after["prebuildCount"].clone(), after["warmPoolCount"].clone()), counts);
    // The same ids in the same order as at start.
    let again = sim.ok("ListPrebuilds", json!({ "pagination": { "pageSize": 100 } }));
    let ids = |v: &Value| v["prebuilds"].as_array().unwrap().iter().map(|p| p["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(&again), ids(&seed_first));
}
