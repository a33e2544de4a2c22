//! Screen tests of the Billing view (`b`) over stores fed hand-made lists through
//! `Update::BillingSynced`, drawn into a TestBackend; and over the simulator through the
//! real sync engine.

mod billing_support;
mod screen_support;

use ratatui::crossterm::event::KeyCode;

use billing_support::{
    Harness, Read, account, acme, acme_harness, acme_read, denied, line_with, sub, trial_ended,
};
use tdbi::app::Mode;
use tdbi::billing::ListProblem;
use tdbi::store::{LoadState, Update};

#[test]
fn tiles_per_currency_never_sum_two_currencies() {
    let mut h = acme_harness(160, 50);
    h.key(KeyCode::Char('b'));
    assert!(matches!(h.app.mode(), Mode::Billing(_)));
    let s = h.screen();
    assert!(s.contains("Billing · Acme"), "{s}");
    // right-aligned against the tile's border, with separators and the code
    let mrr = line_with(&s, "│ MRR ");
    assert!(
        mrr.contains(" 80.50 EUR │") && mrr.contains(" 1,234.50 USD │"),
        "{s}"
    );
    let arr = line_with(&s, "│ ARR ");
    assert!(
        arr.contains(" 966.00 EUR │") && arr.contains(" 14,814.00 USD │"),
        "{s}"
    );
    assert!(
        !s.contains("1,315") && !s.contains("1315"),
        "currencies added:\n{s}"
    );
    assert!(line_with(&s, "paying accounts").contains("2 │"), "{s}");
    assert!(line_with(&s, "active subscriptions").contains("3 │"), "{s}");
    let unnormalized = line_with(&s, "unnormalized");
    assert!(
        unnormalized.contains("0 │") && unnormalized.contains("1 │"),
        "{s}"
    );
    assert!(
        line_with(&s, "auto/manual/unknown").contains("0/1/0 │"),
        "{s}"
    );
    assert!(line_with(&s, "their MRR").contains("234.50 USD │"), "{s}");
    assert!(
        s.contains("MRR by billing period (no product catalogue)"),
        "{s}"
    );
    // top accounts: per currency A–Z, largest first, MRR right-aligned
    let top: Vec<&str> = s
        .lines()
        .map(str::trim_end)
        .filter(|l| ["alpha", "bravo", "charlie"].iter().any(|n| l.contains(n)))
        .collect();
    assert_eq!(top.len(), 4, "{s}");
    assert!(
        top[0].contains("charlie") && top[0].ends_with(" 70.50 EUR"),
        "{s}"
    );
    assert!(
        top[2].contains("alpha") && top[2].ends_with(" 1,000.00 USD"),
        "{s}"
    );
    assert_eq!(top[0].len(), top[2].len(), "MRR right-aligned:\n{s}");
    // Esc, b and q go back
    for key in [KeyCode::Esc, KeyCode::Char('b'), KeyCode::Char('q')] {
        h.key(KeyCode::Char('b'));
        h.key(key);
        assert_eq!(*h.app.mode(), Mode::Table);
    }
    assert!(!h.app.should_quit());
}

#[test]
fn charts_follow_the_month_and_currency_keys() {
    let mut h = acme_harness(160, 60);
    h.key(KeyCode::Char('b'));
    let s = h.screen();
    // A–Z: EUR first, which has no invoices
    assert!(s.contains("Invoiced per month · EUR"), "{s}");
    assert!(s.contains("no invoice lines in the last 12 months"), "{s}");
    h.key(KeyCode::Char('c'));
    let s = h.screen();
    assert!(s.contains("Invoiced per month · USD"), "{s}");
    assert!(
        s.contains("2024-06  1,000.00 USD · 1 invoices · 1 lines"),
        "{s}"
    );
    assert!(s.contains("Jun") && s.contains("Jul"), "month labels:\n{s}");
    assert!(s.contains("1k"), "compact bar label:\n{s}");
    let call = line_with(&s, "  CALL ");
    assert!(call.ends_with("1,200 · 30.00 USD"), "{s}");
    assert!(
        line_with(&s, "  MESSAGE ").ends_with("50 · 1.50 USD"),
        "{s}"
    );
    h.key(KeyCode::Left);
    let s = h.screen();
    assert!(s.contains("2024-05  234.50 USD"), "{s}");
    assert!(line_with(&s, "  CALL ").ends_with("800 · 20.00 USD"), "{s}");
    h.key(KeyCode::Char('c'));
    assert!(h.screen().contains("Invoiced per month · EUR"));
}

#[test]
fn a_refused_list_names_its_scope_while_the_rest_shows() {
    let mut h = Harness::new(vec![("Acme", acme())], 160, 50);
    let read = Read {
        invoices: Err(denied("express-accounts-invoices:read")),
        ..acme_read()
    };
    h.billing(0, read);
    h.key(KeyCode::Char('b'));
    h.key(KeyCode::Char('c'));
    let s = h.screen();
    assert!(
        s.contains("client lacks express-accounts-invoices:read: no invoices"),
        "{s}"
    );
    assert!(!s.contains("no invoice lines in the last"), "{s}");
    assert!(line_with(&s, "│ MRR ").contains("1,234.50 USD"), "{s}");
    assert!(line_with(&s, "  CALL ").contains("1,200"), "{s}");
}

#[test]
fn a_failed_read_keeps_the_last_rows_marked_stale() {
    let mut h = acme_harness(160, 60);
    let read = Read {
        invoices: Err(ListProblem::Failed("503 Service Unavailable".into())),
        ..acme_read()
    };
    h.billing(0, read);
    h.key(KeyCode::Char('b'));
    h.key(KeyCode::Char('c'));
    let s = h.screen();
    assert!(
        s.contains("invoices STALE: 503 Service Unavailable (last good"),
        "{s}"
    );
    assert!(s.contains("2024-06  1,000.00 USD"), "{s}");
}

#[test]
fn loading_billing_with_progress_before_the_first_read() {
    let mut h = Harness::new(vec![("Acme", acme())], 120, 30);
    h.app.apply(Update::BillingStarted { org: 0 });
    h.app.apply(Update::BillingProgress {
        org: 0,
        done: 3,
        total: 40,
    });
    h.key(KeyCode::Char('b'));
    let s = h.screen();
    assert!(s.contains("loading billing… 3/40"), "{s}");
    assert!(
        line_with(&s, "Acme · ready").contains(" · billing 3/40"),
        "{s}"
    );
    assert!(!s.contains("Recurring revenue"), "{s}");
    h.billing(0, acme_read());
    let s = h.screen();
    assert!(!s.contains("loading billing"), "{s}");
    assert!(line_with(&s, "│ MRR ").contains("1,234.50 USD"), "{s}");
}

#[test]
fn the_all_tab_merges_organizations_per_currency() {
    let globex = vec![account("g1", "golf", "ACTIVE")];
    let mut h = Harness::new(vec![("Acme", acme()), ("Globex", globex)], 160, 60);
    h.billing(0, acme_read());
    h.billing(
        1,
        Read {
            subscriptions: Ok(vec![sub("t1", "g1", "USD", "MONTH", 1, "65.50")]),
            invoices: Err(denied("express-accounts-invoices:read")),
            ..Read::default()
        },
    );
    h.key(KeyCode::Char('b'));
    h.key(KeyCode::Char('3'));
    assert!(matches!(h.app.mode(), Mode::Billing(_)), "b stays open");
    let s = h.screen();
    assert!(s.contains("Billing · All organizations"), "{s}");
    let mrr = line_with(&s, "│ MRR ");
    assert!(
        mrr.contains(" 1,300.00 USD │") && mrr.contains(" 80.50 EUR │"),
        "{s}"
    );
    assert!(line_with(&s, "paying accounts").contains("3 │"), "{s}");
    assert!(
        s.contains("Globex: client lacks express-accounts-invoices:read: no invoices"),
        "{s}"
    );
    assert!(s.contains("no product catalogue): Acme"), "{s}");
    let golf = line_with(&s, "golf");
    assert!(
        golf.contains("Globex") && golf.ends_with(" 65.50 USD"),
        "{s}"
    );
    assert!(line_with(&s, "alpha").contains("Acme"), "{s}");
}

#[test]
fn the_trial_funnel_counts_ends_of_the_tab_accounts() {
    let mut h = acme_harness(160, 60);
    h.app.apply(trial_ended("e1", "a4", 5, "plan_upgraded"));
    h.app.apply(trial_ended("e2", "a5", 20, "trial_expired"));
    h.app.apply(trial_ended("e3", "a3", 60, "app_uninstalled"));
    h.app.apply(trial_ended("e4", "zz", 3, "plan_upgraded")); // no organization lists it
    h.key(KeyCode::Char('b'));
    h.key(KeyCode::End);
    let s = h.screen();
    let cols = |label: &str| -> Vec<String> {
        line_with(&s, &format!("  {label} "))
            .split_whitespace()
            .skip(1)
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(cols("converted"), ["1", "1"], "{s}");
    assert_eq!(cols("expired"), ["1", "1"], "{s}");
    assert_eq!(cols("uninstalled"), ["0", "1"], "{s}");
    assert_eq!(cols("ended"), ["2", "3"], "{s}");
    assert_eq!(cols("conversion"), ["50.0%", "33.3%"], "{s}");
    assert!(s.contains("now: IN_TRIAL 1 · TRIAL_LOST 1"), "{s}");
}

/// Every screen of the page, scrolling down one page at a time.
fn pages(h: &mut Harness) -> Vec<String> {
    let mut out = vec![h.screen()];
    for _ in 0..20 {
        h.key(KeyCode::PageDown);
        let s = h.screen();
        if out.last() == Some(&s) {
            break;
        }
        out.push(s);
    }
    out
}

#[test]
fn narrow_terminals_scroll_and_never_cut_a_number() {
    for (w, h_) in [(80, 24), (60, 20)] {
        let mut h = acme_harness(w, h_);
        h.key(KeyCode::Char('b'));
        h.key(KeyCode::Char('c'));
        let pages = pages(&mut h);
        assert!(pages.len() > 1, "{w}x{h_} scrolls");
        let all = pages.concat();
        for figure in [
            "1,234.50 USD",
            "14,814.00 USD",
            "80.50 EUR",
            "2024-06  1,000.00 USD",
            "1,200 · 30.00 USD",
            "now: IN_TRIAL 1",
        ] {
            assert!(all.contains(figure), "{w}x{h_}: {figure} missing:\n{all}");
        }
        for page in &pages {
            assert!(page.starts_with(" 1 Acme"), "{page}");
            for l in page.lines() {
                let last = l.chars().last().unwrap_or(' ');
                assert!(
                    !(last.is_ascii_digit() || last == ',' || last == '.'),
                    "{w}x{h_}: a figure touches the edge:\n{page}"
                );
            }
        }
        // the MRR column fits or is dropped whole
        h.key(KeyCode::Esc);
        let s = h.screen();
        let alpha = line_with(&s, "alpha");
        assert!(alpha.contains("1,000.00 USD") || !s.contains(" MRR"), "{s}");
    }
}

#[test]
fn the_status_line_shows_billing_progress_per_organization() {
    let mut h = Harness::new(vec![("Acme", acme()), ("Globex", Vec::new())], 140, 20);
    h.billing(0, acme_read());
    h.app.apply(Update::BillingProgress {
        org: 1,
        done: 2,
        total: 9,
    });
    h.app.apply(Update::BillingStarted { org: 0 });
    h.key(KeyCode::Char('3'));
    let s = h.screen();
    assert!(s.contains("billing Acme …, Globex 2/9"), "{s}");
}

/// Over the simulator and the real sync engine: `b` opens the view; once the sync
/// reads billing, the tiles show MRR in a currency.
#[tokio::test]
async fn the_billing_view_over_the_simulator() {
    let (sim, mut d) = screen_support::start(21, 40, 120, 40).await;
    d.key(KeyCode::Char('b'));
    let s = d.screen();
    assert!(s.contains("Billing · "), "{s}");
    d.pump_until(std::time::Duration::from_secs(20), |app| {
        matches!(app.store().orgs[0].billing_load, LoadState::Ready { .. })
    })
    .await
    .expect("the sync reads billing");
    let s = d.screen();
    let mrr = line_with(&s, "│ MRR ");
    let code = mrr
        .split_whitespace()
        .any(|w| w.len() == 3 && w.chars().all(|c| c.is_ascii_uppercase()) && w != "MRR");
    assert!(code, "MRR with a currency code:\n{s}");
    // The figure on screen is the derived MRR of that currency, rounded for output.
    let totals = &d.app.store().orgs[0].billing.derived.totals;
    assert!(
        !totals.currencies.is_empty(),
        "the simulator's active accounts pay"
    );
    let first = &totals.currencies[0];
    let shown = tdbi::billing::money::grouped(first.mrr, &first.currency);
    assert!(
        s.contains(&shown),
        "MRR {shown} {} on screen:\n{s}",
        first.currency
    );
    d.key(KeyCode::Esc);
    assert_eq!(*d.app.mode(), Mode::Table);
    sim.shutdown().await;
}
