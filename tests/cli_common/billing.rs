//! The billing commands' tests: the raw lists read through `api::Client`, and the
//! definitions recomputed independently of `tdbi::billing`.

use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;
use tdbi::api::model::{Account, InvoiceLine, MonthlyUsage, Product, Subscription};
use tdbi::api::{Client, ClientOptions};
use tdbi::config::Config;

use super::{stderr, tdbi};

/// One organization's lists, read directly.
pub struct Raw {
    pub name: String,
    pub accounts: Vec<Account>,
    pub subscriptions: Vec<Subscription>,
    pub invoices: Vec<InvoiceLine>,
    pub usage: Vec<MonthlyUsage>,
    pub products: Vec<Product>,
}

pub fn raw(config: &str) -> Vec<Raw> {
    let config = Config::from_toml(std::path::Path::new("sim.toml"), config).expect("config");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    tdbi::api::install_crypto_provider();
    config
        .organizations
        .iter()
        .map(|org| {
            let endpoint = org.endpoint().expect("endpoint");
            let client = Client::new(endpoint, ClientOptions::default()).expect("client");
            runtime.block_on(async {
                let (a, s, i, u, p) = tokio::join!(
                    client.accounts(),
                    client.subscriptions(),
                    client.invoices(),
                    client.monthly_usage(),
                    client.products()
                );
                Raw {
                    name: org.name.clone(),
                    accounts: a.expect("accounts"),
                    subscriptions: s.expect("subscriptions"),
                    invoices: i.expect("invoices"),
                    usage: u.expect("usage"),
                    products: p.expect("products"),
                }
            })
        })
        .collect()
}

pub fn json(args: &[&str], config: &std::path::Path) -> Vec<Value> {
    let out = tdbi(config, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("a JSON array")
}

pub fn keys(row: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = row
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

pub fn sorted<'a>(keys: &[&'a str]) -> Vec<&'a str> {
    let mut keys = keys.to_vec();
    keys.sort_unstable();
    keys
}

/// Half-even to two places, as the simulator's currencies (EUR, USD, CAD) want.
pub fn money(amount: Decimal) -> String {
    let mut r = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
    r.rescale(2);
    r.to_string()
}

pub fn is_money(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        let (int, frac) = s
            .trim_start_matches('-')
            .split_once('.')
            .unwrap_or(("", ""));
        !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()) && frac.len() == 2
    })
}

pub fn active(s: &Subscription, now: DateTime<Utc>) -> bool {
    s.status
        .as_ref()
        .is_some_and(|st| st.as_str() == "ACTIVATED")
        && s.start_date.is_none_or(|t| t <= now)
        && s.end_date.is_none_or(|t| t > now)
}

/// The subscription's MRR by the README's rule, recomputed independently.
pub fn mrr(s: &Subscription, products: &[Product]) -> Option<Decimal> {
    let unit = s
        .product_id
        .as_deref()
        .and_then(|id| products.iter().find(|p| p.id == id))
        .and_then(|p| p.unit_of_measure.as_deref())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let months = if unit.ends_with("/month") {
        1
    } else if unit.ends_with("/year") {
        12
    } else {
        match s.billing_period.as_ref()?.as_str() {
            "MONTH" => 1,
            "QUARTER" => 3,
            "SEMI_ANNUAL" => 6,
            "ANNUAL" => 12,
            _ => return None,
        }
    };
    Some(s.quantity? * s.unit_price? / Decimal::from(months))
}
