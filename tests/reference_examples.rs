//! Every JSON response example of the API reference decodes, and writes back out with
//! the same keys and values: the models hold everything the wire carries.

use gitpod_prebuilds::api::Method;
use gitpod_prebuilds::call::decode_success;
use serde_json::Value;

fn examples() -> serde_json::Map<String, Value> {
    let text = include_str!("fixtures/reference_responses.json");
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => map,
        other => panic!("fixture is not an object: {other:?}"),
    }
}

/// Collects every key path of a JSON value (`prebuild.status.phase`).
fn key_paths(v: &Value, prefix: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = format!("{prefix}.{k}");
                out.push(p.clone());
                key_paths(child, &p, out);
            }
        }
        Value::Array(items) => {
            for child in items {
                key_paths(child, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_fixture_holds_all_eleven_methods() {
    let ex = examples();
    for m in Method::ALL {
        assert!(ex.contains_key(m.name()), "no example for {}", m.name());
    }
    assert_eq!(ex.len(), 11);
}

#[test]
fn every_example_decodes_and_re_encodes_to_the_same_json() {
    for (name, example) in examples() {
        let method = Method::from_name(&name).unwrap_or_else(|| panic!("unknown method {name}"));
        let out = decode_success(method, &example.to_string()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let out: Value = serde_json::from_str(&out).unwrap();
        let (mut want, mut got) = (Vec::new(), Vec::new());
        key_paths(&example, "", &mut want);
        key_paths(&out, "", &mut got);
        want.sort();
        got.sort();
        assert_eq!(got, want, "{name}: keys differ");
        assert_eq!(out, example, "{name}: values differ");
    }
}

#[test]
fn sixty_four_bit_numbers_become_exact_strings() {
    let body = r#"{"prebuild":{"spec":{"specVersion":9007199254740993},"status":{"snapshotSizeBytes":18446744073709551615,"statusVersion":"12"}}}"#;
    let out: Value = serde_json::from_str(&decode_success(Method::GetPrebuild, body).unwrap()).unwrap();
    assert_eq!(out["prebuild"]["spec"]["specVersion"], "9007199254740993");
    assert_eq!(out["prebuild"]["status"]["snapshotSizeBytes"], "18446744073709551615");
    assert_eq!(out["prebuild"]["status"]["statusVersion"], "12");
}

#[test]
fn omitted_fields_read_as_defaults_and_unknown_ones_are_ignored() {
    let body = r#"{"prebuild":{"id":"x","futureField":{"a":1},"status":{"phase":"PREBUILD_PHASE_TELEPORTING"}}}"#;
    let out: Value = serde_json::from_str(&decode_success(Method::GetPrebuild, body).unwrap()).unwrap();
    let p = &out["prebuild"];
    assert!(p.get("futureField").is_none());
    assert_eq!(p["status"]["phase"], "PREBUILD_PHASE_TELEPORTING");
    assert_eq!(p["status"]["failureMessage"], "");
    assert_eq!(p["status"]["snapshotSizeBytes"], "0");
    assert_eq!(p["metadata"]["creator"]["principal"], "PRINCIPAL_UNSPECIFIED");
    assert_eq!(p["spec"]["desiredPhase"], "PREBUILD_PHASE_UNSPECIFIED");
    assert!(p["status"].get("completionTime").is_none(), "unset timestamps stay absent");
    let bare: Value = serde_json::from_str(&decode_success(Method::GetPrebuild, "{}").unwrap()).unwrap();
    assert_eq!(bare["prebuild"]["status"]["statusVersion"], "0", "absent messages read as their defaults too");
    assert_eq!(bare["prebuild"]["spec"]["specVersion"], "0");
}

#[test]
fn snake_case_nulls_and_enum_numbers_are_read_like_protobuf_json() {
    let body = r#"{"warm_pool":{"metadata":{"project_id":"p","created_at":null},"spec":{"min_size":0,"desired_phase":20},"status":{"running_instances":"3"}}}"#;
    let out: Value = serde_json::from_str(&decode_success(Method::GetWarmPool, body).unwrap()).unwrap();
    let w = &out["warmPool"];
    assert_eq!(w["metadata"]["projectId"], "p");
    assert!(w["metadata"].get("createdAt").is_none());
    assert_eq!(w["spec"]["minSize"], 0, "an explicit 0 keeps its presence");
    assert!(w["spec"].get("maxSize").is_none());
    assert_eq!(w["spec"]["desiredPhase"], "WARM_POOL_PHASE_READY");
    assert_eq!(w["status"]["runningInstances"], 3);
}

#[test]
fn bodies_that_are_not_the_message_are_decode_errors() {
    use gitpod_prebuilds::Error;
    let cases = [
        (Method::GetPrebuild, ""),
        (Method::GetPrebuild, "{\"prebuild\": {"),
        (Method::GetPrebuild, "<html>502</html>"),
        (Method::GetPrebuild, "[]"),
        (Method::GetPrebuild, "{\"prebuild\": \"x\"}"),
        (Method::ListPrebuilds, "{\"prebuilds\": {}}"),
        (Method::ListPrebuilds, "{\"prebuilds\": [1]}"),
        (Method::GetPrebuild, "{\"prebuild\": {\"status\": {\"phase\": {}}}}"),
        (Method::GetPrebuild, "{\"code\": \"unavailable\", \"message\": \"down\"}"),
        (Method::GetWarmPool, "{\"warmPool\": {\"status\": {\"runningInstances\": 1e40}}}"),
    ];
    for (method, body) in cases {
        match decode_success(method, body) {
            Err(Error::Decode { message }) => assert!(!message.is_empty()),
            other => panic!("{body:?}: expected a decode error, got {other:?}"),
        }
    }
}

#[test]
fn decode_errors_name_the_path() {
    let err = decode_success(Method::ListPrebuilds, r#"{"prebuilds":[{},{"status":{"phase":true}}]}"#).unwrap_err();
    assert!(err.to_string().contains("prebuilds[1].status.phase"), "{err}");
}
