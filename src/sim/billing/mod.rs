//! Subscriptions, invoices, monthly usage and products, derived on demand and consistent
//! with each account's status.
//!
//! - ACTIVE accounts have 1–3 active subscriptions (about 8 % end at the next billing
//!   day, within ~30 days); CHURNED ones only ended ones; INACTIVE ones ended ones or
//!   none; every other status none. A trial converting gains a subscription starting
//!   then; an active account churning has its subscriptions end then.
//! - Prices: a `/Month` unit is a monthly price, a `/Year` one a yearly price (sold
//!   yearly only); any other unit's price covers one billing period. The `OTHER` period
//!   (on a `License`-priced product) cannot be normalized; the simulator bills it every
//!   12 months.
//! - Invoices: one line per subscription and billing period dated the period's start,
//!   for 13 months back from `today` (or from the start, until the end). A line's
//!   `amount` is MRR × the period's months: `quantity × rate`, where `rate` is the unit
//!   price of one period (× 12 for a `/Month` price billed ANNUAL). The lines of one
//!   account dated the same day share `number` and `total_invoice_amount` (their sum).
//! - Usage: one row per month and usage kind, in the account's currency.
//! - Currency: the region's (eu EUR, us USD, ca CAD); a seeded 5 % of accounts bill in
//!   another (GBP, CAD, USD) in all three lists.
//!
//! Dates are relative to the world's `today` (the day it was built), so pages stay the
//! same while the world does not move; values are functions of the seed, the account
//! serial, its status and its recorded conversion or churn. Item `j` of a page is found
//! through a per-organization [`Index`] of running item counts, rebuilt after a change.

mod catalog;
mod index;
mod invoice;
mod items;
mod plan;
mod usage;

use std::sync::Arc;

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use serde::Serialize;

pub use index::Index;

use super::auth::Scope;
use super::routes::{Answer, page_request, prelude};
use super::state::{Shared, lock};
use super::world::World;
use catalog::PRODUCTS;
use index::{Totals, Which};
use items::{Book, ProductItem};

/// The running totals of list `which` over the accounts of `org`.
fn build(world: &World, org: usize, which: Which) -> Totals {
    let Some(o) = world.orgs.get(org) else {
        return Totals::default();
    };
    let mut totals = Totals::with_capacity(o.accounts.len());
    for acct in &o.accounts {
        let g = world.serial(acct);
        let life = world.lifecycle(g);
        let subs = plan::plan(world.seed, world.today, g, acct.status, &life);
        totals.push(match which {
            Which::Subscriptions => subs.len(),
            Which::InvoiceLines => invoice::count(&subs, world.today),
            Which::Usage => usage::count(world.seed, g, &subs, world.today),
        });
    }
    totals
}

/// The totals of list `which` of `org`, built if the world changed since the last ones.
fn ensure(world: &mut World, org: usize, which: Which) {
    if world
        .orgs
        .get(org)
        .is_some_and(|o| o.billing.get(which).is_none())
    {
        let totals = build(world, org, which);
        world.orgs[org].billing.set(which, totals);
    }
}

/// Items `window` of one list of `org`, each cut from its account's [`Book`].
fn cut<T>(
    world: &World,
    org: usize,
    totals: &Totals,
    window: std::ops::Range<usize>,
    make: fn(&Book, usize) -> Option<T>,
) -> Vec<T> {
    let mut book: Option<(usize, Book)> = None;
    let mut out = Vec::with_capacity(window.len());
    for j in window {
        let Some((i, k)) = totals.locate(j) else {
            break;
        };
        if book.as_ref().is_none_or(|(at, _)| *at != i) {
            book = Book::new(world, org, i).map(|b| (i, b));
        }
        out.extend(book.as_ref().and_then(|(_, b)| make(b, k)));
    }
    out
}

/// One per-account list: its scope, embedded key, path, totals and item maker.
struct List<T> {
    scope: Scope,
    key: &'static str,
    path: &'static str,
    which: Which,
    make: fn(&Book, usize) -> Option<T>,
}

async fn serve<T: Serialize>(
    shared: Arc<Shared>,
    headers: HeaderMap,
    query: Option<String>,
    list: List<T>,
) -> Answer {
    let caller = prelude(&shared, &headers, list.scope).await?;
    let (req, link) = page_request(&shared, query.as_deref())?;
    let (items, total) = {
        let mut world = lock(&shared.world);
        ensure(&mut world, caller.org, list.which);
        let world = &*world;
        let empty = Totals::default();
        let totals = world
            .orgs
            .get(caller.org)
            .and_then(|o| o.billing.get(list.which))
            .unwrap_or(&empty);
        let total = totals.total();
        (
            cut(world, caller.org, totals, req.window(total), list.make),
            total,
        )
    };
    Ok(Json(req.envelope(list.key, items, total, list.path, &link)).into_response())
}

/// `GET /express/subscriptions`
pub async fn subscriptions(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Answer {
    let list = List {
        scope: Scope("express-accounts-subscriptions:read"),
        key: "subscriptions",
        path: "/express/subscriptions",
        which: Which::Subscriptions,
        make: items::subscription,
    };
    serve(shared, headers, query, list).await
}

/// `GET /express/invoices`
pub async fn invoices(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Answer {
    let list = List {
        scope: Scope("express-accounts-invoices:read"),
        key: "invoices",
        path: "/express/invoices",
        which: Which::InvoiceLines,
        make: items::invoice_line,
    };
    serve(shared, headers, query, list).await
}

/// `GET /express/usage/month`
pub async fn usage_month(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Answer {
    let list = List {
        scope: Scope("express-accounts-usage:read"),
        key: "usage",
        path: "/express/usage/month",
        which: Which::Usage,
        make: items::usage_row,
    };
    serve(shared, headers, query, list).await
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
        .map(ProductItem::from)
        .collect();
    let path = "/express/products";
    Ok(Json(req.envelope("products", items, PRODUCTS.len(), path, &link)).into_response())
}

#[cfg(test)]
mod tests;
