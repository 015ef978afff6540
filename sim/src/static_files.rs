//! Static files: `www/` at `/` and the built `pkg/` at `/pkg/`, so the demo page is
//! same-origin with the API. A missing directory or file is a 404, never a crash.

use std::path::{Component, Path, PathBuf};

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use hyper::{Method, Response, StatusCode};

use crate::ctx::Ctx;

/// A static file's response: whole bodies only.
pub type Resp = Response<Full<Bytes>>;

/// Serves `path` from `--pkg` (below `/pkg/`) or `--www` (anything else).
pub async fn route(ctx: &Ctx, path: &str, method: &Method) -> Resp {
    match path.strip_prefix("/pkg/") {
        Some(rel) => serve(&ctx.pkg_dir, "/pkg/", rel, method).await,
        None => serve(&ctx.www_dir, "/", path.trim_start_matches('/'), method).await,
    }
}

/// Serves `rel` (the URL path below the mount point, still percent-encoded) from `dir`.
async fn serve(dir: &Path, mount: &str, rel: &str, method: &Method) -> Resp {
    if method != Method::GET && method != Method::HEAD {
        let mut resp = text(405, "method not allowed\n");
        resp.headers_mut().insert("allow", HeaderValue::from_static("GET, HEAD"));
        return resp;
    }
    let Some(path) = resolve(dir, rel) else { return text(404, "not found\n") };
    let path = match tokio::fs::metadata(&path).await {
        Ok(m) if m.is_dir() => {
            if !rel.is_empty() && !rel.ends_with('/') {
                // Relative links in an index page need the trailing slash.
                let mut resp = text(308, "moved\n");
                if let Ok(v) = HeaderValue::from_str(&format!("{mount}{rel}/")) {
                    resp.headers_mut().insert(LOCATION, v);
                }
                return resp;
            }
            path.join("index.html")
        }
        Ok(_) => path,
        Err(_) => return text(404, "not found\n"),
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => {
            // hyper leaves the body out of a HEAD response but keeps its length.
            let mut resp = with_body(200, content_type(&path), bytes);
            // A development server: always revalidate, so a rebuilt pkg/ is picked up.
            resp.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            resp
        }
        Err(_) => text(404, "not found\n"),
    }
}

/// The file for a URL path below `dir`, or `None` when the path tries to leave it or
/// is not valid text.
fn resolve(dir: &Path, rel: &str) -> Option<PathBuf> {
    let decoded = percent_decode(rel)?;
    let mut path = dir.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment.contains('\\') || segment.contains('\0') {
            return None;
        }
        match Path::new(segment).components().next() {
            Some(Component::Normal(part)) => path.push(part),
            Some(Component::CurDir) => {}
            _ => return None, // `..`, roots and prefixes
        }
    }
    Some(path)
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A response with this status, content type and body.
fn with_body(status: u16, content_type: &'static str, body: impl Into<Bytes>) -> Resp {
    let mut resp = Response::new(Full::new(body.into()));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

/// Plain text.
fn text(status: u16, body: &'static str) -> Resp {
    with_body(status, "text/plain; charset=utf-8", body)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" | "cjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" | "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_directory() {
        let base = Path::new("/srv/www");
        assert_eq!(resolve(base, "a/b.js"), Some(PathBuf::from("/srv/www/a/b.js")));
        assert_eq!(resolve(base, ""), Some(PathBuf::from("/srv/www")));
        assert_eq!(resolve(base, "./x%20y.html"), Some(PathBuf::from("/srv/www/x y.html")));
        assert_eq!(resolve(base, "../etc/passwd"), None);
        assert_eq!(resolve(base, "a/%2e%2e/%2e%2e/etc"), None);
        assert_eq!(resolve(base, "a\\..\\b"), None);
        assert_eq!(resolve(base, "%zz"), None);
    }
}
