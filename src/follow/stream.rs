//! What a transport needs to stream a response body (a prebuild's log): open a GET,
//! then read the body chunk by chunk as it arrives.

use crate::call::{Transport, TransportError};
use crate::retry::RetryHeaders;

/// A GET whose body is read as a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamRequest {
    /// The full URL.
    pub url: String,
    /// Header names (lowercase) and values; includes a secret (the logs token).
    pub headers: Vec<(String, String)>,
    /// How long to wait for the response headers; the body as a whole has no time
    /// limit, only each read of it ([`BodyStream::chunk`]).
    pub timeout_ms: u32,
}

/// The head of a streamed response, and its body.
#[derive(Debug)]
pub struct StreamResponse<B> {
    /// The HTTP status.
    pub status: u16,
    /// The headers that steer retries.
    pub retry: RetryHeaders,
    /// The body, not yet read.
    pub body: B,
}

/// A response body being read.
#[allow(async_fn_in_trait)]
pub trait BodyStream {
    /// The next chunk, or `None` at the body's clean end. A connection that breaks off
    /// is an error, not an end; so is a body that sends nothing for `idle_ms`: the
    /// read gives up with [`TransportError::Timeout`] and the request is aborted.
    async fn chunk(&mut self, idle_ms: u32) -> Result<Option<Vec<u8>>, TransportError>;
}

/// A transport that can also stream a GET.
#[allow(async_fn_in_trait)]
pub trait StreamTransport: Transport {
    /// The body type of its responses.
    type Body: BodyStream;
    /// Sends a GET and returns once the headers are in.
    async fn open(&self, request: &StreamRequest) -> Result<StreamResponse<Self::Body>, TransportError>;
}
