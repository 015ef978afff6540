//! The reader against the descriptors: canonical output, tolerance, errors and rules.

use super::messages::*;
use super::*;

fn canonical(msg: &'static Msg, text: &str) -> Result<String, ReadError> {
    read_text(msg, text, Setup::default()).map(|c| c.out)
}

#[test]
fn every_message_fits_the_reader() {
    for m in ALL {
        assert!(m.fields.len() <= reader::MAX_FIELDS, "{}", m.name);
    }
}

#[test]
fn absent_fields_read_as_defaults_in_declaration_order() {
    assert_eq!(canonical(&SUBJECT, "{}").unwrap(), r#"{"id":"","principal":"PRINCIPAL_UNSPECIFIED"}"#);
    assert_eq!(
        canonical(&SUBJECT, r#"{"principal":2,"id":"a"}"#).unwrap(),
        r#"{"id":"a","principal":"PRINCIPAL_USER"}"#
    );
    assert_eq!(
        canonical(&SUBJECT, r#"{"id":"a","id":"b"}"#).unwrap(),
        r#"{"id":"b","principal":"PRINCIPAL_UNSPECIFIED"}"#
    );
    assert_eq!(
        canonical(&PAGINATION_RESPONSE, r#"{"next_token":null,"x":[1,{"y":2}]}"#).unwrap(),
        r#"{"nextToken":""}"#
    );
}

#[test]
fn integers_are_exact_and_64_bit_ones_strings() {
    let out = canonical(
        &PREBUILD_STATUS,
        r#"{"statusVersion":18446744073709551615,"snapshotCompletionPercentage":"7","snapshotSizeBytes":1e3}"#,
    )
    .unwrap();
    assert!(out.contains(r#""statusVersion":"18446744073709551615""#), "{out}");
    assert!(out.contains(r#""snapshotCompletionPercentage":7"#), "{out}");
    assert!(out.contains(r#""snapshotSizeBytes":"1000""#), "{out}");
}

#[test]
fn wrong_kinds_name_their_path() {
    let e = canonical(&LIST_PREBUILDS_RESPONSE, r#"{"prebuilds":[{},{"status":{"phase":true}}]}"#).unwrap_err();
    assert_eq!((e.path.as_str(), e.message.as_str()), ("prebuilds[1].status.phase", "must be an enum name, got true"));
    let e = canonical(&PREBUILD_RESPONSE, r#"{"prebuild":{"spec":1.5}}"#).unwrap_err();
    assert_eq!((e.path.as_str(), e.message.as_str()), ("prebuild.spec", "must be an object, got 1.5"));
    let e = canonical(&PREBUILD_RESPONSE, "null").unwrap_err();
    assert_eq!((e.path.as_str(), e.message.as_str()), ("", "must be an object, got null"));
    let e = canonical(&PREBUILD_RESPONSE, r#"{"prebuild":{}} x"#).unwrap_err();
    assert!(e.syntax && e.message == "unexpected text at line 1 column 17", "{e:?}");
}

#[test]
fn request_rules_report_the_first_violation_in_declaration_order() {
    let setup = Setup { rules: true, null_root: true, record_top: true, ..Setup::default() };
    let e = read_text(&CREATE_PREBUILD_REQUEST, r#"{"spec":{"timeout":"1h"}}"#, setup).unwrap_err();
    assert_eq!(e.path, "projectId");
    let e = read_text(
        &CREATE_PREBUILD_REQUEST,
        r#"{"projectId":"07e03a28-65a5-4d98-b532-8ea67b188048","spec":{"timeout":"1h"}}"#,
        setup,
    )
    .unwrap_err();
    assert_eq!(e.path, "spec.timeout");
    let e = read_text(&CREATE_PREBUILD_REQUEST, r#"{"projectId":"x","spec":3}"#, setup).unwrap_err();
    assert_eq!(
        (e.path.as_str(), e.message.as_str()),
        ("spec", "must be an object, got 3"),
        "a wrong kind wins over rules"
    );
    let e = read_text(&LIST_PREBUILDS_REQUEST, r#"{"pageSize":101}"#, setup).unwrap_err();
    assert_eq!((e.path.as_str(), e.message.as_str()), ("pageSize", "must be from 0 to 100, got 101"));
    let ok =
        read_text(&LIST_PREBUILDS_REQUEST, r#"{"pageSize":"5","token":"t","filter":{"phases":[60]}}"#, setup).unwrap();
    assert_eq!(ok.out, r#"{"filter":{"phases":["PREBUILD_PHASE_COMPLETED"]}}"#);
    assert_eq!((ok.value("pageSize"), ok.value("token")), (Some("5"), Some("t")));
}

#[test]
fn captured_fields_are_recorded_with_their_list_index() {
    static CAP: [Capture; 2] = [(&WARM_POOL, 0), (&WARM_POOL_STATUS, 0)];
    let setup = Setup { capture: &CAP, ..Setup::default() };
    let page = r#"{"warmPools":[{"id":"a","status":{"phase":"WARM_POOL_PHASE_READY"}},{"id":"b"}],"pagination":{}}"#;
    let ctx = read_text(&LIST_WARM_POOLS_RESPONSE, page, setup).unwrap();
    let ids: Vec<(u32, &str)> = ctx.values(0).collect();
    assert_eq!(ids, [(0, "a"), (1, "b")]);
    let phases: Vec<(u32, &str)> = ctx.values(1).collect();
    assert_eq!(phases, [(0, "WARM_POOL_PHASE_READY")]);
}

#[test]
fn typed_models_write_what_the_reader_writes() {
    use crate::api::{
        ListPrebuildsResponse, ListWarmPoolsResponse, LogsTokenResponse, PrebuildResponse, WarmPoolResponse,
    };
    fn same<T: serde::Serialize + Default>(msg: &'static Msg) {
        let typed = serde_json::to_string(&T::default()).unwrap();
        assert_eq!(typed, canonical(msg, "{}").unwrap(), "{}", msg.name);
    }
    same::<PrebuildResponse<'_>>(&PREBUILD_RESPONSE);
    same::<ListPrebuildsResponse<'_>>(&LIST_PREBUILDS_RESPONSE);
    same::<LogsTokenResponse<'_>>(&LOGS_TOKEN_RESPONSE);
    same::<WarmPoolResponse<'_>>(&WARM_POOL_RESPONSE);
    same::<ListWarmPoolsResponse<'_>>(&LIST_WARM_POOLS_RESPONSE);
    // A full prebuild, written by the typed model and read back canonically, is unchanged.
    let mut p = crate::model::Prebuild { id: "x".into(), ..Default::default() };
    p.spec.timeout = Some("3600s".into());
    p.status.snapshot_completion_percentage = 40;
    let text = serde_json::to_string(&p).unwrap();
    assert_eq!(canonical(&PREBUILD, &text).unwrap(), text);
}

#[test]
fn options_name_unknown_keys_and_check_headers() {
    let setup = Setup { rules: true, record_top: true, null_root: true, ..Setup::default() };
    let e = read_text(&CLIENT_OPTIONS, r#"{"baseURL":"x"}"#, setup).unwrap_err();
    assert_eq!(e.path, "options.baseURL");
    assert!(e.message.starts_with("is not a known field; allowed here: baseUrl, token,"), "{}", e.message);
    let ok = read_text(&CLIENT_OPTIONS, r#"{"headers":{"X-Trace":"1","x-gone":null}}"#, setup).unwrap();
    let headers: Vec<(&str, &str)> =
        ok.records.iter().filter(|r| !r.key.is_empty()).map(|r| (r.key.as_str(), r.value.as_str())).collect();
    assert_eq!(headers, [("x-trace", "1")]);
    let e = read_text(&CLIENT_OPTIONS, r#"{"headers":{"bad name":"1"}}"#, setup).unwrap_err();
    assert_eq!((e.path.as_str(), e.message.as_str()), ("headers.bad name", "is not a valid HTTP header name"));
    let e = read_text(&REQUEST_OPTIONS, r#"{"timeoutMs":"NaN"}"#, setup).unwrap_err();
    assert_eq!((e.path.as_str(), e.message.as_str()), ("timeoutMs", "must be a 32-bit integer, got \"NaN\""));
}

#[test]
fn a_connect_error_body_under_a_success_status_is_noticed() {
    let setup = Setup { stray: true, ..Setup::default() };
    let ctx = read_text(&PREBUILD_RESPONSE, r#"{"code":"internal","message":"boom"}"#, setup).unwrap();
    assert_eq!(
        (ctx.stray_code.as_deref(), ctx.stray_message.as_deref(), ctx.first_set),
        (Some("internal"), Some("boom"), false)
    );
    let ctx = read_text(&PREBUILD_RESPONSE, r#"{"prebuild":{},"code":"x"}"#, setup).unwrap();
    assert!(ctx.first_set);
    let ctx = read_text(&PREBUILD_RESPONSE, r#"{"prebuild":null,"code":7}"#, setup).unwrap();
    assert_eq!((ctx.stray_code, ctx.first_set), (None, false), "a code that is no string is no error body");
}

/// The fast path's answer, checked against the reader's for the same text.
fn fast(msg: &'static Msg, text: &str) -> Option<String> {
    let answer = fast::read(msg, text);
    if let Some(out) = &answer {
        assert_eq!(Ok(out.as_str()), read_text_by_reader(msg, text, Setup::default()).as_ref().map(|c| c.out.as_str()));
    }
    answer
}

#[test]
fn the_fast_path_answers_for_bodies_as_servers_write_them() {
    // Compact and complete: the text itself.
    let page = r#"{"prebuilds":[{"id":"a","metadata":{"creator":{"id":"u","principal":"PRINCIPAL_USER"}},"status":{"phase":"PREBUILD_PHASE_COMPLETED","statusVersion":"3"}}],"pagination":{"nextToken":"t"}}"#;
    let out = fast(&LIST_PREBUILDS_RESPONSE, page).expect("the fast path answers");
    assert!(out.starts_with(r#"{"prebuilds":[{"id":"a","metadata":{"#), "{out}");
    // White space, and defaults left out, as protobuf JSON writers do.
    let sparse = "{ \"prebuilds\" : [ {\"id\": \"a\", \"status\": {\"statusVersion\": 3}} ] ,\n\"pagination\": {} }";
    let out = fast(&LIST_PREBUILDS_RESPONSE, sparse).expect("the fast path answers");
    assert!(
        !out.contains(' ')
            && out.contains(r#""statusVersion":"3""#)
            && out.ends_with(r#""pagination":{"nextToken":""}}"#),
        "{out}"
    );
    assert_eq!(fast(&SUBJECT, "{}").as_deref(), Some(r#"{"id":"","principal":"PRINCIPAL_UNSPECIFIED"}"#));
    // Absent fields before a key with white space before its colon (copied early).
    let spaced_key = r#"{"principal" : "PRINCIPAL_USER"}"#;
    assert_eq!(fast(&SUBJECT, spaced_key).as_deref(), Some(r#"{"id":"","principal":"PRINCIPAL_USER"}"#));
    let out = fast(&LIST_PREBUILDS_RESPONSE, r#"{"pagination"	:{"nextToken" :"t"}}"#).expect("answers");
    assert_eq!(out, r#"{"prebuilds":[],"pagination":{"nextToken":"t"}}"#);
    // Lists left out when empty (a filter's), first, between and last, spaced or not.
    let id = "\"0b1e3c2a-5d4f-4e6a-8b7c-9d0e1f2a3b4c\"";
    for text in [
        format!(r#"{{"projectIds":[],"creatorIds":[{id}]}}"#),
        format!(r#"{{"projectIds" : [ ] , "creatorIds": [{id}]}}"#),
        format!(r#"{{"projectIds":[{id}],"creatorIds":[],"executorIds":[{id}]}}"#),
        format!(r#"{{"projectIds":[{id}], "creatorIds" :[] ,"executorIds":[{id}]}}"#),
        format!(r#"{{"projectIds":[{id}],"phases":[]}}"#),
        format!(r#"{{"projectIds":[{id}],"phases" : []  }}"#),
        r#"{"phases":[]}"#.to_string(),
    ] {
        let out = fast(&PREBUILD_FILTER, &text).unwrap_or_else(|| panic!("answers for {text}"));
        assert!(!out.contains("[]") && !out.contains(",,") && !out.contains(",}"), "{text} -> {out}");
    }
}

#[test]
fn the_fast_path_leaves_anything_unusual_to_the_reader() {
    for text in [
        r#"{"id":"a\"b"}"#,                           // an escape
        r#"{"id":null}"#,                             // null
        r#"{"principal":2}"#,                         // an enum by number
        r#"{"principal":"PRINCIPAL_USER","id":"a"}"#, // out of order
        r#"{"id":"a","id":"b"}"#,                     // repeated
        r#"{"id":"a","extra":1}"#,                    // unknown
        r#"{"code":"internal","message":"x"}"#,       // a Connect error body
        r#"{"id":"a"} x"#,                            // trailing text
        r#"{"id":"a""#,                               // cut short
    ] {
        assert_eq!(fast::read(&SUBJECT, text), None, "{text}");
    }
    for text in
        [r#"{"statusVersion":1.5}"#, r#"{"statusVersion":1e3}"#, r#"{"statusVersion":-0}"#, r#"{"statusVersion":01}"#]
    {
        assert_eq!(fast::read(&PREBUILD_STATUS, text), None, "{text}");
    }
}
