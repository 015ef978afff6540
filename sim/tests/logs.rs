//! Prebuild logs at `GET /logs/{id}`: log URLs, logs tokens (each refusal, 404s,
//! expiry), replay from the first line, following a running prebuild to its end,
//! failed and cancelled logs, the text's awkward parts and chunk splitting (the `cut`
//! fault and the other faults, CORS, resets and shutdowns are in `log_faults.rs`).
//! Every stream is read with a chunked-encoding decoder over a raw socket, which tells
//! a clean end from a dropped connection.

mod support;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::chunked::{Body, Reader};
use support::logs::{create, error_of, in_phase, logs_token, open, phase, project_id, whole_log};
use support::{s, wait_for, Sim, TOKEN};

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
