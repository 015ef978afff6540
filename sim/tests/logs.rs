//! Prebuild logs at `GET /logs/{id}`: log URLs, logs tokens (each refusal, 404s,
//! expiry), replay from the first line, following a running prebuild to its end,
//! failed and cancelled logs, the text's awkward parts, chunk splitting, the `cut`
//! fault and the other faults, CORS, and the counters in `/_sim/stats`. Every stream is
//! read with a chunked-encoding decoder over a raw socket, which tells a clean end from
//! a dropped connection.

mod support;

use std::io::ErrorKind;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::chunked::{Body, Reader};
use support::{s, wait_for, Sim, TOKEN};

fn project_id(sim: &Sim, name: &str) -> String {
    let info = sim.info();
    let p = info["projects"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap();
    s(p, "/id").to_string()
}

/// Creates a prebuild, with `x-sim-outcome` when `outcome` is given.
fn create(sim: &Sim, project: &str, outcome: Option<&str>) -> String {
    let headers: Vec<(&str, &str)> = outcome.map(|o| ("x-sim-outcome", o)).into_iter().collect();
    let r = sim.call_with("CreatePrebuild", "", &headers, &json!({ "projectId": project, "spec": {} }).to_string());
    assert_eq!(r.status, 200, "{}", r.body);
    s(&r.json(), "/prebuild/id").to_string()
}

fn logs_token(sim: &Sim, id: &str) -> String {
    s(&sim.ok("CreatePrebuildLogsToken", json!({ "prebuildId": id })), "/accessToken").to_string()
}

fn phase(sim: &Sim, id: &str) -> String {
    s(&sim.prebuild(id).expect("the prebuild exists"), "/status/phase")
        .trim_start_matches("PREBUILD_PHASE_")
        .to_string()
}

/// Opens the log of `id` with `token` and extra headers.
fn open(sim: &Sim, id: &str, token: &str, extra: &[(&str, &str)]) -> Reader {
    let auth = format!("Bearer {token}");
    let mut headers = vec![("authorization", auth.as_str())];
    headers.extend_from_slice(extra);
    Reader::get(&sim.addr, &format!("/logs/{id}"), &headers).expect("a response")
}

/// The whole log of a finished prebuild, which must end cleanly.
fn whole_log(sim: &Sim, id: &str) -> String {
    let r = open(sim, id, &logs_token(sim, id), &[]);
    assert_eq!(r.status, 200);
    let body = r.read_all();
    body.end.as_ref().expect("a clean end");
    body.text()
}

/// The ids of the prebuilds in `phase` (e.g. `COMPLETED`).
fn in_phase(sim: &Sim, phase: &str) -> Vec<String> {
    let filter = json!({ "filter": { "phases": [format!("PREBUILD_PHASE_{phase}")] } });
    sim.walk("ListPrebuilds", "prebuilds", &filter, 100).iter().map(|p| s(p, "/id").to_string()).collect()
}

/// An error answer's Connect code and message.
fn error_of(r: Reader) -> (u16, String, String) {
    let status = r.status;
    let body: Value = serde_json::from_slice(&r.read_all().bytes()).expect("a JSON error body");
    (status, s(&body, "/code").to_string(), s(&body, "/message").to_string())
}

fn stats(sim: &Sim) -> Value {
    sim.request("GET", "/_sim/stats", &[], "").unwrap().json()
}

#[test]
fn log_urls_point_at_the_simulator_unless_a_public_url_is_given() {
    let sim = Sim::frozen(&[]);
    let all = sim.walk("ListPrebuilds", "prebuilds", &json!({}), 100);
    let has_url = |p: &&Value| p["status"]["logUrl"].as_str().is_some_and(|u| !u.is_empty());
    let with_url: Vec<&Value> = all.iter().filter(has_url).collect();
    assert!(with_url.len() > 200, "every prebuild past PENDING has one");
    for p in &with_url {
        assert_eq!(s(p, "/status/logUrl"), format!("{}/logs/{}", sim.url, s(p, "/id")));
    }
    let summary = format!("  logs      {}/logs/{{prebuildId}}", sim.url);
    wait_for("the start summary", || sim.stdout.lock().unwrap().contains(&summary).then_some(()));

    let proxied = Sim::frozen(&["--public-url", "https://sim.example.com/prebuild-sim/"]);
    let first = proxied.walk("ListPrebuilds", "prebuilds", &json!({}), 100);
    let p = first.iter().find(has_url).unwrap();
    assert_eq!(s(p, "/status/logUrl"), format!("https://sim.example.com/prebuild-sim/logs/{}", s(p, "/id")));
    // A new prebuild gets its URL when it starts, from the same origin.
    let fast = Sim::fast(&["--public-url", "http://logs.test:9000"]);
    let id = create(&fast, &project_id(&fast, "acme/web-app"), None);
    let url = wait_for("a log URL", || {
        fast.prebuild(&id)?["status"]["logUrl"].as_str().filter(|u| !u.is_empty()).map(str::to_string)
    });
    assert_eq!(url, format!("http://logs.test:9000/logs/{id}"));
}

#[test]
fn only_a_live_logs_token_for_that_prebuild_opens_its_log() {
    let sim = Sim::frozen(&["--token", TOKEN]);
    let completed = in_phase(&sim, "COMPLETED");
    let (a, b) = (&completed[0], &completed[1]);
    let token_a = logs_token(&sim, a);
    assert!(token_a.starts_with("simlogs.") && token_a.len() > 64, "{token_a}");
    assert_ne!(token_a, logs_token(&sim, a), "a new token each time");

    let path = format!("/logs/{a}");
    let tampered = format!("{}{}", &token_a[..token_a.len() - 1], if token_a.ends_with('0') { '1' } else { '0' });
    let other = logs_token(&sim, b);
    // What is sent as `authorization` (nothing for the first), and what the answer says.
    let refusals = [
        ("no token", None, "missing Authorization header"),
        ("not bearer", Some(format!("Basic {token_a}")), "not a bearer token"),
        ("empty bearer", Some("Bearer ".into()), "not a bearer token"),
        ("unknown", Some("Bearer simlogs.0123456789abcdef".into()), "not a logs token"),
        ("tampered", Some(format!("Bearer {tampered}")), "not a logs token"),
        ("the API token", Some(format!("Bearer {TOKEN}")), "the API token does not open logs"),
        ("another prebuild's", Some(format!("Bearer {other}")), "another prebuild"),
    ];
    for (what, authorization, says) in refusals {
        let headers: Vec<(&str, &str)> = authorization.iter().map(|v| ("authorization", v.as_str())).collect();
        let r = Reader::get(&sim.addr, &path, &headers).unwrap();
        assert_eq!(r.header("www-authenticate"), Some("Bearer realm=\"prebuild-logs\""), "{what}");
        assert_eq!(r.header("content-type"), Some("application/json"), "{what}");
        let (status, code, message) = error_of(r);
        assert_eq!((status, code.as_str()), (401, "unauthenticated"), "{what}");
        assert!(message.contains(says), "{what}: {message}");
    }
    let ok = open(&sim, a, &token_a, &[]);
    assert_eq!(ok.status, 200);
    assert_eq!(ok.header("content-type"), Some("text/plain; charset=utf-8"));
    assert_eq!(ok.header("transfer-encoding"), Some("chunked"));
    assert!(ok.read_all().end.is_ok());
    // Ids are case-insensitive, as in the API.
    assert_eq!(open(&sim, &a.to_uppercase(), &token_a, &[]).status, 200);

    // A deleted prebuild's log is gone, even with a token for it.
    let deleted = &in_phase(&sim, "DELETED")[0];
    let (status, code, message) = error_of(open(&sim, deleted, &logs_token(&sim, deleted), &[]));
    assert_eq!((status, code.as_str()), (404, "not_found"));
    assert!(message.contains("deleted"), "{message}");
    // Paths that name no log, and methods other than GET.
    for path in ["/logs/", &format!("/logs/{a}/more")] {
        let (status, code, _) = error_of(Reader::get(&sim.addr, path, &[]).unwrap());
        assert_eq!((status, code.as_str()), (404, "not_found"), "{path}");
    }
    let post = sim.request("POST", &path, &[("authorization", &format!("Bearer {token_a}"))], "").unwrap();
    assert_eq!((post.status, post.header("allow")), (405, Some("GET, OPTIONS")));
}

#[test]
fn a_prebuild_deleted_while_followed_ends_its_log_and_is_then_not_found() {
    let sim = Sim::fast(&[]);
    let id = create(&sim, &project_id(&sim, "acme/web-app"), None);
    let token = logs_token(&sim, &id);
    let mut reader = open(&sim, &id, &token, &[]);
    assert_eq!(reader.status, 200);
    let first = reader.next_chunk().unwrap().expect("the banner");
    assert!(String::from_utf8(first).unwrap().contains(&id));
    sim.ok("DeletePrebuild", json!({ "prebuildId": id }));
    let rest = reader.read_all();
    rest.end.as_ref().expect("a clean end once DELETED");
    let text = rest.text();
    if !text.contains("Prebuild completed") {
        // Deleted before it finished: the delete's lines close the log.
        assert!(text.ends_with("\x1b[1m⊘ Prebuild deleted before it finished\x1b[0m"), "{text}");
    }
    wait_for("the prebuild to be gone", || sim.prebuild(&id).is_none().then_some(()));
    let (status, code, message) = error_of(open(&sim, &id, &token, &[]));
    assert_eq!((status, code.as_str()), (404, "not_found"));
    assert!(message.contains("not found"), "{message}");
}

#[test]
fn tokens_expire_after_their_lifetime() {
    let sim = Sim::frozen(&["--logs-token-ttl-ms", "300"]);
    let id = &in_phase(&sim, "COMPLETED")[0];
    let minted = Instant::now();
    let token = logs_token(&sim, id);
    let early = open(&sim, id, &token, &[]);
    if minted.elapsed() < Duration::from_millis(250) {
        assert_eq!(early.status, 200, "valid within its lifetime");
    }
    std::thread::sleep(Duration::from_millis(400));
    let (status, code, message) = error_of(open(&sim, id, &token, &[]));
    assert_eq!((status, code.as_str()), (401, "unauthenticated"));
    assert!(message.contains("expired at 20"), "{message}");
    assert_eq!(open(&sim, id, &logs_token(&sim, id), &[]).status, 200, "a new token works");
}

#[test]
fn every_request_replays_the_log_from_its_first_line() {
    let sim = Sim::frozen(&[]);
    let id = &in_phase(&sim, "COMPLETED")[0];
    let first = whole_log(&sim, id);
    assert_eq!(first, whole_log(&sim, id));
    // The same for a running prebuild (this clock does not move): the stream stays
    // open, and its first lines are the same on every request.
    let running = &in_phase(&sim, "RUNNING")[0];
    let token = logs_token(&sim, running);
    let mut a = open(&sim, running, &token, &[]);
    let mut b = open(&sim, running, &token, &[]);
    for _ in 0..12 {
        let line = a.next_chunk().unwrap().expect("a line; the log is not finished");
        assert_eq!(b.next_chunk().unwrap(), Some(line));
    }
}

#[test]
fn a_running_prebuilds_log_arrives_over_time_and_ends_cleanly_when_it_completes() {
    let sim = Sim::start(&["--tick-ms", "40"]);
    let id = create(&sim, &project_id(&sim, "acme/web-app"), None);
    let mut reader = open(&sim, &id, &logs_token(&sim, &id), &[]);
    assert_eq!(reader.status, 200, "a PENDING prebuild's log is open, and empty so far");
    // After each line, where the prebuild is: lines must come while it runs.
    let mut seen: Vec<(usize, String)> = Vec::new();
    let mut text = Vec::new();
    let end = loop {
        match reader.next_chunk() {
            Ok(Some(chunk)) => {
                text.extend_from_slice(&chunk);
                seen.push((seen.len() + 1, phase(&sim, &id)));
            }
            other => break other,
        }
    };
    assert!(matches!(end, Ok(None)), "a clean end: {end:?}");
    assert_eq!(phase(&sim, &id), "COMPLETED", "the end comes with the final phase");
    let lines = seen.len();
    let early = seen.iter().filter(|(_, p)| p != "COMPLETED").map(|(n, _)| *n).max().unwrap_or(0);
    assert!(early > 0, "lines arrived while the prebuild ran: {seen:?}");
    assert!(lines > early, "and more lines after: {seen:?}");
    let text = String::from_utf8(text).unwrap();
    assert_eq!(text, whole_log(&sim, &id), "what was followed is what a replay gives");
    assert!(text.contains("✔ Prebuild completed"), "{text}");
    assert!(!text.ends_with('\n'), "a finished log's last line has no newline");
}

#[test]
fn failed_and_cancelled_prebuilds_logs_say_so_and_end() {
    let sim = Sim::fast(&[]);
    let web = project_id(&sim, "acme/web-app");
    let failing = create(&sim, &project_id(&sim, "acme/legacy-monolith"), None);
    let forced_failure = create(&sim, &web, Some("failed"));
    let forced_cancel = create(&sim, &web, Some("cancelled"));
    let cancelled = create(&sim, &web, None);
    sim.ok("CancelPrebuild", json!({ "prebuildId": cancelled }));
    // Each followed from (nearly) the start to its end.
    let follow = |id: &str| {
        let body = open(&sim, id, &logs_token(&sim, id), &[]).read_all();
        body.end.as_ref().unwrap_or_else(|e| panic!("{id} ends cleanly: {e}"));
        body.text()
    };
    for id in [&failing, &forced_failure] {
        let text = follow(id);
        assert_eq!(phase(&sim, id), "FAILED");
        let message = s(&sim.prebuild(id).unwrap(), "/status/failureMessage").to_string();
        let last = text.rsplit('\n').next().unwrap();
        assert_eq!(last, format!("\x1b[31m\x1b[1m✘ Prebuild failed:\x1b[0m {message}"));
        assert!(text.contains("npm \x1b[31merror\x1b[0m code ERESOLVE"), "the failing task's error");
        assert!(text.contains("✘ Task 1/3 · npm ci exited with code 1"), "and its exit code");
        assert!(!text.contains("Task 2/3"), "nothing runs after the failure");
    }
    for id in [&forced_cancel, &cancelled] {
        let text = follow(id);
        assert_eq!(phase(&sim, id), "CANCELLED");
        assert!(text.ends_with("\x1b[33m\x1b[1m⊘ Prebuild cancelled\x1b[0m"), "{text}");
        assert!(text.contains("Cancellation requested"));
        assert_eq!(follow(id), text, "a cancelled log stays as it ended");
    }
    let forced = follow(&forced_cancel);
    assert!(forced.contains("Task 1/3 · npm ci"), "the service cancels it while its tasks run");
    assert!(!forced.contains("Uploading snapshot"));
    let pb = sim.prebuild(&forced_cancel).unwrap();
    assert_eq!(pb["spec"]["desiredPhase"], "PREBUILD_PHASE_CANCELLED");

    // The header is checked.
    let r = sim.call_with(
        "CreatePrebuild",
        "",
        &[("x-sim-outcome", "exploded")],
        &json!({ "projectId": web, "spec": {} }).to_string(),
    );
    assert_eq!((r.status, r.code()), (400, "invalid_argument".to_string()));
    assert!(r.json()["message"].as_str().unwrap().contains("completed, warning, failed or cancelled"));
    let r = sim.call_with("GetPrebuild", "", &[("x-sim-outcome", "failed")], &json!({ "prebuildId": web }).to_string());
    assert_eq!((r.status, r.code()), (400, "invalid_argument".to_string()));
    // `completed` and `warning` make a failing project's prebuild complete.
    let legacy = project_id(&sim, "acme/legacy-monolith");
    let rescued = create(&sim, &legacy, Some("warning"));
    let text = follow(&rescued);
    assert_eq!(phase(&sim, &rescued), "COMPLETED");
    let warning = s(&sim.prebuild(&rescued).unwrap(), "/status/warningMessage").to_string();
    assert!(!warning.is_empty() && text.contains(&format!("⚠ {warning}")), "the status' warning is in the log");
    let plain = create(&sim, &legacy, Some("completed"));
    follow(&plain);
    assert_eq!(phase(&sim, &plain), "COMPLETED");
}

/// Checks what every finished log has; returns its lines.
fn check_awkward(id: &str, text: &str) -> Vec<String> {
    let lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    assert!(lines.len() >= 5, "{id}: {text}");
    assert!(lines[0].contains(id) && lines[0].ends_with('\n') && !lines[0].ends_with("\r\n"), "{id}");
    assert!(lines[1].ends_with("\r\n"), "{id}: the banner's second line ends in CRLF: {:?}", lines[1]);
    assert_eq!(text.matches("\r\n").count(), 1, "{id}: only that line");
    assert!(!text.ends_with('\n'), "{id}: the last line has no newline");
    assert!(text.contains("\x1b[1m") && text.contains("\x1b[0m"), "{id}: ANSI bold and resets");
    assert!(text.contains('→') && text.contains('·'), "{id}: characters beyond ASCII");
    assert!(lines.iter().any(|l| l.chars().count() > 200), "{id}: a long line");
    assert!(lines.iter().any(|l| l.contains("warn") || l.contains('⚠')), "{id}: a warning line");
    lines
}

#[test]
fn every_finished_seeded_log_is_complete_and_awkward_in_the_same_ways() {
    let sim = Sim::frozen(&[]);
    let mut emoji = 0;
    for phase in ["COMPLETED", "FAILED", "CANCELLED"] {
        for id in in_phase(&sim, phase) {
            let text = whole_log(&sim, &id);
            let lines = check_awkward(&id, &text);
            emoji += usize::from(text.chars().any(|c| c as u32 >= 0x1F300));
            let pb = sim.prebuild(&id).unwrap();
            let last = lines.last().unwrap();
            match phase {
                "COMPLETED" => {
                    assert!(last.contains("✔ Prebuild completed"), "{id}: {last}");
                    let warning = s(&pb, "/status/warningMessage");
                    assert!(warning.is_empty() || text.contains(warning), "{id}: its warning");
                }
                "FAILED" => {
                    assert!(last.ends_with(s(&pb, "/status/failureMessage")), "{id}: {last}");
                    assert!(text.contains("exited with code"), "{id}: a step's non-zero exit");
                    assert!(text.contains("\x1b[31m"), "{id}: red");
                }
                _ => assert!(last.contains("Prebuild cancelled"), "{id}: {last}"),
            }
        }
    }
    assert!(emoji > 100, "emoji in most logs: {emoji}");

    // The text follows from the seed and the id.
    let id = &in_phase(&sim, "COMPLETED")[3];
    let again = Sim::frozen(&[]);
    assert_eq!(whole_log(&again, id), whole_log(&sim, id));
    let other_seed = Sim::frozen(&["--seed", "2"]);
    let theirs = &in_phase(&other_seed, "COMPLETED")[3];
    assert_ne!(
        whole_log(&other_seed, theirs).replace(theirs.as_str(), ""),
        whole_log(&sim, id).replace(id.as_str(), "")
    );
}

#[test]
fn three_byte_chunks_split_lines_and_characters_and_reassemble_to_the_same_log() {
    let whole = Sim::frozen(&[]);
    let chunked = Sim::frozen(&["--log-chunk-bytes", "3"]);
    let id = &in_phase(&whole, "COMPLETED")[0];
    let reference = open(&whole, id, &logs_token(&whole, id), &[]).read_all();
    reference.end.as_ref().unwrap();
    let text = reference.text();
    // By default a chunk is a line.
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let chunks: Vec<String> = reference.chunks.iter().map(|c| String::from_utf8(c.clone()).unwrap()).collect();
    assert_eq!(chunks, lines);

    let small: Body = open(&chunked, id, &logs_token(&chunked, id), &[]).read_all();
    small.end.as_ref().expect("a clean end");
    assert!(small.chunks.iter().all(|c| !c.is_empty() && c.len() <= 3));
    assert!(small.chunks.iter().any(|c| std::str::from_utf8(c).is_err()), "a character split across chunks");
    let newline_inside = |c: &Vec<u8>| c.iter().position(|&b| b == b'\n').is_some_and(|i| i + 1 < c.len());
    assert!(small.chunks.iter().any(newline_inside), "a chunk that ends a line and starts the next");
    assert!(small.chunks.iter().filter(|c| c.len() < 3).count() <= 1, "a finished log is one batch: one short piece");
    assert_eq!(small.text(), text, "the same log, reassembled");
}

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
