//! Monthly usage: per account, a seeded set of usage kinds, one row per kind and month
//! from the later of its first subscription and 12 months before `today`'s month, to
//! the month its last subscription ended (or `today`'s month, when one is running).

use chrono::{DateTime, Duration, Utc};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

use super::catalog::{INBOUND, LOCAL_NUMBER, OUTBOUND, Product, SMS, SPEECH, VOICEMAIL, money};
use super::plan::{Sub, month_index};
use crate::sim::generate::{self as seeded, mix};

/// A usage kind: its `type`, product, and the range of its monthly quantity per user.
pub struct Kind {
    pub kind: &'static str,
    pub product: &'static Product,
    per_user: (i64, i64),
}

const KINDS: [Kind; 6] = [
    Kind {
        kind: "CALL",
        product: INBOUND,
        per_user: (200, 1500),
    },
    Kind {
        kind: "CALL",
        product: OUTBOUND,
        per_user: (50, 900),
    },
    Kind {
        kind: "NUMBER",
        product: LOCAL_NUMBER,
        per_user: (0, 1),
    },
    Kind {
        kind: "MESSAGE",
        product: SMS,
        per_user: (0, 300),
    },
    Kind {
        kind: "SPEECH_TRANSCRIPTION",
        product: SPEECH,
        per_user: (20, 400),
    },
    Kind {
        kind: "VOICEMAIL_TRANSCRIPTION",
        product: VOICEMAIL,
        per_user: (1, 40),
    },
];

/// Which kinds account `g` uses: inbound calls, the others by chance.
fn kinds(seed: u64, g: u32) -> Vec<usize> {
    let roll = mix(seed, seeded::SALT_BILLING ^ 5, u64::from(g));
    let chance = [100, 75, 50, 40, 25, 15];
    (0..KINDS.len())
        .filter(|i| (roll >> (8 * i)) % 100 < chance[*i])
        .collect()
}

/// The first and last month index with usage, if any.
pub fn months(plan: &[Sub], today: DateTime<Utc>) -> Option<(i32, i32)> {
    let first = plan.iter().map(|s| s.start).min()?;
    let horizon = plan.iter().map(|s| s.start).max()?.max(today);
    let last = match plan.iter().map(|s| s.end).collect::<Option<Vec<_>>>() {
        Some(ends) => ends.into_iter().max()?.min(horizon + Duration::seconds(1)),
        None => horizon + Duration::seconds(1),
    } - Duration::seconds(1);
    let first = month_index(first).max(month_index(today) - 12);
    let last = month_index(last);
    (first <= last).then_some((first, last))
}

pub fn count(seed: u64, g: u32, plan: &[Sub], today: DateTime<Utc>) -> usize {
    months(plan, today).map_or(0, |(first, last)| {
        (last - first + 1) as usize * kinds(seed, g).len()
    })
}

/// One usage row.
pub struct Row {
    pub month: i32,
    pub kind_index: usize,
    pub kind: &'static Kind,
    pub quantity: i64,
    pub amount: Decimal,
}

/// Row `k` of account `g` (by month, then kind).
pub fn row(seed: u64, g: u32, plan: &[Sub], today: DateTime<Utc>, k: usize) -> Option<Row> {
    let (first, _) = months(plan, today)?;
    let used = kinds(seed, g);
    let kind_index = *used.get(k % used.len())?;
    let month = first + (k / used.len()) as i32;
    let kind = &KINDS[kind_index];
    let key = (u64::from(g) << 24) | ((month as u64) << 4) | kind_index as u64;
    let mut r = SmallRng::seed_from_u64(mix(seed, seeded::SALT_BILLING ^ 6, key));
    let users = plan.first().map_or(1, |s| s.quantity.max(1));
    let (low, high) = kind.per_user;
    let quantity = match kind.kind {
        "NUMBER" => r.random_range(1..=users.clamp(1, 30)),
        _ => users * r.random_range(low..=high),
    };
    Some(Row {
        month,
        kind_index,
        kind,
        quantity,
        amount: money(kind.product.cents) * Decimal::from(quantity),
    })
}

#[cfg(test)]
mod tests {
    use super::super::plan::plan;
    use super::*;
    use crate::sim::world::Lifecycle;
    use chrono::TimeZone;

    #[test]
    fn active_accounts_have_a_year_of_usage_and_churned_ones_stop() {
        let t = Utc
            .with_ymd_and_hms(2026, 2, 2, 0, 0, 0)
            .single()
            .unwrap_or_default();
        for g in 0..500 {
            let subs = plan(5, t, g, seeded::ACTIVE, &Lifecycle::default());
            let (first, last) = months(&subs, t).unwrap_or((0, -1));
            assert_eq!((first, last), (month_index(t) - 12, month_index(t)));
            let n = count(5, g, &subs, t);
            assert!(n >= 13);
            let kinds: std::collections::HashSet<&str> = (0..n)
                .filter_map(|k| row(5, g, &subs, t, k))
                .map(|r| r.kind.kind)
                .collect();
            assert!(kinds.contains("CALL"));
            assert!(row(5, g, &subs, t, n - 1).is_some_and(|r| r.month == last));
            let churned = plan(5, t, g, seeded::CHURNED, &Lifecycle::default());
            if let Some((_, last)) = months(&churned, t) {
                let end = churned.iter().filter_map(|s| s.end).max().unwrap_or(t);
                assert!(last <= month_index(end) && last < month_index(t));
            }
        }
        assert!(plan(5, t, 1, seeded::PROSPECT, &Lifecycle::default()).is_empty());
        assert_eq!(months(&[], t), None);
    }
}
