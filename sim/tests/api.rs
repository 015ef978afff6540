//! Every method's happy path and errors, authentication, and the edges of the HTTP
//! API (malformed JSON, unknown methods, body limits).

mod support;

use serde_json::{json, Value};
use support::{s, version, Sim, API, TOKEN};

const MISSING: &str = "00000000-0000-4000-8000-000000000000";

/// The `i`th project of `/_sim/info` with a field.
fn project<'a>(info: &'a Value, name: &str) -> &'a Value {
    info["projects"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("project {name}"))
}

fn assert_error(r: &support::Response, status: u16, code: &str, mentions: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(r.code(), code, "{}", r.body);
    let message = r.json()["message"].as_str().unwrap_or("").to_string();
    assert!(message.contains(mentions), "the message {message:?} should mention {mentions:?}");
}

#[test]
fn prebuild_methods_work() {
    let sim = Sim::frozen(&[]);
    let info = sim.info();
    let web = project(&info, "acme/web-app");
    let created = sim.ok("CreatePrebuild", json!({ "projectId": web["id"], "spec": { "timeout": "1800s" } }));
    let pb = &created["prebuild"];
    let id = s(pb, "/id").to_string();
    // The project's default class, a PENDING prebuild the service will complete.
    assert_eq!(pb["metadata"]["environmentClassId"], web["defaultEnvironmentClassId"]);
    assert_eq!(pb["metadata"]["projectId"], web["id"]);
    assert_eq!(pb["metadata"]["organizationId"], web["organizationId"]);
    assert_eq!(pb["metadata"]["triggeredBy"], "PREBUILD_TRIGGER_MANUAL");
    assert_eq!(pb["metadata"]["creator"]["principal"], "PRINCIPAL_USER");
    assert_eq!(pb["metadata"]["creator"], pb["metadata"]["executor"]);
    assert_eq!(pb["spec"]["desiredPhase"], "PREBUILD_PHASE_COMPLETED");
    assert_eq!(pb["spec"]["timeout"], "1800s");
    assert_eq!(pb["status"]["phase"], "PREBUILD_PHASE_PENDING");
    assert!(pb["metadata"]["createdAt"].as_str().unwrap().ends_with('Z'));

    // Default timeout, explicit class.
    let large = web["environmentClassIds"][1].clone();
    let other = sim.ok("CreatePrebuild", json!({ "projectId": web["id"], "environmentClassId": large, "spec": {} }));
    assert_eq!(other["prebuild"]["spec"]["timeout"], "3600s");
    assert_eq!(other["prebuild"]["metadata"]["environmentClassId"], large);

    assert_eq!(sim.ok("GetPrebuild", json!({ "prebuildId": id }))["prebuild"], *pb);
    // snake_case field names are accepted too.
    assert_eq!(sim.ok("GetPrebuild", json!({ "prebuild_id": id }))["prebuild"]["id"], id);

    let newest = sim.ok("ListPrebuilds", json!({}));
    assert_eq!(newest["prebuilds"][0]["id"], other["prebuild"]["id"], "newest first");
    assert_eq!(newest["prebuilds"][1]["id"], id);
    assert_eq!(newest["prebuilds"].as_array().unwrap().len(), 25, "the default page size");

    let t1 = sim.ok("CreatePrebuildLogsToken", json!({ "prebuildId": id }));
    let t2 = sim.ok("CreatePrebuildLogsToken", json!({ "prebuildId": id }));
    assert!(!s(&t1, "/accessToken").is_empty());
    assert_ne!(t1["accessToken"], t2["accessToken"]);

    let cancelled = sim.ok("CancelPrebuild", json!({ "prebuildId": id }));
    assert_eq!(cancelled["prebuild"]["spec"]["desiredPhase"], "PREBUILD_PHASE_CANCELLED");
    assert_eq!(cancelled["prebuild"]["status"]["phase"], "PREBUILD_PHASE_CANCELLING");
    assert!(version(&cancelled, "/prebuild/spec/specVersion") > version(&created, "/prebuild/spec/specVersion"));
    assert!(
        version(&cancelled, "/prebuild/status/statusVersion") > version(&created, "/prebuild/status/statusVersion")
    );
    // A second cancel of a cancelling prebuild is harmless.
    assert_eq!(
        sim.ok("CancelPrebuild", json!({ "prebuildId": id }))["prebuild"]["status"]["phase"],
        "PREBUILD_PHASE_CANCELLING"
    );

    assert_eq!(sim.ok("DeletePrebuild", json!({ "prebuildId": id })), json!({}));
    let deleting = sim.prebuild(&id).expect("still there while deleting");
    assert_eq!(deleting["status"]["phase"], "PREBUILD_PHASE_DELETING");
    assert_eq!(deleting["spec"]["desiredPhase"], "PREBUILD_PHASE_DELETED");
    // Deleting again is idempotent (a client may retry after a lost response).
    assert_eq!(sim.ok("DeletePrebuild", json!({ "prebuildId": id })), json!({}));
}

#[test]
fn warm_pool_methods_work() {
    let sim = Sim::frozen(&[]);
    let info = sim.info();
    let project = s(&info, "/hints/freePair/projectId").to_string();
    let class = s(&info, "/hints/freePair/environmentClassId").to_string();
    let created = sim
        .ok("CreateWarmPool", json!({ "projectId": project, "environmentClassId": class, "minSize": 1, "maxSize": 4 }));
    let pool = &created["warmPool"];
    let id = s(pool, "/id").to_string();
    assert_eq!(pool["status"]["phase"], "WARM_POOL_PHASE_PENDING");
    assert_eq!(pool["spec"]["desiredPhase"], "WARM_POOL_PHASE_READY");
    assert_eq!((pool["spec"]["minSize"].as_i64(), pool["spec"]["maxSize"].as_i64()), (Some(1), Some(4)));
    let class_info = info["environmentClasses"].as_array().unwrap().iter().find(|c| c["id"] == class.as_str()).unwrap();
    assert_eq!(pool["metadata"]["runnerId"], class_info["runnerId"], "the runner comes from the class");

    let again = sim.call("CreateWarmPool", &json!({ "projectId": project, "environmentClassId": class }));
    assert_error(&again, 409, "already_exists", &id);

    assert_eq!(sim.ok("GetWarmPool", json!({ "warmPoolId": id }))["warmPool"], *pool);
    let listed =
        sim.ok("ListWarmPools", json!({ "filter": { "projectIds": [project], "environmentClassIds": [class] } }));
    assert_eq!(listed["warmPools"].as_array().unwrap().len(), 1);
    assert_eq!(listed["warmPools"][0]["id"], id.as_str());

    let updated = sim.ok("UpdateWarmPool", json!({ "warmPoolId": id, "minSize": 2 }));
    assert_eq!(updated["warmPool"]["spec"]["minSize"], 2);
    assert_eq!(updated["warmPool"]["spec"]["maxSize"], 4, "absent fields stay");
    assert!(version(&updated, "/warmPool/spec/specVersion") > version(&created, "/warmPool/spec/specVersion"));
    // minSize above the pool's current maxSize breaks the rule even though the request
    // alone is fine.
    assert_error(
        &sim.call("UpdateWarmPool", &json!({ "warmPoolId": id, "minSize": 5 })),
        400,
        "invalid_argument",
        "minSize",
    );
    // The deprecated desiredSize migrates to minSize = maxSize.
    let migrated = sim.ok("UpdateWarmPool", json!({ "warmPoolId": id, "desiredSize": 3 }));
    assert_eq!(
        (migrated["warmPool"]["spec"]["minSize"].as_i64(), migrated["warmPool"]["spec"]["maxSize"].as_i64()),
        (Some(3), Some(3))
    );

    assert_eq!(sim.ok("DeleteWarmPool", json!({ "warmPoolId": id })), json!({}));
    assert_eq!(sim.warm_pool(&id).unwrap()["status"]["phase"], "WARM_POOL_PHASE_DELETING");
    assert_eq!(sim.ok("DeleteWarmPool", json!({ "warmPoolId": id })), json!({}), "idempotent");
    assert_error(
        &sim.call("UpdateWarmPool", &json!({ "warmPoolId": id, "maxSize": 5 })),
        400,
        "failed_precondition",
        "DELETING",
    );
}

#[test]
fn create_warm_pool_with_only_the_deprecated_size() {
    let sim = Sim::frozen(&[]);
    let info = sim.info();
    let pool = sim.ok(
        "CreateWarmPool",
        json!({ "projectId": info["hints"]["freePair"]["projectId"], "environmentClassId": info["hints"]["freePair"]["environmentClassId"], "desiredSize": 2 }),
    );
    let spec = &pool["warmPool"]["spec"];
    assert_eq!(
        (spec["desiredSize"].as_i64(), spec["minSize"].as_i64(), spec["maxSize"].as_i64()),
        (Some(2), Some(2), Some(2))
    );
}

#[test]
fn unknown_ids_are_not_found() {
    let sim = Sim::frozen(&[]);
    for method in ["GetPrebuild", "CancelPrebuild", "DeletePrebuild", "CreatePrebuildLogsToken"] {
        assert_error(&sim.call(method, &json!({ "prebuildId": MISSING })), 404, "not_found", MISSING);
    }
    for method in ["GetWarmPool", "DeleteWarmPool"] {
        assert_error(&sim.call(method, &json!({ "warmPoolId": MISSING })), 404, "not_found", MISSING);
    }
    assert_error(
        &sim.call("UpdateWarmPool", &json!({ "warmPoolId": MISSING, "maxSize": 2 })),
        404,
        "not_found",
        MISSING,
    );
}

#[test]
fn projects_and_classes_are_checked() {
    let sim = Sim::frozen(&[]);
    let info = sim.info();
    let web = project(&info, "acme/web-app");
    let monorepo = project(&info, "globex/monorepo");
    let handbook = project(&info, "acme/handbook");
    let foreign_class = monorepo["environmentClassIds"][0].clone();
    for method in ["CreatePrebuild", "CreateWarmPool"] {
        let body = |p: &Value, c: Value| {
            let mut b = json!({ "projectId": p, "environmentClassId": c });
            if method == "CreatePrebuild" {
                b["spec"] = json!({});
            }
            b
        };
        assert_error(
            &sim.call(method, &body(&json!(MISSING), web["defaultEnvironmentClassId"].clone())),
            404,
            "not_found",
            "project",
        );
        assert_error(&sim.call(method, &body(&web["id"], json!(MISSING))), 404, "not_found", "environment class");
        assert_error(
            &sim.call(method, &body(&web["id"], foreign_class.clone())),
            400,
            "failed_precondition",
            "not enabled for project",
        );
        assert_error(
            &sim.call(method, &body(&handbook["id"], handbook["defaultEnvironmentClassId"].clone())),
            400,
            "failed_precondition",
            "prebuilds are not enabled",
        );
    }
}

#[test]
fn finished_prebuilds_cannot_be_cancelled() {
    let sim = Sim::frozen(&[]);
    let list = sim.ok("ListPrebuilds", json!({ "filter": { "phases": ["PREBUILD_PHASE_COMPLETED"] } }));
    let id = list["prebuilds"][0]["id"].clone();
    assert_error(
        &sim.call("CancelPrebuild", &json!({ "prebuildId": id })),
        400,
        "failed_precondition",
        "PREBUILD_PHASE_COMPLETED",
    );
}

/// Every validation rule of FACTS.md is answered as `invalid_argument` naming the
/// field (the rules themselves are the library's `Request::read`).
#[test]
fn every_validation_rule_is_an_invalid_argument_naming_the_field() {
    let sim = Sim::frozen(&[]);
    let uuid = "07e03a28-65a5-4d98-b532-8ea67b188048";
    let many = |n: usize| json!(vec![uuid; n]);
    let cases: Vec<(&str, Value, &str)> = vec![
        ("CreatePrebuild", json!({ "spec": {} }), "projectId"),
        ("CreatePrebuild", json!({ "projectId": "x", "spec": {} }), "projectId"),
        ("CreatePrebuild", json!({ "projectId": uuid, "environmentClassId": "x", "spec": {} }), "environmentClassId"),
        ("CreatePrebuild", json!({ "projectId": uuid }), "spec"),
        ("CreatePrebuild", json!({ "projectId": uuid, "spec": { "timeout": "299s" } }), "spec.timeout"),
        ("CreatePrebuild", json!({ "projectId": uuid, "spec": { "timeout": "7201s" } }), "spec.timeout"),
        ("CreatePrebuild", json!({ "projectId": uuid, "spec": { "timeout": "1h" } }), "spec.timeout"),
        (
            "CreatePrebuild",
            json!({ "projectId": uuid, "spec": { "desiredPhase": "PREBUILD_PHASE_DONE" } }),
            "spec.desiredPhase",
        ),
        ("CreatePrebuild", json!({ "projectId": uuid, "spec": {}, "colour": "red" }), "colour"),
        ("GetPrebuild", json!({}), "prebuildId"),
        ("GetPrebuild", json!({ "prebuildId": "42" }), "prebuildId"),
        ("CancelPrebuild", json!({ "prebuildId": "" }), "prebuildId"),
        ("DeletePrebuild", json!({ "prebuildId": 7 }), "prebuildId"),
        ("CreatePrebuildLogsToken", json!({ "prebuildId": "x" }), "prebuildId"),
        ("ListPrebuilds", json!({ "filter": { "projectIds": many(26) } }), "filter.projectIds"),
        ("ListPrebuilds", json!({ "filter": { "creatorIds": ["nope"] } }), "filter.creatorIds[0]"),
        ("ListPrebuilds", json!({ "filter": { "executorIds": many(26) } }), "filter.executorIds"),
        ("ListPrebuilds", json!({ "filter": { "phases": vec!["PREBUILD_PHASE_PENDING"; 11] } }), "filter.phases"),
        ("ListPrebuilds", json!({ "filter": { "phases": ["PREBUILD_PHASE_NAPPING"] } }), "filter.phases[0]"),
        (
            "ListPrebuilds",
            json!({ "filter": { "triggeredBy": vec!["PREBUILD_TRIGGER_MANUAL"; 6] } }),
            "filter.triggeredBy",
        ),
        (
            "ListPrebuilds",
            json!({ "filter": { "triggeredBy": ["PREBUILD_TRIGGER_WEBHOOK"] } }),
            "filter.triggeredBy[0]",
        ),
        ("ListPrebuilds", json!({ "pagination": { "pageSize": 101 } }), "pagination.pageSize"),
        ("ListPrebuilds", json!({ "pagination": { "pageSize": -1 } }), "pagination.pageSize"),
        ("ListWarmPools", json!({ "filter": { "projectIds": many(26) } }), "filter.projectIds"),
        ("ListWarmPools", json!({ "filter": { "environmentClassIds": ["x"] } }), "filter.environmentClassIds[0]"),
        ("ListWarmPools", json!({ "pagination": { "pageSize": 1000 } }), "pagination.pageSize"),
        ("CreateWarmPool", json!({ "environmentClassId": uuid }), "projectId"),
        ("CreateWarmPool", json!({ "projectId": uuid }), "environmentClassId"),
        ("CreateWarmPool", json!({ "projectId": uuid, "environmentClassId": uuid, "desiredSize": 0 }), "desiredSize"),
        ("CreateWarmPool", json!({ "projectId": uuid, "environmentClassId": uuid, "desiredSize": 21 }), "desiredSize"),
        ("CreateWarmPool", json!({ "projectId": uuid, "environmentClassId": uuid, "minSize": -1 }), "minSize"),
        ("CreateWarmPool", json!({ "projectId": uuid, "environmentClassId": uuid, "minSize": 21 }), "minSize"),
        ("CreateWarmPool", json!({ "projectId": uuid, "environmentClassId": uuid, "maxSize": 0 }), "maxSize"),
        ("CreateWarmPool", json!({ "projectId": uuid, "environmentClassId": uuid, "maxSize": 21 }), "maxSize"),
        (
            "CreateWarmPool",
            json!({ "projectId": uuid, "environmentClassId": uuid, "minSize": 5, "maxSize": 3 }),
            "minSize",
        ),
        ("UpdateWarmPool", json!({ "maxSize": 3 }), "warmPoolId"),
        ("UpdateWarmPool", json!({ "warmPoolId": uuid, "minSize": 21 }), "minSize"),
        ("UpdateWarmPool", json!({ "warmPoolId": uuid, "maxSize": 0 }), "maxSize"),
        ("UpdateWarmPool", json!({ "warmPoolId": uuid, "minSize": 4, "maxSize": 2 }), "minSize"),
        ("GetWarmPool", json!({ "warmPoolId": "x" }), "warmPoolId"),
        ("DeleteWarmPool", json!({}), "warmPoolId"),
    ];
    for (method, body, field) in cases {
        let r = sim.call(method, &body);
        assert_eq!(r.status, 400, "{method} {body}: {}", r.body);
        assert_eq!(r.code(), "invalid_argument", "{method} {body}");
        let message = r.json()["message"].as_str().unwrap().to_string();
        assert!(message.starts_with(field), "{method} {body}: {message:?} should name {field}");
    }
    // Page sizes in the query follow the same rule.
    for q in ["?pageSize=101", "?pageSize=-1", "?pageSize=abc"] {
        let r = sim.call_with("ListPrebuilds", q, &[], "{}");
        assert_error(&r, 400, "invalid_argument", "pageSize");
    }
}

#[test]
fn authentication_needs_a_bearer_token() {
    let sim = Sim::frozen(&[]);
    let path = format!("{API}ListPrebuilds");
    for headers in [
        vec![],
        vec![("authorization", "Basic dXNlcjpwdw==")],
        vec![("authorization", "Bearer ")],
        vec![("authorization", "Bearer")],
    ] {
        let r = sim.request("POST", &path, &headers, "{}").unwrap();
        assert_error(&r, 401, "unauthenticated", "");
    }
    // Any non-empty token, any case of "Bearer".
    for auth in ["Bearer anything", "bearer x"] {
        assert_eq!(sim.request("POST", &path, &[("authorization", auth)], "{}").unwrap().status, 200);
    }

    let strict = Sim::frozen(&["--token", "s3cret"]);
    let r = strict.request("POST", &path, &[("authorization", "Bearer wrong")], "{}").unwrap();
    assert_error(&r, 401, "unauthenticated", "not valid");
    assert!(!r.body.contains("s3cret"), "the expected token is never echoed");
    let ok = strict.request("POST", &path, &[("authorization", "Bearer s3cret")], "{}").unwrap();
    assert_eq!(ok.status, 200);
    // Health and discovery need no token.
    assert_eq!(strict.request("GET", "/healthz", &[], "").unwrap().status, 200);
    assert_eq!(strict.request("GET", "/_sim/info", &[], "").unwrap().status, 200);
}

#[test]
fn bodies_and_paths_outside_the_api_are_answered_as_connect_errors() {
    let sim = Sim::frozen(&[]);
    let auth = format!("Bearer {TOKEN}");
    let h = [("authorization", auth.as_str())];
    let post = |path: &str, body: &str| sim.request("POST", path, &h, body).unwrap();
    assert_error(&post(&format!("{API}GetPrebuild"), "{\"prebuildId\":"), 400, "invalid_argument", "not valid JSON");
    assert_error(&post(&format!("{API}GetPrebuild"), "[1, 2]"), 400, "invalid_argument", "must be an object");
    // An empty body is the empty message, whose required field is missing.
    assert_error(&post(&format!("{API}GetPrebuild"), ""), 400, "invalid_argument", "prebuildId");
    assert_eq!(post(&format!("{API}ListWarmPools"), "").status, 200);
    // No Connect-Protocol-Version header (this client never sends one): still served.
    assert_eq!(post(&format!("{API}ListPrebuilds"), "{}").status, 200);
    assert_error(&post(&format!("{API}FrobnicatePrebuild"), "{}"), 404, "unimplemented", "FrobnicatePrebuild");
    assert_error(&post(&format!("{API}listPrebuilds"), "{}"), 404, "unimplemented", "listPrebuilds");
    assert_error(&post("/api/gitpod.v1.EnvironmentService/ListEnvironments", "{}"), 404, "unimplemented", "");
    let get = sim.request("GET", &format!("{API}ListPrebuilds"), &h, "").unwrap();
    assert_eq!(get.status, 405);
    assert_eq!(get.header("allow"), Some("POST"));

    let big = format!("{{\"prebuildId\":\"{}\"}}", "x".repeat(1 << 20));
    let r = post(&format!("{API}GetPrebuild"), &big);
    assert_error(&r, 429, "resource_exhausted", "larger than");
    assert_eq!(r.header("x-should-retry"), Some("false"), "a retry would not make it smaller");
}

#[test]
fn the_clock_does_not_move_a_frozen_simulator() {
    // The tests above rely on it: a huge --tick-ms keeps the seed still.
    let sim = Sim::frozen(&[]);
    let a = sim.ok("ListPrebuilds", json!({ "pagination": { "pageSize": 100 } }));
    std::thread::sleep(std::time::Duration::from_millis(100));
    let b = sim.ok("ListPrebuilds", json!({ "pagination": { "pageSize": 100 } }));
    assert_eq!(a, b);
}
