//! Tests of the totals, the monthly sums and the snapshot (the definitions in the README).

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use rust_decimal::Decimal;

use super::testdata::{dec, line, product, sub, usage};
use super::*;
use crate::api::model::SubscriptionStatus;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 15, 12, 0, 0).unwrap()
}

#[test]
fn mrr_per_currency_never_mixes_currencies() {
    let catalogue = Catalogue::new(&[product("LIC", "User/Month"), product("ANN", "User/Year")]);
    let mut a1 = sub("s1", "a1", "USD", "ANNUAL", 10, "45.00");
    a1.product_id = Some("LIC".into()); // monthly price: 450
    let mut a2 = sub("s2", "a1", "USD", "ANNUAL", 2, "1200"); // annual period: 200
    a2.product_id = Some("ANN".into());
    let b = sub("s3", "b", "EUR", "QUARTER", 3, "30"); // 30
    let unnormalized = sub("s4", "c", "EUR", "OTHER", 1, "99");
    let mut ended = sub("s5", "d", "USD", "MONTH", 1, "1000");
    ended.end_date = Some(now() - TimeDelta::days(1));
    let mut inactive = sub("s6", "e", "USD", "MONTH", 1, "1000");
    inactive.status = Some(SubscriptionStatus::Other);
    let subs = [a1, a2, b, unnormalized, ended, inactive];

    let (totals, by_account) = BillingTotals::compute(2, &subs, Some(&catalogue), now());
    let codes: Vec<&str> = totals
        .currencies
        .iter()
        .map(|c| c.currency.as_str())
        .collect();
    assert_eq!(codes, ["EUR", "USD"], "A-Z, one row per currency");
    let eur = &totals.currencies[0];
    assert_eq!(eur.mrr, dec("30"));
    assert_eq!(
        (eur.active_subscriptions, eur.unnormalized_subscriptions),
        (2, 1)
    );
    assert_eq!(eur.paying_accounts, 1, "c has no normalized MRR");
    let usd = &totals.currencies[1];
    assert_eq!(usd.mrr, dec("650"));
    assert_eq!(usd.arr(), dec("7800"));
    assert_eq!((usd.active_subscriptions, usd.paying_accounts), (2, 1));
    assert_eq!(
        by_account["a1"],
        vec![AccountMrr {
            currency: "USD".into(),
            mrr: dec("650")
        }]
    );
    assert!(!by_account.contains_key("c") && !by_account.contains_key("d"));
    assert_eq!(totals.top[0].org, 2);
    assert_eq!(
        totals
            .top
            .iter()
            .map(|t| (t.currency.as_str(), t.account_id.as_str()))
            .collect::<Vec<_>>(),
        [("EUR", "b"), ("USD", "a1")]
    );
}

#[test]
fn an_account_in_two_currencies_has_two_mrr_values() {
    let subs = [
        sub("1", "a", "USD", "MONTH", 1, "10"),
        sub("2", "a", "CAD", "MONTH", 1, "20"),
    ];
    let (totals, by_account) = BillingTotals::compute(0, &subs, None, now());
    assert_eq!(by_account["a"].len(), 2);
    assert_eq!(by_account["a"][0].currency, "CAD");
    assert!(totals.currencies.iter().all(|c| c.paying_accounts == 1));
}

#[test]
fn renewals_due_in_30_days_split_by_auto_renewal() {
    let at = |days: i64| Some(now() + TimeDelta::days(days));
    let mut subs = Vec::new();
    for (i, (end, auto)) in [
        (at(1), Some(true)),
        (at(30), Some(false)), // exactly now + 30d: due
        (at(10), None),
        (at(31), Some(false)),     // later
        (Some(now()), Some(true)), // ended at now: not active
        (None, Some(true)),        // open-ended
    ]
    .into_iter()
    .enumerate()
    {
        let mut s = sub(&i.to_string(), &format!("a{i}"), "USD", "MONTH", 1, "100");
        s.end_date = end;
        s.auto_renewal = auto;
        subs.push(s);
    }
    let mut odd = sub("x", "ax", "USD", "OTHER", 1, "5");
    odd.end_date = at(2);
    odd.auto_renewal = Some(false);
    subs.push(odd);
    let (totals, _) = BillingTotals::compute(0, &subs, None, now());
    let r = &totals.currencies[0].renewals;
    assert_eq!((r.auto, r.manual, r.unknown, r.count()), (1, 2, 1, 4));
    assert_eq!(r.mrr, dec("300"), "the unnormalized one adds no MRR");
}

#[test]
fn merging_adds_per_currency_and_reranks_the_top() {
    let (a, _) = BillingTotals::compute(0, &[sub("1", "a", "USD", "MONTH", 1, "10")], None, now());
    let (b, _) = BillingTotals::compute(
        1,
        &[
            sub("2", "b", "USD", "MONTH", 1, "30"),
            sub("3", "c", "EUR", "MONTH", 1, "5"),
        ],
        None,
        now(),
    );
    let all = BillingTotals::merge([&a, &b]);
    assert_eq!(all.currencies.len(), 2);
    assert_eq!(all.currencies[1].mrr, dec("40"));
    assert_eq!(all.currencies[1].paying_accounts, 2);
    let usd: Vec<(usize, &str)> = all
        .top
        .iter()
        .filter(|t| t.currency == "USD")
        .map(|t| (t.org, t.account_id.as_str()))
        .collect();
    assert_eq!(usd, [(1, "b"), (0, "a")]);
}

#[test]
fn top_accounts_keep_the_largest() {
    let subs: Vec<_> = (0..50)
        .map(|i| {
            sub(
                &i.to_string(),
                &format!("acct{i:02}"),
                "USD",
                "MONTH",
                1,
                &i.to_string(),
            )
        })
        .collect();
    let (totals, _) = BillingTotals::compute(0, &subs, None, now());
    assert_eq!(totals.top.len(), totals::TOP_ACCOUNTS);
    assert_eq!(totals.top[0].account_id, "acct49");
    assert!(totals.top.windows(2).all(|w| w[0].mrr >= w[1].mrr));
    assert_eq!(
        totals.currencies[0].paying_accounts, 49,
        "acct00 has zero MRR"
    );
}

#[test]
fn invoiced_per_month_sums_amounts_never_the_repeated_total() {
    let lines = [
        line(
            "1",
            "INV-1",
            "2024-05-03T00:00:00Z",
            "USD",
            "100.10",
            "250.30",
        ),
        line(
            "2",
            "INV-1",
            "2024-05-03T00:00:00Z",
            "USD",
            "150.20",
            "250.30",
        ),
        line(
            "3",
            "INV-2",
            "2024-05-31T23:59:59Z",
            "USD",
            "0.005",
            "0.005",
        ),
        line("4", "INV-3", "2024-06-01T00:00:00Z", "USD", "7", "7"),
        line("5", "INV-4", "2024-05-10T00:00:00Z", "EUR", "9", "9"),
    ];
    let rows = months::invoiced_by_month(&lines);
    let view: Vec<(String, &str, Decimal, usize, usize)> = rows
        .iter()
        .map(|r| {
            (
                r.month.to_string(),
                r.currency.as_str(),
                r.amount,
                r.invoices,
                r.lines,
            )
        })
        .collect();
    assert_eq!(
        view,
        [
            ("2024-05".into(), "EUR", dec("9"), 1, 1),
            ("2024-05".into(), "USD", dec("250.305"), 2, 3),
            ("2024-06".into(), "USD", dec("7"), 1, 1),
        ]
    );
    assert_eq!(
        money::plain(rows[1].amount, "USD"),
        "250.30",
        "half-even at output"
    );
}

#[test]
fn usage_per_month_and_type() {
    let rows = [
        usage("2024-05", "CALL", "USD", "10", "1.50"),
        usage("2024-05", "CALL", "USD", "5", "0.75"),
        usage("2024-05", "MESSAGE", "USD", "3", "0.03"),
        usage("2024-13", "CALL", "USD", "1", "1"),
        usage("May 2024", "CALL", "USD", "1", "1"),
    ];
    let got = months::usage_by_month(&rows);
    assert_eq!(got.len(), 2);
    assert_eq!(
        (got[0].kind.as_str(), got[0].quantity, got[0].amount),
        ("CALL", dec("15"), dec("2.25"))
    );
}

#[test]
fn year_months() {
    let m = YearMonth::of(now());
    assert_eq!(m.to_string(), "2024-06");
    assert_eq!(m.minus(6).to_string(), "2023-12");
    assert_eq!(m.minus(18).to_string(), "2022-12");
    let last = YearMonth::last(12, now());
    assert_eq!(
        (last[0].to_string(), last[11].to_string()),
        ("2023-07".into(), "2024-06".into())
    );
}

#[test]
fn lists_keep_good_data_on_failure_and_drop_it_on_403() {
    let first: BillingList<u8> = BillingList::default().after(Ok(vec![1, 2]), now());
    let failed = first.after(Err(ListProblem::Failed("boom".into())), now());
    assert_eq!(failed.slice(), &[1, 2]);
    assert!(failed.is_stale());
    let denied = failed.after(
        Err(ListProblem::Denied {
            scope: "express-accounts-invoices:read",
            error: "403".into(),
        }),
        now(),
    );
    assert!(denied.items.is_none() && !denied.is_stale());
    assert_eq!(
        denied.problem.map(|p| p.line()),
        Some("client lacks express-accounts-invoices:read".into())
    );
}

#[test]
fn a_snapshot_indexes_rows_by_account() {
    let mut billing = OrgBilling::default();
    let t = now();
    billing.subscriptions = BillingList::default().after(
        Ok(vec![
            sub("1", "a", "USD", "MONTH", 2, "10"),
            sub("2", "b", "USD", "MONTH", 1, "5"),
        ]),
        t,
    );
    billing.invoices = BillingList::default().after(
        Ok(vec![line(
            "1",
            "N",
            "2024-05-01T00:00:00Z",
            "USD",
            "20",
            "20",
        )]),
        t,
    );
    billing.derive(0, t);
    let d = &billing.derived;
    assert_eq!(d.by_account["a"].subscriptions, [0]);
    assert_eq!(
        d.by_account["a"].invoices,
        [0],
        "the test line belongs to account a"
    );
    assert_eq!(d.totals.currencies[0].mrr, dec("25"));
    assert!(d.catalogue.is_none());
}
