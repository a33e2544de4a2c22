//! `tdbi billing`, `subscriptions` and `check` end to end: the binary against `tdbi sim`,
//! its output compared with figures recomputed here from the raw lists read through
//! `api::Client` (no amount is hard-coded).

mod cli_common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use cli_common::billing::*;
use cli_common::{SimProcess, config_file, stderr, stdout, tdbi};
use rust_decimal::Decimal;
use serde_json::Value;
use tdbi::api::model::Subscription;

const BILLING_KEYS: [&str; 9] = [
    "organization",
    "currency",
    "mrr",
    "arr",
    "active_subscriptions",
    "paying_accounts",
    "unnormalized_subscriptions",
    "renewals_due_30d",
    "renewals_due_30d_mrr",
];

#[test]
fn billing_rows_have_the_documented_keys_and_the_recomputed_figures() {
    let sim = SimProcess::start(2, &["--accounts", "60", "--max-per-page", "25"]);
    let config = config_file(&sim.config);
    let rows = json(&["billing", "--format", "json"], config.path());
    let now = Utc::now();
    let orgs = raw(&sim.config);
    let mut expected = Vec::new();
    for o in &orgs {
        // currency -> (mrr, active, accounts with positive MRR)
        let mut per: BTreeMap<String, (Decimal, usize, BTreeMap<&str, Decimal>)> = BTreeMap::new();
        for s in o.subscriptions.iter().filter(|s| active(s, now)) {
            let e = per
                .entry(s.currency.clone().unwrap_or_default())
                .or_default();
            e.1 += 1;
            if let Some(m) = mrr(s, &o.products) {
                e.0 += m;
                *e.2.entry(&s.account_id).or_default() += m;
            }
        }
        for (currency, (m, n, accounts)) in per {
            let paying = accounts.values().filter(|m| **m > Decimal::ZERO).count();
            expected.push((
                o.name.clone(),
                currency,
                money(m),
                money(m * Decimal::from(12)),
                n,
                paying,
            ));
        }
    }
    assert!(
        !expected.is_empty(),
        "the simulated world has active subscriptions"
    );
    let got: Vec<_> = rows
        .iter()
        .map(|r| {
            assert_eq!(keys(r), sorted(&BILLING_KEYS), "{r}");
            for key in ["mrr", "arr", "renewals_due_30d_mrr"] {
                assert!(is_money(&r[key]), "{key} is a decimal string: {r}");
            }
            let n = |k: &str| r[k].as_u64().expect("a count") as usize;
            let s = |k: &str| r[k].as_str().expect("a string").to_owned();
            (
                s("organization"),
                s("currency"),
                s("mrr"),
                s("arr"),
                n("active_subscriptions"),
                n("paying_accounts"),
            )
        })
        .collect();
    assert_eq!(
        got, expected,
        "organizations in config order, then currency A-Z"
    );
}

#[test]
fn csv_header_and_one_organization() {
    let sim = SimProcess::start(2, &["--accounts", "30"]);
    let config = config_file(&sim.config);
    let second = &raw(&sim.config)[1].name;
    let out = tdbi(
        config.path(),
        &[
            "billing",
            "--org",
            &second.to_uppercase(),
            "--format",
            "csv",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(BILLING_KEYS.join(",").as_str()));
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.is_empty(), "{text}");
    assert!(
        rows.iter().all(|r| r.starts_with(&format!("{second},"))),
        "{text}"
    );
    let table = stdout(&tdbi(config.path(), &["billing"]));
    assert!(table.starts_with("ORGANIZATION"), "{table}");
}

#[test]
fn an_organization_without_the_subscriptions_scope_fails_alone_naming_it() {
    let sim = SimProcess::start(2, &["--accounts", "40"]);
    let scopes = "scopes = [\"express-accounts:read\", \"express-accounts-invoices:read\", \"express-products:read\"]";
    let mut seen = 0;
    let limited: Vec<String> = sim
        .config
        .lines()
        .flat_map(|l| {
            seen += usize::from(l.starts_with("token_url"));
            let extra = (seen == 2 && l.starts_with("token_url")).then(|| scopes.to_owned());
            std::iter::once(l.to_owned()).chain(extra)
        })
        .collect();
    let config = config_file(&limited.join("\n"));
    let names: Vec<String> = raw(&sim.config).into_iter().map(|o| o.name).collect();
    let out = tdbi(config.path(), &["billing", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).expect("JSON still printed");
    assert!(!rows.is_empty() && rows.iter().all(|r| r["organization"] == names[0].as_str()));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "one line for the failed organization: {err}"
    );
    assert!(
        lines[0].starts_with(&format!("tdbi: {}: ", names[1])),
        "{err}"
    );
    assert!(
        lines[0].contains("express-accounts-subscriptions:read"),
        "{err}"
    );

    // What that client may read still works.
    let out = tdbi(
        config.path(),
        &["invoices", "--org", &names[1], "--by-month"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn active_subscriptions_of_one_account_with_names() {
    let sim = SimProcess::start(1, &["--accounts", "50"]);
    let config = config_file(&sim.config);
    let o = &raw(&sim.config)[0];
    let now = Utc::now();
    let sub = o
        .subscriptions
        .iter()
        .find(|s| active(s, now))
        .expect("an active subscription");
    let account = &sub.account_id;
    let rows = json(
        &[
            "subscriptions",
            "--active",
            "--account",
            account,
            "--format",
            "json",
        ],
        config.path(),
    );
    let want: Vec<&Subscription> = o
        .subscriptions
        .iter()
        .filter(|s| s.account_id == *account && active(s, now))
        .collect();
    assert_eq!(rows.len(), want.len());
    let name = o
        .accounts
        .iter()
        .find(|a| a.id == *account)
        .map(|a| a.name.as_str());
    for (row, s) in rows.iter().zip(want) {
        assert_eq!(row["id"], s.id.as_str());
        assert_eq!(
            (row["account_id"].as_str(), row["account_name"].as_str()),
            (Some(account.as_str()), name)
        );
        assert_eq!(row["active"], true);
        let product = o
            .products
            .iter()
            .find(|p| Some(&p.id) == s.product_id.as_ref());
        assert_eq!(
            row["product_name"].as_str(),
            product.map(|p| p.name.as_str())
        );
        assert_eq!(
            row["mrr"].as_str(),
            mrr(s, &o.products).map(money).as_deref()
        );
        assert_eq!(
            row["renewal_uplift"].is_null(),
            s.renewal_uplift.is_none(),
            "{row}"
        );
        assert_eq!(row["auto_renewal"].as_bool(), s.auto_renewal);
    }
    let all = json(&["subscriptions", "--format", "json"], config.path());
    assert_eq!(all.len(), o.subscriptions.len());
    assert!(
        all.iter().any(|r| r["active"] == false),
        "inactive ones listed without --active"
    );
}

#[test]
fn check_names_each_scopes_feature_and_whether_it_is_granted() {
    let sim = SimProcess::start(3, &["--accounts", "20"]);
    let config = config_file(&sim.config);
    let out = tdbi(config.path(), &["check"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    let line = |state: &str, scope: &str| -> BTreeSet<String> {
        text.lines()
            .filter(|l| l.trim_start().starts_with(state) && l.contains(scope))
            .map(|l| l.split(scope).nth(1).unwrap_or_default().trim().to_owned())
            .collect()
    };
    let features = |scope| line("granted", scope);
    assert_eq!(
        features("express-accounts-invoices:read"),
        BTreeSet::from(["invoiced per month".to_owned()])
    );
    assert_eq!(
        features("express-accounts-usage:read"),
        BTreeSet::from(["usage per month".to_owned()])
    );
    assert!(
        features("express-products:read")
            .iter()
            .all(|f| f.contains("unit of measure"))
    );
    assert!(
        features("express-accounts-subscriptions:read")
            .iter()
            .all(|f| f.contains("MRR"))
    );
    assert_eq!(
        line("MISSING", "express-accounts-contracts:read"),
        BTreeSet::from(["reseller contract information".to_owned()]),
        "the third simulated client lacks it: {text}"
    );
    assert_eq!(
        text.matches("granted  express-accounts:read").count(),
        3,
        "{text}"
    );
}
