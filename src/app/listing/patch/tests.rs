//! A listing patched through resyncs equals one rebuilt from scratch over the same
//! store, and the store's slots, index and keys equal what the accounts give.

use std::collections::HashMap;

use proptest::prelude::*;

use super::super::super::columns::{full_order, row_order};
use super::super::{Column, Listing, RowRef, Scope, Sort};
use crate::api::model::Account;
use crate::app::search::Fuzzy;
use crate::app::testdata::{account, at, generated, resync, store};
use crate::store::{AccountKeys, AccountsSource, Store, Update};

#[derive(Debug, Clone)]
enum Change {
    Remove(usize),
    Add(u8, u8),
    Rename(usize, u8),
    Restatus(usize, u8),
}

const NAMES: [&str; 6] = ["acme", "Zürich", "beta", "ACME labs", "gamma", "delta"];
const STATUSES: [&str; 4] = ["ACTIVE", "CHURNED", "IN_TRIAL", "ODD"];

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (0usize..100).prop_map(Change::Remove),
        (0u8..6, 0u8..4).prop_map(|(n, s)| Change::Add(n, s)),
        (0usize..100, 0u8..6).prop_map(|(i, n)| Change::Rename(i, n)),
        (0usize..100, 0u8..4).prop_map(|(i, s)| Change::Restatus(i, s)),
    ]
}

fn apply(list: &mut Vec<Account>, changes: &[Change], next_id: &mut usize) {
    for c in changes {
        let n = list.len();
        match *c {
            Change::Remove(i) if n > 0 => {
                list.remove(i % n);
            }
            Change::Add(name, status) => {
                *next_id += 1;
                let id = format!("n{next_id}");
                let name = NAMES[usize::from(name)];
                list.push(account(&id, name, "New Co", STATUSES[usize::from(status)]));
            }
            Change::Rename(i, name) if n > 0 => list[i % n].name = NAMES[usize::from(name)].into(),
            Change::Restatus(i, s) if n > 0 => {
                let raw = STATUSES[usize::from(s)];
                list[i % n].status = crate::api::model::AccountStatus::from_raw(raw);
            }
            _ => {}
        }
    }
}

fn ids(store: &Store, listing: &Listing) -> Vec<String> {
    let rows = listing.rows().iter();
    rows.map(|r| {
        store.orgs[usize::from(r.org)].accounts[r.idx as usize]
            .id
            .to_string()
    })
    .collect()
}

fn check_store(store: &Store, org: usize, wanted: &[Account]) {
    let data = &store.orgs[org];
    let by_id: HashMap<&str, &Account> = wanted.iter().map(|a| (a.id.as_str(), a)).collect();
    assert_eq!(data.accounts.len(), wanted.len());
    assert_eq!(data.by_id.len(), wanted.len());
    for (slot, a) in data.accounts.iter().enumerate() {
        assert_eq!(by_id.get(a.id.as_str()), Some(&a));
        assert_eq!(data.by_id.get(&a.id), Some(&slot));
        assert_eq!(data.keys()[slot], AccountKeys::new(a));
    }
}

#[test]
fn one_changed_account_is_patched_not_rebuilt() {
    let mut list = generated(1000, 1);
    let mut data = store(vec![("One", list.clone())]);
    let mut fuzzy = Fuzzy::default();
    let mut patched = Listing::new(Scope::Org(0));
    patched.set_query("ac");
    patched.refresh(&data, &mut fuzzy, 0);
    list[500].name = "aaa first".into();
    list.remove(10);
    list.push(account("new", "acme new", "New Co", "ACTIVE"));
    resync(&mut data, 0, list, at(60));
    let key = patched.data_key_of(&data);
    assert!(patched.patch(&data, &key, &mut fuzzy, 0));
    patched.data_key = Some(key);
    patched.rows_stale = true;
    patched.refresh(&data, &mut fuzzy, 0);
    let mut fresh = Listing::new(Scope::Org(0));
    fresh.set_query("ac");
    fresh.refresh(&data, &mut Fuzzy::default(), 0);
    assert_eq!(ids(&data, &patched), ids(&data, &fresh));
    assert_eq!(ids(&data, &patched)[0], "new");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn patched_listing_equals_a_rebuilt_one(
        size in 0usize..40,
        rounds in prop::collection::vec(prop::collection::vec(change(), 0..8), 1..4),
        column in 0usize..5,
        descending: bool,
        query in prop::sample::select(vec!["", "a", "ac", "1", "zur", "n"]),
        all: bool,
        status_filter: bool,
        prepared: bool,
    ) {
        let mut lists = [generated(size, 1), generated(5, 2)];
        let mut data = store(vec![("One", lists[0].clone()), ("Two", lists[1].clone())]);
        let scope = if all { Scope::All } else { Scope::Org(0) };
        let columns = [Column::Name, Column::Id, Column::Company, Column::Status, Column::Org];
        let sort = Sort { column: columns[column], descending };
        let mut fuzzy = Fuzzy::default();
        let mut patched = Listing::new(scope);
        patched.set_sort(sort);
        patched.set_query(query);
        patched.refresh(&data, &mut fuzzy, 0);
        if status_filter {
            patched.cycle_status();
            patched.refresh(&data, &mut fuzzy, 0);
        }
        let mut next_id = 0;
        for (round, changes) in rounds.iter().enumerate() {
            let org = round % 2;
            apply(&mut lists[org], changes, &mut next_id);
            let when = at(60 * (round as i64 + 1));
            if prepared {
                // as the dashboard does: resolved against the slots elsewhere, then applied
                let list = data.orgs[org].base().prepare(lists[org].clone());
                data.apply(Update::AccountsPrepared {
                    org,
                    prepared: Box::new(list),
                    source: AccountsSource::Synced { at: when },
                });
            } else {
                resync(&mut data, org, lists[org].clone(), when);
            }
            check_store(&data, org, &lists[org]);
            patched.refresh(&data, &mut fuzzy, 0);
            let mut fresh = Listing::new(scope);
            fresh.set_sort(sort);
            fresh.set_query(query);
            fresh.status_filter = patched.status_filter.clone();
            fresh.refresh(&data, &mut Fuzzy::default(), 0);
            prop_assert_eq!(ids(&data, &patched), ids(&data, &fresh));
            prop_assert_eq!(patched.status_bar(), fresh.status_bar());
            prop_assert_eq!(patched.total(), fresh.total());
        }
    }

    #[test]
    fn narrowing_filter_equals_a_fresh_one(
        size in 0usize..200,
        typed in "[a-z0-9 ]{0,6}",
    ) {
        let data = store(vec![("One", generated(size, 3))]);
        let mut fuzzy = Fuzzy::default();
        let mut narrowed = Listing::new(Scope::Org(0));
        // typed forward, then erased back (backspace takes the kept masks)
        let ends = (0..=typed.len()).chain((0..typed.len()).rev());
        for end in ends {
            narrowed.set_query(&typed[..end]);
            narrowed.refresh(&data, &mut fuzzy, 0);
            let mut fresh = Listing::new(Scope::Org(0));
            fresh.set_query(&typed[..end]);
            fresh.refresh(&data, &mut Fuzzy::default(), 0);
            prop_assert_eq!(ids(&data, &narrowed), ids(&data, &fresh));
            prop_assert_eq!(narrowed.status_bar(), fresh.status_bar());
        }
    }
}

proptest! {
    /// The text columns sort by key prefixes first: the same order as the comparison.
    #[test]
    fn prefix_sort_equals_the_comparison(
        names in prop::collection::vec(
            prop::sample::select(vec![
                "acme", "ACME", "acme corporation europe", "acme corporation asia",
                "Zürich bank", "zürich", "", "b", "Ab\u{0}c",
            ]),
            0..30,
        ),
        company: bool,
        descending: bool,
    ) {
        let list: Vec<Account> = names
            .iter()
            .enumerate()
            .map(|(i, n)| account(&i.to_string(), n, &n.to_uppercase(), "ACTIVE"))
            .collect();
        let data = store(vec![("One", list)]);
        let column = if company { Column::Company } else { Column::Name };
        let sort = Sort { column, descending };
        let status_of = vec![vec![0u16; names.len()]];
        let mut rows: Vec<RowRef> = (0..names.len() as u32).map(|idx| RowRef { org: 0, idx }).collect();
        let mut want = rows.clone();
        full_order(&mut rows, &status_of, &data, sort);
        let cmp = row_order(&data, &status_of, sort).expect("a text column");
        want.sort_by(cmp);
        prop_assert_eq!(rows, want);
    }
}
