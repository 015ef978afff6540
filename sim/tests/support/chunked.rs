//! A log reader over a raw `TcpStream` that decodes chunked transfer encoding itself,
//! so a test sees each chunk as the server wrote it and can tell a clean end (the
//! terminating zero-size chunk) from a dropped connection.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

use super::PATIENCE;

/// An open response: status and headers read, the body still to come.
pub struct Reader {
    stream: BufReader<TcpStream>,
    /// The status code.
    pub status: u16,
    /// Header names (lowercase) and values.
    pub headers: Vec<(String, String)>,
    chunked: bool,
    finished: bool,
}

/// What a whole body read gave.
#[derive(Debug)]
pub struct Body {
    /// The data of each chunk, in order.
    pub chunks: Vec<Vec<u8>>,
    /// `Ok` after the terminating chunk; the error of an abrupt end.
    pub end: io::Result<()>,
}

impl Body {
    /// Every chunk's bytes, joined.
    pub fn bytes(&self) -> Vec<u8> {
        self.chunks.concat()
    }

    /// The body as text; panics when it is not UTF-8.
    pub fn text(&self) -> String {
        String::from_utf8(self.bytes()).expect("a log is UTF-8")
    }
}

impl Reader {
    /// Sends `GET path` with `headers` on a fresh connection and reads the head.
    pub fn get(addr: &str, path: &str, headers: &[(&str, &str)]) -> io::Result<Reader> {
        let mut stream = TcpStream::connect(addr)?;
        stream.set_read_timeout(Some(PATIENCE))?;
        let mut head = format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n");
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes())?;
        let mut stream = BufReader::new(stream);
        let status_line = read_line(&mut stream)?;
        let status = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io::Error::other(format!("bad status line {status_line:?}")))?;
        let mut headers = Vec::new();
        loop {
            let line = read_line(&mut stream)?;
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let chunked = headers.iter().any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
        Ok(Reader { stream, status, headers, chunked, finished: false })
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The next chunk's data; `None` after the terminating chunk (or a whole
    /// `content-length` body, given as one chunk). A connection that ends before the
    /// terminating chunk is an `UnexpectedEof` error.
    pub fn next_chunk(&mut self) -> io::Result<Option<Vec<u8>>> {
        if self.finished {
            return Ok(None);
        }
        if !self.chunked {
            self.finished = true;
            let len = self.header("content-length").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
            let mut body = vec![0; len];
            self.stream.read_exact(&mut body)?;
            return Ok(Some(body));
        }
        let size_line = read_line(&mut self.stream)?;
        let hex = size_line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(hex, 16)
            .map_err(|_| io::Error::other(format!("bad chunk size line {size_line:?}")))?;
        if size == 0 {
            // Trailers, then the empty line.
            while !read_line(&mut self.stream)?.is_empty() {}
            self.finished = true;
            return Ok(None);
        }
        let mut data = vec![0; size];
        self.stream.read_exact(&mut data)?;
        let mut crlf = [0; 2];
        self.stream.read_exact(&mut crlf)?;
        if &crlf != b"\r\n" {
            return Err(io::Error::other("a chunk does not end in CRLF"));
        }
        Ok(Some(data))
    }

    /// Reads chunks until the end, clean or not.
    pub fn read_all(mut self) -> Body {
        let mut chunks = Vec::new();
        loop {
            match self.next_chunk() {
                Ok(Some(chunk)) => chunks.push(chunk),
                Ok(None) => return Body { chunks, end: Ok(()) },
                Err(e) => return Body { chunks, end: Err(e) },
            }
        }
    }
}

/// One CRLF-terminated line of the head or of the chunk framing, without the CRLF. The
/// connection closing first is `UnexpectedEof`.
fn read_line(stream: &mut BufReader<TcpStream>) -> io::Result<String> {
    let mut line = Vec::new();
    stream.read_until(b'\n', &mut line)?;
    if !line.ends_with(b"\r\n") {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the connection ended inside the framing"));
    }
    line.truncate(line.len() - 2);
    String::from_utf8(line).map_err(|_| io::Error::other("framing that is not UTF-8"))
}
