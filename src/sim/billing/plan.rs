//! The subscriptions of one account, a pure function of the seed, the account's serial
//! and status, its recorded conversion and churn, and the world's `today`.
//!
//! Seeded subscriptions of an account share its billing day (1–28, midnight UTC), so
//! subscriptions billed in the same month land on one invoice.

use chrono::{DateTime, Datelike, Months, TimeZone, Utc};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

use super::catalog::{
    ANNUAL_ADD_ON, CREDIT_COMMITMENT, EDITIONS, LICENSES, MONTHLY_ADD_ONS, PREMIER_SUPPORT, Period,
    Product, money,
};
use crate::sim::generate::{self as seeded, mix};
use crate::sim::world::Lifecycle;

/// Chance that an active seeded subscription ends at the next billing day (≤ ~30 days).
const ENDING_SOON: f64 = 0.08;
/// Index `k` of the subscription a converted trial gains (apart from seeded ones).
pub const CONVERSION_K: u8 = 3;

/// One subscription as the simulator holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sub {
    /// Its index in the account (part of its id).
    pub k: u8,
    pub product: &'static Product,
    pub period: Period,
    /// Months of one term.
    pub term: u32,
    pub start: DateTime<Utc>,
    /// Exclusive; `None`: evergreen.
    pub end: Option<DateTime<Utc>>,
    /// `status` ACTIVATED, else OTHER.
    pub activated: bool,
    pub quantity: i64,
    pub unit_price: Decimal,
    pub auto_renewal: Option<bool>,
    pub renewal_uplift: Option<Decimal>,
    pub edition: &'static str,
}

impl Sub {
    /// ACTIVATED, started at or before `t`, not yet ended.
    #[cfg(test)]
    pub fn active_at(&self, t: DateTime<Utc>) -> bool {
        self.activated && self.start <= t && self.end.is_none_or(|e| e > t)
    }

    /// The invoice line's rate: the unit price of one billing period.
    pub fn rate(&self) -> Decimal {
        self.unit_price * Decimal::from(self.product.periods_per_invoice(self.period.months()))
    }

    /// Start of billing period `n` (0 is the subscription's start).
    pub fn period_start(&self, n: u32) -> Option<DateTime<Utc>> {
        self.start
            .checked_add_months(Months::new(n.checked_mul(self.period.months())?))
    }
}

/// Months since year 0 of `at`'s month.
pub fn month_index(at: DateTime<Utc>) -> i32 {
    at.year() * 12 + at.month0() as i32
}

/// Midnight UTC of day `day` (1–28) of month index `mi`.
pub fn cycle_date(mi: i32, day: u32) -> DateTime<Utc> {
    let (year, month0) = (mi.div_euclid(12), mi.rem_euclid(12) as u32);
    Utc.with_ymd_and_hms(year, month0 + 1, day.clamp(1, 28), 0, 0, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// The latest month whose billing day `day` is at or before `at`.
pub fn cycle_month(at: DateTime<Utc>, day: u32) -> i32 {
    let mi = month_index(at);
    if cycle_date(mi, day) <= at {
        mi
    } else {
        mi - 1
    }
}

fn rng(seed: u64, list: u64, g: u32) -> SmallRng {
    SmallRng::seed_from_u64(mix(seed, seeded::SALT_BILLING ^ list, u64::from(g)))
}

/// The subscriptions of account `g` with status code `status`:
/// - ACTIVE: 1–3 active ones (or the one a conversion brought);
/// - CHURNED: only ended ones (ended at the recorded churn, if it churned here);
/// - INACTIVE: ended ones or none; every other status: none.
pub fn plan(seed: u64, today: DateTime<Utc>, g: u32, status: u8, life: &Lifecycle) -> Vec<Sub> {
    let base = || match life.converted {
        Some((at, licenses)) => vec![converted(seed, g, at, licenses)],
        None => seeded_plan(seed, today, g, false),
    };
    match (status, life.churned) {
        (seeded::ACTIVE, _) => base(),
        (seeded::CHURNED | seeded::INACTIVE, Some(at)) => clip(base(), at),
        (seeded::CHURNED, None) => seeded_plan(seed, today, g, true),
        (seeded::INACTIVE, None) if mix(seed, 0x494e_4143, u64::from(g)) % 100 < 60 => {
            seeded_plan(seed, today, g, true)
        }
        _ => Vec::new(),
    }
}

/// Ends every subscription at `at` at the latest.
fn clip(subs: Vec<Sub>, at: DateTime<Utc>) -> Vec<Sub> {
    subs.into_iter()
        .filter(|s| s.start < at)
        .map(|mut s| {
            if s.end.is_none_or(|e| e > at) {
                s.end = Some(at);
                s.auto_renewal = Some(false);
            }
            s
        })
        .collect()
}

/// Period and term lengths a product is sold with.
fn terms(r: &mut SmallRng, product: &Product) -> (Period, u32) {
    let term = [12, 24, 36][r.random_range(0..3)];
    if std::ptr::eq(product, PREMIER_SUPPORT) {
        return (Period::Other, 12);
    }
    let period = if std::ptr::eq(product, ANNUAL_ADD_ON) {
        Period::Annual
    } else if std::ptr::eq(product, CREDIT_COMMITMENT) {
        [
            Period::Month,
            Period::Quarter,
            Period::SemiAnnual,
            Period::Annual,
        ][r.random_range(0..4)]
    } else {
        match r.random_range(0..100) {
            0..45 => Period::Annual,
            45..85 => Period::Month,
            85..94 => Period::Quarter,
            _ => Period::SemiAnnual,
        }
    };
    (period, term)
}

/// An add-on product not yet in `used`.
fn add_on(r: &mut SmallRng, used: &[&'static Product]) -> &'static Product {
    let mut pick = match r.random_range(0..100) {
        0..5 => PREMIER_SUPPORT,
        5..18 => ANNUAL_ADD_ON,
        18..28 => CREDIT_COMMITMENT,
        _ => MONTHLY_ADD_ONS[r.random_range(0..MONTHLY_ADD_ONS.len())],
    };
    let mut i = 0;
    while used.iter().any(|u| std::ptr::eq(*u, pick)) && i < MONTHLY_ADD_ONS.len() {
        pick = MONTHLY_ADD_ONS[i];
        i += 1;
    }
    pick
}

/// A subscription of `product` without dates.
fn draft(r: &mut SmallRng, k: u8, product: &'static Product, edition: usize, users: i64) -> Sub {
    let (period, term) = terms(r, product);
    let quantity = match product.unit {
        "User/Month" | "User/Year" if k > 0 => r.random_range(1..=users),
        "User/Month" => users,
        "Number/Month" => r.random_range(1..30),
        "Each" => r.random_range(1..=3),
        _ => 1,
    };
    let list = product.cents;
    Sub {
        k,
        product,
        period,
        term,
        start: DateTime::UNIX_EPOCH,
        end: None,
        activated: true,
        quantity,
        unit_price: money(list - list * r.random_range(0..20) / 100),
        auto_renewal: match r.random_range(0..100) {
            0..60 => Some(true),
            60..85 => Some(false),
            _ => None,
        },
        renewal_uplift: r.random_bool(0.7).then(|| money(r.random_range(300..=700))),
        edition: EDITIONS[edition],
    }
}

/// The seeded subscriptions of `g`: active now, or (`ended`) all ended at one past
/// billing day, 1–18 months ago.
fn seeded_plan(seed: u64, today: DateTime<Utc>, g: u32, ended: bool) -> Vec<Sub> {
    let mut r = rng(seed, 1, g);
    let day = r.random_range(1..=28);
    let cur = cycle_month(today, day);
    let count = match r.random_range(0..100) {
        0..35 => 1,
        35..80 => 2,
        _ => 3,
    };
    let stop = cur - r.random_range(1..=18);
    let other_status = r.random_bool(0.3);
    let edition = r.random_range(0..3);
    let users = r.random_range(1..80);
    let mut used = vec![LICENSES[edition]];
    let mut subs = vec![draft(&mut r, 0, LICENSES[edition], edition, users)];
    for k in 1..count {
        let product = add_on(&mut r, &used);
        used.push(product);
        subs.push(draft(&mut r, k as u8, product, edition, users));
    }
    let mut first = 0;
    for sub in &mut subs {
        let (start, end) = if ended {
            let start = match sub.k {
                0 => r.random_range(stop - 36..=stop - 3),
                _ => r.random_range(first..=stop - 1),
            };
            sub.activated = !other_status;
            sub.auto_renewal = r.random_bool(0.5).then_some(false);
            (start, Some(stop))
        } else if r.random_bool(ENDING_SOON) {
            // Renewal due at the next billing day; at least 13 months of history for
            // the license, 11 for an add-on (started after the license).
            if sub.k > 0 {
                sub.term = 12;
            }
            let terms = if sub.k == 0 {
                13u32.div_ceil(sub.term)
            } else {
                1
            };
            (cur + 1 - (sub.term * terms) as i32, Some(cur + 1))
        } else {
            let start = match sub.k {
                0 => r.random_range(cur - 47..=cur - 13),
                _ => r.random_range(first..=cur - 1),
            };
            let evergreen = sub.period == Period::Month && r.random_bool(0.15);
            let term = sub.term as i32;
            // The end of the first term ending after the next billing day.
            let terms = (cur + 2 - start + term - 1).div_euclid(term).max(1);
            (start, (!evergreen).then_some(start + terms * term))
        };
        if sub.k == 0 {
            first = start;
        }
        sub.start = cycle_date(start, day);
        sub.end = end.map(|mi| cycle_date(mi, day));
    }
    subs
}

/// The subscription a trial converted at `at` with `licenses` gains: its license, a
/// 12-month term billed monthly or yearly from `at`.
fn converted(seed: u64, g: u32, at: DateTime<Utc>, licenses: i32) -> Sub {
    let mut r = rng(seed, 4, g);
    let edition = r.random_range(0..3);
    let mut sub = draft(&mut r, CONVERSION_K, LICENSES[edition], edition, 1);
    sub.period = if r.random_bool(0.7) {
        Period::Month
    } else {
        Period::Annual
    };
    sub.term = 12;
    sub.quantity = i64::from(licenses.max(1));
    sub.start = at;
    sub.end = at.checked_add_months(Months::new(12));
    sub.auto_renewal = Some(true);
    sub
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn today() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 17, 0, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn cycle_dates_and_months() {
        let t = today();
        assert_eq!(cycle_month(t, 17), month_index(t));
        assert_eq!(cycle_month(t, 18), month_index(t) - 1);
        assert_eq!(cycle_date(month_index(t), 17), t);
        assert_eq!(cycle_date(-1 + 2026 * 12, 5).month(), 12);
    }

    #[test]
    fn statuses_get_consistent_subscriptions() {
        let t = today();
        let none = Lifecycle::default();
        let (mut soon, mut total, mut other, mut yearly) = (0, 0, 0, 0);
        for g in 0..3000 {
            let active = plan(7, t, g, seeded::ACTIVE, &none);
            assert!((1..=3).contains(&active.len()), "{g}");
            assert!(active.iter().all(|s| s.active_at(t)), "{g}: {active:?}");
            assert!(
                active[0].start <= t - Duration::days(365),
                "13 months of history"
            );
            let mut ids: Vec<&str> = active.iter().map(|s| s.product.id).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), active.len(), "one subscription per product");
            for s in &active {
                total += 1;
                soon += usize::from(s.end.is_some_and(|e| e <= t + Duration::days(31)));
                other += usize::from(s.period == Period::Other);
                yearly += usize::from(s.product.unit == "User/Year");
                if let Some(end) = s.end {
                    let months = month_index(end) - month_index(s.start);
                    assert_eq!(months % s.term as i32, 0, "{s:?}");
                }
            }
            let churned = plan(7, t, g, seeded::CHURNED, &none);
            assert!(!churned.is_empty());
            assert!(churned.iter().all(|s| s.end.is_some_and(|e| e < t)));
            assert!(churned.iter().all(|s| s.start < s.end.unwrap_or(t)));
            for status in [seeded::IN_TRIAL, seeded::TRIAL_LOST, seeded::PROSPECT, 6, 9] {
                assert!(plan(7, t, g, status, &none).is_empty());
            }
        }
        let share = |n: usize| n * 1000 / total;
        assert!(
            (50..120).contains(&share(soon)),
            "ending soon {soon}/{total}"
        );
        assert!(
            (8..40).contains(&share(other)),
            "unnormalized {other}/{total}"
        );
        assert!(share(yearly) > 30, "yearly {yearly}/{total}");
    }

    #[test]
    fn conversion_and_churn_are_recorded_times() {
        let t = today();
        let at = t + Duration::hours(5);
        let life = Lifecycle {
            converted: Some((at, 17)),
            churned: None,
        };
        let subs = plan(7, t, 3, seeded::ACTIVE, &life);
        assert_eq!(subs.len(), 1);
        assert_eq!((subs[0].start, subs[0].quantity), (at, 17));
        assert!(subs[0].active_at(at));
        let gone = at + Duration::days(3);
        let churned = Lifecycle {
            churned: Some(gone),
            ..life
        };
        let subs = plan(7, t, 3, seeded::CHURNED, &churned);
        assert_eq!(subs[0].end, Some(gone));
        let seeded_then_churned = Lifecycle {
            converted: None,
            churned: Some(gone),
        };
        let before = plan(7, t, 4, seeded::ACTIVE, &Lifecycle::default());
        let after = plan(7, t, 4, seeded::CHURNED, &seeded_then_churned);
        assert_eq!(before.len(), after.len());
        assert!(after.iter().all(|s| s.end.is_some_and(|e| e <= gone)));
        assert!(after.iter().all(|s| !s.active_at(gone)));
        assert_eq!(before[0].start, after[0].start);
    }
}
