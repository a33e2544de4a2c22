//! `tdbi invoices`, `usage` (by month) and `funnel` end to end: the binary against
//! `tdbi sim`, sums compared with the raw lists read through `api::Client`, the funnel
//! with a journal written here.

mod cli_common;

use std::collections::{BTreeMap, HashSet};

use chrono::Utc;
use cli_common::billing::*;
use cli_common::{SimProcess, config_file, stderr, tdbi};
use rust_decimal::Decimal;
use serde_json::Value;

/// (organization, month, currency) -> (sum of amounts, invoice numbers, lines)
type Invoiced = BTreeMap<(String, String, String), (Decimal, HashSet<String>, usize)>;

#[test]
fn invoices_by_month_sum_the_raw_lines() {
    let sim = SimProcess::start(2, &["--accounts", "40"]);
    let config = config_file(&sim.config);
    let rows = json(
        &["invoices", "--by-month", "--format", "json"],
        config.path(),
    );
    let mut want = Invoiced::new();
    for o in raw(&sim.config) {
        for l in &o.invoices {
            let Some(date) = l.date else { continue };
            let key = (
                o.name.clone(),
                date.format("%Y-%m").to_string(),
                l.currency.clone().unwrap_or_default(),
            );
            let e = want.entry(key).or_default();
            e.0 += l.amount.unwrap_or_default();
            e.1.insert(l.number.clone().unwrap_or_else(|| l.id.clone()));
            e.2 += 1;
        }
    }
    assert!(!want.is_empty());
    let expected_keys = [
        "organization",
        "month",
        "currency",
        "amount",
        "invoices",
        "lines",
    ];
    let mut got = BTreeMap::new();
    for r in &rows {
        assert_eq!(keys(r), sorted(&expected_keys), "{r}");
        assert!(is_money(&r["amount"]), "{r}");
        let s = |k: &str| r[k].as_str().expect("text").to_owned();
        let n = |k: &str| r[k].as_u64().expect("count") as usize;
        got.insert(
            (s("organization"), s("month"), s("currency")),
            (s("amount"), n("invoices"), n("lines")),
        );
    }
    let want: BTreeMap<_, _> = want
        .into_iter()
        .map(|(k, (a, numbers, n))| (k, (money(a), numbers.len(), n)))
        .collect();
    assert_eq!(got, want);
    let lines = json(&["invoices", "--format", "json"], config.path());
    assert!(
        lines
            .iter()
            .all(|l| l["organization"].is_string() && is_money(&l["amount"]))
    );
}

#[test]
fn usage_by_month_sums_the_raw_rows() {
    let sim = SimProcess::start(1, &["--accounts", "30"]);
    let config = config_file(&sim.config);
    let o = &raw(&sim.config)[0];
    let account = &o.usage.first().expect("usage rows").account_id;
    let rows = json(
        &[
            "usage",
            "--by-month",
            "--account",
            account,
            "--format",
            "json",
        ],
        config.path(),
    );
    let mut want: BTreeMap<(String, String, String), (Decimal, Decimal)> = BTreeMap::new();
    for u in o.usage.iter().filter(|u| u.account_id == *account) {
        let kind = u
            .usage_type
            .as_ref()
            .map_or("OTHER", |t| t.as_str())
            .to_owned();
        let e = want
            .entry((
                u.month.clone(),
                u.currency.clone().unwrap_or_default(),
                kind,
            ))
            .or_default();
        e.0 += u.quantity.unwrap_or_default();
        e.1 += u.amount.or(u.total_amount).unwrap_or_default();
    }
    let expected_keys = [
        "organization",
        "month",
        "currency",
        "type",
        "quantity",
        "amount",
    ];
    let mut got = BTreeMap::new();
    for r in &rows {
        assert_eq!(keys(r), sorted(&expected_keys), "{r}");
        assert_eq!(r["organization"], o.name.as_str());
        let s = |k: &str| r[k].as_str().expect("text").to_owned();
        let quantity: Decimal = s("quantity").parse().expect("an exact decimal");
        got.insert(
            (s("month"), s("currency"), s("type")),
            (quantity, s("amount")),
        );
    }
    let want: BTreeMap<_, _> = want
        .into_iter()
        .map(|(k, (q, a))| (k, (q, money(a))))
        .collect();
    assert_eq!(got, want);
}

fn trial_end(id: &str, account: &str, days_ago: i64, reason: &str) -> String {
    let at = (Utc::now() - chrono::TimeDelta::days(days_ago)).to_rfc3339();
    let body = serde_json::json!({
        "id": id, "type": "app.trial_ended", "created_at": at,
        "data": {"account_id": account, "ended_at": at, "ended_reason": reason, "ended_by": "user"},
    });
    let event = tdbi::events::Event::parse(body.to_string().as_bytes()).expect("an event");
    let stored = tdbi::events::StoredEvent {
        event,
        received_at: Utc::now(),
        verified: false,
        key_id: None,
    };
    serde_json::to_string(&stored).expect("a line")
}

#[test]
fn funnel_counts_the_journals_trial_ends_per_organization() {
    let sim = SimProcess::start(2, &["--accounts", "30"]);
    let orgs = raw(&sim.config);
    let ids: Vec<&str> = orgs[0].accounts.iter().map(|a| a.id.as_str()).collect();
    let dir = tempfile::tempdir().expect("dir");
    let journal = dir.path().join("events.jsonl");
    let lines = [
        trial_end("e1", ids[0], 5, "plan_upgraded"),
        trial_end("e2", ids[1], 20, "plan_upgraded"),
        trial_end("e3", ids[1], 10, "trial_expired"), // b's latest end wins
        trial_end("e4", ids[2], 40, "app_uninstalled"),
        trial_end("e5", ids[3], 200, "plan_upgraded"),
        trial_end("e6", "not-an-account-of-ours", 1, "plan_upgraded"),
    ];
    std::fs::write(&journal, lines.join("\n") + "\n").expect("journal");
    let events = format!(
        "\n[events]\nlisten = \"127.0.0.1:8787\"\nverify = false\njournal = {:?}\n",
        journal
    );
    let config = config_file(&(sim.config.clone() + &events));
    let rows = json(&["funnel", "--format", "json"], config.path());
    let count =
        |o: &Raw, s: &str| o.accounts.iter().filter(|a| a.status.as_str() == s).count() as u64;
    let row = |org: &str, days: u64| {
        rows.iter()
            .find(|r| r["organization"] == org && r["days"] == days)
            .unwrap_or_else(|| panic!("{org} {days}: {rows:?}"))
    };
    let r30 = row(&orgs[0].name, 30);
    let figures = |r: &Value| {
        ["converted", "expired", "uninstalled", "other", "ended"].map(|k| r[k].as_u64())
    };
    assert_eq!(figures(r30), [1, 1, 0, 0, 2].map(Some));
    assert_eq!(r30["conversion_rate"], "0.5000");
    assert_eq!(r30["in_trial"].as_u64(), Some(count(&orgs[0], "IN_TRIAL")));
    assert_eq!(
        r30["trial_lost"].as_u64(),
        Some(count(&orgs[0], "TRIAL_LOST"))
    );
    let r90 = row(&orgs[0].name, 90);
    assert_eq!(figures(r90), [1, 1, 1, 0, 3].map(Some));
    assert_eq!(r90["conversion_rate"], "0.3333");
    let other = row(&orgs[1].name, 30);
    assert_eq!(other["ended"], 0);
    assert!(other["conversion_rate"].is_null());
    assert_eq!(rows.len(), 4, "two windows per organization by default");

    let week = json(
        &[
            "funnel",
            "--days",
            "7",
            "--org",
            &orgs[0].name,
            "--format",
            "json",
        ],
        config.path(),
    );
    assert_eq!(week.len(), 1);
    assert_eq!(
        (week[0]["days"].as_u64(), week[0]["converted"].as_u64()),
        (Some(7), Some(1))
    );

    let missing = dir.path().join("none.jsonl");
    let events = format!(
        "\n[events]\nlisten = \"127.0.0.1:8787\"\nverify = false\njournal = {:?}\n",
        missing
    );
    let config = config_file(&(sim.config.clone() + &events));
    let out = tdbi(config.path(), &["funnel", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).matches("no events journal").count(),
        1,
        "{}",
        stderr(&out)
    );
    assert!(!missing.exists(), "reading never creates the journal");
}
