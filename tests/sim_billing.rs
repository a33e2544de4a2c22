//! The simulator's billing world read through the real client: subscriptions follow
//! account statuses, invoices add up, usage spans a year in the account's currency, and
//! the moving world bills conversions and ends churned subscriptions.

mod events_support;
mod sim_support;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::{Duration, Instant};

use chrono::{DateTime, SubsecRound, Utc};
use rust_decimal::Decimal;
use tdbi::api::model::{
    ActionType, BillingPeriod, InvoiceLine, NewContractAction, Subscription, SubscriptionStatus,
};
use tdbi::api::{Client, ClientOptions};
use tdbi::events::{EndedReason, EventKind, EventsServer};
use tdbi::sim::{SimConfig, SimHandle, TrialEnd};
use url::Url;

use sim_support::{get, start, token};

fn world(accounts: usize) -> SimConfig {
    SimConfig {
        seed: 42,
        orgs: 1,
        accounts,
        tick: None,
        ..SimConfig::default()
    }
}

fn client(sim: &SimHandle) -> Client {
    let options = ClientOptions {
        per_page: 100,
        max_retries: 1,
        initial_backoff: Duration::from_millis(5),
        ..ClientOptions::default()
    };
    Client::new(sim.endpoint(&sim.organizations()[0]), options).expect("client builds")
}

/// The number of items the server says a list has.
async fn server_total(sim: &SimHandle, path: &str) -> usize {
    let org = sim.organizations()[0].clone();
    let token = token(sim, &org).await;
    let a = get(sim, &token, &format!("{path}?per_page=100")).await;
    a.json["total"].as_u64().expect("total") as usize
}

fn active(s: &Subscription, at: DateTime<Utc>) -> bool {
    s.status == Some(SubscriptionStatus::Activated)
        && s.start_date.is_none_or(|d| d <= at)
        && s.end_date.is_none_or(|d| d > at)
}

/// Unit of measure of each product.
async fn units(c: &Client) -> HashMap<String, String> {
    let products = c.products().await.expect("products");
    products
        .into_iter()
        .map(|p| (p.id, p.unit_of_measure.unwrap_or_default()))
        .collect()
}

/// MRR by the definitions; `None` when it cannot be normalized.
fn mrr(s: &Subscription, units: &HashMap<String, String>) -> Option<Decimal> {
    let price = s.quantity? * s.unit_price?;
    let unit = units.get(s.product_id.as_deref()?)?;
    if unit.ends_with("/Month") {
        return Some(price);
    }
    if unit.ends_with("/Year") {
        return Some(price / Decimal::from(12));
    }
    let months = match s.billing_period.as_ref()? {
        BillingPeriod::Month => 1,
        BillingPeriod::Quarter => 3,
        BillingPeriod::SemiAnnual => 6,
        BillingPeriod::Annual => 12,
        _ => return None,
    };
    Some(price / Decimal::from(months))
}

fn by_account<T>(items: &[T], account: impl Fn(&T) -> &str) -> HashMap<String, Vec<&T>> {
    let mut out: HashMap<String, Vec<&T>> = HashMap::new();
    for item in items {
        out.entry(account(item).to_owned()).or_default().push(item);
    }
    out
}

#[tokio::test]
async fn subscriptions_follow_account_statuses() {
    let sim = start(world(200)).await;
    let c = client(&sim);
    let now = Utc::now();
    let subs = c.subscriptions().await.expect("subscriptions");
    let ids: HashSet<&str> = subs.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.len(), subs.len());
    assert_eq!(
        subs.len(),
        server_total(&sim, "/express/subscriptions").await
    );
    let per = by_account(&subs, |s| &s.account_id);
    let accounts = sim.accounts(0);
    let known: HashSet<&str> = accounts.iter().map(|a| a.id.as_str()).collect();
    assert!(per.keys().all(|id| known.contains(id.as_str())));
    let none = Vec::new();
    for a in &accounts {
        let own = per.get(&a.id).unwrap_or(&none);
        let running = own.iter().filter(|s| active(s, now)).count();
        match a.status.as_str() {
            "ACTIVE" => {
                assert!((1..=3).contains(&running), "{}: {own:?}", a.id);
                assert_eq!(running, own.len(), "{}", a.id);
            }
            "CHURNED" => assert!(!own.is_empty() && running == 0, "{}: {own:?}", a.id),
            "INACTIVE" => assert_eq!(running, 0, "{}", a.id),
            _ => assert!(own.is_empty(), "{} {}: {own:?}", a.status, a.id),
        }
    }
    let units = units(&c).await;
    let soon: Vec<_> = subs
        .iter()
        .filter(|s| active(s, now))
        .filter(|s| {
            s.end_date
                .is_some_and(|e| e <= now + chrono::Duration::days(30))
        })
        .collect();
    assert!(!soon.is_empty(), "renewals due in 30 days");
    let renewal: HashSet<Option<bool>> = subs.iter().map(|s| s.auto_renewal).collect();
    assert_eq!(renewal.len(), 3, "auto_renewal true, false and null");
    assert!(
        subs.iter().any(|s| mrr(s, &units).is_none()),
        "unnormalized"
    );
    let yearly = |s: &&Subscription| {
        s.product_id
            .as_ref()
            .and_then(|p| units.get(p))
            .is_some_and(|u| u.ends_with("/Year"))
    };
    assert!(subs.iter().any(|s| yearly(&s)));
    sim.shutdown().await;
}

#[tokio::test]
async fn invoices_add_up_span_a_year_and_bill_annual_periods_at_twelve_months() {
    let sim = start(world(200)).await;
    let c = client(&sim);
    let lines = c.invoices().await.expect("invoices");
    let ids: HashSet<&str> = lines.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids.len(), lines.len());
    assert_eq!(lines.len(), server_total(&sim, "/express/invoices").await);
    let mut invoices: HashMap<&str, Vec<&InvoiceLine>> = HashMap::new();
    for line in &lines {
        invoices
            .entry(line.number.as_deref().expect("number"))
            .or_default()
            .push(line);
    }
    assert!(
        invoices.values().any(|i| i.len() > 1),
        "multi-line invoices"
    );
    let mut dated = HashSet::new();
    for (number, invoice) in &invoices {
        let first = invoice[0];
        let sum: Decimal = invoice.iter().filter_map(|l| l.amount).sum();
        for line in invoice {
            assert_eq!(
                (&line.account_id, line.date, line.total_invoice_amount),
                (&first.account_id, first.date, Some(sum)),
                "{number}"
            );
            assert!(line.amount.is_some_and(|a| a.scale() <= 2));
        }
        assert!(dated.insert((&first.account_id, first.date)), "{number}");
    }
    let months: BTreeSet<String> = lines
        .iter()
        .filter_map(|l| l.date)
        .map(|d| d.format("%Y-%m").to_string())
        .collect();
    assert!(months.len() >= 12, "{months:?}");

    let units = units(&c).await;
    let subs = c.subscriptions().await.expect("subscriptions");
    let mut annual = 0;
    for s in &subs {
        let currency = &s.currency;
        let billed = lines
            .iter()
            .filter(|l| l.account_id == s.account_id && l.product_id == s.product_id);
        for line in billed {
            assert_eq!(&line.currency, currency);
            if s.billing_period == Some(BillingPeriod::Annual) {
                let twelve = mrr(s, &units).map(|m| (m * Decimal::from(12)).round_dp(2));
                assert_eq!(line.amount, twelve, "{s:?} {line:?}");
                annual += 1;
            }
        }
    }
    assert!(annual > 0, "an annual subscription was invoiced");
    sim.shutdown().await;
}

#[tokio::test]
async fn usage_covers_a_year_in_each_accounts_currency() {
    let sim = start(world(200)).await;
    let c = client(&sim);
    let usage = c.monthly_usage().await.expect("usage");
    let ids: HashSet<&str> = usage.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids.len(), usage.len());
    assert_eq!(
        usage.len(),
        server_total(&sim, "/express/usage/month").await
    );
    let kinds: HashSet<String> = usage
        .iter()
        .filter_map(|u| u.usage_type.as_ref().map(|t| format!("{t:?}")))
        .collect();
    assert!(kinds.len() >= 4, "{kinds:?}");
    let per = by_account(&usage, |u| &u.account_id);
    for a in sim.accounts(0).iter().filter(|a| a.status == "ACTIVE") {
        let months: HashSet<_> = per
            .get(&a.id)
            .map(|rows| rows.iter().filter_map(|u| u.year_month()).collect())
            .unwrap_or_default();
        assert!(months.len() >= 12, "{}: {} months", a.id, months.len());
    }
    let subs = c.subscriptions().await.expect("subscriptions");
    let lines = c.invoices().await.expect("invoices");
    let mut currencies: HashMap<&str, HashSet<&str>> = HashMap::new();
    let items = subs
        .iter()
        .map(|s| (&s.account_id, &s.currency))
        .chain(lines.iter().map(|l| (&l.account_id, &l.currency)))
        .chain(usage.iter().map(|u| (&u.account_id, &u.currency)));
    for (account, currency) in items {
        let currency = currency.as_deref().expect("currency");
        currencies.entry(account).or_default().insert(currency);
    }
    assert!(currencies.values().all(|c| c.len() == 1), "{currencies:?}");
    let regional = match sim.organizations()[0].region.as_str() {
        "eu" => "EUR",
        "ca" => "CAD",
        _ => "USD",
    };
    let foreign = currencies
        .values()
        .filter(|c| !c.contains(regional))
        .count();
    assert!(foreign > 0, "some account bills in another currency");
    sim.shutdown().await;
}

/// Posts `kind` for `account` until its status is `target`, moving the world between tries.
async fn drive(sim: &SimHandle, c: &Client, moves: &[(&str, ActionType, &str)]) {
    for round in 0.. {
        let accounts = sim.accounts(0);
        let status = |id: &str| {
            accounts
                .iter()
                .find(|a| a.id == id)
                .map(|a| a.status.clone())
        };
        let waiting: Vec<_> = moves
            .iter()
            .filter(|(id, _, target)| status(id).as_deref() != Some(*target))
            .collect();
        if waiting.is_empty() {
            return;
        }
        assert!(round < 500, "the world never moved {waiting:?}");
        for (id, kind, _) in waiting {
            let action = NewContractAction {
                action_type: kind.clone(),
                quantity: Some(7),
            };
            // A 409 means the previous action is still under way.
            let _ = c.create_contract_action(id, &action).await;
        }
        sim.advance_world();
    }
}

#[tokio::test]
async fn a_converting_trial_gains_a_subscription_and_a_churning_account_loses_its() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sim = start(world(200)).await;
    let keys = vec![sim.events_key()];
    let (server, mut rx) = EventsServer::start(&events_support::config(dir.path(), true, keys))
        .await
        .expect("receiver starts");
    sim.set_events_callback(Some(Url::parse(&server.url()).expect("URL")))
        .expect("loopback");
    let c = client(&sim);
    let accounts = sim.accounts(0);
    let with = |status: &str| {
        let a = accounts.iter().find(|a| a.status == status);
        a.expect("an account with the status").id.clone()
    };
    let (trial, leaving) = (with("IN_TRIAL"), with("ACTIVE"));
    assert!(
        c.subscriptions()
            .await
            .expect("subs")
            .iter()
            .all(|s| s.account_id != trial)
    );
    drive(
        &sim,
        &c,
        &[
            (&trial, ActionType::New, "ACTIVE"),
            (&leaving, ActionType::Cancel, "CHURNED"),
        ],
    )
    .await;
    let now = Utc::now();
    let converted = sim
        .trial_transitions()
        .into_iter()
        .find(|t| t.account_id == trial)
        .expect("the trial's transition");
    assert_eq!(converted.reason, TrialEnd::PlanUpgraded);
    let at = converted.at.trunc_subsecs(0);

    let subs = c.subscriptions().await.expect("subscriptions");
    let own: Vec<_> = subs.iter().filter(|s| s.account_id == trial).collect();
    assert_eq!(own.len(), 1, "{own:?}");
    assert!(active(own[0], now));
    assert_eq!(own[0].start_date, Some(at));
    assert_eq!(own[0].quantity, Some(Decimal::from(7)));
    let lines = c.invoices().await.expect("invoices");
    let billed: Vec<_> = lines.iter().filter(|l| l.account_id == trial).collect();
    assert_eq!(billed.len(), 1, "{billed:?}");
    assert_eq!(billed[0].date, Some(at));
    assert_eq!(billed[0].product_id, own[0].product_id);

    let cancel = c.contract_actions(&leaving).await.expect("actions");
    let churned_at = cancel
        .iter()
        .rev()
        .find(|a| a.action_type == ActionType::Cancel)
        .and_then(|a| a.updated_at)
        .expect("the completed cancellation");
    let ended: Vec<_> = subs.iter().filter(|s| s.account_id == leaving).collect();
    assert!(!ended.is_empty());
    assert!(ended.iter().all(|s| !active(s, now)));
    assert!(
        ended.iter().any(|s| s.end_date == Some(churned_at)),
        "{ended:?}"
    );
    let last = lines
        .iter()
        .filter(|l| l.account_id == leaving)
        .filter_map(|l| l.date)
        .max();
    assert!(last.is_none_or(|d| d < churned_at));

    let deadline = Instant::now() + events_support::DEADLINE;
    loop {
        let got = tokio::time::timeout(events_support::DEADLINE, events_support::next(&mut rx))
            .await
            .expect("an event in time");
        if let EventKind::TrialEnded(data) = &got.event.kind {
            if got.event.account_id() == Some(trial.as_str()) {
                assert_eq!(data.ended_reason, Some(EndedReason::PlanUpgraded));
                break;
            }
        }
        assert!(Instant::now() < deadline, "no plan_upgraded event");
    }
    server.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn a_withheld_billing_scope_is_a_403_while_accounts_list() {
    let sim = start(world(30)).await;
    sim.withhold_scopes(0, &["express-accounts-invoices:read"]);
    let c = client(&sim);
    assert_eq!(c.accounts().await.expect("accounts").len(), 30);
    assert!(c.subscriptions().await.is_ok());
    let err = c.invoices().await.expect_err("no invoices scope");
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.required_scope(), Some("express-accounts-invoices:read"));
    assert_eq!(
        c.missing_scopes().await.expect("scopes"),
        ["express-accounts-invoices:read"]
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn large_worlds_page_cheaply() {
    for (accounts, paths) in [
        (
            10_000,
            &[
                "/express/subscriptions",
                "/express/invoices",
                "/express/usage/month",
            ][..],
        ),
        (100_000, &["/express/subscriptions"][..]),
    ] {
        let sim = start(world(accounts)).await;
        let org = sim.organizations()[0].clone();
        let token = token(&sim, &org).await;
        for path in paths {
            let started = Instant::now();
            let first = get(&sim, &token, &format!("{path}?per_page=100")).await;
            let indexed = started.elapsed();
            let pages = first.json["total_pages"].as_u64().expect("total_pages");
            let started = Instant::now();
            let last = get(&sim, &token, &format!("{path}?per_page=100&page={pages}")).await;
            let paged = started.elapsed();
            println!(
                "{accounts} accounts {path}: total {}, first page (with the index) {indexed:?}, last page {paged:?}",
                first.json["total"]
            );
            assert!(last.json["count"].as_u64().is_some_and(|n| n > 0));
            assert!(paged < Duration::from_secs(2), "{path}: {paged:?}");
        }
        sim.shutdown().await;
    }
}
