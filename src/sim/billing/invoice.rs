//! Invoice lines: one line per subscription and billing period; the lines of one
//! account dated the same day form one invoice.

use chrono::{DateTime, Months, Utc};
use rust_decimal::Decimal;

use super::plan::{Sub, month_index};

/// How far back invoices go: those dated after 13 months before `today`.
pub fn window_start(today: DateTime<Utc>) -> DateTime<Utc> {
    today.checked_sub_months(Months::new(13)).unwrap_or(today)
}

/// The invoiced periods `(n, start)` of `sub`: started after the window start, before
/// the subscription's end and at or before `today` (a subscription starting later, as a
/// trial converting now, has its first period invoiced at once).
pub fn periods(sub: &Sub, today: DateTime<Utc>) -> impl Iterator<Item = (u32, DateTime<Utc>)> {
    let from = window_start(today);
    let until = today.max(sub.start);
    let months = sub.period.months() as i32;
    // Jump close to the window instead of walking years of periods.
    let skip = ((month_index(from) - month_index(sub.start)) / months - 1).max(0) as u32;
    (skip..)
        .map_while(|n| Some((n, sub.period_start(n)?)))
        .skip_while(move |(_, at)| *at <= from)
        .take_while(move |(_, at)| *at <= until && sub.end.is_none_or(|e| *at < e))
}

/// One line: period `n` of subscription `plan[sub]`, dated `date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub sub: usize,
    pub n: u32,
    pub date: DateTime<Utc>,
}

impl Line {
    pub fn amount(&self, plan: &[Sub]) -> Decimal {
        let sub = &plan[self.sub];
        Decimal::from(sub.quantity) * sub.rate()
    }
}

/// Number of invoice lines of an account.
pub fn count(plan: &[Sub], today: DateTime<Utc>) -> usize {
    plan.iter().map(|s| periods(s, today).count()).sum()
}

/// Every invoice line of an account, by date then subscription.
pub fn lines(plan: &[Sub], today: DateTime<Utc>) -> Vec<Line> {
    let mut out: Vec<Line> = plan
        .iter()
        .enumerate()
        .flat_map(|(sub, s)| periods(s, today).map(move |(n, date)| Line { sub, n, date }))
        .collect();
    out.sort_by_key(|l| (l.date, l.sub));
    out
}

/// The total of the invoice dated `date`: the sum of its lines.
pub fn total(lines: &[Line], plan: &[Sub], date: DateTime<Utc>) -> Decimal {
    lines
        .iter()
        .filter(|l| l.date == date)
        .map(|l| l.amount(plan))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::super::catalog::Period;
    use super::super::plan::plan;
    use super::*;
    use crate::sim::generate as seeded;
    use crate::sim::world::Lifecycle;
    use chrono::{Duration, TimeZone};
    use std::collections::BTreeSet;

    fn today() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 9, 0, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn lines_follow_periods_and_invoices_add_up() {
        let t = today();
        let mut annual_seen = false;
        for g in 0..800 {
            let subs = plan(3, t, g, seeded::ACTIVE, &Lifecycle::default());
            let all = lines(&subs, t);
            assert_eq!(all.len(), count(&subs, t));
            for s in &subs {
                let full = s.start <= window_start(t) && s.end.is_none_or(|e| e > t);
                if s.period == Period::Month && full {
                    assert_eq!(periods(s, t).count(), 13, "{g}: 13 months of a monthly one");
                }
            }
            for line in &all {
                let sub = &subs[line.sub];
                assert!(line.date > window_start(t) && line.date <= t);
                assert!(sub.end.is_none_or(|e| line.date < e));
                let per = sub.period.months();
                let amount = line.amount(&subs);
                assert_eq!(amount.scale(), 2);
                if sub.period == Period::Annual {
                    annual_seen = true;
                    let monthly_price = match sub.product.unit {
                        u if u.ends_with("/Month") => sub.unit_price,
                        _ => sub.unit_price / Decimal::from(12),
                    };
                    let twelve = Decimal::from(sub.quantity) * monthly_price * Decimal::from(12);
                    assert_eq!(amount, twelve.round_dp(2), "{sub:?}");
                }
                assert_eq!(sub.period_start(line.n), Some(line.date));
                assert!(per >= 1);
            }
            for date in months_dates(&all) {
                let sum: Decimal = all
                    .iter()
                    .filter(|l| l.date == date)
                    .map(|l| l.amount(&subs))
                    .sum();
                assert_eq!(total(&all, &subs, date), sum);
            }
        }
        assert!(annual_seen);
    }

    fn months_dates(lines: &[Line]) -> BTreeSet<DateTime<Utc>> {
        lines.iter().map(|l| l.date).collect()
    }

    #[test]
    fn a_conversion_is_invoiced_at_once_and_churned_lines_stop() {
        let t = today();
        let at = t + Duration::hours(30);
        let life = Lifecycle {
            converted: Some((at, 4)),
            churned: None,
        };
        let subs = plan(3, t, 11, seeded::ACTIVE, &life);
        let all = lines(&subs, t);
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].date, at);
        let churned = plan(3, t, 12, seeded::CHURNED, &Lifecycle::default());
        for line in lines(&churned, t) {
            assert!(churned[line.sub].end.is_some_and(|e| line.date < e));
        }
    }
}
