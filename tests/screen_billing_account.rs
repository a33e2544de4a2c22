//! Screen tests of billing outside the Billing view: the accounts table's MRR column and
//! the account view's subscriptions, invoice lines and usage (also reached from the
//! Billing view's top accounts), over hand-fed stores drawn into a TestBackend.

mod billing_support;

use ratatui::crossterm::event::KeyCode;

use billing_support::{acme_harness, acme_read, line_with, sub};
use tdbi::app::Mode;
use tdbi::sync::SyncCommand;

#[test]
fn enter_on_a_top_account_opens_its_account_view_and_esc_comes_back() {
    let mut h = acme_harness(160, 60);
    h.key(KeyCode::Char('b'));
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    let Mode::Account(view) = h.app.mode().clone() else {
        panic!("Enter opens the account: {:?}", h.app.mode());
    };
    assert_eq!((view.org, view.id.as_str()), (0, "a1"));
    assert!(h.commands.try_iter().any(|c| c
        == (
            0,
            SyncCommand::OpenAccount {
                account_id: "a1".into()
            }
        )));
    let s = h.screen();
    assert!(s.contains("Esc back to billing"), "{s}");
    assert!(s.contains("MRR 1,000.00 USD"), "{s}");
    assert!(s.contains("Subscriptions (2)"), "{s}");
    let s1 = line_with(&s, "MONTH");
    assert!(s1.contains("active") && s1.contains("100.00 USD") && s1.contains("1,000.00 USD"));
    assert!(line_with(&s, " OTHER ").contains("unnormalized"), "{s}");
    assert!(s.contains("Invoice lines (2)"), "{s}");
    let (newest, oldest) = (s.find("INV-1").unwrap(), s.find("INV-3").unwrap());
    assert!(newest < oldest, "newest first:\n{s}");
    assert!(line_with(&s, "INV-1").contains("2024-06-05"), "{s}");
    assert!(line_with(&s, "INV-1").contains("1,000.00 USD"), "{s}");
    assert!(
        line_with(&s, "CALL USD").ends_with("1,200 · 30.00 USD"),
        "{s}"
    );
    h.key(KeyCode::Esc);
    let Mode::Billing(back) = h.app.mode() else {
        panic!("Esc returns to the Billing view");
    };
    assert_eq!(back.selected, 2);
}

#[test]
fn the_mrr_column_shows_and_sorts_by_currency_then_amount() {
    let mut h = acme_harness(160, 20);
    let s = h.screen();
    assert!(s.contains("MRR"), "{s}");
    assert!(line_with(&s, "alpha").contains("1,000.00 USD"), "{s}");
    assert!(line_with(&s, "bravo").contains("10.00 EUR+"), "{s}");
    assert!(line_with(&s, "charlie").contains("70.50 EUR"), "{s}");
    assert!(!line_with(&s, "delta").contains("USD"), "{s}");
    let order = |s: &str| {
        let mut names: Vec<(usize, &str)> = ["alpha", "bravo", "charlie", "delta", "echo"]
            .into_iter()
            .map(|n| (s.find(&format!(" {n} ")).unwrap_or(usize::MAX), n))
            .collect();
        names.sort();
        names.into_iter().map(|(_, n)| n).collect::<Vec<_>>()
    };
    for _ in 0..3 {
        h.key(KeyCode::Char('>'));
    }
    let s = h.screen();
    assert!(s.contains("MRR ▲"), "{s}");
    assert_eq!(order(&s), ["bravo", "charlie", "alpha", "delta", "echo"]);
    h.key(KeyCode::Char('S'));
    let s = h.screen();
    assert_eq!(order(&s), ["charlie", "bravo", "alpha", "delta", "echo"]);
    // new billing data re-sorts
    let mut read = acme_read();
    if let Ok(subs) = &mut read.subscriptions {
        subs.push(sub("s9", "a5", "EUR", "MONTH", 1, "99.00"));
    }
    h.billing(0, read);
    assert_eq!(
        order(&h.screen()),
        ["echo", "charlie", "bravo", "alpha", "delta"]
    );
}
