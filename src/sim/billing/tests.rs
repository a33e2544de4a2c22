use std::collections::HashSet;

use rust_decimal::Decimal;

use super::catalog::currency;
use super::*;
use crate::sim::generate as seeded;

fn counts(world: &mut World, org: usize) -> (usize, usize, usize) {
    let mut total = |which| {
        ensure(world, org, which);
        world.orgs[org].billing.get(which).map_or(0, Totals::total)
    };
    (
        total(Which::Subscriptions),
        total(Which::InvoiceLines),
        total(Which::Usage),
    )
}

fn totals(world: &World, which: Which) -> Totals {
    world.orgs[0]
        .billing
        .get(which)
        .cloned()
        .unwrap_or_default()
}

#[test]
fn the_index_finds_every_item_of_every_account_once() {
    let mut world = World::new(42, 2, 300);
    let (subs, lines, usage) = counts(&mut world, 0);
    let all = |totals: &Totals, make: fn(&Book, usize) -> Option<String>| {
        cut(&world, 0, totals, 0..totals.total() + 5, make)
    };
    let ids = all(&totals(&world, Which::Subscriptions), |b, k| {
        items::subscription(b, k).map(|s| serde_json::json!(s)["id"].to_string())
    });
    assert_eq!(ids.len(), subs);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), subs);
    let ids = all(&totals(&world, Which::InvoiceLines), |b, k| {
        items::invoice_line(b, k).map(|s| serde_json::json!(s)["id"].to_string())
    });
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), lines);
    let ids = all(&totals(&world, Which::Usage), |b, k| {
        items::usage_row(b, k).map(|s| serde_json::json!(s)["id"].to_string())
    });
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), usage);
    let active = world.orgs[0]
        .accounts
        .iter()
        .filter(|a| a.status == seeded::ACTIVE)
        .count();
    assert!(subs >= active && lines > 3 * active && usage >= 13 * active);
}

#[test]
fn invoices_share_number_and_total_and_money_keeps_two_places() {
    let world = World::new(3, 1, 60);
    for i in 0..60 {
        let Some(book) = Book::new(&world, 0, i) else {
            continue;
        };
        let lines: Vec<_> = (0..book.lines.len())
            .filter_map(|k| items::invoice_line(&book, k))
            .map(|l| serde_json::json!(l))
            .collect();
        for line in &lines {
            let same: Vec<_> = lines.iter().filter(|l| l["date"] == line["date"]).collect();
            let sum: Decimal = same
                .iter()
                .filter_map(|l| l["amount"].to_string().parse::<Decimal>().ok())
                .sum();
            let total = line["total_invoice_amount"].to_string();
            assert_eq!(total.parse::<Decimal>().ok(), Some(sum));
            assert!(same.iter().all(|l| l["number"] == line["number"]));
            assert_eq!(total.split('.').nth(1).map(str::len), Some(2), "{total}");
            assert_eq!(line["currency"], book.currency);
        }
    }
}

#[test]
fn changes_drop_the_index_and_statuses_decide_subscriptions() {
    let mut world = World::new(5, 1, 200);
    let before = counts(&mut world, 0);
    world.create(0, 3);
    assert_eq!(world.orgs[0].billing, Index::default(), "created trials");
    assert_eq!(
        counts(&mut world, 0).0,
        before.0,
        "trials have no subscriptions"
    );
    let i = world.orgs[0]
        .accounts
        .iter()
        .position(|a| a.status == seeded::ACTIVE)
        .unwrap_or(0);
    let id = world.id(&world.orgs[0].accounts[i]);
    let own = Book::new(&world, 0, i).map_or(0, |b| b.plan.len());
    world.set_status(0, &id, "PROSPECT");
    assert_eq!(world.orgs[0].billing, Index::default(), "a status change");
    assert_eq!(counts(&mut world, 0).0, before.0 - own);
    let g = world.serial(&world.orgs[0].accounts[i]);
    world.record(0, g, |l| l.converted = Some((chrono::Utc::now(), 9)));
    assert_eq!(
        world.orgs[0].billing,
        Index::default(),
        "a recorded conversion"
    );
}

#[test]
fn a_seeded_share_bills_in_a_foreign_currency_everywhere() {
    let world = World::new(42, 1, 2000);
    let region = world.orgs[0].region;
    let regional = match region {
        "eu" => "EUR",
        "ca" => "CAD",
        _ => "USD",
    };
    let mut foreign = 0;
    for i in 0..2000 {
        let Some(book) = Book::new(&world, 0, i) else {
            continue;
        };
        let g = book.g;
        assert_eq!(book.currency, currency(42, g, region));
        let usage: Vec<_> = (0..4).filter_map(|k| items::usage_row(&book, k)).collect();
        let json = serde_json::json!(usage).to_string();
        assert!(usage.is_empty() || json.contains(book.currency));
        foreign += usize::from(book.currency != regional);
    }
    assert!((40..200).contains(&foreign), "{foreign} of 2000");
}

/// Prints the sizes of the lists (`cargo test --lib sim::billing -- --nocapture`).
#[test]
fn list_sizes_and_index_time() {
    for accounts in [200, 10_000] {
        let mut world = World::new(42, 1, accounts);
        let mut sizes = Vec::new();
        for which in [Which::Subscriptions, Which::InvoiceLines, Which::Usage] {
            let started = std::time::Instant::now();
            ensure(&mut world, 0, which);
            let total = totals(&world, which).total();
            sizes.push(total);
            println!(
                "{accounts} accounts: {which:?} {total} (indexed in {:?})",
                started.elapsed()
            );
        }
        assert!(sizes[0] > accounts / 2 && sizes[1] > sizes[0] * 4 && sizes[2] > sizes[0] * 4);
    }
}
