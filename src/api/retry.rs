//! Retry policy: exponential backoff with full jitter, and `Retry-After` parsing.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;

/// The longest backoff between two attempts, whatever the attempt number.
pub(crate) const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// 429 answers tolerated for one call; counted apart from the 5xx/transport budget.
pub(crate) const MAX_THROTTLED: u32 = 10;
/// The wait after a 429 that names none.
pub(crate) const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);

/// The upper bound of the wait before retry number `retry` (1-based):
/// `initial * 2^(retry-1)`, capped at [`MAX_BACKOFF`].
pub(crate) fn backoff_ceiling(initial: Duration, retry: u32) -> Duration {
    let doublings = retry.saturating_sub(1).min(20);
    initial.saturating_mul(1 << doublings).min(MAX_BACKOFF)
}

/// "Full jitter": a uniform wait in `[0, ceiling]`, so that clients failing together do
/// not retry together.
pub(crate) fn backoff(initial: Duration, retry: u32) -> Duration {
    let ceiling = backoff_ceiling(initial, retry);
    let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(rand::rng().random_range(0..=nanos))
}

/// Reads a `Retry-After` value: delay seconds (fractions tolerated) or an HTTP date
/// (a date in the past means no wait). `None` when unreadable.
pub(crate) fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        return Duration::try_from_secs_f64(secs).ok();
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (at.with_timezone(&Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn retry_after_seconds_date_and_garbage() {
        let now = Utc.with_ymd_and_hms(2015, 10, 21, 7, 27, 0).unwrap();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("1.5", now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("-3", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("", now), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_jitters_within() {
        let initial = Duration::from_millis(100);
        assert_eq!(backoff_ceiling(initial, 1), Duration::from_millis(100));
        assert_eq!(backoff_ceiling(initial, 2), Duration::from_millis(200));
        assert_eq!(backoff_ceiling(initial, 4), Duration::from_millis(800));
        assert_eq!(backoff_ceiling(initial, 50), MAX_BACKOFF);
        assert_eq!(backoff_ceiling(Duration::MAX, 3), MAX_BACKOFF);
        let mut seen_distinct = std::collections::HashSet::new();
        for _ in 0..200 {
            let wait = backoff(initial, 3);
            assert!(wait <= Duration::from_millis(400), "{wait:?}");
            seen_distinct.insert(wait);
        }
        assert!(seen_distinct.len() > 1, "no jitter");
    }
}
