//! Every validation rule of the service, with a passing and a failing case, checked
//! before anything is sent.

use gitpod_prebuilds::api::{Method, Request};
use gitpod_prebuilds::Error;
use serde_json::{json, Value};

const ID: &str = "07e03a28-65a5-4d98-b532-8ea67b188048";
const ID2: &str = "b0e12f6c-4c67-429d-a4a6-d9838b5da047";

fn ok(method: Method, params: Value) -> Request {
    Request::from_value(method, &params).unwrap_or_else(|e| panic!("{method:?} {params}: {e}"))
}

/// Asserts that `params` fail on `field`, and that the message names the field.
fn fails(method: Method, params: Value, field: &str) -> String {
    match Request::from_value(method, &params) {
        Err(Error::Validation { field: f, message }) => {
            assert_eq!(f, field, "{method:?} {params}: {message}");
            assert!(message.starts_with(field), "{message}");
            message
        }
        other => panic!("{method:?} {params}: expected a validation error on {field}, got {other:?}"),
    }
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("07e03a28-65a5-4d98-b532-{:012x}", i)).collect()
}

#[test]
fn the_reference_request_examples_are_valid() {
    ok(Method::CancelPrebuild, json!({"prebuildId": ID}));
    ok(Method::CreatePrebuild, json!({"projectId": ID2, "spec": {"timeout": "3600s"}}));
    ok(Method::CreatePrebuild, json!({"projectId": ID2, "environmentClassId": ID, "spec": {"timeout": "3600s"}}));
    ok(Method::CreatePrebuildLogsToken, json!({"prebuildId": ID}));
    ok(Method::CreateWarmPool, json!({"projectId": ID2, "environmentClassId": ID, "desiredSize": 2}));
    ok(Method::DeletePrebuild, json!({"prebuildId": ID}));
    ok(Method::DeleteWarmPool, json!({"warmPoolId": "a1b2c3d4-5678-9abc-def0-1234567890ab"}));
    ok(Method::ListWarmPools, json!({"filter": {"projectIds": [ID2]}}));
    ok(Method::GetPrebuild, json!({"prebuildId": ID}));
    ok(Method::GetWarmPool, json!({"warmPoolId": ID}));
    ok(Method::UpdateWarmPool, json!({"warmPoolId": ID, "desiredSize": 5}));
    ok(Method::ListPrebuilds, json!({}));
    ok(Method::ListPrebuilds, Value::Null);
}

#[test]
fn create_prebuild_rules() {
    let m = Method::CreatePrebuild;
    let msg = fails(m, json!({"spec": {}}), "projectId");
    assert!(msg.contains("required"), "{msg}");
    fails(m, json!({"projectId": "", "spec": {}}), "projectId");
    let msg = fails(m, json!({"projectId": "abc", "spec": {}}), "projectId");
    assert!(msg.contains("UUID") && msg.contains("\"abc\""), "{msg}");
    fails(m, json!({"projectId": ID, "environmentClassId": "nope", "spec": {}}), "environmentClassId");
    ok(m, json!({"projectId": ID, "environmentClassId": "", "spec": {}}));
    let msg = fails(m, json!({"projectId": ID}), "spec");
    assert!(msg.contains("required"), "{msg}");
    ok(m, json!({"projectId": ID, "spec": {}}));
    ok(m, json!({"projectId": ID, "spec": {"timeout": "300s"}}));
    ok(m, json!({"projectId": ID, "spec": {"timeout": "7200s"}}));
    let msg = fails(m, json!({"projectId": ID, "spec": {"timeout": "299s"}}), "spec.timeout");
    assert!(msg.contains("300s") && msg.contains("7200s"), "{msg}");
    fails(m, json!({"projectId": ID, "spec": {"timeout": "7201s"}}), "spec.timeout");
    fails(m, json!({"projectId": ID, "spec": {"timeout": "1h"}}), "spec.timeout");
    fails(m, json!({"projectId": ID, "spec": {"timeout": 3600}}), "spec.timeout");
    ok(m, json!({"projectId": ID, "spec": {"desiredPhase": "PREBUILD_PHASE_COMPLETED"}}));
    let msg = fails(m, json!({"projectId": ID, "spec": {"desiredPhase": "DONE"}}), "spec.desiredPhase");
    assert!(msg.contains("PREBUILD_PHASE_COMPLETED"), "says what is allowed: {msg}");
    fails(m, json!({"projectId": ID, "spec": {}, "projectID": ID}), "projectID");
    fails(m, json!({"projectId": ID, "spec": {"timeOut": "3600s"}}), "spec.timeOut");
    fails(m, json!({"projectId": 42, "spec": {}}), "projectId");
}

#[test]
fn prebuild_id_rules() {
    for m in [Method::GetPrebuild, Method::CancelPrebuild, Method::DeletePrebuild, Method::CreatePrebuildLogsToken] {
        ok(m, json!({"prebuildId": ID}));
        ok(m, json!({"prebuild_id": ID}));
        fails(m, json!({}), "prebuildId");
        fails(m, json!({"prebuildId": "07e03a28"}), "prebuildId");
    }
}

#[test]
fn list_prebuilds_rules() {
    let m = Method::ListPrebuilds;
    ok(m, json!({"filter": {"projectIds": ids(25), "creatorIds": ids(25), "executorIds": ids(25)}}));
    for key in ["projectIds", "creatorIds", "executorIds"] {
        let msg = fails(m, json!({"filter": {key: ids(26)}}), &format!("filter.{key}"));
        assert!(msg.contains("at most 25"), "{msg}");
        fails(m, json!({"filter": {key: [ID, "x"]}}), &format!("filter.{key}[1]"));
    }
    let ten: Vec<&str> = vec!["PREBUILD_PHASE_RUNNING"; 10];
    ok(m, json!({"filter": {"phases": ten}}));
    fails(m, json!({"filter": {"phases": vec!["PREBUILD_PHASE_RUNNING"; 11]}}), "filter.phases");
    fails(m, json!({"filter": {"phases": ["RUNNING"]}}), "filter.phases[0]");
    ok(m, json!({"filter": {"triggeredBy": vec!["PREBUILD_TRIGGER_MANUAL"; 5]}}));
    fails(m, json!({"filter": {"triggeredBy": vec!["PREBUILD_TRIGGER_MANUAL"; 6]}}), "filter.triggeredBy");
    fails(m, json!({"filter": {"triggeredBy": ["PREBUILD_TRIGGER_WEBHOOK"]}}), "filter.triggeredBy[0]");
    fails(m, json!({"filter": {"projects": [ID]}}), "filter.projects");
}

#[test]
fn page_size_rules_apply_to_query_and_body() {
    for m in [Method::ListPrebuilds, Method::ListWarmPools] {
        ok(m, json!({"pageSize": 0}));
        ok(m, json!({"pageSize": 100, "pagination": {"pageSize": 100}}));
        let msg = fails(m, json!({"pageSize": 101}), "pageSize");
        assert!(msg.contains("0 to 100"), "{msg}");
        fails(m, json!({"pageSize": -1}), "pageSize");
        fails(m, json!({"pagination": {"pageSize": 101}}), "pagination.pageSize");
        fails(m, json!({"pageSize": "many"}), "pageSize");
    }
}

#[test]
fn list_warm_pools_rules() {
    let m = Method::ListWarmPools;
    ok(m, json!({"filter": {"projectIds": ids(25), "environmentClassIds": ids(25)}}));
    fails(m, json!({"filter": {"projectIds": ids(26)}}), "filter.projectIds");
    fails(m, json!({"filter": {"environmentClassIds": ids(26)}}), "filter.environmentClassIds");
    fails(m, json!({"filter": {"environmentClassIds": ["nope"]}}), "filter.environmentClassIds[0]");
}

#[test]
fn create_warm_pool_rules() {
    let m = Method::CreateWarmPool;
    let base = || json!({"projectId": ID, "environmentClassId": ID2});
    ok(m, base());
    let with = |k: &str, v: Value| {
        let mut p = base();
        p[k] = v;
        p
    };
    fails(m, json!({"environmentClassId": ID2}), "projectId");
    fails(m, json!({"projectId": ID}), "environmentClassId");
    fails(m, with("environmentClassId", json!("x")), "environmentClassId");
    ok(m, with("desiredSize", json!(1)));
    ok(m, with("desiredSize", json!(20)));
    fails(m, with("desiredSize", json!(0)), "desiredSize");
    fails(m, with("desiredSize", json!(21)), "desiredSize");
    ok(m, with("minSize", json!(0)));
    ok(m, with("minSize", json!(20)));
    fails(m, with("minSize", json!(-1)), "minSize");
    fails(m, with("minSize", json!(21)), "minSize");
    ok(m, with("maxSize", json!(1)));
    fails(m, with("maxSize", json!(0)), "maxSize");
    fails(m, with("maxSize", json!(21)), "maxSize");
    fails(m, with("maxSize", json!(2.5)), "maxSize");
    let mut p = base();
    p["minSize"] = json!(5);
    p["maxSize"] = json!(4);
    let msg = fails(m, p.clone(), "minSize");
    assert!(msg.contains("maxSize"), "{msg}");
    p["maxSize"] = json!(5);
    ok(m, p);
}

#[test]
fn update_and_warm_pool_id_rules() {
    let m = Method::UpdateWarmPool;
    ok(m, json!({"warmPoolId": ID, "minSize": 0, "maxSize": 3}));
    fails(m, json!({"minSize": 1}), "warmPoolId");
    fails(m, json!({"warmPoolId": ID, "minSize": 21}), "minSize");
    fails(m, json!({"warmPoolId": ID, "maxSize": 0}), "maxSize");
    fails(m, json!({"warmPoolId": ID, "desiredSize": 0}), "desiredSize");
    fails(m, json!({"warmPoolId": ID, "minSize": 3, "maxSize": 2}), "minSize");
    for m in [Method::GetWarmPool, Method::DeleteWarmPool] {
        ok(m, json!({"warmPoolId": ID}));
        fails(m, json!({}), "warmPoolId");
        fails(m, json!({"warmPoolId": "pool-1"}), "warmPoolId");
    }
}

#[test]
fn params_must_be_an_object() {
    for bad in [json!([]), json!("x"), json!(5)] {
        assert!(matches!(Request::from_value(Method::GetPrebuild, &bad), Err(Error::Validation { .. })));
    }
}

#[test]
fn bodies_keep_presence_and_leave_query_fields_out() {
    let r = ok(Method::CreateWarmPool, json!({"projectId": ID, "environmentClassId": ID2, "minSize": 0, "maxSize": 2}));
    let body: Value = serde_json::from_str(&r.body()).unwrap();
    assert_eq!(body["minSize"], 0);
    assert!(body.get("desiredSize").is_none());
    let r = ok(Method::CreatePrebuild, json!({"projectId": ID, "spec": {}}));
    assert_eq!(r.body(), format!(r#"{{"projectId":"{ID}","spec":{{}}}}"#));
    let r = ok(
        Method::ListPrebuilds,
        json!({"token": "t 1", "pageSize": 50, "filter": {"phases": ["PREBUILD_PHASE_FAILED"]}}),
    );
    assert_eq!(r.query(), "?token=t%201&pageSize=50");
    assert_eq!(r.body(), r#"{"filter":{"phases":["PREBUILD_PHASE_FAILED"]}}"#);
    let r = ok(Method::ListWarmPools, json!({}));
    assert_eq!((r.query().as_str(), r.body().as_str()), ("", "{}"));
}
