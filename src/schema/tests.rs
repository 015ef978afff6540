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
