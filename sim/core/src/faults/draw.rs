//! The fault state shared by all requests: the `times` counters of `x-sim-fault`
//! headers, and the seeded draws of `--fault-rate` and `--commit-share`.

use std::collections::HashMap;

use super::{applies, parse, Fault, Kind, Target};
use crate::rng::Rng;

/// Counters kept at most; more are forgotten (tests use few keys).
const MAX_KEYS: usize = 10_000;

/// The fault state shared by all requests: `times` counters and the random source.
#[derive(Debug)]
pub struct Faults {
    rate: f64,
    commit_share: f64,
    counters: HashMap<String, u64>,
    rng: Rng,
}

impl Faults {
    /// Faults with a global rate (0 for none) drawn from a seeded generator.
    pub fn new(rate: f64, seed: u64) -> Faults {
        Faults { rate, commit_share: 0.0, counters: HashMap::new(), rng: Rng::new(seed ^ 0xFA17) }
    }

    /// Makes a share (0..1) of the faults drawn by the global rate committed ones.
    pub fn with_commit_share(self, share: f64) -> Faults {
        Faults { commit_share: share, ..self }
    }

    /// The fault for a request of `target` with this header value (if any), counting
    /// `times`. A fault that does not apply to `target` is an error, and not counted.
    pub fn decide(&mut self, header: Option<&str>, target: Target) -> Result<Option<Fault>, String> {
        match header.map(str::trim).filter(|h| !h.is_empty()) {
            Some(value) => {
                let fault = parse(value)?;
                applies(&fault, target)?;
                let Some(times) = fault.times else { return Ok(Some(fault)) };
                let key = fault.key.clone().unwrap_or_else(|| value.to_string());
                let counters = &mut self.counters;
                if counters.len() >= MAX_KEYS && !counters.contains_key(&key) {
                    counters.clear();
                }
                let seen = counters.entry(key).or_insert(0);
                if *seen >= times {
                    return Ok(None);
                }
                *seen += 1;
                Ok(Some(fault))
            }
            // The global rate is for API calls: a log stream is one long request, and
            // the draws of a seed stay those of its API calls.
            None if self.rate > 0.0 && target == Target::Api => {
                let rng = &mut self.rng;
                if !rng.chance(self.rate) {
                    return Ok(None);
                }
                // No draw for the share when it is 0: the sequence of faults of a seed
                // stays what it was before committed faults existed.
                let commit = self.commit_share > 0.0 && rng.chance(self.commit_share);
                let kinds: &[Kind] = if commit {
                    // Lost answers that the plain rules retry (a retry is what turns them
                    // into duplicates) and that do not claim the call was not served, as
                    // a 503 would.
                    &[Kind::Internal, Kind::BadGateway, Kind::Reset]
                } else {
                    &[Kind::Unavailable, Kind::RateLimited, Kind::Reset]
                };
                let kind = kinds[rng.below(kinds.len() as u64) as usize].clone();
                Ok(Some(Fault { kind, retry_after_ms: None, commit, times: None, key: None }))
            }
            None => Ok(None),
        }
    }

    /// Forgets every `times` counter (for `/_sim/reset`).
    pub fn clear(&mut self) {
        self.counters.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_commit_share_draws_committed_faults_of_committable_kinds() {
        let mut faults = Faults::new(1.0, 3).with_commit_share(1.0);
        for _ in 0..200 {
            let f = faults.decide(None, Target::Api).unwrap().unwrap();
            assert!(f.commit && f.kind.takes_commit() && f.kind != Kind::Unavailable, "{f:?}");
        }
        let mut none = Faults::new(1.0, 3);
        assert!((0..200).all(|_| !none.decide(None, Target::Api).unwrap().unwrap().commit));
    }

    #[test]
    fn times_counts_per_key() {
        let mut faults = Faults::new(0.0, 1);
        let h = Some("503;times=2;key=k1");
        assert!(faults.decide(h, Target::Api).unwrap().is_some());
        assert!(faults.decide(h, Target::Api).unwrap().is_some());
        assert!(faults.decide(h, Target::Api).unwrap().is_none());
        assert!(faults.decide(Some("503;times=1;key=k2"), Target::Api).unwrap().is_some());
        assert!(faults.decide(Some("503"), Target::Api).unwrap().is_some());
        assert!(faults.decide(None, Target::Api).unwrap().is_none());
    }

    #[test]
    fn cut_is_for_log_requests_and_malformed_and_commit_for_api_calls() {
        let mut faults = Faults::new(1.0, 1);
        assert_eq!(parse("cut=3").unwrap().kind, Kind::Cut(3));
        assert_eq!(parse("cut=0").unwrap().kind.name(), "cut");
        assert!(parse("cut=").is_err() && parse("cut=-1").is_err() && parse("cut").is_err());
        assert!(parse("cut=2;commit=1").is_err(), "a cut does not take commit");
        let e = faults.decide(Some("cut=2;times=1;key=c"), Target::Api).unwrap_err();
        assert!(e.contains("log requests"), "{e}");
        // Refused without counting: the first log request still gets it.
        assert_eq!(faults.decide(Some("cut=2;times=1;key=c"), Target::Logs).unwrap().unwrap().kind, Kind::Cut(2));
        assert!(faults.decide(Some("cut=2;times=1;key=c"), Target::Logs).unwrap().is_none());
        assert!(faults.decide(Some("malformed"), Target::Logs).unwrap_err().contains("API calls only"));
        assert!(faults.decide(Some("503;commit=1"), Target::Logs).unwrap_err().contains("changes nothing"));
        for kind in ["503", "502", "500", "429", "reset", "delay=5", "stall", "html502"] {
            assert!(faults.decide(Some(kind), Target::Logs).unwrap().is_some(), "{kind}");
        }
        assert!(faults.decide(None, Target::Logs).unwrap().is_none(), "the global rate is for API calls");
        assert!(faults.decide(None, Target::Api).unwrap().is_some());
    }
    #[test]
    fn the_global_rate_is_honoured_roughly() {
        let mut faults = Faults::new(0.5, 9);
        let hits = (0..1000).filter(|_| faults.decide(None, Target::Api).unwrap().is_some()).count();
        assert!((350..650).contains(&hits), "{hits}");
    }
}
