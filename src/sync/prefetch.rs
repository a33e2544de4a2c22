//! Which contract actions to prefetch: fresh enough ones are skipped, a token bucket
//! bounds the requests per minute, and at most one read runs at a time so an opened
//! account never waits behind prefetching.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Duration;

use tokio::time::Instant;

/// An account read this recently (opened or prefetched) is not prefetched again.
pub const FRESH_FOR: Duration = Duration::from_secs(180);

/// Prefetch reads in flight at once per organization.
const CONCURRENCY: usize = 1;

/// Up to `per_minute` tokens, refilled continuously; starts full.
#[derive(Debug)]
struct TokenBucket {
    capacity: f64,
    tokens: f64,
    at: Instant,
}

impl TokenBucket {
    fn new(per_minute: u32, now: Instant) -> Self {
        let capacity = f64::from(per_minute);
        Self {
            capacity,
            tokens: capacity,
            at: now,
        }
    }

    fn try_take(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.capacity / 60.0).min(self.capacity);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The prefetch queue of one organization.
#[derive(Debug)]
pub struct Prefetcher {
    bucket: TokenBucket,
    queue: VecDeque<String>,
    /// Queued or being read.
    pending: HashSet<String>,
    running: usize,
    /// When each account's actions were last read, by any path.
    read_at: HashMap<String, Instant>,
}

impl Prefetcher {
    pub fn new(per_minute: u32, now: Instant) -> Self {
        Self {
            bucket: TokenBucket::new(per_minute, now),
            queue: VecDeque::new(),
            pending: HashSet::new(),
            running: 0,
            read_at: HashMap::new(),
        }
    }

    /// Queues the ids that are neither fresh nor pending while the budget lasts (one
    /// token per account); the rest are dropped. Returns how many were queued.
    pub fn admit(&mut self, ids: Vec<String>, now: Instant) -> usize {
        self.read_at
            .retain(|_, at| now.saturating_duration_since(*at) < FRESH_FOR);
        let mut admitted = 0;
        for id in ids {
            if self.pending.contains(&id) || self.read_at.contains_key(&id) {
                continue;
            }
            if !self.bucket.try_take(now) {
                break;
            }
            self.pending.insert(id.clone());
            self.queue.push_back(id);
            admitted += 1;
        }
        admitted
    }

    /// The next account to read, unless enough reads run or an opened account is
    /// being read (it goes first).
    pub fn next(&mut self, opening: bool) -> Option<String> {
        if opening || self.running >= CONCURRENCY {
            return None;
        }
        let id = self.queue.pop_front()?;
        self.running += 1;
        Some(id)
    }

    /// A prefetch read of `id` ended (well or not: a failure is not retried at once).
    pub fn finished(&mut self, id: &str, now: Instant) {
        self.running = self.running.saturating_sub(1);
        self.pending.remove(id);
        self.read_at.insert(id.to_owned(), now);
    }

    /// `id` was read another way (the user opened it).
    pub fn read_elsewhere(&mut self, id: &str, now: Instant) {
        self.read_at.insert(id.to_owned(), now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(range: std::ops::Range<u32>) -> Vec<String> {
        range.map(|i| i.to_string()).collect()
    }

    fn drain(p: &mut Prefetcher, now: Instant) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(id) = p.next(false) {
            p.finished(&id, now);
            out.push(id);
        }
        out
    }

    #[test]
    fn the_budget_drops_excess_ids_and_refills_over_time() {
        let t0 = Instant::now();
        let mut p = Prefetcher::new(5, t0);
        assert_eq!(p.admit(ids(0..20), t0), 5);
        assert_eq!(drain(&mut p, t0), ids(0..5));
        assert_eq!(p.admit(ids(20..30), t0), 0, "budget spent");
        // 12 s refill one token at 5 per minute.
        let t1 = t0 + Duration::from_secs(12);
        assert_eq!(p.admit(ids(20..30), t1), 1);
        assert_eq!(drain(&mut p, t1), ids(20..21));
    }

    #[test]
    fn fresh_and_pending_ids_cost_nothing() {
        let t0 = Instant::now();
        let mut p = Prefetcher::new(3, t0);
        p.read_elsewhere("opened", t0);
        assert_eq!(
            p.admit(vec!["opened".into(), "a".into(), "a".into()], t0),
            1
        );
        assert_eq!(p.admit(vec!["a".into()], t0), 0, "already queued");
        assert_eq!(drain(&mut p, t0), ["a"]);
        assert_eq!(p.admit(vec!["a".into()], t0), 0, "fresh");
        let later = t0 + FRESH_FOR;
        assert_eq!(p.admit(vec!["a".into(), "opened".into()], later), 2);
    }

    #[test]
    fn one_read_at_a_time_and_none_while_an_account_opens() {
        let t0 = Instant::now();
        let mut p = Prefetcher::new(10, t0);
        p.admit(ids(0..3), t0);
        assert_eq!(p.next(true), None, "an opening account goes first");
        assert_eq!(p.next(false).as_deref(), Some("0"));
        assert_eq!(p.next(false), None, "one in flight");
        p.finished("0", t0);
        assert_eq!(p.next(false).as_deref(), Some("1"));
    }

    #[test]
    fn a_zero_budget_prefetches_nothing() {
        let t0 = Instant::now();
        let mut p = Prefetcher::new(0, t0);
        assert_eq!(p.admit(ids(0..3), t0 + Duration::from_secs(600)), 0);
        assert_eq!(p.next(false), None);
    }
}
