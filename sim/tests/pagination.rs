//! Pagination over the whole seed set: default and explicit page sizes, every filter,
//! tokens from the query or the body, stability while items are created, and a walk
//! over 10,000 extra prebuilds.

mod support;

use std::collections::HashSet;

use serde_json::{json, Value};
use support::{s, Sim};

fn ids(items: &[Value]) -> Vec<String> {
    items.iter().map(|i| s(i, "/id").to_string()).collect()
}

/// Newest first: creation times never increase along a walk.
fn assert_newest_first(items: &[Value]) {
    for pair in items.windows(2) {
        let (a, b) = (s(&pair[0], "/metadata/createdAt"), s(&pair[1], "/metadata/createdAt"));
        assert!(a >= b, "{a} before {b}");
    }
}

#[test]
fn a_walk_with_the_default_page_size_sees_every_prebuild_once() {
    let sim = Sim::frozen(&[]);
    let total = sim.info()["prebuildCount"].as_u64().unwrap() as usize;
    assert!(total >= 200, "enough data for pagination to matter: {total}");
    let mut all = Vec::new();
    let mut token = String::new();
    let mut pages = 0;
    loop {
        let body = if token.is_empty() { json!({}) } else { json!({ "pagination": { "token": token } }) };
        let page = sim.ok("ListPrebuilds", body);
        let items = page["prebuilds"].as_array().unwrap().clone();
        token = page["pagination"]["nextToken"].as_str().unwrap().to_string();
        pages += 1;
        if !token.is_empty() {
            assert_eq!(items.len(), 25, "full pages of the default size");
        }
        all.extend(items);
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(pages, total.div_ceil(25), "no empty last page");
    assert_eq!(all.len(), total);
    assert_eq!(ids(&all).into_iter().collect::<HashSet<_>>().len(), total, "no prebuild twice");
    assert_newest_first(&all);
    // The same walk with the largest page size gives the same order.
    assert_eq!(ids(&sim.walk("ListPrebuilds", "prebuilds", &json!({}), 100)), ids(&all));
}

#[test]
fn the_seed_has_every_phase_both_triggers_and_both_kinds_of_subject() {
    let sim = Sim::frozen(&[]);
    let all = sim.walk("ListPrebuilds", "prebuilds", &json!({}), 100);
    let phases: HashSet<&str> = all.iter().map(|p| s(p, "/status/phase")).collect();
    for phase in [
        "PENDING",
        "STARTING",
        "RUNNING",
        "STOPPING",
        "SNAPSHOTTING",
        "COMPLETED",
        "FAILED",
        "CANCELLING",
        "CANCELLED",
        "DELETING",
        "DELETED",
    ] {
        assert!(phases.contains(format!("PREBUILD_PHASE_{phase}").as_str()), "no {phase} prebuild");
    }
    let triggers: HashSet<&str> = all.iter().map(|p| s(p, "/metadata/triggeredBy")).collect();
    assert_eq!(triggers.len(), 2);
    let principals: HashSet<&str> =
        all.iter().flat_map(|p| [s(p, "/metadata/creator/principal"), s(p, "/metadata/executor/principal")]).collect();
    assert!(principals.contains("PRINCIPAL_USER") && principals.contains("PRINCIPAL_SERVICE_ACCOUNT"));
    assert!(all
        .iter()
        .any(|p| !s(p, "/status/warningMessage").is_empty() && s(p, "/status/phase") == "PREBUILD_PHASE_COMPLETED"));
    assert!(
        all.iter().any(|p| s(p, "/metadata/creator/id") != s(p, "/metadata/executor/id")),
        "some run with another identity"
    );
    // The prebuild whose messages a page must show as text.
    let html_id = sim.info()["hints"]["htmlPrebuildId"].as_str().unwrap().to_string();
    let html = all.iter().find(|p| p["id"] == html_id.as_str()).expect("the HTML prebuild");
    assert!(s(html, "/status/failureMessage").contains("<img src=x onerror=alert(1)>"));
    assert!(s(html, "/status/warningMessage").contains("<script>window.__pwned=1</script>"));
    let first_page = ids(&all[..25]);
    assert!(first_page.contains(&html_id), "it is on the first page");
}

#[test]
fn every_filter_matches_what_the_full_list_holds() {
    let sim = Sim::frozen(&[]);
    let all = sim.walk("ListPrebuilds", "prebuilds", &json!({}), 100);
    let info = sim.info();
    let project = info["projects"][0]["id"].as_str().unwrap().to_string();
    let project2 = info["projects"][1]["id"].as_str().unwrap().to_string();
    let user = all.iter().find(|p| s(p, "/metadata/creator/principal") == "PRINCIPAL_USER").unwrap();
    let creator = s(user, "/metadata/creator/id").to_string();
    let bot = all.iter().find(|p| s(p, "/metadata/executor/principal") == "PRINCIPAL_SERVICE_ACCOUNT").unwrap();
    let executor = s(bot, "/metadata/executor/id").to_string();

    type Pred = Box<dyn Fn(&Value) -> bool>;
    let field = |pointer: &'static str, wanted: Vec<String>| -> Pred {
        Box::new(move |p: &Value| wanted.iter().any(|w| w == s(p, pointer)))
    };
    let cases: Vec<(Value, Pred)> = vec![
        (json!({ "projectIds": [project] }), field("/metadata/projectId", vec![project.clone()])),
        (
            json!({ "projectIds": [project, project2] }),
            field("/metadata/projectId", vec![project.clone(), project2.clone()]),
        ),
        (json!({ "creatorIds": [creator] }), field("/metadata/creator/id", vec![creator.clone()])),
        (json!({ "executorIds": [executor] }), field("/metadata/executor/id", vec![executor.clone()])),
        (
            json!({ "phases": ["PREBUILD_PHASE_COMPLETED"] }),
            field("/status/phase", vec!["PREBUILD_PHASE_COMPLETED".into()]),
        ),
        (
            json!({ "phases": ["PREBUILD_PHASE_FAILED", "PREBUILD_PHASE_CANCELLED"] }),
            field("/status/phase", vec!["PREBUILD_PHASE_FAILED".into(), "PREBUILD_PHASE_CANCELLED".into()]),
        ),
        (
            json!({ "triggeredBy": ["PREBUILD_TRIGGER_SCHEDULED"] }),
            field("/metadata/triggeredBy", vec!["PREBUILD_TRIGGER_SCHEDULED".into()]),
        ),
        // Numbers are accepted for enums, as protobuf JSON allows.
        (json!({ "triggeredBy": [1] }), field("/metadata/triggeredBy", vec!["PREBUILD_TRIGGER_MANUAL".into()])),
        (
            json!({ "projectIds": [project], "phases": ["PREBUILD_PHASE_COMPLETED"], "triggeredBy": ["PREBUILD_TRIGGER_MANUAL"] }),
            Box::new({
                let project = project.clone();
                move |p: &Value| {
                    s(p, "/metadata/projectId") == project
                        && s(p, "/status/phase") == "PREBUILD_PHASE_COMPLETED"
                        && s(p, "/metadata/triggeredBy") == "PREBUILD_TRIGGER_MANUAL"
                }
            }),
        ),
    ];
    for (filter, pred) in cases {
        let expected: Vec<String> = ids(&all.iter().filter(|p| pred(p)).cloned().collect::<Vec<_>>());
        assert!(!expected.is_empty(), "the seed has prebuilds for {filter}");
        let got = sim.walk("ListPrebuilds", "prebuilds", &json!({ "filter": filter }), 7);
        assert_eq!(ids(&got), expected, "filter {filter}");
    }
    let none = sim.ok("ListPrebuilds", json!({ "filter": { "projectIds": ["00000000-0000-4000-8000-000000000000"] } }));
    assert_eq!(none["prebuilds"], json!([]));
    assert_eq!(none["pagination"]["nextToken"], "");
}

#[test]
fn warm_pools_page_and_filter_too() {
    let sim = Sim::frozen(&[]);
    let all = sim.walk("ListWarmPools", "warmPools", &json!({}), 100);
    assert!(all.len() >= 6);
    assert_eq!(ids(&sim.walk("ListWarmPools", "warmPools", &json!({}), 1)), ids(&all));
    let phases: HashSet<&str> = all.iter().map(|p| s(p, "/status/phase")).collect();
    for phase in ["PENDING", "READY", "DEGRADED", "DELETING"] {
        assert!(phases.contains(format!("WARM_POOL_PHASE_{phase}").as_str()), "no {phase} warm pool");
    }
    let degraded = all.iter().find(|p| s(p, "/status/phase") == "WARM_POOL_PHASE_DEGRADED").unwrap();
    assert!(!s(degraded, "/status/failureMessage").is_empty());
    let project = s(&all[0], "/metadata/projectId").to_string();
    let class = s(&all[0], "/metadata/environmentClassId").to_string();
    for filter in [json!({ "projectIds": [project] }), json!({ "environmentClassIds": [class] })] {
        let got = sim.walk("ListWarmPools", "warmPools", &json!({ "filter": filter }), 1);
        let key =
            if filter.get("projectIds").is_some() { "/metadata/projectId" } else { "/metadata/environmentClassId" };
        let want = filter.as_object().unwrap().values().next().unwrap()[0].as_str().unwrap().to_string();
        let expected: Vec<String> = ids(&all.iter().filter(|p| s(p, key) == want).cloned().collect::<Vec<_>>());
        assert_eq!(ids(&got), expected, "filter {filter}");
    }
}

#[test]
fn tokens_and_page_sizes_come_from_the_query_or_the_body() {
    let sim = Sim::frozen(&[]);
    let first = sim.ok("ListPrebuilds", json!({ "pagination": { "pageSize": 3 } }));
    assert_eq!(first["prebuilds"].as_array().unwrap().len(), 3);
    let token = s(&first, "/pagination/nextToken").to_string();
    let all = ids(&sim.walk("ListPrebuilds", "prebuilds", &json!({}), 100));

    // Body pagination, top-level body fields, and the query: the same second page.
    let in_body = sim.ok("ListPrebuilds", json!({ "pagination": { "pageSize": 3, "token": token } }));
    let top_level = sim.ok("ListPrebuilds", json!({ "pageSize": 3, "token": token }));
    let in_query = sim.call_with("ListPrebuilds", &format!("?token={token}&pageSize=3"), &[], "{}").json();
    for page in [&in_body, &top_level, &in_query] {
        assert_eq!(ids(page["prebuilds"].as_array().unwrap()), all[3..6].to_vec());
    }
    // The query wins over the body.
    let mixed = sim
        .call_with("ListPrebuilds", "?pageSize=2", &[], &json!({ "pagination": { "pageSize": 9 } }).to_string())
        .json();
    assert_eq!(mixed["prebuilds"].as_array().unwrap().len(), 2);
    // pageSize 0 means the default.
    assert_eq!(
        sim.call_with("ListPrebuilds", "?pageSize=0", &[], "{}").json()["prebuilds"].as_array().unwrap().len(),
        25
    );
    let last = sim.call_with("ListPrebuilds", "?pageSize=100", &[], "{}").json();
    assert_eq!(last["prebuilds"].as_array().unwrap().len(), 100);
}

#[test]
fn bad_or_foreign_tokens_are_refused() {
    let sim = Sim::frozen(&[]);
    let page = sim.ok("ListPrebuilds", json!({ "pagination": { "pageSize": 5 } }));
    let token = s(&page, "/pagination/nextToken").to_string();
    let pools = sim.ok("ListWarmPools", json!({ "pagination": { "pageSize": 1 } }));
    let pool_token = s(&pools, "/pagination/nextToken").to_string();
    let info = sim.info();
    let last = if token.ends_with('0') { "1" } else { "0" };
    let tampered = format!("{}{last}", &token[..token.len() - 1]);
    let cases = [
        ("ListPrebuilds", json!({ "pagination": { "token": "nextToken" } })),
        ("ListPrebuilds", json!({ "pagination": { "token": tampered } })),
        // A token only goes with the filter it was made for.
        (
            "ListPrebuilds",
            json!({ "pagination": { "token": token }, "filter": { "projectIds": [info["projects"][0]["id"]] } }),
        ),
        ("ListPrebuilds", json!({ "pagination": { "token": pool_token } })),
        ("ListWarmPools", json!({ "pagination": { "token": token } })),
    ];
    for (method, body) in cases {
        let r = sim.call(method, &body);
        assert_eq!(r.status, 400, "{method} {body}: {}", r.body);
        assert_eq!(r.code(), "invalid_argument");
        assert!(r.json()["message"].as_str().unwrap().starts_with("token"), "{}", r.body);
    }
}

#[test]
fn a_walk_is_stable_while_prebuilds_are_created() {
    let sim = Sim::frozen(&[]);
    let before = ids(&sim.walk("ListPrebuilds", "prebuilds", &json!({}), 100));
    let project = sim.info()["projects"][0]["id"].clone();
    let mut seen = Vec::new();
    let mut token = String::new();
    loop {
        let body = json!({ "pagination": { "pageSize": 30, "token": token } });
        let page = sim.ok("ListPrebuilds", body);
        seen.extend(ids(page["prebuilds"].as_array().unwrap()));
        // Someone creates a prebuild between every two pages.
        sim.ok("CreatePrebuild", json!({ "projectId": project, "spec": {} }));
        token = s(&page, "/pagination/nextToken").to_string();
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(seen, before, "new prebuilds sort before the cursor, so the walk neither repeats nor skips");
}

#[test]
fn ten_thousand_extra_prebuilds_can_be_walked() {
    let sim = Sim::frozen(&["--prebuilds", "10000"]);
    let total = sim.info()["prebuildCount"].as_u64().unwrap() as usize;
    assert!(total >= 10_200, "{total}");
    let all = sim.walk("ListPrebuilds", "prebuilds", &json!({}), 100);
    assert_eq!(all.len(), total);
    assert_eq!(ids(&all).into_iter().collect::<HashSet<_>>().len(), total);
    assert_newest_first(&all);
}

#[test]
fn the_same_seed_gives_the_same_data_and_another_seed_other_data() {
    let ids_of = |seed: &str| {
        let sim = Sim::frozen(&["--seed", seed]);
        ids(&sim.walk("ListPrebuilds", "prebuilds", &json!({}), 100))
    };
    let (a, b, c) = (ids_of("7"), ids_of("7"), ids_of("8"));
    assert_eq!(a, b);
    assert_ne!(a, c);
}
