//! The JSON the simulator sends for each method has exactly the keys of the API
//! reference's example response (fields left at their default may be omitted), and
//! the client library decodes it.

mod support;

use std::collections::BTreeSet;

use gitpod_prebuilds::api::Method;
use gitpod_prebuilds::call::decode_success;
use serde_json::{json, Value};
use support::{s, Sim};

const REFERENCE: &str = include_str!("fixtures/reference-responses.json");

/// Every key path of a JSON value (`prebuild.status.phase`, `prebuilds[].id`).
fn paths(v: &Value) -> BTreeSet<String> {
    fn walk(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    let p = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                    out.insert(p.clone());
                    walk(v, &p, out);
                }
            }
            Value::Array(items) => {
                for item in items {
                    walk(item, &format!("{prefix}[]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(v, "", &mut out);
    out
}

fn reference(method: &str) -> BTreeSet<String> {
    let doc: Value = serde_json::from_str(REFERENCE).expect("the fixture is JSON");
    paths(&doc["responses"][method])
}

/// `body` has no key the reference lacks, and lacks none but `may_omit`; the library
/// decodes it.
fn check(method: &str, body: &Value, may_omit: &[&str]) {
    let want = reference(method);
    assert!(!want.is_empty() || method.starts_with("Delete"), "the fixture has {method}");
    let got = paths(body);
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(extra.is_empty(), "{method} sends keys the reference does not have: {extra:?}");
    let missing: Vec<_> = want.difference(&got).filter(|p| !may_omit.contains(&p.as_str())).collect();
    assert!(missing.is_empty(), "{method} lacks keys of the reference: {missing:?}");
    let m = Method::ALL.into_iter().find(|m| m.name() == method).expect("a method");
    decode_success(m, &body.to_string()).unwrap_or_else(|e| panic!("the client cannot decode {method}: {e}"));
}

#[test]
fn every_method_answers_with_the_keys_of_the_reference() {
    let sim = Sim::frozen(&[]);
    let info = sim.info();
    let project = s(&info, "/hints/freePair/projectId").to_string();
    let class = s(&info, "/hints/freePair/environmentClassId").to_string();

    let list = sim.ok("ListPrebuilds", json!({ "pagination": { "pageSize": 100 } }));
    check("ListPrebuilds", &list, &[]);
    let completed = list["prebuilds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["status"]["phase"] == "PREBUILD_PHASE_COMPLETED")
        .expect("a completed prebuild on the first page");
    let got = sim.ok("GetPrebuild", json!({ "prebuildId": completed["id"] }));
    check("GetPrebuild", &got, &[]);

    // A new prebuild has not completed: no completion time yet.
    let created = sim.ok("CreatePrebuild", json!({ "projectId": project, "environmentClassId": class, "spec": {} }));
    check("CreatePrebuild", &created, &["prebuild.status.completionTime"]);
    let id = created["prebuild"]["id"].clone();
    check("CreatePrebuildLogsToken", &sim.ok("CreatePrebuildLogsToken", json!({ "prebuildId": id })), &[]);
    check(
        "CancelPrebuild",
        &sim.ok("CancelPrebuild", json!({ "prebuildId": id })),
        &["prebuild.status.completionTime"],
    );
    check("DeletePrebuild", &sim.ok("DeletePrebuild", json!({ "prebuildId": id })), &[]);

    let pools = sim.ok("ListWarmPools", json!({ "pagination": { "pageSize": 100 } }));
    check("ListWarmPools", &pools, &[]);
    let ready = pools["warmPools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["status"]["phase"] == "WARM_POOL_PHASE_READY")
        .expect("a ready warm pool");
    check("GetWarmPool", &sim.ok("GetWarmPool", json!({ "warmPoolId": ready["id"] })), &[]);

    // A new warm pool has no snapshot yet.
    let pool = sim
        .ok("CreateWarmPool", json!({ "projectId": project, "environmentClassId": class, "minSize": 1, "maxSize": 3 }));
    check("CreateWarmPool", &pool, &["warmPool.spec.snapshotId"]);
    let pool_id = pool["warmPool"]["id"].clone();
    let updated = sim.ok("UpdateWarmPool", json!({ "warmPoolId": pool_id, "maxSize": 4 }));
    check("UpdateWarmPool", &updated, &["warmPool.spec.snapshotId"]);
    check("DeleteWarmPool", &sim.ok("DeleteWarmPool", json!({ "warmPoolId": pool_id })), &[]);
}

#[test]
fn errors_are_connect_error_bodies() {
    let sim = Sim::frozen(&[]);
    for (method, body) in [
        ("GetPrebuild", json!({ "prebuildId": "nope" })),
        ("GetPrebuild", json!({ "prebuildId": "00000000-0000-4000-8000-000000000000" })),
        ("CreateWarmPool", json!({})),
    ] {
        let r = sim.call(method, &body);
        assert_ne!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("application/json"));
        let keys: BTreeSet<String> = paths(&r.json());
        assert_eq!(keys, BTreeSet::from(["code".to_string(), "message".to_string()]), "{}", r.body);
    }
}

#[test]
fn the_fixture_covers_all_eleven_methods() {
    let doc: Value = serde_json::from_str(REFERENCE).unwrap();
    for m in Method::ALL {
        assert!(doc["responses"].get(m.name()).is_some(), "{}", m.name());
    }
}
