//! When the next sync of an organization is due: jittered interval, failure backoff.

use std::time::Duration;

use rand::Rng;

/// Largest share of the interval added as jitter, so organizations drift apart.
pub const MAX_JITTER: f64 = 0.10;

/// The shortest interval honoured: a zero interval would sync in a busy loop.
const MIN_INTERVAL: Duration = Duration::from_millis(10);

/// `interval` plus `fraction` (clamped to 0..=[`MAX_JITTER`]) of it.
pub fn jittered(interval: Duration, fraction: f64) -> Duration {
    let interval = interval.max(MIN_INTERVAL);
    interval + interval.mul_f64(fraction.clamp(0.0, MAX_JITTER))
}

/// The delay before the next periodic sync, with random jitter.
pub fn next_interval(interval: Duration) -> Duration {
    jittered(interval, rand::rng().random_range(0.0..=MAX_JITTER))
}

/// The delay after `failures` (>= 1) failed syncs in a row: `failure_backoff` doubled per
/// failure after the first, never longer than `interval`.
pub fn backoff(failure_backoff: Duration, interval: Duration, failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(31);
    failure_backoff
        .saturating_mul(1u32 << doublings)
        .min(interval.max(MIN_INTERVAL))
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn backoff_doubles_and_is_capped_at_the_interval() {
        let got: Vec<u64> = (1..=6).map(|n| backoff(S, 10 * S, n).as_secs()).collect();
        assert_eq!(got, [1, 2, 4, 8, 10, 10]);
        assert_eq!(backoff(S, 10 * S, u32::MAX), 10 * S, "no overflow");
        assert_eq!(backoff(S, 10 * S, 0), S);
    }

    #[test]
    fn jitter_adds_at_most_ten_percent() {
        assert_eq!(jittered(10 * S, 0.0), 10 * S);
        assert_eq!(jittered(10 * S, 0.05), Duration::from_millis(10_500));
        assert_eq!(jittered(10 * S, 5.0), 11 * S);
        assert_eq!(jittered(10 * S, -1.0), 10 * S);
        for _ in 0..100 {
            let d = next_interval(10 * S);
            assert!(d >= 10 * S && d <= 11 * S, "{d:?}");
        }
        assert_eq!(jittered(Duration::ZERO, 0.0), MIN_INTERVAL);
    }
}
