//! Logs access tokens: minted by CreatePrebuildLogsToken for one prebuild, remembered
//! with that prebuild and their expiry, and checked on every log request.
//!
//! Tokens must not be guessable, so they do not come from the seeded generator (whose
//! output follows from `--seed` and the call order): each is SipHash of a secret and a
//! counter. The core draws no randomness itself, so the secret comes from the caller
//! (the server's from the operating system's randomness, as std's `RandomState`
//! draws it). The counter outlives a reset, which forgets the tokens: a token minted
//! after a reset never repeats one minted before.

use std::collections::{HashMap, VecDeque};
use std::hash::{DefaultHasher, Hasher};

/// How tokens start, so a reader can tell them from API tokens (the Node load test
/// checks it).
pub const PREFIX: &str = "simlogs.";
/// Tokens remembered at most; past that the oldest are forgotten.
const MAX_TOKENS: usize = 100_000;

/// Why a token is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Never minted here (or forgotten): an API token, a typo, another simulator's.
    Unknown,
    /// Minted, but its time is up (Unix ms).
    Expired {
        /// When it expired.
        at_ms: i64,
    },
    /// Minted for another prebuild.
    OtherPrebuild,
}

#[derive(Debug, Clone)]
struct Grant {
    prebuild_id: String,
    expires_ms: i64,
}

/// The tokens minted and not yet forgotten.
#[derive(Debug)]
pub struct Tokens {
    secret: [u64; 2],
    minted: u64,
    ttl_ms: i64,
    grants: HashMap<String, Grant>,
    /// Tokens in the order minted, which is also the order they expire in.
    order: VecDeque<String>,
}

impl Tokens {
    /// A store whose tokens live `ttl_ms` milliseconds, drawn from `secret`.
    pub fn new(ttl_ms: u64, secret: [u64; 2]) -> Tokens {
        Tokens {
            secret,
            minted: 0,
            ttl_ms: i64::try_from(ttl_ms).unwrap_or(i64::MAX),
            grants: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// A new token for `prebuild_id`, valid from `now` (Unix ms) for the store's lifetime.
    pub fn mint(&mut self, prebuild_id: &str, now: i64) -> String {
        self.forget_old(now);
        self.minted += 1;
        let mut token = String::with_capacity(PREFIX.len() + 64);
        token.push_str(PREFIX);
        for part in 0..4u64 {
            let mut h = DefaultHasher::new();
            h.write_u64(self.secret[0]);
            h.write_u64(self.secret[1]);
            h.write_u64(self.minted);
            h.write_u64(part);
            token.push_str(&format!("{:016x}", h.finish()));
        }
        let grant =
            Grant { prebuild_id: prebuild_id.to_ascii_lowercase(), expires_ms: now.saturating_add(self.ttl_ms) };
        self.grants.insert(token.clone(), grant);
        self.order.push_back(token.clone());
        token
    }

    /// Whether `token` opens the log of `prebuild_id` at `now`.
    pub fn check(&self, token: &str, prebuild_id: &str, now: i64) -> Result<(), Refusal> {
        let grant = self.grants.get(token).ok_or(Refusal::Unknown)?;
        if now >= grant.expires_ms {
            return Err(Refusal::Expired { at_ms: grant.expires_ms });
        }
        if !grant.prebuild_id.eq_ignore_ascii_case(prebuild_id) {
            return Err(Refusal::OtherPrebuild);
        }
        Ok(())
    }

    /// Forgets every token (for `/_sim/reset`); later ones still differ from them.
    pub fn clear(&mut self) {
        self.grants.clear();
        self.order.clear();
    }

    /// Forgets tokens expired for longer than a lifetime (until then a request with
    /// one is told it expired), and the oldest beyond [`MAX_TOKENS`].
    fn forget_old(&mut self, now: i64) {
        while let Some(oldest) = self.order.front() {
            let stale = self.grants.get(oldest).map_or(true, |g| now >= g.expires_ms.saturating_add(self.ttl_ms));
            if !stale && self.order.len() < MAX_TOKENS {
                break;
            }
            if let Some(t) = self.order.pop_front() {
                self.grants.remove(&t);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_opens_its_prebuilds_log_until_it_expires() {
        let mut tokens = Tokens::new(1_000, [1, 2]);
        let t = tokens.mint("AAAA-1", 10_000);
        assert!(t.starts_with(PREFIX) && t.len() == PREFIX.len() + 64, "{t}");
        assert_eq!(tokens.check(&t, "aaaa-1", 10_000), Ok(()));
        assert_eq!(tokens.check(&t, "aaaa-1", 10_999), Ok(()));
        assert_eq!(tokens.check(&t, "aaaa-1", 11_000), Err(Refusal::Expired { at_ms: 11_000 }));
        assert_eq!(tokens.check(&t, "bbbb-2", 10_500), Err(Refusal::OtherPrebuild));
        assert_eq!(tokens.check("test-token", "aaaa-1", 10_500), Err(Refusal::Unknown));
        assert_eq!(tokens.check(&t[..t.len() - 1], "aaaa-1", 10_500), Err(Refusal::Unknown));
    }

    #[test]
    fn tokens_differ_between_stores_and_mints() {
        let (mut a, mut b) = (Tokens::new(1_000, [1, 2]), Tokens::new(1_000, [3, 4]));
        let (a1, a2, b1) = (a.mint("x", 0), a.mint("x", 0), b.mint("x", 0));
        assert_ne!(a1, a2);
        assert_ne!(a1, b1, "not a function of the call order alone");
        assert_eq!(b.check(&a1, "x", 1), Err(Refusal::Unknown));
        a.clear();
        assert_eq!(a.check(&a1, "x", 1), Err(Refusal::Unknown), "forgotten");
        let a3 = a.mint("x", 0);
        assert!(a3 != a1 && a3 != a2, "never a token of before the reset");
    }

    #[test]
    fn long_expired_tokens_are_forgotten() {
        let mut tokens = Tokens::new(100, [1, 2]);
        let old = tokens.mint("x", 0);
        assert_eq!(tokens.check(&old, "x", 150), Err(Refusal::Expired { at_ms: 100 }));
        tokens.mint("x", 250);
        assert_eq!(tokens.check(&old, "x", 250), Err(Refusal::Unknown));
        assert_eq!(tokens.grants.len(), 1);
    }
}
