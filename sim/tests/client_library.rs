//! The client library's own call loop (validation, wire format, retries, decoding)
//! against the simulator, over a real HTTP connection: the two share the library's
//! request and response types, and this shows they also agree on the wire.

mod support;

use std::io::ErrorKind;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use gitpod_prebuilds::api::{Call, Method};
use gitpod_prebuilds::call::{call, CallOptions, ClientConfig, HttpRequest, HttpResponse, Transport, TransportError};
use gitpod_prebuilds::protocol::Code;
use gitpod_prebuilds::retry::RetryHeaders;
use gitpod_prebuilds::Error;
use serde_json::{json, Value};
use support::{http, Sim, TOKEN};

/// A blocking transport over the tests' HTTP client; sleeps are real but short.
struct StdTransport;

impl Transport for StdTransport {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let rest = request.url.strip_prefix("http://").expect("an http URL");
        let (addr, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let headers: Vec<(&str, &str)> = request.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        match http(addr, "POST", path, &headers, request.body.as_bytes()) {
            Ok(r) => Ok(HttpResponse {
                status: r.status,
                retry: RetryHeaders {
                    should_retry: r.header("x-should-retry").map(str::to_string),
                    retry_after_ms: r.header("retry-after-ms").map(str::to_string),
                    retry_after: r.header("retry-after").map(str::to_string),
                },
                body: r.body.into(),
            }),
            Err(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => Err(TransportError::Timeout),
            Err(e) => Err(TransportError::Connection(e.to_string())),
        }
    }

    async fn sleep(&self, ms: f64) -> Result<(), TransportError> {
        std::thread::sleep(Duration::from_millis(ms.clamp(0.0, 10_000.0) as u64));
        Ok(())
    }

    fn now_ms(&self) -> f64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as f64).unwrap_or(0.0)
    }

    fn random(&self) -> f64 {
        0.5
    }
}

fn config(sim: &Sim, max_retries: u32) -> ClientConfig {
    ClientConfig::from_value(
        &json!({ "baseUrl": format!("{}/api", sim.url), "token": TOKEN, "maxRetries": max_retries }),
    )
    .expect("a valid config")
}

fn run(sim: &Sim, method: Method, params: Value, fault: Option<&str>, max_retries: u32) -> Result<Value, Error> {
    let options = match fault {
        Some(f) => CallOptions::from_value(&json!({ "headers": { "x-sim-fault": f } })).unwrap(),
        None => CallOptions::default(),
    };
    // Validation happens here, before anything is sent, as in the JavaScript client.
    let request = Call::from_value(method, &params)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let text = runtime.block_on(call(&StdTransport, &config(sim, max_retries), &request, &options))?;
    Ok(serde_json::from_str(&text).expect("canonical JSON"))
}

#[test]
fn the_client_calls_every_method() {
    let sim = Sim::frozen(&[]);
    let info = sim.info();
    let project = info["hints"]["freePair"]["projectId"].clone();
    let class = info["hints"]["freePair"]["environmentClassId"].clone();
    let ok = |m: Method, p: Value| run(&sim, m, p, None, 0).unwrap_or_else(|e| panic!("{m:?}: {e}"));

    let created = ok(
        Method::CreatePrebuild,
        json!({ "projectId": project, "environmentClassId": class, "spec": { "timeout": "3600s" } }),
    );
    let id = created["prebuild"]["id"].clone();
    assert_eq!(ok(Method::GetPrebuild, json!({ "prebuildId": id }))["prebuild"]["id"], id);
    let page = ok(Method::ListPrebuilds, json!({ "pageSize": 10, "filter": { "projectIds": [project] } }));
    assert_eq!(page["prebuilds"].as_array().unwrap().len(), 10);
    let next = page["pagination"]["nextToken"].as_str().unwrap().to_string();
    let page2 =
        ok(Method::ListPrebuilds, json!({ "pageSize": 10, "token": next, "filter": { "projectIds": [project] } }));
    assert_ne!(page2["prebuilds"][0]["id"], page["prebuilds"][0]["id"]);
    assert!(!ok(Method::CreatePrebuildLogsToken, json!({ "prebuildId": id }))["accessToken"]
        .as_str()
        .unwrap()
        .is_empty());
    assert_eq!(
        ok(Method::CancelPrebuild, json!({ "prebuildId": id }))["prebuild"]["status"]["phase"],
        "PREBUILD_PHASE_CANCELLING"
    );
    assert_eq!(ok(Method::DeletePrebuild, json!({ "prebuildId": id })), json!({}));

    let pool = ok(
        Method::CreateWarmPool,
        json!({ "projectId": project, "environmentClassId": class, "minSize": 0, "maxSize": 2 }),
    );
    let pool_id = pool["warmPool"]["id"].clone();
    assert_eq!(pool["warmPool"]["spec"]["minSize"], 0);
    assert_eq!(ok(Method::GetWarmPool, json!({ "warmPoolId": pool_id }))["warmPool"]["id"], pool_id);
    assert!(!ok(Method::ListWarmPools, json!({ "pageSize": 100 }))["warmPools"].as_array().unwrap().is_empty());
    assert_eq!(
        ok(Method::UpdateWarmPool, json!({ "warmPoolId": pool_id, "maxSize": 3 }))["warmPool"]["spec"]["maxSize"],
        3
    );
    assert_eq!(ok(Method::DeleteWarmPool, json!({ "warmPoolId": pool_id })), json!({}));
}

#[test]
fn server_errors_reach_the_client_as_api_errors() {
    let sim = Sim::frozen(&[]);
    let missing = json!({ "prebuildId": "00000000-0000-4000-8000-000000000000" });
    match run(&sim, Method::GetPrebuild, missing, None, 0) {
        Err(Error::Api { status: 404, code: Code::NotFound, .. }) => {}
        other => panic!("{other:?}"),
    }
    let info = sim.info();
    let pair = json!({ "projectId": info["hints"]["freePair"]["projectId"], "environmentClassId": info["hints"]["freePair"]["environmentClassId"] });
    run(&sim, Method::CreateWarmPool, pair.clone(), None, 0).unwrap();
    // already_exists is a 409 the client does not retry.
    match run(&sim, Method::CreateWarmPool, pair, None, 2) {
        Err(Error::Api { status: 409, code: Code::AlreadyExists, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_client_retries_through_transient_faults() {
    let sim = Sim::frozen(&[]);
    let list = json!({ "pageSize": 1 });
    // Two failures, then success, within the default two retries.
    for fault in [
        "503;retry-after-ms=10;times=2;key=a",
        "429;retry-after-ms=10;times=2;key=b",
        "reset;times=1;key=c",
        "html502;times=1;key=d",
    ] {
        let got =
            run(&sim, Method::ListPrebuilds, list.clone(), Some(fault), 2).unwrap_or_else(|e| panic!("{fault}: {e}"));
        assert_eq!(got["prebuilds"].as_array().unwrap().len(), 1, "{fault}");
    }
    // Without retries the fault is what the client sees.
    match run(&sim, Method::ListPrebuilds, list.clone(), Some("503"), 0) {
        Err(Error::Api { status: 503, code: Code::Unavailable, .. }) => {}
        other => panic!("{other:?}"),
    }
    match run(&sim, Method::ListPrebuilds, list.clone(), Some("html502"), 0) {
        Err(Error::Api { status: 502, code: Code::Unavailable, message, .. }) => assert!(!message.contains("<html>")),
        other => panic!("{other:?}"),
    }
    match run(&sim, Method::ListPrebuilds, list.clone(), Some("reset"), 0) {
        Err(Error::Connection { .. }) => {}
        other => panic!("{other:?}"),
    }
    // A truncated success body is a decode error, never retried.
    match run(&sim, Method::ListPrebuilds, list, Some("malformed"), 2) {
        Err(Error::Decode { .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn validation_fails_in_the_client_before_anything_is_sent() {
    // The same rules run in the simulator (see api.rs); here the client stops first.
    let sim = Sim::frozen(&[]);
    match run(&sim, Method::CreatePrebuild, json!({ "projectId": "x", "spec": {} }), None, 0) {
        Err(Error::Validation { field, .. }) => assert_eq!(field, "projectId"),
        other => panic!("{other:?}"),
    }
}
