//! Log streams polled with the caller's time: a log grows as the clock moves its
//! prebuild on, ends cleanly when it finishes, and is cut, stalled, chunked or broken
//! off as its request or a reset says. No task and no socket.

mod support;

use prebuild_sim_core::{SimConfig, SimRequest, StreamState};
use support::{answer, create, json, open_log, poll, sim, sim_with, T0, TICK};

const OPEN: StreamState = StreamState::Open { wake_at_ms: None };

#[test]
fn a_log_grows_as_time_advances_and_ends_cleanly_when_the_prebuild_completes() {
    let mut sim = sim();
    let id = create(&mut sim, "acme/web-app", None, T0);
    let stream = open_log(&mut sim, &id, &[], T0);
    assert_eq!(poll(&mut sim, stream, T0), (Vec::new(), OPEN), "a PENDING prebuild's log is open and empty");
    let mut text = Vec::new();
    let mut growths = 0;
    for tick in 1..=18 {
        let now = T0 + tick * TICK;
        sim.advance(now);
        let (bytes, state) = poll(&mut sim, stream, now);
        growths += usize::from(!bytes.is_empty());
        text.extend(bytes);
        if tick < 18 {
            assert_eq!(state, OPEN, "tick {tick}");
        } else {
            assert_eq!(state, StreamState::Ended);
        }
    }
    assert!(growths >= 15, "lines on most ticks, not all at once: {growths}");
    let text = String::from_utf8(text).expect("whole UTF-8 across polls");
    assert!(text.contains("Prebuild completed") && !text.ends_with('\n'), "{text}");
    // A new request replays the same log from its first line, at once.
    let again = open_log(&mut sim, &id, &[], T0 + 19 * TICK);
    assert_eq!(poll(&mut sim, again, T0 + 19 * TICK), (text.into_bytes(), StreamState::Ended));
    let stats = sim.stats()["logs"].clone();
    assert_eq!((stats["completed"].as_u64(), stats["open"].as_u64()), (Some(2), Some(2)));
    sim.close_log(stream);
    sim.close_log(again);
    assert_eq!(sim.stats()["logs"]["open"], 0);
}

#[test]
fn a_cut_ends_the_stream_after_n_lines_without_a_clean_end() {
    let mut sim = sim();
    let id = create(&mut sim, "acme/web-app", Some("completed"), T0);
    sim.advance(T0 + 18 * TICK);
    let stream = open_log(&mut sim, &id, &[("x-sim-fault", "cut=3")], T0 + 18 * TICK);
    let (bytes, state) = poll(&mut sim, stream, T0 + 18 * TICK);
    assert_eq!(state, StreamState::Cut);
    assert_eq!(String::from_utf8(bytes).unwrap().split_inclusive('\n').count(), 3);
    assert_eq!(sim.stats()["logs"]["cuts"], 1);
}

#[test]
fn chunked_pieces_cut_anywhere_and_reassemble_to_the_same_log() {
    let whole = |chunk: usize| {
        let mut sim = sim_with(SimConfig { log_chunk_bytes: chunk, ..SimConfig::default() });
        let id = create(&mut sim, "acme/web-app", None, T0);
        sim.advance(T0 + 18 * TICK);
        let stream = open_log(&mut sim, &id, &[], T0 + 18 * TICK);
        let polled = sim.poll_log(stream, T0 + 18 * TICK);
        assert_eq!(polled.state, StreamState::Ended);
        polled.pieces
    };
    let lines = whole(0);
    let pieces = whole(3);
    assert!(pieces.iter().all(|p| p.len() <= 3) && pieces.len() > lines.len());
    assert!(pieces.iter().any(|p| std::str::from_utf8(p).is_err()), "a piece splits a character");
    assert_eq!(pieces.concat(), lines.concat());
}

#[test]
fn a_stall_hands_out_half_then_names_the_time_to_come_back() {
    let mut sim = sim();
    let id = create(&mut sim, "acme/web-app", None, T0);
    let now = T0 + 18 * TICK;
    sim.advance(now);
    let stream = open_log(&mut sim, &id, &[("x-sim-fault", "stall=500")], now);
    let (first, state) = poll(&mut sim, stream, now);
    assert_eq!(state, StreamState::Open { wake_at_ms: Some(now + 500) });
    assert_eq!(poll(&mut sim, stream, now + 499), (Vec::new(), state), "nothing before the time");
    let (rest, end) = poll(&mut sim, stream, now + 500);
    assert_eq!(end, StreamState::Ended);
    let total = first.len() + rest.len();
    assert_eq!(first.len(), total / 2);
}

#[test]
fn a_reset_breaks_open_streams_off_and_forgets_the_tokens() {
    let mut sim = sim();
    let id = create(&mut sim, "acme/web-app", None, T0);
    let stream = open_log(&mut sim, &id, &[], T0);
    let request = support::log_request(&mut sim, &id, &[], T0);
    sim.reset();
    assert_eq!(poll(&mut sim, stream, T0).1, StreamState::Broken("the simulator was reset"));
    let refused = answer(sim.handle(request, T0));
    assert_eq!(
        (refused.status, refused.headers.get("www-authenticate")),
        (401, Some("Bearer realm=\"prebuild-logs\""))
    );
}

#[test]
fn log_requests_are_refused_without_a_token_of_their_prebuild() {
    let mut sim = sim();
    let a = create(&mut sim, "acme/web-app", None, T0);
    let b = create(&mut sim, "acme/web-app", None, T0);
    let none = answer(sim.handle(SimRequest::new("GET", &format!("/logs/{a}")), T0));
    assert_eq!(none.status, 401);
    let mut other = support::log_request(&mut sim, &b, &[], T0);
    other.path = format!("/logs/{a}");
    let wrong = answer(sim.handle(other, T0));
    assert!(json(&wrong)["message"].as_str().unwrap().contains("another prebuild"));
    let expired = support::log_request(&mut sim, &a, &[], T0);
    let late = answer(sim.handle(expired, T0 + 3_600_000));
    assert!(json(&late)["message"].as_str().unwrap().contains("expired at 2023-11-14T23:13:20.000Z"));
}
