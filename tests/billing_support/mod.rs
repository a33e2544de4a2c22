//! Hand-made billing lists fed to the real app through `Update::BillingSynced`, and a
//! harness drawing it into a TestBackend.
#![allow(dead_code)]

use std::str::FromStr;
use std::sync::Arc;
use std::sync::mpsc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rust_decimal::Decimal;

use tdbi::api::model::{
    Account, AccountStatus, BillingPeriod, InvoiceLine, MonthlyUsage, Product, Subscription,
    SubscriptionStatus, UsageType,
};
use tdbi::app::App;
use tdbi::billing::{ListProblem, OrgBilling};
use tdbi::events::{Event, StoredEvent};
use tdbi::store::{Store, Update};
use tdbi::sync::SyncCommand;
use tdbi::view::Theme;

/// The time of every test: figures are judged and drawn at it.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 15, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

pub fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).expect("test decimal")
}

pub fn account(id: &str, name: &str, status: &str) -> Account {
    Account {
        id: id.into(),
        name: name.into(),
        company_name: format!("{name} Ltd").into(),
        status: AccountStatus::from_raw(status),
    }
}

/// An ACTIVATED subscription with no dates.
pub fn sub(
    id: &str,
    account: &str,
    currency: &str,
    period: &str,
    qty: i64,
    price: &str,
) -> Subscription {
    Subscription {
        id: id.into(),
        account_id: account.into(),
        contract_number: None,
        currency: Some(currency.into()),
        billing_period: Some(BillingPeriod::from_raw(period)),
        status: Some(SubscriptionStatus::Activated),
        term: None,
        start_date: None,
        end_date: None,
        edition: None,
        auto_renewal: None,
        renewal_uplift: None,
        product_id: None,
        quantity: Some(Decimal::from(qty)),
        unit_price: Some(dec(price)),
        billing_frequency: None,
    }
}

/// An invoice line of `account` dated `days` before [`now`].
pub fn line(
    id: &str,
    account: &str,
    number: &str,
    days: i64,
    currency: &str,
    amount: &str,
) -> InvoiceLine {
    InvoiceLine {
        id: id.into(),
        account_id: account.into(),
        number: Some(number.into()),
        date: Some(now() - TimeDelta::days(days)),
        currency: Some(currency.into()),
        total_invoice_amount: None,
        product_id: None,
        description: Some(format!("line {id}")),
        quantity: None,
        rate: None,
        amount: Some(dec(amount)),
    }
}

pub fn usage(
    account: &str,
    month: &str,
    kind: &str,
    currency: &str,
    qty: &str,
    amount: &str,
) -> MonthlyUsage {
    MonthlyUsage {
        id: format!("{account}-{month}-{kind}"),
        account_id: account.into(),
        product_id: None,
        aggr_product_id: None,
        month: month.into(),
        usage_type: Some(UsageType::from_raw(kind)),
        description: None,
        currency: Some(currency.into()),
        quantity: Some(dec(qty)),
        amount: Some(dec(amount)),
        total_amount: None,
    }
}

pub fn product(id: &str, name: &str, unit: &str) -> Product {
    Product {
        id: id.into(),
        name: name.into(),
        family: None,
        unit_of_measure: Some(unit.into()),
        charge_type: None,
    }
}

pub fn denied(scope: &'static str) -> ListProblem {
    ListProblem::Denied {
        scope,
        error: format!("403 forbidden: client lacks {scope}"),
    }
}

/// The outcome of one read of each list.
pub struct Read {
    pub subscriptions: Result<Vec<Subscription>, ListProblem>,
    pub invoices: Result<Vec<InvoiceLine>, ListProblem>,
    pub usage: Result<Vec<MonthlyUsage>, ListProblem>,
    pub products: Result<Vec<Product>, ListProblem>,
}

impl Default for Read {
    fn default() -> Self {
        Read {
            subscriptions: Ok(Vec::new()),
            invoices: Ok(Vec::new()),
            usage: Ok(Vec::new()),
            products: Ok(Vec::new()),
        }
    }
}

/// `BillingSynced` for `org` after `read`, on top of what the store has, derived at [`now`].
pub fn synced(store: &Store, org: usize, read: Read) -> Update {
    let before = &store.orgs[org].billing;
    let at = now();
    let mut billing = OrgBilling {
        subscriptions: before.subscriptions.after(read.subscriptions, at),
        invoices: before.invoices.after(read.invoices, at),
        usage: before.usage.after(read.usage, at),
        products: before.products.after(read.products, at),
        derived: Default::default(),
    };
    billing.derive(org, at);
    Update::BillingSynced {
        org,
        billing: Arc::new(billing),
        at,
    }
}

/// An `app.trial_ended` of `account`, `days` before [`now`], for `reason`.
pub fn trial_ended(id: &str, account: &str, days: i64, reason: &str) -> Update {
    let at = (now() - TimeDelta::days(days)).to_rfc3339();
    let body = serde_json::json!({
        "id": id, "type": "app.trial_ended", "created_at": at,
        "data": { "account_id": account, "ended_at": at, "ended_reason": reason, "ended_by": "system" }
    });
    let event = Event::parse(body.to_string().as_bytes()).expect("test event");
    Update::Event(Box::new(StoredEvent {
        event,
        received_at: now(),
        verified: true,
        key_id: None,
    }))
}

/// The real app over a hand-fed store, drawn into a TestBackend.
pub struct Harness {
    pub app: App,
    pub term: Terminal<TestBackend>,
    pub commands: mpsc::Receiver<(usize, SyncCommand)>,
}

impl Harness {
    /// Organizations named and with accounts as given, each synced once.
    pub fn new(orgs: Vec<(&str, Vec<Account>)>, width: u16, height: u16) -> Harness {
        let mut store = Store::new(orgs.iter().map(|(n, _)| (*n).to_owned()));
        for (org, (_, accounts)) in orgs.into_iter().enumerate() {
            store.apply(Update::AccountsSynced {
                org,
                accounts,
                at: now(),
            });
        }
        let (tx, rx) = mpsc::channel();
        let mut app = App::new(store, Theme::default(), Box::new(tx));
        app.tick(now());
        Harness {
            app,
            term: Terminal::new(TestBackend::new(width, height)).expect("test terminal"),
            commands: rx,
        }
    }

    /// Applies `read` to `org` as a finished billing read.
    pub fn billing(&mut self, org: usize, read: Read) {
        let update = synced(self.app.store(), org, read);
        self.app.apply(update);
    }

    pub fn key(&mut self, code: KeyCode) {
        self.app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    }

    pub fn screen(&mut self) -> String {
        self.app.draw(&mut self.term).expect("draws");
        tdbi::app::driver::buffer_text(self.term.backend().buffer())
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.term.backend_mut().resize(width, height);
        self.app.resize(width, height);
    }
}

/// The first line containing `needle`, without its trailing blanks.
pub fn line_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or("")
        .trim_end()
}

/// Acme: alpha 1,000.00 USD (and one unnormalized), bravo 234.50 USD due in 10 days
/// without auto-renewal plus 10.00 EUR, charlie 70.50 EUR; delta in trial, echo lost.
pub fn acme() -> Vec<Account> {
    vec![
        account("a1", "alpha", "ACTIVE"),
        account("a2", "bravo", "ACTIVE"),
        account("a3", "charlie", "ACTIVE"),
        account("a4", "delta", "IN_TRIAL"),
        account("a5", "echo", "TRIAL_LOST"),
    ]
}

pub fn acme_read() -> Read {
    let mut due = sub("s2", "a2", "USD", "ANNUAL", 1, "2814.00");
    due.end_date = Some(now() + TimeDelta::days(10));
    due.auto_renewal = Some(false);
    Read {
        subscriptions: Ok(vec![
            sub("s1", "a1", "USD", "MONTH", 10, "100.00"),
            due,
            sub("s3", "a3", "EUR", "MONTH", 2, "35.25"),
            sub("s4", "a1", "USD", "OTHER", 1, "5"),
            sub("s5", "a2", "EUR", "MONTH", 1, "10.00"),
        ]),
        invoices: Ok(vec![
            line("i1", "a1", "INV-1", 10, "USD", "1000.00"),
            line("i2", "a2", "INV-2", 40, "USD", "234.50"),
            line("i3", "a1", "INV-3", 70, "USD", "1000.00"),
        ]),
        usage: Ok(vec![
            usage("a1", "2024-06", "CALL", "USD", "1200", "30.00"),
            usage("a1", "2024-05", "CALL", "USD", "800", "20.00"),
            usage("a1", "2024-06", "MESSAGE", "USD", "50", "1.50"),
        ]),
        products: Err(denied("express-products:read")),
    }
}

pub fn acme_harness(width: u16, height: u16) -> Harness {
    let mut h = Harness::new(vec![("Acme", acme())], width, height);
    h.billing(0, acme_read());
    h
}
