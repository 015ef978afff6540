//! What goes in and out of [`Simulator::handle`](crate::Simulator::handle): a request
//! as plain data, and an answer as plain data plus what the caller must do to deliver
//! it. The simulator reads no socket and keeps no timer, so whatever takes time or
//! touches a connection (a reset, a delay, a stall, a streamed log) comes back to the
//! caller as a decision to carry out.

use crate::logs::StreamId;

/// One HTTP request: what a server read off a connection, or what an in-process
/// `fetch` was given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SimRequest {
    /// `GET`, `POST`, `OPTIONS`... (upper case, as on the wire).
    pub method: String,
    /// The URL path, still percent-encoded (`/api/gitpod.v1.PrebuildService/GetPrebuild`).
    pub path: String,
    /// The query string without its `?`, if the URL had one.
    pub query: Option<String>,
    /// The headers as sent; names are compared without regard to case. Values are
    /// bytes, since HTTP does not promise text.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body. A caller may stop reading past [`MAX_BODY_BYTES`](crate::MAX_BODY_BYTES)
    /// bytes: anything longer is refused the same way.
    pub body: Vec<u8>,
    /// Why the body could not be read whole, when the transport failed part-way (a
    /// server sets it; the call is then answered as a bad request).
    pub body_error: Option<String>,
}

impl SimRequest {
    /// A request with this method and path, no headers and no body.
    pub fn new(method: &str, path: &str) -> SimRequest {
        SimRequest { method: method.to_string(), path: path.to_string(), ..SimRequest::default() }
    }

    /// With this query string (no `?`).
    pub fn with_query(mut self, query: &str) -> SimRequest {
        self.query = Some(query.to_string());
        self
    }

    /// With one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> SimRequest {
        self.headers.push((name.to_string(), value.as_bytes().to_vec()));
        self
    }

    /// With this body.
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> SimRequest {
        self.body = body.into();
        self
    }

    /// The first value of the header `name`, whatever the case of its name.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_slice())
    }

    /// The header as text: `Some(Err(()))` when it holds anything but visible ASCII,
    /// spaces and tabs (the rule of `http::HeaderValue::to_str`, which servers apply).
    pub(crate) fn header_text(&self, name: &str) -> Option<Result<&str, ()>> {
        self.header(name).map(|v| {
            let visible = v.iter().all(|&b| b == b'\t' || (0x20..0x7f).contains(&b));
            if visible {
                std::str::from_utf8(v).map_err(|_| ())
            } else {
                Err(())
            }
        })
    }
}

/// Response headers, in the order they were set; names are lower case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(Vec<(&'static str, String)>);

impl Headers {
    /// Sets `name` to `value`, replacing an earlier value.
    pub fn insert(&mut self, name: &'static str, value: impl Into<String>) {
        let value = value.into();
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }

    /// Removes `name`.
    pub fn remove(&mut self, name: &str) {
        self.0.retain(|(n, _)| *n != name);
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Every header, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(n, v)| (*n, v.as_str()))
    }
}

/// What a response carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// These bytes, all known now.
    Full(Vec<u8>),
    /// A prebuild's log, streamed: poll it with
    /// [`Simulator::poll_log`](crate::Simulator::poll_log) and close it with
    /// [`Simulator::close_log`](crate::Simulator::close_log) once done with it.
    Log(StreamId),
}

/// How an answer is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// At once.
    Now,
    /// This many milliseconds late (a committed `delay`: the call already took effect).
    Late(u64),
    /// Headers and the first half of the body at once, the rest this many
    /// milliseconds later (`stall`); a shutdown may cut the wait short.
    Stall(u64),
}

/// An HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The headers, the CORS ones included.
    pub headers: Headers,
    /// The body.
    pub body: Body,
    /// When and how it goes out.
    pub delivery: Delivery,
}

impl Answer {
    /// A whole body, sent at once.
    pub(crate) fn full(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Answer {
        let mut headers = Headers::default();
        headers.insert("content-type", content_type);
        Answer { status, headers, body: Body::Full(body.into()), delivery: Delivery::Now }
    }

    /// The body's bytes when it is whole (empty for a log stream).
    pub fn bytes(&self) -> &[u8] {
        match &self.body {
            Body::Full(b) => b,
            Body::Log(_) => &[],
        }
    }
}

/// What the caller does with a request.
#[derive(Debug, Clone, PartialEq)]
pub enum SimResponse {
    /// Send this answer.
    Answer(Answer),
    /// Send nothing and close the connection abruptly (a TCP RST in a server; an
    /// in-process `fetch` rejects as on a network error).
    Reset,
    /// Not served yet (a `delay` fault): wait [`Deferred::wait_ms`], then hand it to
    /// [`Simulator::resume`](crate::Simulator::resume) for the answer.
    Wait(Deferred),
}

impl SimResponse {
    /// The answer, if this is one.
    pub fn answer(&self) -> Option<&Answer> {
        match self {
            SimResponse::Answer(a) => Some(a),
            _ => None,
        }
    }
}

/// A request held back by a `delay` fault: it is served only after the wait, so
/// nothing it asks for has happened yet.
#[derive(Debug, Clone, PartialEq)]
pub struct Deferred {
    /// How long the fault holds the request.
    pub(crate) wait_ms: u64,
    /// What serving it takes up again.
    pub(crate) job: Job,
}

impl Deferred {
    /// How long to wait before resuming it.
    pub fn wait_ms(&self) -> u64 {
        self.wait_ms
    }
}

/// What a deferred request goes on with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Job {
    /// An API call of this method.
    Api(gitpod_prebuilds::api::Method, SimRequest),
    /// A log request.
    Log {
        /// The prebuild id of its path.
        id: String,
        /// The request, for its token.
        request: SimRequest,
    },
}
