// The wasm test suite, shared by `wasm_node.rs` (Node) and `wasm_browser.rs` (headless
// Chromium). It drives `WasmClient` against a real simulator (`make test-wasm` starts
// one and compiles its URL in as SIM_URL): all 11 methods, every error class, retries,
// a timeout and an abort.

use gitpod_prebuilds::wasm::WasmClient;
use js_sys::{Reflect, JSON};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const SIM_URL: &str = match option_env!("SIM_URL") {
    Some(u) => u,
    None => "http://127.0.0.1:18787",
};

#[wasm_bindgen(inline_js = r#"
export async function simInfo(url) {
  const r = await fetch(url + "/_sim/info");
  return JSON.stringify(await r.json());
}
export function countingFetch(counter) {
  return (url, init) => { counter.count = (counter.count ?? 0) + 1; return fetch(url, init); };
}
export function abortAfter(ms) {
  const c = new AbortController();
  setTimeout(() => c.abort(), ms);
  return c.signal;
}
export function now() { return Date.now(); }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = simInfo)]
    fn sim_info(url: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = countingFetch)]
    fn counting_fetch(counter: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = abortAfter)]
    fn abort_after(ms: u32) -> JsValue;
    fn now() -> f64;
}

fn js(v: &Value) -> JsValue {
    JSON::parse(&v.to_string()).unwrap()
}

fn client(options: Value) -> WasmClient {
    let mut o = json!({"baseUrl": format!("{SIM_URL}/api"), "token": "wasm-test-token"});
    o.as_object_mut().unwrap().extend(options.as_object().unwrap().clone());
    WasmClient::new(js(&o)).unwrap_or_else(|e| panic!("client: {:?}", e))
}

async fn call(c: &WasmClient, method: &str, params: Value, options: JsValue) -> Result<Value, JsValue> {
    let out = JsFuture::from(c.call(method, js(&params), options)).await?;
    Ok(serde_json::from_str(&JSON::stringify(&out).unwrap().as_string().unwrap()).unwrap())
}

async fn ok(c: &WasmClient, method: &str, params: Value) -> Value {
    call(c, method, params, JsValue::UNDEFINED).await.unwrap_or_else(|e| panic!("{method}: {}", describe(&e)))
}

fn prop(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

fn describe(e: &JsValue) -> String {
    format!("{:?}: {:?}", prop(e, "name").as_string(), prop(e, "message").as_string())
}

/// Asserts the call failed with a real `Error` of class `name`; returns the error.
async fn fails(c: &WasmClient, method: &str, params: Value, options: JsValue, name: &str) -> JsValue {
    match call(c, method, params, options).await {
        Ok(v) => panic!("{method}: expected {name}, got a success: {:.200}", v.to_string()),
        Err(e) => {
            assert!(e.is_instance_of::<js_sys::Error>(), "{method}: not an Error: {e:?}");
            assert_eq!(prop(&e, "name").as_string().as_deref(), Some(name), "{method}: {}", describe(&e));
            e
        }
    }
}

fn options(v: Value) -> JsValue {
    js(&v)
}

/// A fault header whose key is unique to this run, so `times` counts only our calls.
fn fault(kind: &str, times: u32) -> JsValue {
    let key = format!("k{}", (js_sys::Math::random() * 1e12) as u64);
    options(json!({"headers": {"x-sim-fault": format!("{kind};times={times};key={key}")}}))
}

async fn info() -> Value {
    let text = JsFuture::from(sim_info(SIM_URL)).await.expect("the simulator's /_sim/info");
    serde_json::from_str(&text.as_string().unwrap()).unwrap()
}

const MISSING: &str = "00000000-0000-4000-8000-000000000000";

#[wasm_bindgen_test]
async fn prebuild_methods_round_trip() {
    let c = client(json!({}));
    let info = info().await;
    let project = &info["projects"][0];
    let project_id = project["id"].as_str().unwrap();
    let created = ok(&c, "createPrebuild", json!({"projectId": project_id, "spec": {"timeout": "600s"}})).await;
    let id = created["prebuild"]["id"].as_str().unwrap().to_string();
    assert_eq!(created["prebuild"]["metadata"]["projectId"], project_id);
    assert_eq!(created["prebuild"]["spec"]["timeout"], "600s");
    let got = ok(&c, "getPrebuild", json!({"prebuildId": id})).await;
    assert_eq!(got["prebuild"]["id"], id.as_str());
    assert!(got["prebuild"]["status"]["statusVersion"].is_string(), "64-bit integers arrive as strings");
    let page = ok(&c, "listPrebuilds", json!({"pageSize": 5, "filter": {"projectIds": [project_id]}})).await;
    assert_eq!(page["prebuilds"].as_array().unwrap().len(), 5);
    assert!(page["prebuilds"].as_array().unwrap().iter().all(|p| p["metadata"]["projectId"] == project_id));
    let next = page["pagination"]["nextToken"].as_str().unwrap().to_string();
    assert!(!next.is_empty());
    let page2 = ok(&c, "listPrebuilds", json!({"pageSize": 5, "token": next, "filter": {"projectIds": [project_id]}})).await;
    assert_ne!(page2["prebuilds"][0]["id"], page["prebuilds"][0]["id"], "the second page differs");
    let token = ok(&c, "createPrebuildLogsToken", json!({"prebuildId": id})).await;
    assert!(!token["accessToken"].as_str().unwrap().is_empty());
    let cancelled = ok(&c, "cancelPrebuild", json!({"prebuildId": id})).await;
    assert_eq!(cancelled["prebuild"]["spec"]["desiredPhase"], "PREBUILD_PHASE_CANCELLED");
    assert_eq!(ok(&c, "deletePrebuild", json!({"prebuildId": id})).await, json!({}));
}

#[wasm_bindgen_test]
async fn warm_pool_methods_round_trip() {
    let c = client(json!({}));
    let info = info().await;
    // A project and class pair with no pool yet.
    let mut taken = Vec::new();
    let all = ok(&c, "listWarmPools", json!({"pageSize": 100})).await;
    for w in all["warmPools"].as_array().unwrap() {
        taken.push((w["metadata"]["projectId"].clone(), w["metadata"]["environmentClassId"].clone()));
    }
    let (project_id, class_id) = info["projects"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["environmentClassIds"].as_array().unwrap().iter().map(move |c| (p["id"].clone(), c.clone())))
        .find(|pair| !taken.contains(pair))
        .expect("the seed leaves a project and class without a warm pool");
    let created = ok(&c, "createWarmPool", json!({"projectId": project_id, "environmentClassId": class_id, "minSize": 0, "maxSize": 2})).await;
    let pool = &created["warmPool"];
    let id = pool["id"].as_str().unwrap().to_string();
    assert_eq!(pool["spec"]["minSize"], 0, "minSize 0 keeps its presence");
    assert_eq!(pool["spec"]["maxSize"], 2);
    let dup = fails(&c, "createWarmPool", json!({"projectId": project_id, "environmentClassId": class_id}), JsValue::UNDEFINED, "ConflictError").await;
    assert_eq!(prop(&dup, "code").as_string().as_deref(), Some("already_exists"));
    let got = ok(&c, "getWarmPool", json!({"warmPoolId": id})).await;
    assert_eq!(got["warmPool"]["id"], id.as_str());
    let listed = ok(&c, "listWarmPools", json!({"filter": {"projectIds": [project_id], "environmentClassIds": [class_id]}})).await;
    assert_eq!(listed["warmPools"].as_array().unwrap().len(), 1);
    let updated = ok(&c, "updateWarmPool", json!({"warmPoolId": id, "maxSize": 3})).await;
    assert_eq!(updated["warmPool"]["spec"]["maxSize"], 3);
    assert_eq!(ok(&c, "deleteWarmPool", json!({"warmPoolId": id})).await, json!({}));
}

#[wasm_bindgen_test]
async fn validation_errors_name_the_field_and_send_nothing() {
    let counter = js_sys::Object::new();
    let opts = js(&json!({"baseUrl": format!("{SIM_URL}/api"), "token": "t"}));
    Reflect::set(&opts, &"fetch".into(), &counting_fetch(&counter)).unwrap();
    let c = WasmClient::new(opts).unwrap();
    let e = fails(&c, "createWarmPool", json!({"projectId": MISSING, "environmentClassId": MISSING, "minSize": 30}), JsValue::UNDEFINED, "ValidationError").await;
    assert_eq!(prop(&e, "field").as_string().as_deref(), Some("minSize"));
    assert!(prop(&e, "message").as_string().unwrap().contains("0 to 20"));
    assert!(prop(&counter, "count").is_undefined(), "no request was sent");
}

#[wasm_bindgen_test]
async fn api_errors_map_to_their_classes() {
    let c = client(json!({"maxRetries": 0}));
    let e = fails(&c, "getPrebuild", json!({"prebuildId": MISSING}), JsValue::UNDEFINED, "NotFoundError").await;
    assert_eq!(prop(&e, "status").as_f64(), Some(404.0));
    assert_eq!(prop(&e, "code").as_string().as_deref(), Some("not_found"));
    let anonymous = WasmClient::new(js(&json!({"baseUrl": format!("{SIM_URL}/api")}))).unwrap();
    fails(&anonymous, "getPrebuild", json!({"prebuildId": MISSING}), JsValue::UNDEFINED, "AuthenticationError").await;
    let e = fails(&c, "getPrebuild", json!({"prebuildId": MISSING}), fault("500", 1), "InternalServerError").await;
    assert_eq!(prop(&e, "status").as_f64(), Some(500.0));
    let e = fails(&c, "getPrebuild", json!({"prebuildId": MISSING}), fault("html502", 1), "InternalServerError").await;
    assert_eq!(prop(&e, "code").as_string().as_deref(), Some("unavailable"));
    fails(&c, "getPrebuild", json!({"prebuildId": MISSING}), fault("429", 1), "RateLimitError").await;
    // A rule only the server can check: the project has prebuilds disabled.
    let info = info().await;
    let disabled = info["projects"].as_array().unwrap().iter().find(|p| p["prebuildsEnabled"] == false);
    let disabled = disabled.expect("the seed has a project with prebuilds disabled");
    let e = fails(&c, "createPrebuild", json!({"projectId": disabled["id"], "spec": {}}), JsValue::UNDEFINED, "BadRequestError").await;
    assert_eq!(prop(&e, "code").as_string().as_deref(), Some("failed_precondition"));
    fails(&c, "listPrebuilds", json!({}), fault("malformed", 1), "ResponseDecodeError").await;
    // Browsers retry once by themselves when a reused connection is reset, so the
    // fault holds for a few requests.
    fails(&c, "listPrebuilds", json!({}), fault("reset", 3), "APIConnectionError").await;
    let closed = WasmClient::new(js(&json!({"baseUrl": "http://127.0.0.1:9/api", "maxRetries": 0}))).unwrap();
    fails(&closed, "listPrebuilds", json!({}), JsValue::UNDEFINED, "APIConnectionError").await;
}

#[wasm_bindgen_test]
async fn a_503_and_a_429_are_retried() {
    let counter = js_sys::Object::new();
    let opts = js(&json!({"baseUrl": format!("{SIM_URL}/api"), "token": "t"}));
    Reflect::set(&opts, &"fetch".into(), &counting_fetch(&counter)).unwrap();
    let c = WasmClient::new(opts).unwrap();
    call(&c, "listPrebuilds", json!({"pageSize": 1}), fault("503", 1)).await.unwrap();
    assert_eq!(prop(&counter, "count").as_f64(), Some(2.0), "one failure, one retry");
    let started = now();
    call(&c, "listPrebuilds", json!({"pageSize": 1}), fault("429;retry-after-ms=50", 2)).await.unwrap();
    assert_eq!(prop(&counter, "count").as_f64(), Some(5.0), "two failures, then success");
    assert!(now() - started >= 100.0, "waited retry-after-ms before each retry");
}

#[wasm_bindgen_test]
async fn a_slow_answer_times_out_and_an_abort_ends_the_call() {
    let c = client(json!({"maxRetries": 0, "timeoutMs": 200}));
    let e = fails(&c, "listPrebuilds", json!({}), fault("delay=3000", 1), "APIConnectionTimeoutError").await;
    assert!(prop(&e, "message").as_string().unwrap().contains("200 ms"));
    let c = client(json!({}));
    let opts = js(&json!({"headers": {"x-sim-fault": "delay=3000"}}));
    Reflect::set(&opts, &"signal".into(), &abort_after(100)).unwrap();
    let started = now();
    fails(&c, "listPrebuilds", json!({}), opts, "APIUserAbortError").await;
    assert!(now() - started < 2500.0, "the abort ended the call before the answer came");
}
