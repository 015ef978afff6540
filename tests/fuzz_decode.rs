//! A dependency-free mutational fuzzer for everything that reads text the client does
//! not control: success bodies (`decode_success`, per method), the JSON parser, error
//! bodies (`error_from_response`), request parameters (`Request::parse`), client and
//! call options, retry headers, and method names.
//!
//! Inputs start from seeds (the API reference's response examples, valid requests,
//! options and headers) and are mutated structurally (a node replaced by `null`, a
//! wrong type, a huge or fractional number, an unknown enum name, deep nesting; keys
//! dropped, added, renamed) and byte-wise (flips, truncation, duplication, splices of
//! other seeds, inserted JSON tokens, invalid UTF-8 turned into U+FFFD as `fetch`'s
//! `text()` does). Every input must give a result of the expected kind without a
//! panic, and results must hold their invariants (a decoded body re-decodes to itself,
//! parsed JSON re-parses to itself, a valid request's body is a valid request).
//!
//! `FUZZ_ITERS` inputs per target (default 10,000; `make fuzz` runs 1,000,000, optimised
//! but with overflow checks), `FUZZ_SEED` (default 1) makes a run reproducible, `FUZZ_THREADS`
//! (default: up to 2) spreads targets over threads. A panicking or misbehaving input is
//! written to `target/fuzz-crash-<target>-<seed>-<n>.txt` and fails the test.

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use gitpod_prebuilds::api::{Method, Request};
use gitpod_prebuilds::call::{decode_success, CallOptions, ClientConfig};
use gitpod_prebuilds::follow::{FollowSettings, LineSplitter, Subject};
use gitpod_prebuilds::protocol::error_from_response;
use gitpod_prebuilds::retry::{delay_ms, RetryHeaders};
use gitpod_prebuilds::schema::{self, Setup};
use gitpod_prebuilds::Error;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------
// Randomness: xorshift64*, seeded per target so runs are reproducible.

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // splitmix64 of the seed, never zero.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------
// What mutations put in.

/// JSON texts that make decoders work: every type, integer edges (2^31, 2^53, 2^63,
/// 2^64), numbers JSON allows but integers do not, strings that look like numbers,
/// enum names known and unknown, escapes, deep nesting.
fn interesting_values() -> Vec<String> {
    let mut v: Vec<String> = [
        "null",
        "true",
        "false",
        "0",
        "-0",
        "1",
        "-1",
        "7",
        "100",
        "101",
        "2147483647",
        "2147483648",
        "-2147483648",
        "-2147483649",
        "4294967296",
        "9007199254740992",
        "9007199254740993",
        "-9007199254740993",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "18446744073709551615",
        "18446744073709551616",
        "123456789012345678901234567890",
        "1e3",
        "1E+2",
        "1.5",
        "5e-1",
        "-2.50e1",
        "0.0",
        "1e20",
        "1e400",
        "-1e-400",
        "1e99999999999",
        "0.1e1",
        "\"\"",
        "\"x\"",
        "\"0\"",
        "\"-1\"",
        "\" 7 \"",
        "\"1e3\"",
        "\"9007199254740993\"",
        "\"18446744073709551616\"",
        "\"abc\"",
        "\"PREBUILD_PHASE_RUNNING\"",
        "\"PREBUILD_PHASE_HIBERNATING\"",
        "\"WARM_POOL_PHASE_READY\"",
        "\"WARM_POOL_PHASE_SOMETHING_NEW\"",
        "\"PRINCIPAL_USER\"",
        "\"PREBUILD_TRIGGER_SCHEDULED\"",
        "\"3600s\"",
        "\"1.5s\"",
        "\"-5s\"",
        "\"+9125115.360s\"",
        "\"07e03a28-65a5-4d98-b532-8ea67b188048\"",
        "\"2019-12-27T18:11:19.117Z\"",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "\"\\udc00\\ud800\"",
        "\"\\ud83d\\ude00\"",
        "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
        "\"é😀\u{2028}\"",
        "\"<script>alert(1)</script>\"",
        "[]",
        "{}",
        "[null]",
        "[1,\"a\",{}]",
        "{\"a\":null}",
        "{\"code\":\"not_found\",\"message\":\"gone\"}",
        "[[[[[[[[[[]]]]]]]]]]",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push(format!("\"{}\"", "x".repeat(3000)));
    v.push(format!("{}{}", "[".repeat(127), "]".repeat(127)));
    v.push(format!("{}{}", "[".repeat(129), "]".repeat(129)));
    v.push(format!("{}0{}", "{\"a\":".repeat(130), "}".repeat(130)));
    v
}

/// Fragments inserted into text at random: JSON punctuation, literals, numbers,
/// escapes, half-open nesting, bytes that are not UTF-8 (they become U+FFFD).
const TOKENS: &[&[u8]] = &[
    b"null",
    b"true",
    b"false",
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b":",
    b"\"",
    b"\\",
    b"\\u",
    b"\\ud800",
    b"\\uZZZZ",
    b"{\"a\":",
    b"\"a\":",
    b"[[[[[[[[",
    b"{\"a\":{\"a\":{\"a\":",
    b"1e999999",
    b"18446744073709551616",
    b"-0",
    b"9007199254740993",
    b"0.000000000000000000001",
    b"-",
    b".",
    b"e",
    b"E+",
    b"00",
    b" ",
    b"\t\r\n",
    b"\0",
    b"\x1f",
    b"\x7f",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xf0\x9f\x98",
    b"\xef\xbb\xbf",
    b"\"code\":\"internal\",",
    b"\"prebuild\":",
    b"\"status\":{\"phase\":",
    b"PREBUILD_PHASE_",
    b"999999999999999999999",
    b"GMT",
    b", ",
];

// ---------------------------------------------------------------------------------
// Mutations.

/// All paths (as key/index lists) of the nodes of a JSON value, at most `limit`.
fn node_paths(v: &Value, prefix: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>, limit: usize) {
    if out.len() >= limit {
        return;
    }
    out.push(prefix.clone());
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                prefix.push(PathStep::Key(k.clone()));
                node_paths(child, prefix, out, limit);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                prefix.push(PathStep::Index(i));
                node_paths(child, prefix, out, limit);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn node_mut<'a>(v: &'a mut Value, path: &[PathStep]) -> Option<&'a mut Value> {
    let mut cur = v;
    for step in path {
        cur = match (step, cur) {
            (PathStep::Key(k), Value::Object(map)) => map.get_mut(k)?,
            (PathStep::Index(i), Value::Array(items)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Raw JSON texts serde_json cannot hold (huge numbers, lone surrogates, deep
/// nesting) go in as placeholder strings, replaced after serialisation.
struct Raw(Vec<String>);

impl Raw {
    fn placeholder(&mut self, text: &str) -> Value {
        self.0.push(text.to_string());
        Value::String(format!("\u{1}RAW{}\u{1}", self.0.len() - 1))
    }
    fn apply(&self, mut text: String) -> String {
        for (i, raw) in self.0.iter().enumerate() {
            text = text.replace(&format!("\"\\u0001RAW{i}\\u0001\""), raw);
        }
        text
    }
}

fn snake(k: &str) -> String {
    k.chars().flat_map(|c| if c.is_ascii_uppercase() { vec!['_', c.to_ascii_lowercase()] } else { vec![c] }).collect()
}

/// What mutations draw from, prepared once per target.
struct Material {
    /// Inputs to start from: the seeds, then accepted mutants (bounded).
    pool: Vec<String>,
    seeds: usize,
    /// Every node of every seed document, for swaps.
    donor_nodes: Vec<Value>,
    /// The interesting values, as serde values where serde can hold them, else raw.
    values: Vec<(String, Option<Value>)>,
}

impl Material {
    fn new(seeds: &[String]) -> Material {
        let mut donor_nodes = Vec::new();
        for doc in seeds.iter().filter_map(|s| serde_json::from_str::<Value>(s).ok()) {
            let mut paths = Vec::new();
            node_paths(&doc, &mut Vec::new(), &mut paths, 4096);
            let mut doc = doc;
            for p in paths {
                if let Some(n) = node_mut(&mut doc, &p) {
                    donor_nodes.push(n.clone());
                }
            }
        }
        if donor_nodes.is_empty() {
            donor_nodes.push(json!({}));
        }
        let values = interesting_values()
            .into_iter()
            .map(|text| {
                let v = serde_json::from_str::<Value>(&text).ok();
                (text, v)
            })
            .collect();
        Material { pool: seeds.to_vec(), seeds: seeds.len(), donor_nodes, values }
    }

    /// Keeps an accepted input for later mutation (a bounded pool).
    fn keep(&mut self, rng: &mut Rng, input: &str) {
        if input.len() >= 16 * 1024 || !rng.chance(10) {
            return;
        }
        if self.pool.len() < self.seeds + 256 {
            self.pool.push(input.to_string());
        } else {
            let i = self.seeds + rng.below(256);
            self.pool[i] = input.to_string();
        }
    }
}

/// `{key: v}` (without `json!`, which would copy `v` through serde's serializer).
fn wrap(key: &str, v: Value) -> Value {
    let mut map = serde_json::Map::new();
    map.insert(key.to_string(), v);
    Value::Object(map)
}

/// The path of a node chosen uniformly at random (reservoir sampling: one walk, few
/// copies of the path).
fn random_path(v: &Value, rng: &mut Rng) -> Vec<PathStep> {
    fn walk(v: &Value, rng: &mut Rng, prefix: &mut Vec<PathStep>, seen: &mut u64, chosen: &mut Vec<PathStep>) {
        *seen += 1;
        if rng.next() % *seen == 0 {
            *chosen = prefix.clone();
        }
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    prefix.push(PathStep::Key(k.clone()));
                    walk(child, rng, prefix, seen, chosen);
                    prefix.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    prefix.push(PathStep::Index(i));
                    walk(child, rng, prefix, seen, chosen);
                    prefix.pop();
                }
            }
            _ => {}
        }
    }
    let mut chosen = Vec::new();
    walk(v, rng, &mut Vec::new(), &mut 0, &mut chosen);
    chosen
}

/// One structural change to a JSON document.
fn mutate_tree(rng: &mut Rng, doc: &mut Value, m: &Material, raw: &mut Raw) {
    let path = random_path(doc, rng);
    let op = rng.below(10);
    let fresh_value = {
        let (text, parsed) = rng.pick(&m.values);
        match parsed {
            Some(v) if rng.chance(70) => v.clone(),
            _ => raw.placeholder(text),
        }
    };
    let donor = rng.pick(&m.donor_nodes).clone();
    let Some(node) = node_mut(doc, &path) else { return };
    match op {
        0..=2 => *node = fresh_value,
        3 => *node = donor,
        4 => match node {
            Value::Object(map) if !map.is_empty() => {
                let k = map.keys().nth(rng.below(map.len())).cloned().unwrap_or_default();
                map.remove(&k);
            }
            Value::Array(items) if !items.is_empty() => {
                let i = rng.below(items.len());
                items.remove(i);
            }
            _ => *node = Value::Null,
        },
        5 => match node {
            Value::Object(map) => {
                let key = rng.pick(&["unknownField", "x", "", "prebuild", "code", "message", "__proto__", "id"]);
                map.insert(key.to_string(), fresh_value);
            }
            Value::Array(items) => {
                let most = if rng.chance(5) { 300 } else { 3 };
                let copies = 1 + rng.below(most);
                let item = items.first().cloned().unwrap_or(fresh_value);
                for _ in 0..copies {
                    items.push(item.clone());
                }
            }
            _ => *node = Value::Array(vec![node.clone()]),
        },
        6 => {
            if let Value::Object(map) = node {
                if let Some(k) = map.keys().nth(rng.below(map.len().max(1))).cloned() {
                    if let Some(v) = map.remove(&k) {
                        let renamed = match rng.below(3) {
                            0 => snake(&k),
                            1 => k.to_uppercase(),
                            _ => format!("{k}X"),
                        };
                        map.insert(renamed, v);
                    }
                }
            }
        }
        7 => *node = wrap("a", node.take()),
        8 => {
            if let Value::String(s) = node {
                *s = match rng.below(4) {
                    0 => s.to_lowercase(),
                    1 => format!("{s}_NEW"),
                    2 => s.chars().rev().collect(),
                    _ => String::new(),
                };
            } else {
                *node = fresh_value;
            }
        }
        _ => {
            let depth = 1 + rng.below(160);
            let mut v = node.clone();
            for _ in 0..depth {
                v = if rng.chance(50) { Value::Array(vec![v]) } else { wrap("a", v) };
            }
            // Deep values go in as text: serde_json's own writer is fine with them.
            let text = serde_json::to_string(&v).unwrap_or_default();
            *node = raw.placeholder(&text);
        }
    }
}

/// One byte-level change.
fn mutate_bytes(rng: &mut Rng, b: &mut Vec<u8>, donors: &[String]) {
    let len = b.len();
    match rng.below(10) {
        8 if len > 1 => {
            // Same length, other characters: ASCII replaced by a multi-byte character.
            let wide: &[u8] = rng.pick(&["é", "€", "😀"]).as_bytes();
            let at = rng.below(len);
            let end = (at + wide.len()).min(len);
            b.splice(at..end, wide.iter().copied());
        }
        0 if len > 0 => {
            let i = rng.below(len);
            b[i] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let i = rng.below(len);
            b[i] = *rng.pick(b"\"\\{}[],:0123456789-+.eEnulltrsfa \x00\x1f\x7f\xff\xc3\x80");
        }
        2 if len > 0 => {
            let cut = rng.below(len);
            b.truncate(cut);
        }
        3 if len > 0 => {
            let start = rng.below(len);
            let end = (start + 1 + rng.below(64)).min(len);
            b.drain(start..end);
        }
        4 if len > 0 => {
            let start = rng.below(len);
            let end = (start + 1 + rng.below(256)).min(len);
            let piece = b[start..end].to_vec();
            let at = rng.below(len + 1);
            let many = rng.chance(3);
            let copies = if many { 1 + rng.below(64) } else { 1 };
            for _ in 0..copies {
                b.splice(at..at, piece.iter().copied());
            }
        }
        5 => {
            let d = rng.pick(donors).as_bytes();
            if !d.is_empty() {
                let start = rng.below(d.len());
                let end = (start + 1 + rng.below(512)).min(d.len());
                let at = rng.below(len + 1);
                b.splice(at..at, d[start..end].iter().copied());
            }
        }
        6 => {
            // Digits, next to digits already there when there are some: numbers grow
            // past 32 and 64 bits, years past any calendar.
            let mut at = rng.below(len + 1);
            if let Some(d) =
                b.iter().skip(at).position(u8::is_ascii_digit).or_else(|| b.iter().position(u8::is_ascii_digit))
            {
                at = if d + at < len && b[at..].iter().any(u8::is_ascii_digit) { at + d } else { d };
            }
            let digits: Vec<u8> = (0..1 + rng.below(24)).map(|_| b'0' + rng.below(10) as u8).collect();
            b.splice(at..at, digits);
        }
        _ => {
            let at = rng.below(len + 1);
            let token = rng.pick(TOKENS);
            b.splice(at..at, token.iter().copied());
        }
    }
}

/// A new input from the pool: structural changes when it is JSON, then byte changes.
fn generate(rng: &mut Rng, m: &Material) -> String {
    let mut text = rng.pick(&m.pool).clone();
    if rng.chance(70) {
        if let Ok(mut doc) = serde_json::from_str::<Value>(&text) {
            let mut raw = Raw(Vec::new());
            for _ in 0..1 + rng.below(4) {
                mutate_tree(rng, &mut doc, m, &mut raw);
            }
            let out = if rng.chance(20) {
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            } else {
                serde_json::to_string(&doc).unwrap_or_default()
            };
            text = raw.apply(out);
        }
    }
    if rng.chance(45) {
        let mut bytes = text.into_bytes();
        for _ in 0..1 + rng.below(4) {
            mutate_bytes(rng, &mut bytes, &m.pool);
        }
        // What `Response.text()` does with bytes that are not UTF-8.
        text = String::from_utf8_lossy(&bytes).into_owned();
    }
    text
}

// ---------------------------------------------------------------------------------
// Targets: each checks one input and says what it made of it.

/// How an input ended.
enum Outcome {
    /// Accepted (decoded, parsed, valid).
    Ok,
    /// Refused with the error it should be refused with.
    Refused,
}

type Check = Box<dyn Fn(&str, &mut Rng) -> Result<Outcome, String> + Send + Sync>;

struct Target {
    name: String,
    seeds: Vec<String>,
    check: Check,
    /// A bug known and reported, not yet fixed: its failures are printed, not fatal.
    known_bug: Option<&'static str>,
}

fn decode_target(method: Method, seeds: Vec<String>) -> Target {
    Target {
        name: format!("decode_success/{}", method.name()),
        seeds,
        known_bug: None,
        check: Box::new(move |input, _| match decode_success(method, input) {
            Ok(out) => {
                match serde_json::from_str::<Value>(&out) {
                    Ok(Value::Object(_)) => {}
                    _ => return Err(format!("the decoded output is not a JSON object: {out}")),
                }
                match decode_success(method, &out) {
                    Ok(again) if again == out => Ok(Outcome::Ok),
                    other => Err(format!("the output does not re-decode to itself: {out} -> {other:?}")),
                }
            }
            Err(Error::Decode { .. }) => Ok(Outcome::Refused),
            Err(other) => Err(format!("not a decode error: {other:?}")),
        }),
    }
}

/// The fast path of response reading answers only when the reader would have given the
/// same text ("Ok": it answered; "Refused": it left the body to the reader).
fn fast_path_target(method: Method, seeds: Vec<String>) -> Target {
    Target {
        name: format!("fast path = reader/{}", method.name()),
        seeds,
        known_bug: None,
        check: Box::new(move |input, _| {
            let msg = method.response();
            let Some(fast) = schema::fast::read(msg, input) else { return Ok(Outcome::Refused) };
            let setup = Setup { stray: true, ..Setup::default() };
            match schema::read_text_by_reader(msg, input, setup) {
                Ok(ctx) if ctx.out == fast && ctx.stray_code.is_none() => Ok(Outcome::Ok),
                Ok(ctx) => {
                    Err(format!("the fast path wrote {fast}, the reader {} (stray code {:?})", ctx.out, ctx.stray_code))
                }
                Err(e) => Err(format!("the fast path wrote {fast}, the reader refused it: {e:?}")),
            }
        }),
    }
}

fn request_text_target(method: Method, seeds: Vec<String>) -> Target {
    Target {
        name: format!("Request::from_json/{}", method.name()),
        seeds,
        known_bug: None,
        check: Box::new(move |input, _| match Request::from_json(method, input) {
            Ok(req) => match Request::from_json(method, &req.body()) {
                Ok(_) => Ok(Outcome::Ok),
                Err(e) => Err(format!("the body {:?} is not a valid request: {e}", req.body())),
            },
            Err(Error::Validation { field, message }) if message.starts_with(field.as_str()) => Ok(Outcome::Refused),
            Err(other) => Err(format!("not a validation error naming its field: {other:?}")),
        }),
    }
}

fn request_target(method: Method, seeds: Vec<String>) -> Target {
    Target {
        name: format!("Request::parse/{}", method.name()),
        seeds,
        known_bug: None,
        check: Box::new(move |input, _| {
            let Ok(params) = serde_json::from_str::<Value>(input) else { return Ok(Outcome::Refused) };
            match Request::from_value(method, &params) {
                Ok(req) => {
                    let body = req.body();
                    let reparsed = serde_json::from_str::<Value>(&body)
                        .map_err(|e| format!("the body {body:?} is not JSON: {e}"))?;
                    Request::from_value(method, &reparsed)
                        .map_err(|e| format!("the body {body:?} is not a valid request: {e}"))?;
                    let query = req.query();
                    if !query.bytes().all(|b| b.is_ascii_graphic()) {
                        return Err(format!("the query {query:?} is not plain ASCII"));
                    }
                    Ok(Outcome::Ok)
                }
                Err(Error::Validation { field, message }) if message.starts_with(field.as_str()) => {
                    Ok(Outcome::Refused)
                }
                Err(other) => Err(format!("not a validation error naming its field: {other:?}")),
            }
        }),
    }
}

const STATUSES: &[u16] = &[
    0,
    100,
    200,
    204,
    299,
    300,
    304,
    400,
    401,
    403,
    404,
    408,
    409,
    418,
    422,
    429,
    499,
    500,
    501,
    502,
    503,
    504,
    599,
    600,
    999,
    u16::MAX,
];

fn error_target(seeds: Vec<String>) -> Target {
    Target {
        name: "error_from_response".into(),
        seeds,
        known_bug: None,
        check: Box::new(|input, rng| {
            let status = if rng.chance(80) { *rng.pick(STATUSES) } else { rng.next() as u16 };
            match error_from_response(status, input) {
                Error::Api { status: s, code, details, .. } => {
                    if s != status {
                        return Err(format!("status {s} instead of {status}"));
                    }
                    if code.as_str().is_empty() {
                        return Err("an empty code".into());
                    }
                    if !matches!(serde_json::from_str::<Value>(&details), Ok(Value::Array(_))) {
                        return Err(format!("details {details:?} are not a JSON array"));
                    }
                    // "Accepted": a Connect error body whose code was read; "refused":
                    // anything else, classified by the status alone.
                    let has_code = serde_json::from_str::<Value>(input.strip_prefix('\u{feff}').unwrap_or(input))
                        .ok()
                        .and_then(|v| v.get("code").and_then(Value::as_str).map(|c| !c.is_empty()))
                        .unwrap_or(false);
                    Ok(if has_code { Outcome::Ok } else { Outcome::Refused })
                }
                other => Err(format!("not an API error: {other:?}")),
            }
        }),
    }
}

fn options_target(seeds: Vec<String>) -> Target {
    Target {
        name: "ClientConfig+CallOptions".into(),
        seeds,
        known_bug: None,
        check: Box::new(|input, _| {
            let Ok(options) = serde_json::from_str::<Value>(input) else { return Ok(Outcome::Refused) };
            let client = ClientConfig::from_value(&options);
            let call = CallOptions::from_value(&options);
            for r in [client.as_ref().err(), call.as_ref().err()].into_iter().flatten() {
                if !matches!(r, Error::Validation { .. }) {
                    return Err(format!("not a validation error: {r:?}"));
                }
            }
            if let Ok(c) = &client {
                if let Some(t) = &c.token {
                    // The token may equal other text of the config (the base URL...):
                    // only text that goes away with the token counts.
                    let without = format!("{:?}", ClientConfig { token: None, ..c.clone() });
                    if format!("{c:?}").contains(t.as_str()) && !without.contains(t.as_str()) {
                        return Err("the token shows in the config's Debug output".into());
                    }
                }
            }
            Ok(if client.is_ok() || call.is_ok() { Outcome::Ok } else { Outcome::Refused })
        }),
    }
}

fn follow_settings_target(subject: Subject, seeds: Vec<String>) -> Target {
    Target {
        name: format!("FollowSettings::from_value/{}", subject.noun()),
        seeds,
        known_bug: None,
        check: Box::new(move |input, _| {
            let Ok(options) = serde_json::from_str::<Value>(input) else { return Ok(Outcome::Refused) };
            match FollowSettings::from_value(subject, &options) {
                Ok(s) => {
                    let prefix = if subject == Subject::Prebuild { "PREBUILD_PHASE_" } else { "WARM_POOL_PHASE_" };
                    let phases_ok = s.until.iter().all(|p| p.starts_with(prefix) && !p.ends_with("_UNSPECIFIED"));
                    if s.until.is_empty() || !phases_ok || s.interval_ms == 0 || s.max_interval_ms < s.interval_ms {
                        return Err(format!("accepted settings break their rules: {s:?}"));
                    }
                    Ok(Outcome::Ok)
                }
                Err(Error::Validation { .. }) => Ok(Outcome::Refused),
                Err(e) => Err(format!("not a validation error: {e:?}")),
            }
        }),
    }
}

/// Log bytes cut into random chunks come out as the same lines as the whole text.
fn line_splitter_target(seeds: Vec<String>) -> Target {
    Target {
        name: "LineSplitter".into(),
        seeds,
        known_bug: None,
        check: Box::new(|input, rng| {
            let bytes = input.as_bytes();
            let mut splitter = LineSplitter::new();
            let mut lines = Vec::new();
            let mut at = 0;
            while at < bytes.len() {
                let end = (at + 1 + rng.below(9)).min(bytes.len());
                lines.extend(splitter.push(&bytes[at..end]));
                at = end;
            }
            lines.extend(splitter.finish());
            // Text after the last newline is a line (a lone CR too), nothing after it is none.
            let mut raw: Vec<&str> = input.split('\n').collect();
            if raw.last().is_some_and(|l| l.is_empty()) {
                raw.pop();
            }
            let expected: Vec<String> = raw.iter().map(|l| l.strip_suffix('\r').unwrap_or(l).to_string()).collect();
            if lines == expected {
                Ok(Outcome::Ok)
            } else {
                Err(format!("{lines:?} != {expected:?}"))
            }
        }),
    }
}

fn retry_target(seeds: Vec<String>) -> Target {
    Target {
        name: "retry::delay_ms".into(),
        seeds,
        known_bug: None,
        check: Box::new(|input, rng| {
            let mut lines = input.split('\n');
            let mut next = || lines.next().filter(|l| !l.is_empty()).map(str::to_string);
            let headers = RetryHeaders { should_retry: next(), retry_after_ms: next(), retry_after: next() };
            let retries = rng.below(40) as u32;
            let now = 1.7e12 + (rng.next() % 1_000_000_000) as f64;
            let random = (rng.next() % 1000) as f64 / 1000.0;
            let d = delay_ms(retries, &headers, now, random);
            if d.is_finite() && (0.0..60_000.0).contains(&d) {
                Ok(Outcome::Ok)
            } else {
                Err(format!("delay {d} outside [0, 60 s)"))
            }
        }),
    }
}

fn method_name_target(seeds: Vec<String>) -> Target {
    Target {
        name: "Method::from_name".into(),
        seeds,
        known_bug: None,
        check: Box::new(|input, _| match Method::from_name(input) {
            Some(m) if m.name().eq_ignore_ascii_case(input) => Ok(Outcome::Ok),
            Some(m) => Err(format!("{input:?} read as {m:?}")),
            None => Ok(Outcome::Refused),
        }),
    }
}

// ---------------------------------------------------------------------------------
// Seeds.

const ID: &str = "07e03a28-65a5-4d98-b532-8ea67b188048";
const ID2: &str = "b0e12f6c-4c67-429d-a4a6-d9838b5da047";

fn reference_examples() -> serde_json::Map<String, Value> {
    match serde_json::from_str(include_str!("fixtures/reference_responses.json")) {
        Ok(Value::Object(map)) => map,
        other => panic!("the fixture is not an object: {other:?}"),
    }
}

fn request_seeds(method: Method) -> Vec<Value> {
    match method {
        Method::CreatePrebuild => vec![
            json!({ "projectId": ID, "spec": { "timeout": "3600s" } }),
            json!({ "projectId": ID, "environmentClassId": ID2, "spec": {} }),
            json!({ "project_id": ID, "spec": { "desiredPhase": "PREBUILD_PHASE_RUNNING", "specVersion": "3" } }),
        ],
        Method::GetPrebuild | Method::CancelPrebuild | Method::DeletePrebuild | Method::CreatePrebuildLogsToken => {
            vec![json!({ "prebuildId": ID }), json!({ "prebuild_id": ID2 })]
        }
        Method::ListPrebuilds => vec![
            json!({}),
            json!({ "pageSize": 10, "token": "abc" }),
            json!({ "filter": { "projectIds": [ID, ID2], "phases": ["PREBUILD_PHASE_COMPLETED", 70],
                "triggeredBy": ["PREBUILD_TRIGGER_MANUAL"], "creatorIds": [ID], "executorIds": [] },
                "pagination": { "pageSize": 100, "token": "t 1/+" } }),
        ],
        Method::CreateWarmPool => vec![
            json!({ "projectId": ID, "environmentClassId": ID2, "minSize": 0, "maxSize": 2 }),
            json!({ "projectId": ID, "environmentClassId": ID2, "desiredSize": 3 }),
        ],
        Method::GetWarmPool | Method::DeleteWarmPool => vec![json!({ "warmPoolId": ID })],
        Method::ListWarmPools => vec![
            json!({ "pageSize": 0 }),
            json!({ "filter": { "projectIds": [ID], "environmentClassIds": [ID2] }, "pagination": { "token": "x" } }),
        ],
        Method::UpdateWarmPool => {
            vec![json!({ "warmPoolId": ID, "minSize": 1, "maxSize": 3 }), json!({ "warmPoolId": ID, "maxSize": 20 })]
        }
    }
}

fn error_seeds() -> Vec<String> {
    vec![
        json!({ "code": "not_found", "message": "no such prebuild", "details": [{ "type": "x", "value": "eA==" }] })
            .to_string(),
        json!({ "code": "unavailable", "message": "try later" }).to_string(),
        json!({ "message": "no code" }).to_string(),
        json!({ "code": "teapot" }).to_string(),
        "<html><body><h1>502 Bad Gateway</h1></body></html>".into(),
        String::new(),
        "null".into(),
    ]
}

fn option_seeds() -> Vec<String> {
    vec![
        json!({ "baseUrl": "https://app.gitpod.io/api", "token": "secret-token", "timeoutMs": 1000, "maxRetries": 3,
            "headers": { "x-a": "b", "X-Trace": null }, "allowInsecureHttp": false })
        .to_string(),
        json!({ "baseUrl": "http://127.0.0.1:8787/api/", "token": "t0k3n" }).to_string(),
        json!({ "baseUrl": "http://[::1]:1/api", "token": "t0k3n", "allowInsecureHttp": true }).to_string(),
        json!({ "timeoutMs": 5, "maxRetries": 0, "signal": {}, "headers": {} }).to_string(),
        "null".into(),
    ]
}

fn follow_seeds() -> Vec<String> {
    vec![
        json!({ "until": ["COMPLETED", "PREBUILD_PHASE_FAILED", "ready"], "intervalMs": 20, "maxIntervalMs": 100,
            "deadlineMs": 5000 })
        .to_string(),
        json!({ "until": ["WARM_POOL_PHASE_READY", "DEGRADED"], "interval_ms": 1000 }).to_string(),
        json!({ "until": [], "maxIntervalMs": 1 }).to_string(),
        "null".into(),
    ]
}

fn log_seeds() -> Vec<String> {
    vec![
        "\u{1b}[1mGitpod prebuild\u{1b}[0m\r\n\u{1b}[32m✔\u{1b}[0m cloned → ok 🐳\n\nlast line".into(),
        "a\nb\r\n\r\n".into(),
        "npm \u{1b}[31merror\u{1b}[0m ERESOLVE\nexit 1\n".into(),
    ]
}

fn retry_seeds() -> Vec<String> {
    vec![
        "\n250\n".into(),
        "true\n\n7".into(),
        "false\n-5\n1.5".into(),
        "\n\nSun, 06 Nov 1994 08:49:37 GMT".into(),
        "\njunk\nWed, 21 Oct 2015 07:28:00 GMT".into(),
        "maybe\n1e308\n".into(),
        "\n\nThu, 01 Jan 99999 00:00:00 GMT".into(),
    ]
}

/// JSON text with the members whose values are defaults ("", 0, "0", false, [], {})
/// left out, as protobuf JSON writers leave them out; the order of the rest is kept.
fn without_defaults(text: &str) -> String {
    let mut text = text.to_string();
    'again: loop {
        for default in ["\"\"", "0", "\"0\"", "false", "[]", "{}"] {
            let member_end = |at: usize, t: &str| {
                let end = at + default.len();
                matches!(t.as_bytes().get(end), Some(b',' | b'}')).then_some(end)
            };
            let mut from = 0;
            while let Some(found) = text[from..].find(&format!("\":{default}")) {
                let colon = from + found + 1;
                from = colon;
                let Some(end) = member_end(colon + 1, &text) else { continue };
                let Some(open) = text[..colon - 1].rfind('"') else { continue };
                match (text.as_bytes().get(open - 1), text.as_bytes().get(end)) {
                    (Some(b','), _) => text.replace_range(open - 1..end, ""),
                    (Some(b'{'), Some(b',')) => text.replace_range(open..end + 1, ""),
                    (Some(b'{'), _) => text.replace_range(open..end, ""),
                    _ => continue,
                }
                continue 'again;
            }
        }
        return text;
    }
}

/// JSON text with white space after every `,`, `{` and `[`, and around every `:`,
/// outside strings.
fn spaced(text: &str) -> String {
    let mut out = String::new();
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        out.push(c);
        if in_string {
            (escaped, in_string) = (c == '\\' && !escaped, c != '"' || escaped);
        } else if c == '"' {
            in_string = true;
        } else if matches!(c, ',' | ':' | '{' | '[') {
            if c == ':' {
                out.pop();
                out.push_str(" :");
            }
            out.push_str(if c == ',' { "\n  " } else { " " });
        }
    }
    out
}

fn targets() -> Vec<Target> {
    let examples = reference_examples();
    let all_bodies: Vec<String> = examples.values().map(Value::to_string).collect();
    let mut targets = Vec::new();
    for method in Method::ALL {
        let own = examples.get(method.name()).map(Value::to_string).unwrap_or_else(|| "{}".into());
        let mut seeds = vec![own.clone(), own, "{}".into()];
        seeds.extend(all_bodies.iter().cloned());
        seeds.push(json!({ "code": "internal", "message": "an error body with a success status" }).to_string());
        targets.push(decode_target(method, seeds.clone()));
        // Bodies as servers write them, with keys in declaration order (the fixture's
        // keys come sorted): complete and compact, fields at their defaults left out,
        // white space between tokens.
        let canonical = decode_success(method, &seeds[0]).unwrap_or_else(|e| panic!("{}: {e:?}", method.name()));
        let sparse = without_defaults(&canonical);
        seeds.extend([spaced(&canonical), spaced(&sparse), canonical, sparse]);
        targets.push(fast_path_target(method, seeds));
    }
    for method in Method::ALL {
        let seeds: Vec<String> = request_seeds(method).iter().map(Value::to_string).collect();
        targets.push(request_target(method, seeds.clone()));
        targets.push(request_text_target(method, seeds));
    }
    targets.push(error_target(error_seeds()));
    targets.push(options_target(option_seeds()));
    targets.push(retry_target(retry_seeds()));
    targets.push(follow_settings_target(Subject::Prebuild, follow_seeds()));
    targets.push(follow_settings_target(Subject::WarmPool, follow_seeds()));
    targets.push(line_splitter_target(log_seeds()));
    let mut names: Vec<String> = Method::ALL.iter().map(|m| m.name().to_string()).collect();
    names.extend(Method::ALL.iter().map(|m| {
        let n = m.name();
        n[..1].to_ascii_lowercase() + &n[1..]
    }));
    targets.push(method_name_target(names));
    targets
}

// ---------------------------------------------------------------------------------
// The driver.

thread_local! {
    static FUZZING: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Keeps panics of fuzzed inputs quiet (they are reported with their input instead),
/// and leaves other threads' panics to the default hook.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if FUZZING.with(Cell::get) {
                let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
                let msg = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic".into());
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg}{at}")));
            } else {
                default(info);
            }
        }));
    });
}

struct Report {
    name: String,
    inputs: u64,
    accepted: u64,
    refused: u64,
    failures: Vec<String>,
    known_bug: Option<&'static str>,
    seconds: f64,
}

fn crash_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v.replace('_', "").parse().unwrap_or_else(|_| panic!("{name} must be a whole number, got {v:?}")),
        Err(_) => default,
    }
}

fn run_target(index: usize, target: &Target, iterations: u64, seed: u64, crash_dir: &std::path::Path) -> Report {
    let started = Instant::now();
    let mut rng = Rng::new(seed ^ ((index as u64 + 1) << 32));
    let mut material = Material::new(&target.seeds);
    let mut report = Report {
        name: target.name.clone(),
        inputs: 0,
        accepted: 0,
        refused: 0,
        failures: Vec::new(),
        known_bug: target.known_bug,
        seconds: 0.0,
    };
    let safe_name: String = target.name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    FUZZING.with(|f| f.set(true));
    for n in 0..iterations {
        // The seeds themselves first, then mutants.
        let input = match target.seeds.get(n as usize) {
            Some(seed) => seed.clone(),
            None => generate(&mut rng, &material),
        };
        let mut check_rng = Rng::new(rng.next());
        let result = panic::catch_unwind(AssertUnwindSafe(|| (target.check)(&input, &mut check_rng)));
        report.inputs += 1;
        let failure = match result {
            Ok(Ok(Outcome::Ok)) => {
                report.accepted += 1;
                material.keep(&mut rng, &input);
                None
            }
            Ok(Ok(Outcome::Refused)) => {
                report.refused += 1;
                None
            }
            Ok(Err(violation)) => Some(format!("violation: {violation}")),
            Err(_) => Some(format!(
                "panic: {}",
                LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| "a panic".into())
            )),
        };
        if let Some(what) = failure {
            let file = crash_dir.join(format!("fuzz-crash-{safe_name}-{seed}-{n}.txt"));
            let _ = std::fs::create_dir_all(crash_dir);
            let _ = std::fs::write(&file, input.as_bytes());
            let shown: String = input.chars().take(300).collect();
            report.failures.push(format!(
                "{what}\n      input ({} bytes, in {}): {shown:?}",
                input.len(),
                file.display()
            ));
            if report.failures.len() >= 3 {
                break; // enough to act on
            }
        }
    }
    FUZZING.with(|f| f.set(false));
    report.seconds = started.elapsed().as_secs_f64();
    report
}

fn out(line: &str) {
    // Straight to the terminal: the figures show even when the test harness captures
    // the test's own output.
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

#[test]
fn fuzz_every_reader_of_untrusted_text() {
    install_panic_hook();
    // The short pass of `cargo test` (debug: overflow checks on) stays within seconds.
    let iterations = env_number("FUZZ_ITERS", 10_000);
    let seed = env_number("FUZZ_SEED", 1);
    let threads = env_number("FUZZ_THREADS", 2).max(1) as usize;
    let targets = targets();
    let next = AtomicUsize::new(0);
    let reports: Mutex<Vec<(usize, Report)>> = Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads.min(targets.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(target) = targets.get(i) else { break };
                let report = run_target(i, target, iterations, seed, &crash_dir());
                reports.lock().unwrap().push((i, report));
            });
        }
    });
    let mut reports = reports.into_inner().unwrap();
    reports.sort_by_key(|(i, _)| *i);

    out(&format!(
        "fuzz: {} targets x {iterations} inputs (FUZZ_SEED={seed}, {threads} threads, {:.1} s)",
        targets.len(),
        started.elapsed().as_secs_f64()
    ));
    let mut fatal = Vec::new();
    let mut total = 0;
    for (_, r) in &reports {
        total += r.inputs;
        let status = match (&r.failures[..], r.known_bug) {
            ([], None) => "0 panics, 0 violations".to_string(),
            ([], Some(_)) => "0 failures in this run (a known bug is marked for it)".into(),
            (f, Some(bug)) => format!("{} failures, KNOWN BUG: {bug}", f.len()),
            (f, None) => format!("{} FAILURES", f.len()),
        };
        out(&format!(
            "  {:<36} {:>9} inputs: {:>8} accepted, {:>8} refused with a typed error; {status} ({:.1} s)",
            r.name, r.inputs, r.accepted, r.refused, r.seconds
        ));
        for f in &r.failures {
            out(&format!("    {f}"));
        }
        if r.known_bug.is_none() && !r.failures.is_empty() {
            fatal.push(r.name.clone());
        }
    }
    out(&format!("fuzz: {total} inputs in all; failing targets: {fatal:?}"));
    assert!(fatal.is_empty(), "fuzz failures in {fatal:?} (inputs written to target/fuzz-crash-*.txt)");
    for (_, r) in &reports {
        if r.failures.is_empty() {
            assert_eq!(r.inputs, iterations, "{}: every input ran", r.name);
        }
        // Inputs must reach past the parser: some are accepted, some refused (a delay
        // and a split into lines have nothing to refuse).
        if iterations >= 1000 && !["retry::delay_ms", "LineSplitter"].contains(&r.name.as_str()) {
            assert!(r.accepted > 0 && r.refused > 0, "{}: {} accepted, {} refused", r.name, r.accepted, r.refused);
        }
    }
}

/// The harness itself: a target that panics on some inputs is caught, reported with
/// its input, and does not take the run down.
#[test]
fn the_harness_catches_a_panic_and_keeps_the_input() {
    install_panic_hook();
    let target = Target {
        name: "self-test".into(),
        seeds: vec!["{\"a\":1}".into()],
        known_bug: None,
        check: Box::new(|input, _| {
            if input.contains('[') {
                panic!("brackets are not allowed here");
            }
            Ok(Outcome::Ok)
        }),
    };
    let dir = std::env::temp_dir().join(format!("gitpod-prebuilds-fuzz-self-test-{}", std::process::id()));
    let report = run_target(999, &target, 2_000, 7, &dir);
    assert!(!report.failures.is_empty(), "a mutant with a bracket appears within 2000 inputs");
    assert!(report.failures[0].contains("brackets are not allowed here"), "{}", report.failures[0]);
    let written: Vec<_> =
        std::fs::read_dir(&dir).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    assert_eq!(written.len(), report.failures.len(), "each failing input is kept");
    assert!(written.iter().all(|input| input.contains('[')), "the files hold the failing inputs");
    let again = run_target(999, &target, 2_000, 7, &dir);
    assert_eq!(report.failures, again.failures, "the same seed finds the same inputs");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn seeds_as_servers_write_them() {
    assert_eq!(without_defaults(r#"{"a":"","b":{"c":0},"d":"x","e":[],"f":{"g":false}}"#), r#"{"d":"x"}"#);
    assert_eq!(without_defaults(r#"{"a":"x","b":"0"}"#), r#"{"a":"x"}"#);
    assert_eq!(spaced(r#"{"a":"x,y","b":[1,2]}"#), "{ \"a\" : \"x,y\",\n  \"b\" : [ 1,\n  2]}");
}
