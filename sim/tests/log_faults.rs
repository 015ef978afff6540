//! Prebuild logs at `GET /logs/{id}` under faults and interruptions: the `cut` fault
//! and the other faults, CORS, a reset of the simulator, readers that go away and a
//! shutdown, and the counters in `/_sim/stats`. Every stream is read with a
//! chunked-encoding decoder over a raw socket, which tells a clean end from a dropped
//! connection.

mod support;

use std::io::ErrorKind;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::chunked::Reader;
use support::logs::{error_of, in_phase, logs_token, open, stats, whole_log};
use support::{wait_for, Sim};

#[test]
fn a_cut_drops_the_connection_after_exactly_n_lines_and_times_limits_it() {
    let sim = Sim::frozen(&[]);
    let id = &in_phase(&sim, "COMPLETED")[0];
    let token = logs_token(&sim, id);
    let full = whole_log(&sim, id);
    let lines: Vec<&str> = full.split_inclusive('\n').collect();

    let cut = open(&sim, id, &token, &[("x-sim-fault", "cut=5;times=1;key=cut-test")]);
    assert_eq!(cut.status, 200, "the headers say nothing of what is coming");
    let body = cut.read_all();
    let err = body.end.as_ref().expect_err("an abrupt end, not a clean one");
    assert_eq!(err.kind(), ErrorKind::UnexpectedEof, "{err}");
    assert_eq!(body.chunks.len(), 5);
    assert_eq!(body.text(), lines[..5].concat(), "exactly the first 5 lines");

    let again = open(&sim, id, &token, &[("x-sim-fault", "cut=5;times=1;key=cut-test")]).read_all();
    assert!(again.end.is_ok(), "times=1: the second request is not cut");
    assert_eq!(again.text(), full);

    // A cut past the end drops the connection at the end: a cut stream never ends
    // cleanly. cut=0 drops it right after the headers.
    let late = open(&sim, id, &token, &[("x-sim-fault", "cut=100000")]).read_all();
    assert!(late.end.is_err());
    assert_eq!(late.text(), full);
    let at_once = open(&sim, id, &token, &[("x-sim-fault", "cut=0")]).read_all();
    assert!(at_once.end.is_err() && at_once.chunks.is_empty());

    // A cut with small chunks still cuts after whole lines.
    let chunked = Sim::frozen(&["--log-chunk-bytes", "7"]);
    let body = open(&chunked, id, &logs_token(&chunked, id), &[("x-sim-fault", "cut=3")]).read_all();
    assert!(body.end.is_err());
    assert_eq!(body.text(), lines[..3].concat());

    // On an API call, cut is refused.
    let r = sim.call_with("ListPrebuilds", "", &[("x-sim-fault", "cut=2")], "{}");
    assert_eq!((r.status, r.code()), (400, "invalid_argument".to_string()));
    assert!(r.json()["message"].as_str().unwrap().contains("log requests"), "{}", r.body);

    wait_for("every stream to be closed", || (stats(&sim)["logs"]["open"] == 0).then_some(()));
    let s = stats(&sim);
    assert_eq!(s["logs"]["faults"]["cut"], 3);
    assert_eq!(s["logs"]["cuts"], 3);
    assert_eq!(s["logs"]["completed"], 2, "the whole log and the second cut=5 request");
}

#[test]
fn node_fetch_rejects_a_cut_log_and_reads_a_whole_one() {
    if std::process::Command::new("node").arg("--version").output().is_err() {
        eprintln!("node is not installed: skipping the check with Node's fetch");
        return;
    }
    let sim = Sim::frozen(&[]);
    let id = &in_phase(&sim, "FAILED")[0];
    let token = logs_token(&sim, id);
    let script = r#"
        const url = process.env.LOG_URL;
        const headers = { authorization: `Bearer ${process.env.LOG_TOKEN}` };
        const whole = await (await fetch(url, { headers })).text();
        const r = await fetch(url, { headers: { ...headers, "x-sim-fault": "cut=4" } });
        let outcome;
        try {
          await r.text();
          outcome = "resolved";
        } catch (e) {
          outcome = `rejected: ${e.name}`;
        }
        console.log(JSON.stringify({ status: r.status, outcome, whole }));
    "#;
    let out = std::process::Command::new("node")
        .args(["--input-type=module", "-e", script])
        .env("LOG_URL", format!("{}/logs/{id}", sim.url))
        .env("LOG_TOKEN", &token)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let seen: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(seen["status"], 200);
    assert_eq!(seen["outcome"], "rejected: TypeError", "fetch's body read fails: {seen}");
    assert_eq!(seen["whole"].as_str().unwrap(), whole_log(&sim, id), "Node reads the same text");
}

#[test]
fn log_requests_take_the_faults_that_make_sense_for_a_stream() {
    let sim = Sim::frozen(&[]);
    let id = &in_phase(&sim, "COMPLETED")[0];
    let token = logs_token(&sim, id);
    let full = whole_log(&sim, id);
    let fault = |f: &str| open(&sim, id, &token, &[("x-sim-fault", f)]);

    let r = fault("503;retry-after-ms=70");
    assert_eq!(r.header("retry-after-ms"), Some("70"));
    assert_eq!(error_of(r).0, 503);
    assert_eq!(error_of(fault("429")).0, 429);
    assert_eq!(error_of(fault("500")).0, 500);
    assert_eq!(error_of(fault("502")).0, 502);
    let html = fault("html502");
    assert_eq!((html.status, html.header("content-type")), (502, Some("text/html")));
    let auth = format!("Bearer {token}");
    let reset = Reader::get(&sim.addr, &format!("/logs/{id}"), &[("authorization", &auth), ("x-sim-fault", "reset")]);
    assert!(reset.is_err(), "no response at all");

    let started = Instant::now();
    let late = fault("delay=150").read_all();
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(late.text(), full);

    let started = Instant::now();
    let mut stalled = fault("stall=400");
    assert_eq!(stalled.status, 200);
    let mut first_half = Vec::new();
    while first_half.len() < full.len() / 2 {
        first_half.extend(stalled.next_chunk().unwrap().expect("the first half comes at once"));
    }
    let rest = stalled.read_all();
    assert!(started.elapsed() >= Duration::from_millis(400), "the rest after the wait");
    assert!(rest.end.is_ok());
    assert_eq!([first_half, rest.bytes()].concat(), full.as_bytes());

    for (bad, says) in
        [("malformed", "API calls only"), ("503;commit=1", "changes nothing"), ("teapot", "unknown fault")]
    {
        let (status, code, message) = error_of(fault(bad));
        assert_eq!((status, code.as_str()), (400, "invalid_argument"), "{bad}");
        assert!(message.contains(says), "{bad}: {message}");
    }

    let s = stats(&sim);
    let logs = &s["logs"];
    assert_eq!(logs["requests"], 12, "{logs}");
    assert_eq!(
        logs["faults"],
        json!({ "503": 1, "429": 1, "500": 1, "502": 1, "html502": 1, "reset": 1, "delay": 1, "stall": 1 })
    );
    assert_eq!(logs["faultCount"], 8);
    assert_eq!(logs["served"], 3, "the whole log, the delayed one and the stalled one");
    assert_eq!(logs["completed"], 3);
    assert_eq!(logs["statuses"], json!({ "200": 3, "400": 3, "429": 1, "500": 1, "502": 2, "503": 1 }));
    assert_eq!(s["faultCount"], 0, "log requests are counted apart from API calls");
    assert_eq!(s["methods"]["CreatePrebuildLogsToken"]["requests"], 2);
}

#[test]
fn cors_preflights_allow_get_with_the_token_and_fault_headers() {
    let sim = Sim::frozen(&[]);
    let id = &in_phase(&sim, "COMPLETED")[0];
    let r = sim
        .request(
            "OPTIONS",
            &format!("/logs/{id}"),
            &[
                ("origin", "http://localhost:5173"),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "authorization, x-sim-fault"),
            ],
            "",
        )
        .unwrap();
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("access-control-allow-methods"), Some("GET, OPTIONS"));
    let allowed = r.header("access-control-allow-headers").unwrap();
    for h in ["authorization", "x-sim-fault"] {
        assert!(allowed.split(", ").any(|a| a == h), "{h} in {allowed}");
    }
    let ok = open(&sim, id, &logs_token(&sim, id), &[("origin", "http://localhost:5173")]);
    assert_eq!(ok.header("access-control-allow-origin"), Some("*"));
    let refused = Reader::get(&sim.addr, &format!("/logs/{id}"), &[("origin", "http://localhost:5173")]).unwrap();
    assert_eq!((refused.status, refused.header("access-control-allow-origin")), (401, Some("*")));
}

#[test]
fn a_reset_ends_the_streams_opened_before_it() {
    let sim = Sim::frozen(&[]);
    let running = &in_phase(&sim, "RUNNING")[0];
    let token = logs_token(&sim, running);
    let mut reader = open(&sim, running, &token, &[]);
    reader.next_chunk().unwrap().expect("a line");
    assert_eq!(sim.request("POST", "/_sim/reset", &[], "").unwrap().status, 200);
    let rest = reader.read_all();
    assert!(rest.end.is_err(), "the log it followed is no more: an abrupt end");
    // The seeded prebuild is back, but tokens are forgotten with the rest of the state.
    assert!(sim.prebuild(running).is_some());
    let (status, _, message) = error_of(open(&sim, running, &token, &[]));
    assert_eq!(status, 401);
    assert!(message.contains("not a logs token"), "{message}");
    assert_eq!(open(&sim, running, &logs_token(&sim, running), &[]).status, 200);
}

#[test]
fn a_reader_that_goes_away_closes_its_stream_and_a_shutdown_ends_the_others() {
    let mut sim = Sim::frozen(&[]);
    let running = in_phase(&sim, "RUNNING");
    let mut a = open(&sim, &running[0], &logs_token(&sim, &running[0]), &[]);
    let mut b = open(&sim, &running[1], &logs_token(&sim, &running[1]), &[]);
    a.next_chunk().unwrap().expect("a line");
    b.next_chunk().unwrap().expect("a line");
    assert_eq!(stats(&sim)["logs"]["open"], 2, "both follow an unfinished prebuild");
    drop(a);
    wait_for("the stream of the reader that left to close", || (stats(&sim)["logs"]["open"] == 1).then_some(()));

    // A stream open on another connection does not hold up a shutdown, and its reader
    // sees an abrupt end, not a finished log.
    let started = Instant::now();
    let killed = std::process::Command::new("kill").args(["-TERM", &sim.pid().to_string()]).status().unwrap();
    assert!(killed.success());
    assert!(sim.wait_exit().success());
    assert!(started.elapsed() < Duration::from_secs(4), "no drain timeout: {:?}", started.elapsed());
    assert!(b.read_all().end.is_err());
}
