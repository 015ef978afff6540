//! The HTTP side: CORS, static files, health and discovery, every fault kind with a
//! real client, the global fault rate, the start line and a clean shutdown.

mod support;

use std::io::ErrorKind;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::json;
use support::{http, Sim, API, TOKEN};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("prebuild-sim-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn cors_preflights_allow_the_client_and_fault_headers_from_any_origin() {
    let sim = Sim::frozen(&[]);
    let r = sim
        .request(
            "OPTIONS",
            &format!("{API}ListPrebuilds"),
            &[
                ("origin", "http://localhost:5173"),
                ("access-control-request-method", "POST"),
                (
                    "access-control-request-headers",
                    "authorization, content-type, connect-protocol-version, x-sim-fault, x-stainless-lang",
                ),
            ],
            "",
        )
        .unwrap();
    assert!(r.status == 204 || r.status == 200, "{}", r.status);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(r.header("access-control-allow-methods").unwrap().contains("POST"));
    let allowed = r.header("access-control-allow-headers").unwrap();
    for h in ["authorization", "content-type", "connect-protocol-version", "x-sim-fault", "x-stainless-lang"] {
        assert!(allowed.split(", ").any(|a| a == h), "{h} in {allowed}");
    }
    // Ordinary answers carry the origin and expose the retry headers.
    let call = sim.call("ListPrebuilds", &json!({}));
    assert_eq!(call.header("access-control-allow-origin"), Some("*"));
    assert!(call.header("access-control-expose-headers").unwrap().contains("retry-after-ms"));
    let error = sim.request("POST", &format!("{API}ListPrebuilds"), &[("origin", "http://x")], "{}").unwrap();
    assert_eq!(error.status, 401);
    assert_eq!(error.header("access-control-allow-origin"), Some("*"), "errors too, or a browser cannot read them");
}

#[test]
fn static_files_are_served_from_www_and_pkg() {
    let www = temp_dir("www");
    let pkg = temp_dir("pkg");
    std::fs::write(www.join("index.html"), "<!doctype html><title>demo</title>").unwrap();
    std::fs::create_dir_all(www.join("js")).unwrap();
    std::fs::write(www.join("js/app.js"), "console.log(1)").unwrap();
    std::fs::write(pkg.join("index.js"), "export {}").unwrap();
    std::fs::write(pkg.join("index_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let (w, p) = (www.to_str().unwrap().to_string(), pkg.to_str().unwrap().to_string());
    let sim = Sim::frozen(&["--www", &w, "--pkg", &p]);
    let get = |path: &str| sim.request("GET", path, &[], "").unwrap();

    let index = get("/");
    assert_eq!((index.status, index.body.as_str()), (200, "<!doctype html><title>demo</title>"));
    assert!(index.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(get("/index.html").body, index.body);
    let js = get("/js/app.js");
    assert!(js.header("content-type").unwrap().starts_with("text/javascript"));
    assert_eq!(get("/pkg/index.js").body, "export {}");
    let wasm = get("/pkg/index_bg.wasm");
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(wasm.header("content-length"), Some("8"));
    let head = sim.request("HEAD", "/pkg/index.js", &[], "").unwrap();
    assert_eq!((head.status, head.body.as_str()), (200, ""));
    assert_eq!(get("/js").status, 308, "a directory without its slash is redirected");
    for missing in
        ["/nope.html", "/pkg/nope.js", "/../Cargo.toml", "/pkg/../index.html", "/%2e%2e/etc/passwd", "/pkg/%zz"]
    {
        assert_eq!(get(missing).status, 404, "{missing}");
    }
    assert_eq!(sim.request("POST", "/index.html", &[], "").unwrap().status, 405);
    let _ = std::fs::remove_dir_all(www);
    let _ = std::fs::remove_dir_all(pkg);
}

#[test]
fn missing_static_directories_are_404_not_a_crash() {
    let sim = Sim::frozen(&["--www", "/nonexistent/www", "--pkg", "/nonexistent/pkg"]);
    assert_eq!(sim.request("GET", "/", &[], "").unwrap().status, 404);
    assert_eq!(sim.request("GET", "/pkg/index.js", &[], "").unwrap().status, 404);
    assert_eq!(sim.request("GET", "/healthz", &[], "").unwrap().status, 200);
}

#[test]
fn health_and_discovery() {
    let sim = Sim::frozen(&[]);
    let health = sim.request("GET", "/healthz", &[], "").unwrap();
    assert_eq!((health.status, health.body.as_str()), (200, "ok\n"));
    let info = sim.info();
    let classes = info["environmentClasses"].as_array().unwrap();
    let projects = info["projects"].as_array().unwrap();
    assert!(info["organizations"].as_array().unwrap().len() >= 2);
    assert!(projects.len() >= 3);
    for p in projects {
        for key in ["id", "name", "organizationId", "defaultEnvironmentClassId"] {
            assert!(p[key].is_string(), "{key} of {p}");
        }
        let ids = p["environmentClassIds"].as_array().unwrap();
        assert!(ids.contains(&p["defaultEnvironmentClassId"]));
        for id in ids {
            assert!(classes.iter().any(|c| &c["id"] == id));
        }
    }
    for c in classes {
        assert!(c["name"].is_string() && c["runnerId"].is_string());
    }
    for subject in info["subjects"].as_array().unwrap() {
        assert!(subject["id"].is_string() && subject["name"].is_string());
        assert!(["PRINCIPAL_USER", "PRINCIPAL_SERVICE_ACCOUNT"].contains(&subject["principal"].as_str().unwrap()));
    }
    assert!(info["hints"]["freePair"]["projectId"].is_string());
    // The start output names the same ids.
    let out = support::wait_for("the start output", || {
        let out = sim.stdout.lock().unwrap().clone();
        out.contains("prebuild with HTML").then_some(out)
    });
    for p in projects {
        assert!(out.contains(p["id"].as_str().unwrap()), "{out}");
    }
}

#[test]
fn server_faults_answer_with_their_status() {
    let sim = Sim::frozen(&[]);
    let fault = |kind: &str| sim.call_with("ListPrebuilds", "", &[("x-sim-fault", kind)], "{}");
    let r = fault("503");
    assert_eq!((r.status, r.code()), (503, "unavailable".into()));
    let r = fault("503;retry-after-ms=25");
    assert_eq!(r.header("retry-after-ms"), Some("25"));
    let r = fault("500");
    assert_eq!((r.status, r.code()), (500, "internal".into()));
    let r = fault("429;retry-after-ms=50");
    assert_eq!((r.status, r.code()), (429, "resource_exhausted".into()));
    assert_eq!(r.header("retry-after-ms"), Some("50"));
    assert_eq!(fault("429").header("retry-after-ms"), None);
    let r = fault("html502");
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.body.contains("<html>"));
    let r = fault("malformed");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-length").unwrap().parse::<usize>().unwrap(), r.body.len(), "the framing is intact");
    assert!(r.body.starts_with("{\"prebuilds\""));
    assert!(serde_json::from_str::<serde_json::Value>(&r.body).is_err(), "the JSON is not");
    let r = fault("teapot");
    assert_eq!((r.status, r.code()), (400, "invalid_argument".into()));
    assert!(r.body.contains("x-sim-fault"));
    // Faults come before authentication, as a proxy's would.
    let r = sim.request("POST", &format!("{API}GetPrebuild"), &[("x-sim-fault", "503")], "{}").unwrap();
    assert_eq!(r.status, 503);
}

#[test]
fn a_reset_closes_the_connection_without_a_response() {
    let sim = Sim::frozen(&[]);
    let auth = format!("Bearer {TOKEN}");
    let err = http(
        &sim.addr,
        "POST",
        &format!("{API}ListPrebuilds"),
        &[("authorization", &auth), ("x-sim-fault", "reset")],
        b"{}",
    )
    .expect_err("no response");
    assert!(
        matches!(err.kind(), ErrorKind::ConnectionReset | ErrorKind::UnexpectedEof | ErrorKind::ConnectionAborted),
        "a network error: {err:?}"
    );
    // The server goes on serving.
    assert_eq!(sim.call("ListPrebuilds", &json!({})).status, 200);
}

#[test]
fn a_delay_answers_late_and_normally() {
    let sim = Sim::frozen(&[]);
    let started = Instant::now();
    let r = sim.call_with("ListPrebuilds", "", &[("x-sim-fault", "delay=300")], "{}");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["prebuilds"].as_array().unwrap().len(), 25);
    assert!(started.elapsed() >= Duration::from_millis(300), "at least the delay");
}

#[test]
fn times_and_key_limit_a_fault_to_the_first_requests() {
    let sim = Sim::frozen(&[]);
    let statuses = |header: &str, n: usize| -> Vec<u16> {
        (0..n).map(|_| sim.call_with("ListPrebuilds", "", &[("x-sim-fault", header)], "{}").status).collect()
    };
    assert_eq!(statuses("429;retry-after-ms=50;times=2;key=abc", 4), [429, 429, 200, 200]);
    // Another key has its own count; the same key stays used up, whatever the kind.
    assert_eq!(statuses("503;times=1;key=other", 2), [503, 200]);
    assert_eq!(statuses("503;times=2;key=abc", 1), [200]);
    // Without a key the header itself is the key.
    assert_eq!(statuses("500;times=1", 2), [500, 200]);
    // Without times every request fails.
    assert_eq!(statuses("503;key=forever", 3), [503, 503, 503]);
    // A reset with times: the first connection is dropped, the next one served.
    let auth = format!("Bearer {TOKEN}");
    let send = || {
        http(
            &sim.addr,
            "POST",
            &format!("{API}ListPrebuilds"),
            &[("authorization", &auth), ("x-sim-fault", "reset;times=1;key=r")],
            b"{}",
        )
    };
    assert!(send().is_err());
    assert_eq!(send().unwrap().status, 200);
    // /_sim/reset forgets the counts.
    assert_eq!(sim.request("POST", "/_sim/reset", &[], "").unwrap().status, 200);
    assert_eq!(statuses("429;times=2;key=abc", 1), [429]);
}

#[test]
fn a_global_fault_rate_fails_some_api_calls() {
    let all = Sim::frozen(&["--fault-rate", "1"]);
    let auth = format!("Bearer {TOKEN}");
    for _ in 0..12 {
        match http(&all.addr, "POST", &format!("{API}ListPrebuilds"), &[("authorization", &auth)], b"{}") {
            Ok(r) => assert!(r.status == 503 || r.status == 429, "{}", r.status),
            Err(e) => assert!(matches!(e.kind(), ErrorKind::ConnectionReset | ErrorKind::UnexpectedEof), "{e:?}"),
        }
    }
    assert_eq!(all.request("GET", "/healthz", &[], "").unwrap().status, 200, "only API calls fail");

    let half = Sim::frozen(&["--fault-rate", "0.5"]);
    let ok = (0..40)
        .filter(|_| {
            http(&half.addr, "POST", &format!("{API}ListPrebuilds"), &[("authorization", &auth)], b"{}")
                .is_ok_and(|r| r.status == 200)
        })
        .count();
    assert!((1..40).contains(&ok), "some pass, some fail: {ok} of 40");
}

#[test]
fn the_first_line_names_the_url_and_port_zero_picks_a_port() {
    let sim = Sim::frozen(&["--host", "127.0.0.1"]);
    assert!(sim.url.starts_with("http://127.0.0.1:"));
    let port: u16 = sim.addr.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0);
    let other = Sim::frozen(&[]);
    assert_ne!(other.addr, sim.addr);
}

#[test]
fn bad_arguments_exit_with_status_2_and_help_with_0() {
    let bin = env!("CARGO_BIN_EXE_prebuild-sim");
    let bad = std::process::Command::new(bin).args(["--port", "nope"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--port"));
    let help = std::process::Command::new(bin).arg("--help").output().unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--tick-ms"));
}

#[cfg(unix)]
#[test]
fn sigterm_and_sigint_stop_the_server_cleanly() {
    for signal in ["-TERM", "-INT"] {
        let mut sim = Sim::frozen(&[]);
        assert_eq!(sim.call("ListPrebuilds", &json!({})).status, 200);
        let killed = std::process::Command::new("kill").args([signal, &sim.pid().to_string()]).status().unwrap();
        assert!(killed.success());
        let status = sim.wait_exit();
        assert!(status.success(), "{signal}: {status:?}");
        assert!(http(&sim.addr, "GET", "/healthz", &[], b"").is_err(), "no longer listening");
    }
}
