//! The `stall` fault (headers and half a body, then a wait) and the `/_sim/stats`
//! counters that load tests compare with what their client saw.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{http, Sim, API, PATIENCE, TOKEN};

/// Sends one API request on a raw socket and returns it, the request written.
fn send_raw(sim: &Sim, method: &str, fault: &str) -> TcpStream {
    let mut stream = TcpStream::connect(&sim.addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let body = "{}";
    let head = format!(
        "POST {API}{method} HTTP/1.1\r\nhost: {}\r\nconnection: close\r\nauthorization: Bearer {TOKEN}\r\n\
         content-type: application/json\r\nx-sim-fault: {fault}\r\ncontent-length: {}\r\n\r\n{body}",
        sim.addr,
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream
}

/// Reads until `raw` holds the headers and at least `min_body` body bytes; returns
/// the header length and the declared content-length.
fn read_head(stream: &mut TcpStream, raw: &mut Vec<u8>, min_body: usize) -> (usize, usize) {
    let mut buf = [0u8; 4096];
    loop {
        if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .expect("a content-length");
            if raw.len() >= split + 4 + min_body {
                return (split + 4, len);
            }
        }
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "the connection closed early: {}", String::from_utf8_lossy(raw));
        raw.extend_from_slice(&buf[..n]);
    }
}

#[test]
fn a_stall_sends_headers_and_half_the_body_then_the_rest_after_the_wait() {
    let sim = Sim::frozen(&[]);
    let started = Instant::now();
    let mut stream = send_raw(&sim, "ListWarmPools", "stall=1000");
    let mut raw = Vec::new();
    let (head_len, len) = read_head(&mut stream, &mut raw, 1);
    let first_seen = started.elapsed();
    assert!(raw.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&raw));
    assert!(first_seen < Duration::from_millis(1000), "the first half comes at once ({first_seen:?})");
    assert!(raw.len() - head_len < len, "not all of the body at first");
    stream.read_to_end(&mut raw).unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(1000), "the rest after the wait ({elapsed:?})");
    let body: Value = serde_json::from_slice(&raw[head_len..]).expect("the whole body is the normal JSON answer");
    assert_eq!(raw.len() - head_len, len, "exactly content-length bytes");
    assert!(!body["warmPools"].as_array().unwrap().is_empty());
}

#[test]
fn a_bare_stall_holds_until_the_client_gives_up_and_the_server_goes_on() {
    let mut sim = Sim::frozen(&[]);
    let mut stream = send_raw(&sim, "GetPrebuild", "stall");
    let mut raw = Vec::new();
    let (head_len, len) = read_head(&mut stream, &mut raw, 0);
    // The call was served (an empty body is invalid_argument: 400), then stalled.
    assert!(raw.starts_with(b"HTTP/1.1 400"), "{}", String::from_utf8_lossy(&raw));
    assert!(raw.len() - head_len < len);
    stream.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
    let mut more = [0u8; 64];
    assert!(stream.read(&mut more).is_err(), "nothing more comes");
    drop(stream);
    assert_eq!(sim.call("ListPrebuilds", &json!({})).status, 200, "other calls are served");

    // A stall open on another connection does not hold up a shutdown.
    let mut open = send_raw(&sim, "ListPrebuilds", "stall");
    read_head(&mut open, &mut Vec::new(), 0);
    let started = Instant::now();
    let killed = std::process::Command::new("kill").args(["-TERM", &sim.pid().to_string()]).status().unwrap();
    assert!(killed.success());
    assert!(sim.wait_exit().success());
    assert!(started.elapsed() < Duration::from_secs(4), "no drain timeout: {:?}", started.elapsed());
}

fn stats(sim: &Sim) -> Value {
    let r = sim.request("GET", "/_sim/stats", &[], "").unwrap();
    assert_eq!(r.status, 200);
    r.json()
}

#[test]
fn stats_count_requests_faults_and_answers_per_method_until_a_reset() {
    let sim = Sim::frozen(&[]);
    let zero = stats(&sim);
    assert_eq!((zero["requests"].clone(), zero["faultCount"].clone()), (json!(0), json!(0)));
    assert_eq!(zero["methods"], json!({}));

    let statuses: Vec<u16> = (0..3)
        .map(|_| sim.call_with("ListPrebuilds", "", &[("x-sim-fault", "503;times=2;key=s")], "{}").status)
        .collect();
    assert_eq!(statuses, [503, 503, 200]);
    assert_eq!(sim.call_with("GetWarmPool", "", &[("x-sim-fault", "429")], "{}").status, 429);
    assert_eq!(sim.call_with("GetWarmPool", "", &[("x-sim-fault", "html502")], "{}").status, 502);
    assert_eq!(sim.call_with("GetWarmPool", "", &[("x-sim-fault", "delay=1")], "{}").status, 400);
    let auth = format!("Bearer {TOKEN}");
    let reset = http(
        &sim.addr,
        "POST",
        &format!("{API}GetPrebuild"),
        &[("authorization", &auth), ("x-sim-fault", "reset")],
        b"{}",
    );
    assert!(reset.is_err());
    assert_eq!(sim.request("POST", &format!("{API}NoSuchMethod"), &[], "{}").unwrap().status, 404);
    assert_eq!(sim.request("GET", "/healthz", &[], "").unwrap().status, 200);

    let s = stats(&sim);
    assert_eq!(s["requests"], 7, "API requests of known methods only: {s}");
    assert_eq!(s["faultCount"], 6);
    assert_eq!(s["faults"], json!({ "503": 2, "429": 1, "html502": 1, "delay": 1, "reset": 1 }));
    assert_eq!(s["served"], 2, "the 200 and the delayed call");
    assert_eq!(s["statuses"], json!({ "200": 1, "400": 1, "429": 1, "502": 1, "503": 2 }), "no status for the reset");
    assert_eq!(
        s["methods"]["ListPrebuilds"],
        json!({
            "requests": 3,
            "faults": { "503": 2 },
            "faultCount": 2,
            "committed": {},
            "committedCount": 0,
            "served": 1,
            "statuses": { "200": 1, "503": 2 }
        })
    );
    assert_eq!(s["methods"]["GetPrebuild"]["faults"], json!({ "reset": 1 }));
    assert_eq!(s["methods"]["GetPrebuild"]["statuses"], json!({}));
    assert_eq!(s["methods"]["GetWarmPool"]["requests"], 3);

    assert_eq!(sim.request("POST", "/_sim/reset", &[], "").unwrap().status, 200);
    assert_eq!(stats(&sim)["requests"], 0);
    assert_eq!(sim.request("POST", "/_sim/stats", &[], "").unwrap().status, 405);
}

#[test]
fn stats_count_every_fault_of_a_global_fault_rate() {
    let sim = Sim::frozen(&["--fault-rate", "0.5"]);
    let auth = format!("Bearer {TOKEN}");
    let (mut ok, mut errors, mut resets) = (0u64, 0u64, 0u64);
    for _ in 0..60 {
        match http(&sim.addr, "POST", &format!("{API}ListWarmPools"), &[("authorization", &auth)], b"{}") {
            Ok(r) if r.status == 200 => ok += 1,
            Ok(r) => {
                assert!(r.status == 503 || r.status == 429, "{}", r.status);
                errors += 1
            }
            Err(_) => resets += 1,
        }
    }
    let s = stats(&sim);
    assert_eq!(s["requests"], 60);
    assert_eq!(s["served"], ok);
    assert_eq!(s["faultCount"], errors + resets);
    assert_eq!(s["faults"]["reset"].as_u64().unwrap_or(0), resets);
    assert_eq!(s["faults"]["503"].as_u64().unwrap_or(0) + s["faults"]["429"].as_u64().unwrap_or(0), errors);
}
