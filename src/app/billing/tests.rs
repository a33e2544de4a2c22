use std::sync::{Arc, mpsc};

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::api::model::Subscription;
use crate::app::testdata::{account, at, store};
use crate::billing::OrgBilling;
use crate::billing::testdata::sub;
use crate::events::{Event, StoredEvent};
use crate::store::Update;
use crate::view::Theme;

fn synced(org: usize, subscriptions: Vec<Subscription>) -> Update {
    let mut billing = OrgBilling::default();
    billing.subscriptions = billing.subscriptions.after(Ok(subscriptions), at(0));
    billing.derive(org, at(0));
    Update::BillingSynced {
        org,
        billing: Arc::new(billing),
        at: at(0),
    }
}

fn trial_ended(id: &str, account: &str) -> Update {
    let time = at(5).to_rfc3339();
    let body = format!(
        r#"{{"id":"{id}","type":"app.trial_ended","created_at":"{time}","data":{{"account_id":"{account}","ended_reason":"plan_upgraded"}}}}"#
    );
    Update::Event(Box::new(StoredEvent {
        event: Event::parse(body.as_bytes()).expect("event"),
        received_at: at(5),
        verified: true,
        key_id: None,
    }))
}

fn app() -> App {
    let mut store = store(vec![(
        "Acme",
        vec![
            account("a1", "alpha", "", "ACTIVE"),
            account("a2", "bravo", "", "IN_TRIAL"),
        ],
    )]);
    store.apply(synced(0, vec![sub("s1", "a1", "USD", "MONTH", 2, "10")]));
    let (tx, _rx) = mpsc::channel();
    let mut app = App::new(store, Theme::default(), Box::new(tx));
    app.tick(at(12));
    app
}

fn mrr(app: &App) -> String {
    let summary = app.billing_summary().expect("prepared");
    summary.tiles[0].rows[0].1.clone()
}

#[test]
fn figures_are_built_when_their_inputs_change_never_per_frame() {
    let mut app = app();
    let mut term = Terminal::new(TestBackend::new(100, 40)).expect("terminal");
    app.update(Action::OpenBilling);
    let builds = app.billing_cache().builds();
    assert_eq!(mrr(&app), "20.00 USD");
    for _ in 0..3 {
        app.draw(&mut term).expect("draws");
    }
    app.tick(at(13));
    app.draw(&mut term).expect("draws");
    assert_eq!(
        app.billing_cache().builds(),
        builds,
        "frames rebuilt figures"
    );

    app.apply(synced(0, vec![sub("s1", "a1", "USD", "MONTH", 3, "10")]));
    app.draw(&mut term).expect("draws");
    assert_eq!(app.billing_cache().builds(), builds + 1);
    assert_eq!(mrr(&app), "30.00 USD");

    app.apply(trial_ended("e1", "a2"));
    app.draw(&mut term).expect("draws");
    assert_eq!(app.billing_cache().builds(), builds + 2);
    let summary = app.billing_summary().expect("prepared");
    assert_eq!(summary.funnels[0].converted, 1);

    app.tick(at(12 + 60));
    app.draw(&mut term).expect("draws");
    assert_eq!(app.billing_cache().builds(), builds + 3, "a new minute");
}

#[test]
fn billing_keys_stay_in_bounds_and_go_back() {
    let mut app = app();
    app.update(Action::OpenBilling);
    let view = |app: &App| match app.mode() {
        Mode::Billing(v) => v.clone(),
        other => panic!("not the Billing view: {other:?}"),
    };
    for _ in 0..20 {
        app.update(Action::PrevMonth);
    }
    assert_eq!(view(&app).month_index(), 0);
    for _ in 0..20 {
        app.update(Action::NextMonth);
    }
    assert_eq!(view(&app).month_index(), MONTHS as usize - 1);
    app.update(Action::Up);
    app.update(Action::Down);
    assert_eq!(view(&app).selected, 0, "one top account");
    app.update(Action::NextCurrency);
    let summary = app.billing_summary().expect("prepared");
    assert_eq!(view(&app).currency(summary), Some("USD"));
    // Enter opens alpha, Esc comes back to the view as it was
    app.update(Action::Confirm);
    assert!(matches!(app.mode(), Mode::Account(v) if v.id == "a1"));
    app.update(Action::Back);
    assert_eq!(view(&app).month_index(), MONTHS as usize - 1);
    app.update(Action::Back);
    assert_eq!(*app.mode(), Mode::Table);
}

#[test]
fn the_account_view_rows_are_built_once_per_billing_revision() {
    let mut app = app();
    let mut term = Terminal::new(TestBackend::new(100, 40)).expect("terminal");
    app.update(Action::Confirm);
    let Mode::Account(v) = app.mode().clone() else {
        panic!("Enter opens the account");
    };
    app.draw(&mut term).expect("draws");
    let builds = app.billing_cache().builds();
    app.draw(&mut term).expect("draws");
    assert_eq!(app.billing_cache().builds(), builds);
    let rows = app.account_billing(v.org, &v.id).expect("prepared");
    assert_eq!(rows.mrr, ["20.00 USD"]);
    assert_eq!(rows.subscriptions[0].mrr, "20.00 USD");
    assert!(app.account_billing(v.org, "other").is_none());
}
