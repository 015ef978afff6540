//! The gaps between polls: the first is `intervalMs`; each next one is half as long
//! again, up to `maxIntervalMs`; each is shortened by up to a fifth at random, so many
//! clients waiting for the same thing spread apart. A change starts over from the
//! first gap: something is happening, so the next change may come soon.

/// How much longer each gap is than the one before.
const GROWTH: f64 = 1.5;
/// The largest share of a gap that jitter takes off.
const JITTER: f64 = 0.2;

/// The sequence of gaps of one wait.
#[derive(Debug, Clone, PartialEq)]
pub struct PollGaps {
    first_ms: f64,
    max_ms: f64,
    next_ms: f64,
}

impl PollGaps {
    /// Gaps from `first_ms` growing to `max_ms`.
    pub fn new(first_ms: u32, max_ms: u32) -> PollGaps {
        let first_ms = f64::from(first_ms);
        PollGaps { first_ms, max_ms: f64::from(max_ms).max(first_ms), next_ms: first_ms }
    }

    /// The next gap; `random` is uniform in `[0, 1)`.
    pub fn next(&mut self, random: f64) -> f64 {
        let gap = self.next_ms;
        self.next_ms = (gap * GROWTH).min(self.max_ms);
        let random = if random.is_finite() { random.clamp(0.0, 1.0) } else { 0.0 };
        gap * (1.0 - JITTER * random)
    }

    /// Starts over from the first gap.
    pub fn reset(&mut self) {
        self.next_ms = self.first_ms;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_grow_by_half_to_the_cap() {
        let mut g = PollGaps::new(100, 400);
        let gaps: Vec<f64> = (0..6).map(|_| g.next(0.0)).collect();
        assert_eq!(gaps, [100.0, 150.0, 225.0, 337.5, 400.0, 400.0]);
    }

    #[test]
    fn jitter_takes_off_at_most_a_fifth() {
        let mut g = PollGaps::new(1000, 1000);
        assert_eq!(g.next(0.5), 900.0);
        for r in [0.0, 0.25, 0.999, 1.0, f64::NAN, -3.0, 7.0] {
            let d = g.next(r);
            assert!((800.0..=1000.0).contains(&d), "{r}: {d}");
        }
    }

    #[test]
    fn reset_starts_over_and_the_cap_is_never_below_the_first_gap() {
        let mut g = PollGaps::new(100, 10_000);
        g.next(0.0);
        g.next(0.0);
        g.reset();
        assert_eq!(g.next(0.0), 100.0);
        let mut g = PollGaps::new(500, 20);
        assert_eq!([g.next(0.0), g.next(0.0)], [500.0, 500.0]);
    }
}
