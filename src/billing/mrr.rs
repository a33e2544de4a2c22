//! Which subscriptions are active, and what one brings per month (MRR).
//!
//! The reference does not say which period `unit_price` covers. tdbi decides:
//! - the product's `unit_of_measure` ends in `/Month`: the price is monthly;
//! - it ends in `/Year`: the price is yearly, divided by 12;
//! - otherwise the price covers one `billing_period` (MONTH 1, QUARTER 3,
//!   SEMI_ANNUAL 6, ANNUAL 12 months);
//! - with neither (unknown product and an `OTHER` or missing period), or without a
//!   quantity or a price, the subscription is *unnormalized*: left out of MRR, counted.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::api::model::{BillingPeriod, Product, Subscription, SubscriptionStatus};

/// Products by id, for the unit-of-measure rule. Without the products scope there is
/// no catalogue and the billing-period rule alone applies.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    by_id: HashMap<String, Product>,
}

impl Catalogue {
    pub fn new(products: &[Product]) -> Self {
        Self {
            by_id: products.iter().map(|p| (p.id.clone(), p.clone())).collect(),
        }
    }

    pub fn get(&self, id: &str) -> Option<&Product> {
        self.by_id.get(id)
    }

    /// The product's name, when the catalogue has it.
    pub fn name(&self, id: &str) -> Option<&str> {
        self.get(id).map(|p| p.name.as_str())
    }
}

/// A subscription is active at `at` when it is `ACTIVATED`, has started (or has no start
/// date) and has not ended (no end date, or one after `at`).
pub fn is_active(sub: &Subscription, at: DateTime<Utc>) -> bool {
    sub.status == Some(SubscriptionStatus::Activated)
        && sub.start_date.is_none_or(|start| start <= at)
        && sub.end_date.is_none_or(|end| end > at)
}

/// Months one `unit_price` covers by the rules above; `None` when unknown.
pub fn months_priced(sub: &Subscription, catalogue: Option<&Catalogue>) -> Option<u32> {
    let unit = sub
        .product_id
        .as_deref()
        .and_then(|id| catalogue?.get(id))
        .and_then(|p| p.unit_of_measure.as_deref())
        .map(str::trim);
    match unit {
        Some(u) if ends_with_ignore_case(u, "/month") => return Some(1),
        Some(u) if ends_with_ignore_case(u, "/year") => return Some(12),
        _ => {}
    }
    match sub.billing_period.as_ref()? {
        BillingPeriod::Month => Some(1),
        BillingPeriod::Quarter => Some(3),
        BillingPeriod::SemiAnnual => Some(6),
        BillingPeriod::Annual => Some(12),
        BillingPeriod::Other | BillingPeriod::Unknown(_) => None,
    }
}

/// The subscription's MRR (`quantity × unit_price` per month), or `None` when it is
/// unnormalized. Whether it is active is not checked here.
pub fn monthly(sub: &Subscription, catalogue: Option<&Catalogue>) -> Option<Decimal> {
    let months = months_priced(sub, catalogue)?;
    let total = sub.quantity?.checked_mul(sub.unit_price?)?;
    total.checked_div(Decimal::from(months))
}

fn ends_with_ignore_case(text: &str, suffix: &str) -> bool {
    text.len() >= suffix.len()
        && text
            .get(text.len() - suffix.len()..)
            .is_some_and(|end| end.eq_ignore_ascii_case(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::testdata::{product, sub};
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap()
    }

    #[test]
    fn active_needs_activated_started_and_not_ended() {
        let now = at(2024, 6, 1);
        let mut s = sub("s", "a", "USD", "MONTH", 1, "10");
        assert!(is_active(&s, now));
        s.start_date = Some(at(2024, 6, 1));
        assert!(is_active(&s, now), "a start at t counts");
        s.start_date = Some(at(2024, 6, 2));
        assert!(!is_active(&s, now), "not started yet");
        s.start_date = None;
        s.end_date = Some(now);
        assert!(!is_active(&s, now), "an end at t has ended");
        s.end_date = Some(at(2024, 6, 2));
        assert!(is_active(&s, now));
        s.status = Some(SubscriptionStatus::Other);
        assert!(!is_active(&s, now));
        s.status = None;
        assert!(!is_active(&s, now));
    }

    #[test]
    fn the_unit_of_measure_wins_over_the_billing_period() {
        let catalogue = Catalogue::new(&[
            product("P-M", "User/Month"),
            product("P-Y", "User/YEAR"),
            product("P-E", "Each"),
        ]);
        let mut s = sub("s", "a", "USD", "ANNUAL", 3, "45.00");
        s.product_id = Some("P-M".into());
        assert_eq!(monthly(&s, Some(&catalogue)), Some("135".parse().unwrap()));
        s.product_id = Some("P-Y".into());
        assert_eq!(
            monthly(&s, Some(&catalogue)),
            Some("11.25".parse().unwrap())
        );
        s.product_id = Some("P-E".into());
        assert_eq!(
            monthly(&s, Some(&catalogue)),
            Some("11.25".parse().unwrap())
        );
        // Without the catalogue, the annual period alone decides.
        s.product_id = Some("P-M".into());
        assert_eq!(monthly(&s, None), Some("11.25".parse().unwrap()));
    }

    #[test]
    fn periods_divide_the_price() {
        let cases = [("MONTH", "120"), ("QUARTER", "40"), ("SEMI_ANNUAL", "20")];
        for (period, want) in cases {
            let s = sub("s", "a", "EUR", period, 2, "60");
            assert_eq!(monthly(&s, None), Some(want.parse().unwrap()), "{period}");
        }
    }

    #[test]
    fn unnormalized_without_a_period_rule_or_numbers() {
        let catalogue = Catalogue::new(&[product("P-E", "Each")]);
        let mut s = sub("s", "a", "USD", "OTHER", 1, "10");
        s.product_id = Some("P-E".into());
        assert_eq!(monthly(&s, Some(&catalogue)), None);
        s.product_id = Some("unknown".into());
        assert_eq!(monthly(&s, Some(&catalogue)), None);
        s.billing_period = None;
        assert_eq!(monthly(&s, None), None);
        let mut s = sub("s", "a", "USD", "MONTH", 1, "10");
        s.quantity = None;
        assert_eq!(monthly(&s, None), None);
        let mut s = sub("s", "a", "USD", "MONTH", 1, "10");
        s.unit_price = None;
        assert_eq!(monthly(&s, None), None);
        s.billing_period = Some(BillingPeriod::from_raw("WEEKLY"));
        assert_eq!(monthly(&s, None), None);
    }
}
