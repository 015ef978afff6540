//! Pagination: page sizes from the query or the body, and opaque cursor tokens.
//!
//! A token names the last item of the previous page (its creation sequence), so a
//! walk is stable while new items are created (they sort before the cursor) or old
//! ones disappear. It also carries a hash of the filter, because a token only makes
//! sense with the filter it was made for.

use gitpod_prebuilds::api::{check_page_size, PaginationRequest, DEFAULT_PAGE_SIZE};
use gitpod_prebuilds::protocol::Code;

use super::ApiError;

/// `token` and `pageSize` as read from a list call's query string.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageQuery {
    /// `token=`, percent-decoded.
    pub token: Option<String>,
    /// `pageSize=`, as sent.
    pub page_size: Option<String>,
}

impl PageQuery {
    /// Reads a raw query string (`token=T&pageSize=50`); other parameters are ignored.
    pub fn from_query(query: Option<&str>) -> PageQuery {
        let mut out = PageQuery::default();
        for pair in query.unwrap_or("").split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match percent_decode(k).as_str() {
                "token" => out.token = Some(percent_decode(v)),
                "pageSize" | "page_size" => out.page_size = Some(percent_decode(v)),
                _ => {}
            }
        }
        out
    }
}

/// Which list a token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// ListPrebuilds.
    Prebuilds = 1,
    /// ListWarmPools.
    WarmPools = 2,
}

/// One page to read.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Only items created before this sequence number (none: from the newest).
    pub before: Option<u64>,
    /// How many items.
    pub size: usize,
    kind: ListKind,
    filter_hash: u32,
}

/// Works out the page from the query (which wins), the body's top-level `token` and
/// `pageSize`, and the body's `pagination`.
pub fn resolve(
    kind: ListKind,
    filter_json: &str,
    query: &PageQuery,
    body_token: Option<&str>,
    body_size: Option<i32>,
    pagination: Option<&PaginationRequest>,
) -> Result<Page, ApiError> {
    let query_size = match query.page_size.as_deref().filter(|s| !s.is_empty()) {
        Some(text) => Some(parse_size(text)?),
        None => None,
    };
    let size = query_size
        .or(body_size)
        .or(pagination.and_then(|p| p.page_size))
        .filter(|&n| n > 0)
        .unwrap_or(DEFAULT_PAGE_SIZE);
    let token = [query.token.as_deref(), body_token, pagination.and_then(|p| p.token.as_deref())]
        .into_iter()
        .flatten()
        .find(|t| !t.is_empty());
    let filter_hash = fnv1a(filter_json.as_bytes()) as u32;
    let before = match token {
        None => None,
        Some(t) => {
            let (k, seq, hash) = decode(t).ok_or_else(|| {
                ApiError::new(Code::InvalidArgument, "token is not a page token of this service (pass pagination.nextToken of the previous page unchanged)")
            })?;
            if k != kind as u8 || hash != filter_hash {
                return Err(ApiError::new(
                    Code::InvalidArgument,
                    "token belongs to another list or filter (repeat the first page's request with only the token changed)",
                ));
            }
            Some(seq)
        }
    };
    Ok(Page { before, size: size as usize, kind, filter_hash })
}

impl Page {
    /// The `nextToken` for a page that ended with the item `last_seq`.
    pub fn next_token(&self, last_seq: u64) -> String {
        encode(self.kind as u8, last_seq, self.filter_hash)
    }
}

fn parse_size(text: &str) -> Result<i32, ApiError> {
    let n: i32 = text.trim().parse().map_err(|_| {
        ApiError::new(Code::InvalidArgument, format!("pageSize must be a whole number from 0 to 100, got {text:?}"))
    })?;
    Ok(check_page_size("pageSize", n)?)
}

/// kind (1 byte), sequence (8), filter hash (4), check (2), as hex.
fn encode(kind: u8, seq: u64, hash: u32) -> String {
    let mut bytes = vec![kind];
    bytes.extend_from_slice(&seq.to_be_bytes());
    bytes.extend_from_slice(&hash.to_be_bytes());
    let check = fnv1a(&bytes) as u16;
    bytes.extend_from_slice(&check.to_be_bytes());
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode(token: &str) -> Option<(u8, u64, u32)> {
    if token.len() != 30 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let bytes: Vec<u8> =
        (0..15).map(|i| u8::from_str_radix(&token[2 * i..2 * i + 2], 16)).collect::<Result<_, _>>().ok()?;
    let check = u16::from_be_bytes([bytes[13], bytes[14]]);
    if fnv1a(&bytes[..13]) as u16 != check {
        return None;
    }
    let seq = u64::from_be_bytes(bytes[1..9].try_into().ok()?);
    let hash = u32::from_be_bytes(bytes[9..13].try_into().ok()?);
    Some((bytes[0], seq, hash))
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Decodes `%XX` escapes and `+` (a space in form-encoded queries); bad escapes stay
/// as they are.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let escaped = (b[i] == b'%')
            .then(|| b.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match escaped {
            Some(v) => {
                out.push(v);
                i += 3;
            }
            None => {
                out.push(if b[i] == b'+' { b' ' } else { b[i] });
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_reject_tampering() {
        let t = encode(1, 42, 7);
        assert_eq!(decode(&t), Some((1, 42, 7)));
        let mut bad = t.clone().into_bytes();
        bad[5] = if bad[5] == b'0' { b'1' } else { b'0' };
        assert_eq!(decode(std::str::from_utf8(&bad).unwrap()), None);
        assert_eq!(decode("nextToken"), None);
    }

    #[test]
    fn queries_are_decoded() {
        let q = PageQuery::from_query(Some("a=1&token=ab%20c+d&pageSize=5&x"));
        assert_eq!(q.token.as_deref(), Some("ab c d"));
        assert_eq!(q.page_size.as_deref(), Some("5"));
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%C3%A9"), "é");
    }

    #[test]
    fn query_wins_over_the_body() {
        let q = PageQuery { token: None, page_size: Some("7".into()) };
        let p = PaginationRequest { token: None, page_size: Some(50) };
        assert_eq!(resolve(ListKind::Prebuilds, "{}", &q, None, Some(3), Some(&p)).unwrap().size, 7);
        assert_eq!(resolve(ListKind::Prebuilds, "{}", &PageQuery::default(), None, None, Some(&p)).unwrap().size, 50);
        assert_eq!(resolve(ListKind::Prebuilds, "{}", &PageQuery::default(), None, Some(0), None).unwrap().size, 25);
        let bad = PageQuery { token: None, page_size: Some("101".into()) };
        assert_eq!(resolve(ListKind::Prebuilds, "{}", &bad, None, None, None).unwrap_err().code, Code::InvalidArgument);
    }
}
