//! Bugs the hardening work found (the fuzzer, the hostile-response corpus, the secrets
//! walk), each kept as the test that failed before its fix. (A bug found but not fixed
//! yet goes here `#[ignore]`d, with the reason; `-- --include-ignored` runs it.)

use gitpod_prebuilds::api::{Method, Request};
use gitpod_prebuilds::call::{decode_success, ClientConfig};
use gitpod_prebuilds::retry::{delay_ms, RetryHeaders};
use gitpod_prebuilds::Error;

/// `retry-after` is a response header: a server (or a proxy) decides what it holds.
/// `http_date_ms` (src/retry.rs) multiplied a parsed year without bounds and overflowed
/// `i64`: a panic in debug builds, a silently wrapped date in release builds. Found by
/// tests/fuzz_decode.rs.
#[test]
fn a_retry_after_date_with_a_huge_year_falls_back_to_backoff() {
    for date in ["Sun, 06 Nov 99999999999991994 08:49:37 GMT", "Sun, 06 Nov -99999999999991994 08:49:37 GMT"] {
        let headers = RetryHeaders { retry_after: Some(date.into()), ..RetryHeaders::default() };
        let d = std::panic::catch_unwind(|| delay_ms(0, &headers, 1.7e12, 0.0));
        assert_eq!(d.ok(), Some(500.0), "{date}: the first backoff step, without a panic");
    }
}

/// WHATWG URL parsing (what `fetch` does) reads `\` as `/` in http(s) URLs, so
/// `http://evil.example\@127.0.0.1/api` goes to evil.example, with the token, in
/// plain text. `is_loopback_host` (src/call.rs) split the authority on `/ ? #` only
/// and found `127.0.0.1` after the `@`.
#[test]
fn a_backslash_cannot_smuggle_a_remote_host_past_the_loopback_check() {
    for base in ["http://evil.example\\@127.0.0.1/api", "http://evil.example\\@localhost:8080/api"] {
        let options = serde_json::json!({ "baseUrl": base, "token": "secret" });
        match ClientConfig::from_value(&options) {
            Err(Error::Validation { field, .. }) => assert_eq!(field, "baseUrl"),
            other => panic!("{base}: the token would go to evil.example over http: {other:?}"),
        }
    }
}

/// A 200 whose body is a Connect error was refused for every method with a response
/// message, but DeletePrebuild and DeleteWarmPool (whose message is empty) took it as
/// success: the caller was told the delete happened when a proxy said it failed.
#[test]
fn a_success_status_with_an_error_body_is_not_a_successful_delete() {
    for method in [Method::DeletePrebuild, Method::DeleteWarmPool] {
        let got = decode_success(method, r#"{"code":"internal","message":"upstream failed"}"#);
        assert!(matches!(got, Err(Error::Decode { .. })), "{method:?}: {got:?}");
    }
    // The expected field set to null counts as left out, wherever it stands.
    for body in [r#"{"prebuild":null,"code":"internal"}"#, r#"{ "prebuild" : null , "code":"internal"}"#] {
        let got = decode_success(Method::GetPrebuild, body);
        assert!(matches!(got, Err(Error::Decode { .. })), "{body}: {got:?}");
    }
    for body in [r#"{"prebuild":{"id":"x"},"code":"internal"}"#, r#"{"code":"internal","prebuild":{"id":"x"}}"#] {
        assert!(decode_success(Method::GetPrebuild, body).is_ok(), "{body}");
    }
}

/// `duration_nanos` (src/validate.rs) allowed 12 digits of seconds and multiplied them
/// by 10^9 in an `i64`, which holds only 9,223,372,036 s: a panic in debug builds, and
/// in release builds (the wasm package) a wrap-around, so `"18446744374s"` (585 years)
/// passed the 300s..7200s rule as 300.29 s and was sent. Found by `make fuzz` (overflow
/// checks on).
#[test]
fn a_timeout_beyond_i64_nanoseconds_is_refused_not_wrapped() {
    const ID: &str = "07e03a28-65a5-4d98-b532-8ea67b188048";
    for timeout in ["18446744374s", "99999999999s", "999999999999.999999999s", "-18446744374s"] {
        let params = serde_json::json!({ "projectId": ID, "spec": { "timeout": timeout } });
        let got = std::panic::catch_unwind(|| Request::from_value(Method::CreatePrebuild, &params));
        match got {
            Ok(Err(Error::Validation { field, .. })) => assert_eq!(field, "spec.timeout"),
            Ok(other) => panic!("{timeout}: accepted: {other:?}"),
            Err(_) => panic!("{timeout}: panicked"),
        }
    }
}
