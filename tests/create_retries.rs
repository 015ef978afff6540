//! Retries by method over a scripted transport: createPrebuild is retried only after a
//! failure that shows the server did not act, and otherwise ends marked "may have been
//! created"; `unsafeRetries` gives it the plain rules back; createWarmPool keeps the
//! plain rules and answers a retry's `already_exists` after a lost answer with the
//! existing pool; every other method keeps the plain rules. An abort after an attempt
//! was handed over to be sent is as uncertain as a timeout; one before is not.

mod support;

use gitpod_prebuilds::api::{Call, Method};
use gitpod_prebuilds::call::{call, CallOptions, ClientConfig, HttpResponse, TransportError};
use gitpod_prebuilds::protocol::Code;
use gitpod_prebuilds::retry::policy::{
    PREBUILD_ABORTED, PREBUILD_NOT_RETRIED, PREBUILD_UNKNOWN, PREBUILD_UNSAFE, WARM_POOL_UNKNOWN,
};
use gitpod_prebuilds::Error;
use serde_json::{json, Value};
use support::{aborted_before_sending, aborted_in_flight, block_on, reset, status, status_saying, timeout, Script};

const PROJECT: &str = "11ed5596-6fc1-4c3e-afc6-e2a17164bd81";
const CLASS: &str = "2dccff9b-2310-4773-94ba-992469bc4b82";
const OTHER_CLASS: &str = "fd370699-55f3-497d-bae9-d156a79756a0";
const POOL: &str = "5b7a2f1e-9c4d-4e8a-b6f3-0d2c1e4a7b90";
const PREBUILD: &str = "07e03a28-65a5-4d98-b532-8ea67b188048";

const UNAVAILABLE: &str = r#"{"code":"unavailable","message":"try later"}"#;
const EXISTS: &str = r#"{"code":"already_exists","message":"warm pool exists"}"#;

fn config() -> ClientConfig {
    ClientConfig::from_value(&json!({"baseUrl": "http://127.0.0.1:1/api", "token": "t"})).unwrap()
}

fn options(o: Value) -> CallOptions {
    CallOptions::from_value(&o).unwrap()
}

fn run(script: &Script, method: Method, params: Value, o: Value) -> Result<String, Error> {
    block_on(call(script, &config(), &Call::from_value(method, &params).unwrap(), &options(o)))
}

fn create_prebuild(script: &Script) -> Result<String, Error> {
    run(script, Method::CreatePrebuild, json!({"projectId": PROJECT, "spec": {}}), json!({}))
}

fn create_warm_pool(script: &Script, o: Value) -> Result<String, Error> {
    run(script, Method::CreateWarmPool, json!({"projectId": PROJECT, "environmentClassId": CLASS, "maxSize": 2}), o)
}

fn prebuild_body() -> String {
    json!({"prebuild": {"id": PREBUILD, "metadata": {"projectId": PROJECT}}}).to_string()
}

fn pool(id: &str, class: &str, phase: &str) -> Value {
    json!({"id": id, "metadata": {"projectId": PROJECT, "environmentClassId": class}, "status": {"phase": phase}})
}

fn page(pools: Vec<Value>, next: &str) -> Result<HttpResponse, TransportError> {
    status(200, &json!({"warmPools": pools, "pagination": {"nextToken": next}}).to_string())
}

/// The error inside an [`Error::OutcomeUnknown`], and its advice; fails on any other error.
fn unknown_outcome(result: Result<String, Error>) -> (Error, &'static str) {
    match result {
        Err(Error::OutcomeUnknown { error, advice }) => (*error, advice),
        other => panic!("not marked as an unknown outcome: {other:?}"),
    }
}

#[test]
fn create_prebuild_is_retried_after_failures_that_show_the_server_did_not_act() {
    let cases: Vec<(&str, Result<HttpResponse, TransportError>)> = vec![
        ("503 unavailable", status(503, UNAVAILABLE)),
        ("503 without a body", status(503, "")),
        ("429", status(429, r#"{"code":"resource_exhausted","message":"slow down"}"#)),
        ("408 with an explicit unavailable", status(408, UNAVAILABLE)),
        ("409 with an explicit resource_exhausted", status(409, r#"{"code":"resource_exhausted"}"#)),
        ("500 with x-should-retry: true", status_saying(500, r#"{"code":"internal"}"#, "true")),
        ("502 with x-should-retry: true", status_saying(502, "<html>bad gateway</html>", "true")),
    ];
    for (name, failure) in cases {
        let s = Script::new(vec![failure, status(200, &prebuild_body())]);
        let out = create_prebuild(&s).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["prebuild"]["id"], PREBUILD, "{name}");
        assert_eq!(s.methods(), ["CreatePrebuild", "CreatePrebuild"], "{name}: retried once");
    }
}

#[test]
fn create_prebuild_is_not_retried_when_the_server_may_have_acted() {
    let cases: Vec<(&str, Result<HttpResponse, TransportError>, &str)> = vec![
        ("timeout", timeout(), "APIConnectionTimeoutError"),
        ("connection reset", reset(), "APIConnectionError"),
        ("500 internal", status(500, r#"{"code":"internal","message":"boom"}"#), "InternalServerError"),
        ("502 with a Connect unavailable body", status(502, UNAVAILABLE), "InternalServerError"),
        ("502 HTML page", status(502, "<html><body>502 Bad Gateway</body></html>"), "InternalServerError"),
        ("504 with a Connect unavailable body", status(504, UNAVAILABLE), "InternalServerError"),
        (
            "500 with a Connect resource_exhausted body",
            status(500, r#"{"code":"resource_exhausted"}"#),
            "InternalServerError",
        ),
        ("501", status(501, r#"{"code":"unimplemented"}"#), "InternalServerError"),
        ("408 without a body", status(408, ""), "APIError"),
        ("409 aborted", status(409, r#"{"code":"aborted","message":"conflict"}"#), "ConflictError"),
    ];
    for (name, failure, class) in cases {
        let s = Script::new(vec![failure]);
        let result = create_prebuild(&s);
        let err = result.as_ref().unwrap_err().clone();
        assert_eq!(s.sent.borrow().len(), 1, "{name}: not retried though two retries were left");
        assert!(s.sleeps.borrow().is_empty(), "{name}");
        assert_eq!(err.class_name(), class, "{name}: the usual class");
        let message = err.to_string();
        assert!(message.contains("the prebuild may have been created"), "{name}: {message}");
        assert!(message.contains("list the project's prebuilds before trying again"), "{name}: {message}");
        let (inner, advice) = unknown_outcome(result);
        assert_eq!(advice, PREBUILD_NOT_RETRIED, "{name}");
        assert_eq!(inner.class_name(), class, "{name}");
    }
}

#[test]
fn a_create_ends_with_its_last_failure_marked_only_if_the_server_may_have_acted() {
    // Three failures that show nothing happened: the plain last error, unmarked.
    let s = Script::new(vec![status(503, UNAVAILABLE), status(429, ""), status(503, UNAVAILABLE)]);
    let err = create_prebuild(&s).unwrap_err();
    assert!(matches!(err, Error::Api { status: 503, code: Code::Unavailable, .. }), "{err:?}");
    assert_eq!(s.sent.borrow().len(), 3);
    assert_eq!(*s.sleeps.borrow(), vec![500.0, 1000.0]);

    // A 503, then a reset: retried once, then stopped and marked.
    let s = Script::new(vec![status(503, UNAVAILABLE), reset()]);
    let (inner, advice) = unknown_outcome(create_prebuild(&s));
    assert_eq!(inner, Error::Connection { message: "connection reset".into() });
    assert_eq!(advice, PREBUILD_NOT_RETRIED);
    assert_eq!(s.sent.borrow().len(), 2);

    // The last attempt times out with no retry left: marked, but nothing was withheld.
    let s = Script::new(vec![status(503, UNAVAILABLE), status(503, UNAVAILABLE), timeout()]);
    let (inner, advice) = unknown_outcome(create_prebuild(&s));
    assert_eq!(inner, Error::Timeout { timeout_ms: 60_000 });
    assert_eq!(advice, PREBUILD_UNKNOWN);
    assert!(!advice.contains("not retried"));

    // A success whose body cannot be read: the prebuild most likely exists.
    let s = Script::new(vec![status(200, r#"{"prebuild":{"id":"#)]);
    let (inner, advice) = unknown_outcome(create_prebuild(&s));
    assert!(matches!(inner, Error::Decode { .. }), "{inner:?}");
    assert_eq!(advice, PREBUILD_UNKNOWN);
}

#[test]
fn a_refused_create_is_neither_retried_nor_marked() {
    for (code, body) in [
        (400, r#"{"code":"failed_precondition","message":"prebuilds are not enabled"}"#),
        (401, r#"{"code":"unauthenticated"}"#),
        (404, r#"{"code":"not_found","message":"no such project"}"#),
    ] {
        let s = Script::new(vec![status(code, body)]);
        let err = create_prebuild(&s).unwrap_err();
        assert!(matches!(err, Error::Api { status, .. } if status == code), "{code}: {err:?}");
        assert_eq!(s.sent.borrow().len(), 1);
    }
}

#[test]
fn x_should_retry_decides_for_a_create_both_ways() {
    let s = Script::new(vec![status_saying(503, UNAVAILABLE, "false")]);
    let err = create_prebuild(&s).unwrap_err();
    assert!(matches!(err, Error::Api { status: 503, .. }), "unmarked: a 503 says nothing was done: {err:?}");
    assert_eq!(s.sent.borrow().len(), 1, "false forbids even a 503's retry");

    let s = Script::new(vec![status_saying(500, r#"{"code":"internal"}"#, "false")]);
    let (inner, advice) = unknown_outcome(create_prebuild(&s));
    assert!(matches!(inner, Error::Api { status: 500, .. }));
    assert_eq!(advice, PREBUILD_UNKNOWN, "the server, not the create rule, forbade the retry");

    let s = Script::new(vec![status_saying(504, "", "true"), status(200, &prebuild_body())]);
    create_prebuild(&s).unwrap();
    assert_eq!(s.sent.borrow().len(), 2, "true allows a retry the create rule would not make");
}

#[test]
fn unsafe_retries_retries_a_create_like_any_other_call() {
    let opt_in = json!({"unsafeRetries": true});
    let params = json!({"projectId": PROJECT, "spec": {}});
    let s = Script::new(vec![reset(), status(502, UNAVAILABLE), status(200, &prebuild_body())]);
    run(&s, Method::CreatePrebuild, params.clone(), opt_in.clone()).unwrap();
    assert_eq!(s.sent.borrow().len(), 3, "a reset and a 502 retried");

    let s = Script::new(vec![timeout(), timeout(), timeout()]);
    let (inner, advice) = unknown_outcome(run(&s, Method::CreatePrebuild, params.clone(), opt_in.clone()));
    assert_eq!(inner.class_name(), "APIConnectionTimeoutError");
    assert_eq!(advice, PREBUILD_UNSAFE);
    assert!(advice.contains("perhaps more than once"));

    // An uncertain attempt counts even when the last failure was a plain refusal.
    let s = Script::new(vec![timeout(), status(400, r#"{"code":"invalid_argument"}"#)]);
    let (inner, _) = unknown_outcome(run(&s, Method::CreatePrebuild, params.clone(), opt_in));
    assert!(matches!(inner, Error::Api { status: 400, .. }));

    // The option's off state is the default.
    let s = Script::new(vec![reset()]);
    unknown_outcome(run(&s, Method::CreatePrebuild, params, json!({"unsafeRetries": false})));
    assert_eq!(s.sent.borrow().len(), 1);
}

#[test]
fn unsafe_retries_must_be_true_or_false() {
    for bad in [json!("yes"), json!(1), json!({})] {
        match CallOptions::from_value(&json!({"unsafeRetries": bad})) {
            Err(Error::Validation { field, message }) => {
                assert_eq!(field, "unsafeRetries", "{bad}");
                assert!(message.contains("must be true or false"), "{message}");
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    assert!(CallOptions::from_value(&json!({"unsafeRetries": null})).is_ok_and(|o| !o.unsafe_retries));
    assert!(CallOptions::from_value(&json!({"unsafe_retries": true})).is_ok_and(|o| o.unsafe_retries));
    assert!(matches!(
        CallOptions::from_value(&json!({"unsafeRetry": true})),
        Err(Error::Validation { field, .. }) if field == "options.unsafeRetry"
    ));
}

#[test]
fn every_other_method_keeps_the_plain_rules() {
    let id = json!({"prebuildId": PREBUILD});
    for method in [Method::GetPrebuild, Method::CancelPrebuild, Method::DeletePrebuild] {
        let ok = if method == Method::DeletePrebuild { "{}".to_string() } else { prebuild_body() };
        let s = Script::new(vec![timeout(), status(502, UNAVAILABLE), status(200, &ok)]);
        run(&s, method, id.clone(), json!({})).unwrap_or_else(|e| panic!("{method:?}: {e:?}"));
        assert_eq!(s.sent.borrow().len(), 3, "{method:?}");

        let s = Script::new(vec![timeout(), reset(), status(500, "")]);
        let err = run(&s, method, id.clone(), json!({})).unwrap_err();
        assert!(matches!(err, Error::Api { status: 500, .. }), "{method:?}: unmarked: {err:?}");
    }
    let s = Script::new(vec![reset(), status(200, "{}")]);
    run(&s, Method::DeleteWarmPool, json!({"warmPoolId": POOL}), json!({})).unwrap();
    assert_eq!(s.sent.borrow().len(), 2);
}

#[test]
fn create_warm_pool_answers_a_retry_s_already_exists_with_the_existing_pool() {
    let got = json!({"warmPool": pool(POOL, CLASS, "WARM_POOL_PHASE_PENDING")}).to_string();
    let s = Script::new(vec![
        timeout(),
        status(409, EXISTS),
        page(vec![pool(POOL, CLASS, "WARM_POOL_PHASE_PENDING")], ""),
        status(200, &got),
    ]);
    let out = create_warm_pool(&s, json!({"headers": {"x-trace": "t1"}, "timeoutMs": 700})).unwrap();
    let out: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(out["warmPool"]["id"], POOL);
    assert_eq!(out["warmPool"]["metadata"]["environmentClassId"], CLASS);
    assert_eq!(s.methods(), ["CreateWarmPool", "CreateWarmPool", "ListWarmPools?pageSize=100", "GetWarmPool"]);
    let sent = s.sent.borrow();
    let list: Value = serde_json::from_str(&sent[2].body).unwrap();
    assert_eq!(list, json!({"filter": {"projectIds": [PROJECT], "environmentClassIds": [CLASS]}}));
    assert_eq!(sent[3].body, json!({ "warmPoolId": POOL }).to_string());
    for r in sent.iter() {
        let header = |k: &str| r.headers.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(header("x-trace"), Some("t1"), "{}: the call's options", r.url);
        assert_eq!(header("connect-timeout-ms"), Some("700"), "{}", r.url);
        assert_eq!(header("authorization"), Some("Bearer t"), "{}", r.url);
    }
}

#[test]
fn the_existing_pool_is_looked_for_page_by_page() {
    let s = Script::new(vec![
        reset(),
        status(502, UNAVAILABLE),
        status(409, EXISTS),
        // A server that ignores the filter: other classes and a deleted tombstone are skipped.
        page(vec![pool("a", OTHER_CLASS, "WARM_POOL_PHASE_READY"), pool("b", CLASS, "WARM_POOL_PHASE_DELETED")], "p/2"),
        page(vec![pool(POOL, CLASS, "WARM_POOL_PHASE_READY")], ""),
        status(200, &json!({"warmPool": pool(POOL, CLASS, "WARM_POOL_PHASE_READY")}).to_string()),
    ]);
    let out: Value = serde_json::from_str(&create_warm_pool(&s, json!({})).unwrap()).unwrap();
    assert_eq!(out["warmPool"]["id"], POOL);
    let methods = s.methods();
    assert_eq!(methods[3], "ListWarmPools?pageSize=100");
    assert_eq!(methods[4], "ListWarmPools?token=p%2F2&pageSize=100");
    assert_eq!(methods[5], "GetWarmPool");
    assert!(s.finished());
}

#[test]
fn a_first_attempt_s_already_exists_stays_a_conflict() {
    let s = Script::new(vec![status(409, EXISTS)]);
    let err = create_warm_pool(&s, json!({})).unwrap_err();
    assert_eq!(err.class_name(), "ConflictError");
    assert!(matches!(err, Error::Api { code: Code::AlreadyExists, ref message, .. } if message == "warm pool exists"));
    assert_eq!(s.sent.borrow().len(), 1, "nothing looked up");

    // After failures that show nothing was done (a 429, a 503), the pool was there before.
    let s = Script::new(vec![status(429, ""), status(503, UNAVAILABLE), status(409, EXISTS)]);
    let err = create_warm_pool(&s, json!({})).unwrap_err();
    assert!(matches!(err, Error::Api { status: 409, .. }), "{err:?}");
    assert_eq!(s.sent.borrow().len(), 3);
}

#[test]
fn no_matching_pool_ends_with_the_conflict_saying_what_was_tried() {
    let s = Script::new(vec![
        timeout(),
        status(409, EXISTS),
        page(vec![pool("a", OTHER_CLASS, "WARM_POOL_PHASE_READY")], "next"),
        page(vec![], ""),
    ]);
    let err = create_warm_pool(&s, json!({})).unwrap_err();
    assert_eq!(err.class_name(), "ConflictError");
    let Error::Api { status: 409, code: Code::AlreadyExists, message, .. } = &err else { panic!("{err:?}") };
    assert!(message.starts_with("warm pool exists; "), "{message}");
    assert!(message.contains("whose answer was lost"), "{message}");
    assert!(
        message.contains(&format!(
            "listWarmPools (2 pages) found no warm pool of project {PROJECT} and environment class {CLASS}"
        )),
        "{message}"
    );
    assert!(s.finished());

    // The lookup itself failing says so.
    let s = Script::new(vec![
        timeout(),
        status(409, EXISTS),
        status(403, r#"{"code":"permission_denied","message":"no"}"#),
    ]);
    let err = create_warm_pool(&s, json!({})).unwrap_err();
    assert_eq!(err.class_name(), "ConflictError");
    assert!(err.to_string().contains("looking for it with listWarmPools failed: 403 permission_denied: no"), "{err}");

    // So does a pool that is listed but cannot be read.
    let s = Script::new(vec![
        reset(),
        status(409, EXISTS),
        page(vec![pool(POOL, CLASS, "WARM_POOL_PHASE_READY")], ""),
        status(404, r#"{"code":"not_found","message":"gone"}"#),
    ]);
    let err = create_warm_pool(&s, json!({})).unwrap_err();
    assert!(
        err.to_string().contains(&format!("found warm pool {POOL}")) && err.to_string().contains("getWarmPool failed"),
        "{err}"
    );
}

#[test]
fn a_page_token_that_repeats_ends_the_lookup() {
    let mut answers = vec![timeout(), status(409, EXISTS)];
    answers.push(page(vec![], "same"));
    answers.push(page(vec![], "same"));
    let s = Script::new(answers);
    let err = create_warm_pool(&s, json!({})).unwrap_err();
    assert!(err.to_string().contains("(2 pages) found no warm pool"), "{err}");
    assert!(s.finished());
}

#[test]
fn a_create_warm_pool_that_never_got_an_answer_is_marked() {
    let s = Script::new(vec![timeout(), reset(), status(502, "")]);
    let (inner, advice) = unknown_outcome(create_warm_pool(&s, json!({})));
    assert!(matches!(inner, Error::Api { status: 502, .. }));
    assert_eq!(advice, WARM_POOL_UNKNOWN);
    assert_eq!(s.sent.borrow().len(), 3, "the plain rules: retried twice");
}

#[test]
fn a_create_aborted_after_its_request_was_sent_may_have_been_created() {
    let s = Script::new(vec![aborted_in_flight()]);
    let result = create_prebuild(&s);
    let message = result.as_ref().unwrap_err().to_string();
    assert_eq!(result.as_ref().unwrap_err().class_name(), "APIUserAbortError");
    assert_eq!(
        message,
        "request was aborted; the prebuild may have been created: the call was aborted after its request was sent; \
         list the project's prebuilds before trying again"
    );
    assert_eq!(unknown_outcome(result), (Error::Aborted, PREBUILD_ABORTED));

    // A retry after a 503 (which did nothing) is aborted in flight: flagged too.
    let s = Script::new(vec![status(503, UNAVAILABLE), aborted_in_flight()]);
    assert_eq!(unknown_outcome(create_prebuild(&s)), (Error::Aborted, PREBUILD_ABORTED));
    assert_eq!(s.sent.borrow().len(), 2);
}

#[test]
fn a_create_aborted_before_anything_that_may_have_acted_went_out_is_not_flagged() {
    // The signal was aborted before the call: nothing was handed over.
    let s = Script::new(vec![aborted_before_sending()]);
    assert_eq!(create_prebuild(&s).unwrap_err(), Error::Aborted);

    // Aborted while waiting to retry a 503 (which says nothing was done).
    let mut s = Script::new(vec![status(503, UNAVAILABLE)]);
    s.abort_sleep = true;
    assert_eq!(create_prebuild(&s).unwrap_err(), Error::Aborted);
    assert_eq!(s.sleeps.borrow().len(), 1, "the abort came during the wait");
    assert!(s.finished());

    // Reads never carry the flag, whenever the abort came.
    let s = Script::new(vec![aborted_in_flight()]);
    let err = run(&s, Method::GetPrebuild, json!({ "prebuildId": PREBUILD }), json!({})).unwrap_err();
    assert_eq!(err, Error::Aborted);
}

#[test]
fn an_abort_while_waiting_after_an_uncertain_attempt_keeps_the_doubt() {
    // unsafeRetries retries after a timeout; the abort during that wait ends the call,
    // which still may have created the prebuild.
    let mut s = Script::new(vec![timeout()]);
    s.abort_sleep = true;
    let params = json!({"projectId": PROJECT, "spec": {}});
    let result = run(&s, Method::CreatePrebuild, params, json!({"unsafeRetries": true}));
    assert_eq!(unknown_outcome(result), (Error::Aborted, PREBUILD_UNSAFE));

    // createWarmPool, the same way: after a lost answer, and aborted in flight.
    let mut s = Script::new(vec![reset()]);
    s.abort_sleep = true;
    assert_eq!(unknown_outcome(create_warm_pool(&s, json!({}))), (Error::Aborted, WARM_POOL_UNKNOWN));
    let s = Script::new(vec![aborted_in_flight()]);
    assert_eq!(unknown_outcome(create_warm_pool(&s, json!({}))), (Error::Aborted, WARM_POOL_UNKNOWN));
    let s = Script::new(vec![aborted_before_sending()]);
    assert_eq!(create_warm_pool(&s, json!({})).unwrap_err(), Error::Aborted);
}
