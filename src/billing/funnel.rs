//! The trial funnel: how trials ended over the last N days, and how many are running.
//!
//! From `app.trial_ended` events by `ended_reason`: `plan_upgraded` is converted,
//! `trial_expired` and `app_uninstalled` are lost, any other reason is counted apart.
//! An account's latest end in the window counts once (a trial ends once; a repeated
//! event under a new id must not count twice). Conversion rate = converted / all ended.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use crate::events::EndedReason;

/// One trial end: the account, when it ended, and why (when the event said).
#[derive(Debug, Clone, Copy)]
pub struct TrialEnd<'a> {
    pub account_id: &'a str,
    pub at: DateTime<Utc>,
    pub reason: Option<&'a EndedReason>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Funnel {
    pub days: u32,
    /// Ended with `plan_upgraded`.
    pub converted: usize,
    /// Ended with `trial_expired`.
    pub expired: usize,
    /// Ended with `app_uninstalled`.
    pub uninstalled: usize,
    /// Ended with another or no reason.
    pub other: usize,
    /// Accounts `IN_TRIAL` now.
    pub in_trial: usize,
    /// Accounts `TRIAL_LOST` now.
    pub trial_lost: usize,
}

impl Funnel {
    /// Trials counted as lost: expired or uninstalled.
    pub fn lost(&self) -> usize {
        self.expired + self.uninstalled
    }

    pub fn ended(&self) -> usize {
        self.converted + self.expired + self.uninstalled + self.other
    }

    /// converted / ended, as a fraction (0.25 = 25 %); `None` when nothing ended.
    pub fn conversion_rate(&self) -> Option<Decimal> {
        let ended = self.ended();
        (ended > 0).then(|| Decimal::from(self.converted) / Decimal::from(ended))
    }

    /// The rate as a percentage with one decimal, half-even (`33.3%`); `-` when none.
    pub fn rate_text(&self) -> String {
        match self.conversion_rate() {
            Some(rate) => {
                let pct = (rate * Decimal::from(100))
                    .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointNearestEven);
                format!("{pct:.1}%")
            }
            None => "-".to_owned(),
        }
    }
}

/// The funnel over the `days` before `now` (ends after `now - days`, up to `now`).
pub fn funnel<'a>(
    ends: impl IntoIterator<Item = TrialEnd<'a>>,
    in_trial: usize,
    trial_lost: usize,
    now: DateTime<Utc>,
    days: u32,
) -> Funnel {
    let since = now - TimeDelta::days(i64::from(days));
    let mut latest: HashMap<&str, TrialEnd<'a>> = HashMap::new();
    for end in ends {
        if end.at <= since || end.at > now {
            continue;
        }
        latest
            .entry(end.account_id)
            .and_modify(|seen| {
                if end.at >= seen.at {
                    *seen = end;
                }
            })
            .or_insert(end);
    }
    let mut f = Funnel {
        days,
        in_trial,
        trial_lost,
        ..Default::default()
    };
    for end in latest.values() {
        match end.reason {
            Some(EndedReason::PlanUpgraded) => f.converted += 1,
            Some(EndedReason::TrialExpired) => f.expired += 1,
            Some(EndedReason::AppUninstalled) => f.uninstalled += 1,
            _ => f.other += 1,
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn counts_by_reason_in_the_window_once_per_account() {
        let now = Utc.with_ymd_and_hms(2024, 6, 30, 12, 0, 0).unwrap();
        let days = |d: i64| now - TimeDelta::days(d);
        let (up, exp, un) = (
            EndedReason::PlanUpgraded,
            EndedReason::TrialExpired,
            EndedReason::AppUninstalled,
        );
        let odd = EndedReason::from_raw("gone_fishing");
        let end = |id, at, reason| TrialEnd {
            account_id: id,
            at,
            reason,
        };
        let ends = vec![
            end("a", days(1), Some(&up)),
            end("b", days(2), Some(&exp)),
            end("c", days(3), Some(&un)),
            end("d", days(4), Some(&odd)),
            end("e", days(5), None),
            end("f", days(29), Some(&up)),
            end("g", days(31), Some(&up)), // outside 30 days, inside 90
            end("h", days(91), Some(&exp)), // outside both
            end("b", days(10), Some(&up)), // an older end of b: the latest wins
            end("i", now + TimeDelta::hours(1), Some(&up)), // in the future: not yet
        ];
        let f30 = funnel(ends.iter().copied(), 7, 9, now, 30);
        assert_eq!(
            (f30.converted, f30.expired, f30.uninstalled, f30.other),
            (2, 1, 1, 2)
        );
        assert_eq!(
            (f30.in_trial, f30.trial_lost, f30.lost(), f30.ended()),
            (7, 9, 2, 6)
        );
        assert_eq!(
            f30.conversion_rate(),
            Some(Decimal::from(2) / Decimal::from(6))
        );
        assert_eq!(f30.rate_text(), "33.3%");
        let f90 = funnel(ends.iter().copied(), 0, 0, now, 90);
        assert_eq!((f90.converted, f90.ended()), (3, 7));
    }

    #[test]
    fn no_ends_no_rate() {
        let now = Utc::now();
        let f = funnel(std::iter::empty(), 3, 1, now, 30);
        assert_eq!(f.conversion_rate(), None);
        assert_eq!(f.rate_text(), "-");
    }
}
