//! The whole call (validation, wire format, retries, decoding) over a scripted
//! transport: every request it sends and every wait it takes is recorded.

mod support;

use gitpod_prebuilds::api::{Call, Method};
use gitpod_prebuilds::call::{call, CallOptions, ClientConfig, HttpResponse, TransportError};
use gitpod_prebuilds::protocol::Code;
use gitpod_prebuilds::retry::RetryHeaders;
use gitpod_prebuilds::Error;
use serde_json::{json, Value};
use support::{block_on, status, Script};

const ID: &str = "07e03a28-65a5-4d98-b532-8ea67b188048";

fn config(extra: Value) -> ClientConfig {
    let mut o = json!({"baseUrl": "http://127.0.0.1:1/api/", "token": "secret-token-123"});
    if let (Value::Object(o), Value::Object(e)) = (&mut o, extra) {
        o.extend(e);
    }
    ClientConfig::from_value(&o).unwrap()
}

fn run(script: &Script, cfg: &ClientConfig, method: Method, params: Value) -> Result<String, Error> {
    block_on(call(script, cfg, &Call::from_value(method, &params)?, &CallOptions::default()))
}

#[test]
fn a_call_sends_the_connect_wire_format() {
    let s = Script::new(vec![status(200, r#"{"prebuild":{"id":"x"}}"#)]);
    let out =
        run(&s, &config(json!({"headers": {"X-Extra": "1"}})), Method::GetPrebuild, json!({"prebuildId": ID})).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["prebuild"]["id"], "x");
    let sent = s.sent.borrow();
    let r = &sent[0];
    assert_eq!(r.url, "http://127.0.0.1:1/api/gitpod.v1.PrebuildService/GetPrebuild");
    assert_eq!(r.body, format!(r#"{{"prebuildId":"{ID}"}}"#));
    let header = |k: &str| r.headers.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(header("content-type"), Some("application/json"));
    assert_eq!(header("connect-protocol-version"), Some("1"));
    assert_eq!(header("authorization"), Some("Bearer secret-token-123"));
    assert_eq!(header("connect-timeout-ms"), Some("60000"));
    assert_eq!(header("x-extra"), Some("1"));
}

#[test]
fn list_calls_put_token_and_page_size_in_the_query() {
    let s = Script::new(vec![status(200, r#"{"prebuilds":[],"pagination":{"nextToken":""}}"#)]);
    run(
        &s,
        &config(json!({})),
        Method::ListPrebuilds,
        json!({"token": "abc", "pageSize": 10, "filter": {"projectIds": [ID]}}),
    )
    .unwrap();
    let r = &s.sent.borrow()[0];
    assert!(r.url.ends_with("/ListPrebuilds?token=abc&pageSize=10"), "{}", r.url);
    assert_eq!(r.body, format!(r#"{{"filter":{{"projectIds":["{ID}"]}}}}"#));
}

#[test]
fn invalid_params_send_nothing() {
    let s = Script::new(vec![]);
    let err = run(
        &s,
        &config(json!({})),
        Method::CreateWarmPool,
        json!({"projectId": ID, "environmentClassId": ID, "minSize": 21}),
    )
    .unwrap_err();
    assert!(matches!(err, Error::Validation { ref field, .. } if field == "minSize"), "{err:?}");
    assert!(s.sent.borrow().is_empty());
}

#[test]
fn a_503_is_retried_after_backoff_then_succeeds() {
    let s = Script::new(vec![status(503, r#"{"code":"unavailable","message":"busy"}"#), status(200, "{}")]);
    run(&s, &config(json!({})), Method::DeletePrebuild, json!({"prebuildId": ID})).unwrap();
    assert_eq!(s.sent.borrow().len(), 2);
    assert_eq!(*s.sleeps.borrow(), vec![500.0]);
}

#[test]
fn a_429_waits_as_long_as_retry_after_ms_says() {
    let limited = HttpResponse {
        status: 429,
        body: r#"{"code":"resource_exhausted","message":"slow down"}"#.into(),
        retry: RetryHeaders { retry_after_ms: Some("120".into()), ..Default::default() },
    };
    let s = Script::new(vec![Ok(limited), status(200, r#"{"accessToken":"t"}"#)]);
    let out = run(&s, &config(json!({})), Method::CreatePrebuildLogsToken, json!({"prebuildId": ID})).unwrap();
    assert_eq!(out, r#"{"accessToken":"t"}"#);
    assert_eq!(*s.sleeps.borrow(), vec![120.0]);
}

#[test]
fn retries_stop_at_max_retries_with_the_last_error() {
    let s = Script::new(vec![
        Err(TransportError::Connection("refused".into())),
        Err(TransportError::Timeout),
        status(500, "oops"),
    ]);
    let err = run(&s, &config(json!({})), Method::GetPrebuild, json!({"prebuildId": ID})).unwrap_err();
    assert_eq!(s.sent.borrow().len(), 3, "one attempt and two retries");
    assert_eq!(*s.sleeps.borrow(), vec![500.0, 1000.0]);
    assert!(matches!(err, Error::Api { status: 500, code: Code::Unknown, .. }), "{err:?}");

    let s = Script::new(vec![Err(TransportError::Timeout)]);
    let err =
        run(&s, &config(json!({"maxRetries": 0, "timeoutMs": 1234})), Method::GetPrebuild, json!({"prebuildId": ID}))
            .unwrap_err();
    assert_eq!(err, Error::Timeout { timeout_ms: 1234 });
}

#[test]
fn per_call_options_override_the_client() {
    let s = Script::new(vec![Err(TransportError::Timeout), Err(TransportError::Timeout)]);
    let opts =
        CallOptions::from_value(&json!({"maxRetries": 1, "timeoutMs": 50, "headers": {"x-extra": "call"}})).unwrap();
    let cfg = config(json!({"headers": {"x-extra": "client"}}));
    let err =
        block_on(call(&s, &cfg, &Call::from_value(Method::GetPrebuild, &json!({"prebuildId": ID})).unwrap(), &opts))
            .unwrap_err();
    assert_eq!(err, Error::Timeout { timeout_ms: 50 });
    let sent = s.sent.borrow();
    assert_eq!(sent.len(), 2);
    let extras: Vec<_> = sent[0].headers.iter().filter(|(k, _)| k == "x-extra").collect();
    assert_eq!(extras, vec![&("x-extra".to_string(), "call".to_string())]);
}

#[test]
fn client_errors_are_not_retried() {
    for (code, body) in [
        (400, r#"{"code":"invalid_argument","message":"bad"}"#),
        (404, r#"{"code":"not_found","message":"gone"}"#),
        (409, r#"{"code":"already_exists","message":"dup"}"#),
    ] {
        let s = Script::new(vec![status(code, body)]);
        let err = run(&s, &config(json!({})), Method::GetPrebuild, json!({"prebuildId": ID})).unwrap_err();
        assert_eq!(s.sent.borrow().len(), 1, "{code}");
        assert!(matches!(err, Error::Api { status, .. } if status == code));
    }
}

#[test]
fn x_should_retry_false_stops_a_retry() {
    let r = HttpResponse {
        status: 503,
        body: Vec::new(),
        retry: RetryHeaders { should_retry: Some("false".into()), ..Default::default() },
    };
    let s = Script::new(vec![Ok(r)]);
    run(&s, &config(json!({})), Method::GetPrebuild, json!({"prebuildId": ID})).unwrap_err();
    assert_eq!(s.sent.borrow().len(), 1);
}

#[test]
fn an_abort_during_backoff_ends_the_call() {
    let mut s = Script::new(vec![status(503, "")]);
    s.abort_sleep = true;
    let err = run(&s, &config(json!({})), Method::GetPrebuild, json!({"prebuildId": ID})).unwrap_err();
    assert_eq!(err, Error::Aborted);
    assert_eq!(s.sent.borrow().len(), 1);
}

#[test]
fn the_token_appears_in_no_error_and_no_debug_output() {
    let cfg = config(json!({}));
    assert!(!format!("{cfg:?}").contains("secret-token-123"));
    let answers = vec![status(401, r#"{"code":"unauthenticated","message":"bad token"}"#)];
    let s = Script::new(answers);
    let err = run(&s, &cfg, Method::GetPrebuild, json!({"prebuildId": ID})).unwrap_err();
    assert!(!format!("{err} {err:?}").contains("secret-token-123"));
    let bad = ClientConfig::from_value(&json!({"token": "secret-token-123\n"})).unwrap_err();
    assert!(!format!("{bad} {bad:?}").contains("secret-token-123"));
}

#[test]
fn client_options_are_checked() {
    let bad = |o: Value, field: &str| match ClientConfig::from_value(&o) {
        Err(Error::Validation { field: f, .. }) => assert_eq!(f, field, "{o}"),
        other => panic!("{o}: {other:?}"),
    };
    bad(json!({"baseUrl": "app.gitpod.io"}), "baseUrl");
    bad(json!({"baseUrl": "ftp://x"}), "baseUrl");
    bad(json!({"baseUrl": "http://"}), "baseUrl");
    bad(json!({"timeoutMs": 0}), "timeoutMs");
    bad(json!({"maxRetries": 11}), "maxRetries");
    bad(json!({"maxRetries": -1}), "maxRetries");
    bad(json!({"headers": {"bad header": "x"}}), "headers.bad header");
    bad(json!({"headers": {"x": "a\r\nb"}}), "headers.x");
    bad(json!({"timeout": 5}), "options.timeout");
    let c = ClientConfig::from_value(&json!({})).unwrap();
    assert_eq!((c.base_url.as_str(), c.timeout_ms, c.max_retries), ("https://app.gitpod.io/api", 60_000, 2));
}

#[test]
fn a_token_is_never_sent_over_plain_http_to_another_host() {
    let err = ClientConfig::from_value(&json!({"baseUrl": "http://example.com/api", "token": "t"})).unwrap_err();
    assert!(
        matches!(err, Error::Validation { ref field, ref message } if field == "baseUrl" && message.contains("allowInsecureHttp"))
    );
    for url in [
        "http://localhost:8787/api",
        "http://127.0.0.1/api",
        "http://[::1]:3000",
        "http://127.10.0.1",
        "http://user@localhost:1",
    ] {
        assert!(ClientConfig::from_value(&json!({"baseUrl": url, "token": "t"})).is_ok(), "{url}");
    }
    assert!(ClientConfig::from_value(&json!({"baseUrl": "http://127.0.0.1.evil.com", "token": "t"})).is_err());
    assert!(ClientConfig::from_value(
        &json!({"baseUrl": "http://example.com", "token": "t", "allowInsecureHttp": true})
    )
    .is_ok());
    assert!(ClientConfig::from_value(&json!({"baseUrl": "http://example.com"})).is_ok(), "no token, nothing to expose");
}

#[test]
fn option_errors_name_the_option() {
    for (options, field) in [
        (json!({"allowInsecureHttp": "yes"}), "allowInsecureHttp"),
        (json!({"token": 5}), "token"),
        (json!({"token": "a\u{7f}b"}), "token"),
        (json!({"headers": ["x"]}), "headers"),
        (json!({"timeoutMs": "soon"}), "timeoutMs"),
        (json!({"timeout": 5}), "options.timeout"),
    ] {
        match ClientConfig::from_value(&options) {
            Err(Error::Validation { field: f, message }) => {
                assert_eq!(f, field, "{options}: {message}");
                assert!(message.starts_with(field), "{message}");
            }
            other => panic!("{options}: {other:?}"),
        }
    }
}
