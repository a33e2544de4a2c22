//! Billing insights: the definitions of every figure tdbi shows about money, as pure
//! functions over the API's subscriptions, invoice lines, usage and products.
//!
//! - [`money`]: rounding (half-even, ISO 4217 minor unit) and formatting, for output only.
//! - [`mrr`]: which subscriptions are active and what each brings per month.
//! - [`totals`]: MRR, ARR, paying accounts, renewals due, per currency; each account's MRR.
//! - [`months`]: invoiced amounts and usage per calendar month.
//! - [`funnel`]: the trial funnel from `app.trial_ended` events.
//! - [`snapshot`]: one organization's billing lists as last read, and what is derived
//!   from them (computed off the UI thread, read by the views and the commands).
//!
//! Amounts are exact `Decimal` end to end and are never added across currencies.

pub mod funnel;
pub mod money;
pub mod months;
pub mod mrr;
pub mod snapshot;
#[cfg(test)]
pub(crate) mod testdata;
pub mod totals;

pub use funnel::{Funnel, TrialEnd, funnel};
pub use months::{MonthInvoiced, MonthUsage, YearMonth};
pub use mrr::Catalogue;
pub use snapshot::{AccountRows, BillingDerived, BillingList, ListProblem, OrgBilling};
pub use totals::{AccountMrr, BillingTotals, CurrencyTotals, Renewals, TopAccount};

/// Hash maps and sets of the aggregation: foldhash instead of SipHash (the keys are
/// ids and codes from the API, hashed hundreds of thousands of times per derive).
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub type FastSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

/// The code amounts without a currency are grouped under: ISO 4217's `XXX`, "no currency".
pub const NO_CURRENCY: &str = "XXX";

/// A currency code as grouped: trimmed, as the API wrote it; [`NO_CURRENCY`] when missing
/// or blank.
pub fn currency_of(raw: Option<&str>) -> &str {
    match raw.map(str::trim) {
        Some(code) if !code.is_empty() => code,
        _ => NO_CURRENCY,
    }
}
#[cfg(test)]
mod tests;
