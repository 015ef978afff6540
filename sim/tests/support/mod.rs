//! Shared by the integration tests: starting the real `prebuild-sim` binary on a free
//! port, a small HTTP/1.1 client over `std::net::TcpStream`, and polling helpers.
#![allow(dead_code)]

pub mod chunked;
pub mod logs;

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The path prefix of every method.
pub const API: &str = "/api/gitpod.v1.PrebuildService/";
/// A bearer token the tests send.
pub const TOKEN: &str = "test-token";
/// How long anything may take on a slow, loaded machine before a test gives up.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// A running simulator, stopped when dropped.
pub struct Sim {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// What it printed after the first line.
    pub stdout: Arc<Mutex<String>>,
}

impl Sim {
    /// Starts the binary with `--port 0 --quiet` and `args`.
    pub fn start(args: &[&str]) -> Sim {
        let mut child = Command::new(env!("CARGO_BIN_EXE_prebuild-sim"))
            .args(["--port", "0", "--quiet"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start prebuild-sim");
        let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
        let mut first = String::new();
        reader.read_line(&mut first).expect("read the first line");
        let url = first
            .trim_end()
            .strip_prefix("prebuild-sim listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_string();
        let addr = url.strip_prefix("http://").expect("http URL").to_string();
        // Keep reading so the pipe never fills.
        let stdout = Arc::new(Mutex::new(String::new()));
        let sink = stdout.clone();
        std::thread::spawn(move || {
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                sink.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        Sim { child, addr, url, stdout }
    }

    /// A simulator whose clock does not move during a test (one tick a day).
    pub fn frozen(extra: &[&str]) -> Sim {
        let mut args = vec!["--tick-ms", "86400000"];
        args.extend_from_slice(extra);
        Sim::start(&args)
    }

    /// A simulator with a fast clock (20 ms ticks: a new prebuild completes in about
    /// 0.4 s, far longer on a loaded machine, which the polls allow for).
    pub fn fast(extra: &[&str]) -> Sim {
        let mut args = vec!["--tick-ms", "20"];
        args.extend_from_slice(extra);
        Sim::start(&args)
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the process to end, at most `PATIENCE`.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "prebuild-sim did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Any HTTP request.
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> io::Result<Response> {
        http(&self.addr, method, path, headers, body.as_bytes())
    }

    /// POSTs to a method with the test token and extra headers.
    pub fn call_with(&self, method: &str, query: &str, headers: &[(&str, &str)], body: &str) -> Response {
        let auth = format!("Bearer {TOKEN}");
        let mut all = vec![("authorization", auth.as_str()), ("content-type", "application/json")];
        all.extend_from_slice(headers);
        self.request("POST", &format!("{API}{method}{query}"), &all, body).expect("a response")
    }

    /// POSTs to a method with the test token.
    pub fn call(&self, method: &str, body: &Value) -> Response {
        self.call_with(method, "", &[], &body.to_string())
    }

    /// Calls a method that must succeed; returns its JSON.
    pub fn ok(&self, method: &str, body: Value) -> Value {
        let r = self.call(method, &body);
        assert_eq!(r.status, 200, "{method} {body}: {}", r.body);
        r.json()
    }

    /// `GET /_sim/info`.
    pub fn info(&self) -> Value {
        let r = self.request("GET", "/_sim/info", &[], "").expect("info");
        assert_eq!(r.status, 200);
        r.json()
    }

    /// GetPrebuild's prebuild, or `None` once it is gone.
    pub fn prebuild(&self, id: &str) -> Option<Value> {
        let r = self.call("GetPrebuild", &json!({ "prebuildId": id }));
        match r.status {
            200 => Some(r.json()["prebuild"].clone()),
            404 => None,
            s => panic!("GetPrebuild answered {s}: {}", r.body),
        }
    }

    /// GetWarmPool's warm pool, or `None` once it is gone.
    pub fn warm_pool(&self, id: &str) -> Option<Value> {
        let r = self.call("GetWarmPool", &json!({ "warmPoolId": id }));
        match r.status {
            200 => Some(r.json()["warmPool"].clone()),
            404 => None,
            s => panic!("GetWarmPool answered {s}: {}", r.body),
        }
    }

    /// Every item of a list method, walking pages of `page_size` with `body`.
    pub fn walk(&self, method: &str, key: &str, body: &Value, page_size: u32) -> Vec<Value> {
        let mut items = Vec::new();
        let mut token = String::new();
        for _ in 0..10_000 {
            let query = if token.is_empty() {
                format!("?pageSize={page_size}")
            } else {
                format!("?pageSize={page_size}&token={token}")
            };
            let r = self.call_with(method, &query, &[], &body.to_string());
            assert_eq!(r.status, 200, "{method}{query}: {}", r.body);
            let page = r.json();
            let got = page[key].as_array().cloned().unwrap_or_default();
            assert!(got.len() <= page_size as usize, "a page holds at most pageSize items");
            items.extend(got);
            token = page["pagination"]["nextToken"].as_str().unwrap_or("").to_string();
            if token.is_empty() {
                return items;
            }
        }
        panic!("the walk did not end");
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header names (lowercase) and values.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
}

impl Response {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The Connect error code of an error body.
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or("").to_string()
    }
}

/// One request on a fresh connection (`Connection: close`), the whole response read.
/// A connection closed without a response is an error.
pub fn http(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> io::Result<Response> {
    let sockaddr = addr.to_socket_addrs()?.next().ok_or_else(|| io::Error::other("no address"))?;
    let mut stream = TcpStream::connect_timeout(&sockaddr, Duration::from_secs(10))?;
    stream.set_read_timeout(Some(PATIENCE))?;
    stream.set_write_timeout(Some(PATIENCE))?;
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\ncontent-length: {}\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw, method == "HEAD")
}

fn parse_response(raw: &[u8], head_request: bool) -> io::Result<Response> {
    if raw.is_empty() {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the connection closed without a response"));
    }
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| io::Error::other("no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::other("bad status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if let Some(len) = headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse::<usize>().ok()) {
        if body.len() < len && !head_request && status != 204 && status != 304 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the body is shorter than its content-length"));
        }
        body.truncate(len);
    }
    Ok(Response { status, headers, body: String::from_utf8_lossy(&body).to_string() })
}

/// Polls `f` until it gives a value, failing after [`PATIENCE`] with `what`.
pub fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(15));
    }
}

/// A string field of a JSON value.
pub fn s<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or_else(|| panic!("no string at {pointer} in {v}"))
}

/// A 64-bit integer sent as text.
pub fn version(v: &Value, pointer: &str) -> u64 {
    s(v, pointer).parse().unwrap_or_else(|_| panic!("{pointer} is not a number in {v}"))
}
