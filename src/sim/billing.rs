//! Subscriptions, invoices, monthly usage and products, derived on demand.
//!
//! Each account owns a fixed number of items of each list (so item `j` of a page is
//! item `j % K` of account `j / K` in paging order, found in O(1)); every value is a
//! function of `(seed, account serial, k)`. Money is `Decimal` with two places,
//! serialized as a JSON number (`12.50`).

use std::sync::Arc;

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use chrono::{DateTime, Datelike, Duration as Span, Months, Utc};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use serde::Serialize;

use super::auth::Scope;
use super::generate::{self as seeded, hex_token, mix};
use super::history::history_end;
use super::routes::{Answer, page_request, prelude};
use super::state::{Shared, lock};
use super::wire::date;
use super::world::{Acct, World};

const SUBSCRIPTIONS_PER_ACCOUNT: usize = 2;
const INVOICE_LINES_PER_ACCOUNT: usize = 3;
const USAGE_PER_ACCOUNT: usize = 4;

/// (id, name, family, unit_of_measure, charge_type, list price in cents)
type Product = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
);

#[rustfmt::skip]
const PRODUCTS: [Product; 15] = [
    ("TD-LIC-APP-RC-101910", "Talkdesk Express License", "Licenses", "User/Month", "RECURRING", 4500),
    ("TD-LIC-APP-RC-101920", "Talkdesk Elevate License", "Licenses", "User/Month", "RECURRING", 8500),
    ("TD-LIC-APP-RC-101930", "Talkdesk Elite License", "Licenses", "User/Month", "RECURRING", 12500),
    ("TD-ADD-WFM-RC-204110", "Workforce Management", "Add-ons", "User/Month", "RECURRING", 2500),
    ("TD-ADD-QM-RC-204120", "Quality Management", "Add-ons", "User/Month", "RECURRING", 2000),
    ("TD-ADD-GDE-RC-204130", "Talkdesk Guide", "Add-ons", "User/Month", "RECURRING", 1500),
    ("TD-NUM-LOC-RC-303010", "Local Phone Number", "Numbers", "Number/Month", "RECURRING", 100),
    ("TD-NUM-TFR-RC-303020", "Toll-free Phone Number", "Numbers", "Number/Month", "RECURRING", 300),
    ("TD-USG-TEL-UG-301010", "Inbound Calls", "Telephony", "Minute", "USAGE", 2),
    ("TD-USG-TEL-UG-301020", "Outbound Calls", "Telephony", "Minute", "USAGE", 3),
    ("TD-USG-MSG-UG-302010", "SMS Messages", "Messaging", "Message", "USAGE", 1),
    ("TD-USG-AI-UG-304010", "Speech Transcription", "AI", "Minute", "USAGE", 2),
    ("TD-SVC-PRO-OT-401010", "Onboarding Services", "Services", "Each", "ONE_TIME", 150000),
    ("TD-SVC-PRO-OT-401020", "Implementation Package", "Services", "Each", "ONE_TIME_CHARGE", 450000),
    ("TD-CRD-COM-FR-501010", "Credit Commitment", "Credits", "Each", "FIXED_RECURRING", 100000),
];

fn money(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

fn currency(region: &str) -> &'static str {
    match region {
        "eu" => "EUR",
        "ca" => "CAD",
        _ => "USD",
    }
}

fn rng(seed: u64, list: u64, g: u32, k: usize) -> SmallRng {
    SmallRng::seed_from_u64(mix(
        seed,
        seeded::SALT_BILLING ^ list,
        ((g as u64) << 8) | k as u64,
    ))
}

#[derive(Serialize)]
pub struct Subscription {
    id: String,
    account_id: String,
    contract_number: String,
    currency: &'static str,
    billing_period: &'static str,
    status: &'static str,
    term: u32,
    start_date: String,
    end_date: String,
    edition: &'static str,
    auto_renewal: Option<bool>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    renewal_uplift: Option<Decimal>,
    product_id: &'static str,
    quantity: i32,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    unit_price: Decimal,
    billing_frequency: &'static str,
}

fn subscription(world: &World, region: &str, a: &Acct, k: usize) -> Subscription {
    let g = world.serial(a);
    let mut r = rng(world.seed, 1, g, k);
    let edition_index = r.random_range(0..3);
    let product = if k == 0 {
        PRODUCTS[edition_index]
    } else {
        PRODUCTS[r.random_range(3..8)]
    };
    let (period, frequency, months) = match r.random_range(0..100) {
        0..50 => ("ANNUAL", "ANNUALLY", 12),
        50..80 => ("MONTH", "MONTHLY", 1),
        80..90 => ("QUARTER", "QUARTERLY", 3),
        90..98 => ("SEMI_ANNUAL", "SEMI_ANNUALLY", 6),
        _ => ("OTHER", "OTHER", 12),
    };
    let term = [12, 24, 36][r.random_range(0..3)].max(months);
    let start = history_end() - Span::days(r.random_range(30..900));
    let end = start
        .checked_add_months(Months::new(term))
        .unwrap_or(start + Span::days(30 * term as i64));
    let list = product.5;
    Subscription {
        id: hex_token(world.seed, 0x0053_5542, ((g as u64) << 8) | k as u64, 24),
        account_id: world.id(a),
        contract_number: format!("TD-{:08}", mix(world.seed, 0x434e, g as u64) % 100_000_000),
        currency: currency(region),
        billing_period: period,
        status: if world.status_text(a.status) == "ACTIVE" {
            "ACTIVATED"
        } else {
            "OTHER"
        },
        term,
        start_date: date(start),
        end_date: date(end),
        edition: ["EXPRESS", "ELEVATE", "ELITE"][edition_index],
        auto_renewal: r.random_bool(0.9).then(|| r.random_bool(0.8)),
        renewal_uplift: r.random_bool(0.7).then(|| money(r.random_range(300..=700))),
        product_id: product.0,
        quantity: r.random_range(1..80),
        unit_price: money(list - list * r.random_range(0..20) / 100),
        billing_frequency: frequency,
    }
}

#[derive(Serialize)]
pub struct InvoiceLine {
    id: String,
    account_id: String,
    number: String,
    date: String,
    currency: &'static str,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    total_invoice_amount: Decimal,
    product_id: &'static str,
    description: String,
    quantity: i64,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    rate: Decimal,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    amount: Decimal,
}

/// (product, quantity, rate) of invoice line `k` of account `g`.
fn line_parts(seed: u64, g: u32, k: usize) -> (Product, i64, Decimal) {
    let mut r = rng(seed, 2, g, k);
    let product = match k {
        0 => PRODUCTS[r.random_range(0..3)],
        1 => PRODUCTS[r.random_range(6..8)],
        _ => PRODUCTS[r.random_range(8..12)],
    };
    let quantity = match k {
        0 => r.random_range(1..80),
        1 => r.random_range(1..12),
        _ => r.random_range(100..50_000),
    };
    (product, quantity, money(product.5))
}

/// The first day of the month before the history end: the latest invoice date.
fn invoice_month() -> DateTime<Utc> {
    let end = history_end();
    let first = end.with_day(1).unwrap_or(end);
    first.checked_sub_months(Months::new(1)).unwrap_or(first)
}

fn invoice_line(world: &World, region: &str, a: &Acct, k: usize) -> InvoiceLine {
    let g = world.serial(a);
    let lines: Vec<_> = (0..INVOICE_LINES_PER_ACCOUNT)
        .map(|i| line_parts(world.seed, g, i))
        .collect();
    let total: Decimal = lines
        .iter()
        .map(|(_, q, rate)| Decimal::from(*q) * rate)
        .sum();
    let (product, quantity, rate) = lines[k];
    let at = invoice_month();
    InvoiceLine {
        id: hex_token(world.seed, 0x0049_4e56, ((g as u64) << 8) | k as u64, 24),
        account_id: world.id(a),
        number: format!("INV-{}{:02}-{:07}", at.year(), at.month(), g),
        date: date(at),
        currency: currency(region),
        total_invoice_amount: total,
        product_id: product.0,
        description: format!("{} ({})", product.1, product.3),
        quantity,
        rate,
        amount: Decimal::from(quantity) * rate,
    }
}

/// Usage amounts are unspecified beyond "amounts": this sends the used `quantity`,
/// its `unit_of_measure` and the charged `amount`.
#[derive(Serialize)]
pub struct Usage {
    id: String,
    account_id: String,
    product_id: &'static str,
    aggr_product_id: String,
    month: String,
    #[serde(rename = "type")]
    kind: &'static str,
    description: &'static str,
    currency: &'static str,
    quantity: i64,
    unit_of_measure: &'static str,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    amount: Decimal,
}

fn usage(world: &World, region: &str, a: &Acct, k: usize) -> Usage {
    let g = world.serial(a);
    let mut r = rng(world.seed, 3, g, k);
    let month = invoice_month()
        .checked_sub_months(Months::new((k / 2) as u32))
        .unwrap_or_else(invoice_month);
    let (kind, product) = if k % 2 == 0 {
        ("CALL", PRODUCTS[r.random_range(8..10)])
    } else {
        match r.random_range(0..3) {
            0 => ("MESSAGE", PRODUCTS[10]),
            1 => ("NUMBER", PRODUCTS[6]),
            _ => ("SPEECH_TRANSCRIPTION", PRODUCTS[11]),
        }
    };
    let quantity: i64 = r.random_range(10..40_000);
    let family = product.0.split('-').take(3).collect::<Vec<_>>().join("-");
    Usage {
        id: hex_token(world.seed, 0x0055_5347, ((g as u64) << 8) | k as u64, 24),
        account_id: world.id(a),
        product_id: product.0,
        aggr_product_id: format!("{family}-AGG"),
        month: format!("{}-{:02}", month.year(), month.month()),
        kind,
        description: product.1,
        currency: currency(region),
        quantity,
        unit_of_measure: product.3,
        amount: money(product.5) * Decimal::from(quantity),
    }
}

#[derive(Serialize)]
pub struct ProductItem {
    id: &'static str,
    name: &'static str,
    family: &'static str,
    unit_of_measure: &'static str,
    charge_type: &'static str,
}

/// Serves one list whose items are `per_account` per account of the caller's organization.
async fn per_account<T: Serialize>(
    shared: Arc<Shared>,
    headers: HeaderMap,
    query: Option<String>,
    (scope, key, path): (Scope, &'static str, &'static str),
    per_account: usize,
    make: fn(&World, &str, &Acct, usize) -> T,
) -> Answer {
    let caller = prelude(&shared, &headers, scope).await?;
    let (req, link) = page_request(&shared, query.as_deref())?;
    let (items, total) = {
        let world = lock(&shared.world);
        let org = &world.orgs[caller.org];
        let total = org.accounts.len() * per_account;
        let items: Vec<T> = req
            .window(total)
            .map(|j| {
                make(
                    &world,
                    org.region,
                    &org.accounts[j / per_account],
                    j % per_account,
                )
            })
            .collect();
        (items, total)
    };
    Ok(Json(req.envelope(key, items, total, path, &link)).into_response())
}

pub async fn subscriptions(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Answer {
    let what = (
        Scope("express-accounts-subscriptions:read"),
        "subscriptions",
        "/express/subscriptions",
    );
    per_account(
        shared,
        headers,
        query,
        what,
        SUBSCRIPTIONS_PER_ACCOUNT,
        subscription,
    )
    .await
}

pub async fn invoices(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Answer {
    let what = (
        Scope("express-accounts-invoices:read"),
        "invoices",
        "/express/invoices",
    );
    per_account(
        shared,
        headers,
        query,
        what,
        INVOICE_LINES_PER_ACCOUNT,
        invoice_line,
    )
    .await
}

pub async fn usage_month(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Answer {
    let what = (
        Scope("express-accounts-usage:read"),
        "usage",
        "/express/usage/month",
    );
    per_account(shared, headers, query, what, USAGE_PER_ACCOUNT, usage).await
}

/// `GET /express/products`: the same catalogue for every organization.
pub async fn products(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Answer {
    prelude(&shared, &headers, Scope("express-products:read")).await?;
    let (req, link) = page_request(&shared, query.as_deref())?;
    let items: Vec<ProductItem> = PRODUCTS[req.window(PRODUCTS.len())]
        .iter()
        .map(|p| ProductItem {
            id: p.0,
            name: p.1,
            family: p.2,
            unit_of_measure: p.3,
            charge_type: p.4,
        })
        .collect();
    Ok(Json(req.envelope(
        "products",
        items,
        PRODUCTS.len(),
        "/express/products",
        &link,
    ))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_keeps_two_places_and_totals_add_up() {
        let world = World::new(3, 1, 5);
        let a = world.orgs[0].accounts[0];
        let lines: Vec<_> = (0..INVOICE_LINES_PER_ACCOUNT)
            .map(|k| invoice_line(&world, "eu", &a, k))
            .collect();
        let sum: Decimal = lines.iter().map(|l| l.amount).sum();
        assert_eq!(lines[0].total_invoice_amount, sum);
        let json = serde_json::to_string(&lines[0]).unwrap_or_default();
        assert!(
            json.contains(&format!("\"rate\":{}", lines[0].rate)),
            "{json}"
        );
        assert_eq!(lines[0].rate.scale(), 2);
        assert_eq!(lines[0].currency, "EUR");
    }
}
