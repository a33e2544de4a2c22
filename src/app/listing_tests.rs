use super::*;
use crate::app::testdata::{account, at, generated, resync, store};

struct Fixture {
    store: Store,
    fuzzy: Fuzzy,
    listing: Listing,
}

impl Fixture {
    fn new(scope: Scope, store: Store) -> Self {
        let mut f = Fixture {
            store,
            fuzzy: Fuzzy::default(),
            listing: Listing::new(scope),
        };
        f.refresh();
        f
    }

    fn refresh(&mut self) {
        self.listing.refresh(&self.store, &mut self.fuzzy, 0);
    }

    fn names(&self) -> Vec<&str> {
        self.listing
            .rows()
            .iter()
            .map(|r| {
                self.store.orgs[usize::from(r.org)].accounts[r.idx as usize]
                    .name
                    .as_str()
            })
            .collect()
    }

    fn selected_name(&self) -> Option<&str> {
        let r = self.listing.selected_row()?;
        Some(&self.store.orgs[usize::from(r.org)].accounts[r.idx as usize].name)
    }

    fn select_name(&mut self, name: &str) {
        let at = self.names().iter().position(|n| *n == name).unwrap();
        self.listing.select(&self.store, at);
    }
}

fn small() -> Store {
    store(vec![
        (
            "One",
            vec![
                account("3", "charlie", "Acme Corp", "ACTIVE"),
                account("1", "alpha", "Globex", "IN_TRIAL"),
                account("2", "bravo", "Zürich Bank", "CHURNED"),
                account("10", "delta", "acme labs", "ACTIVE"),
                account("4", "echo", "Initech", "WEIRD"),
            ],
        ),
        (
            "Two",
            vec![
                account("7", "alpha", "Hooli", "ACTIVE"),
                account("8", "foxtrot", "Stark", "PROSPECT"),
            ],
        ),
    ])
}

#[test]
fn sorts_by_name_by_default_and_by_any_column_stably() {
    let mut f = Fixture::new(Scope::Org(0), small());
    assert_eq!(f.names(), ["alpha", "bravo", "charlie", "delta", "echo"]);
    f.listing.flip_sort();
    f.refresh();
    assert_eq!(f.names(), ["echo", "delta", "charlie", "bravo", "alpha"]);
    f.listing.set_sort(Sort {
        column: Column::Id,
        descending: false,
    });
    f.refresh();
    // numeric ids in numeric order
    assert_eq!(f.names(), ["alpha", "bravo", "charlie", "echo", "delta"]);
    f.listing.set_sort(Sort {
        column: Column::Status,
        descending: false,
    });
    f.refresh();
    // documented order (ACTIVE, CHURNED, IN_TRIAL, ...) then unknown; ties in server order
    assert_eq!(f.names(), ["charlie", "delta", "bravo", "alpha", "echo"]);
    f.listing.set_sort(Sort {
        column: Column::Company,
        descending: false,
    });
    f.refresh();
    assert_eq!(f.names(), ["charlie", "delta", "alpha", "echo", "bravo"]);
}

#[test]
fn sort_column_moves_and_wraps_over_the_scope_columns() {
    let mut l = Listing::new(Scope::Org(0));
    assert_eq!(l.sort().column, Column::Name);
    l.move_sort(1);
    assert_eq!(l.sort().column, Column::Company);
    l.move_sort(-3);
    assert_eq!(l.sort().column, Column::Contract);
    let mut all = Listing::new(Scope::All);
    all.move_sort(-2);
    assert_eq!(all.sort().column, Column::Org);
}

#[test]
fn all_scope_merges_organizations() {
    let mut f = Fixture::new(Scope::All, small());
    assert_eq!(f.listing.total(), 7);
    assert_eq!(f.names()[..2], ["alpha", "alpha"]);
    // stable: the first organization's alpha first
    assert_eq!(f.listing.rows()[0].org, 0);
    assert_eq!(f.listing.rows()[1].org, 1);
    f.listing.set_sort(Sort {
        column: Column::Org,
        descending: true,
    });
    f.refresh();
    assert_eq!(f.names()[..2], ["alpha", "foxtrot"]);
}

#[test]
fn text_filter_is_fuzzy_over_name_company_and_id() {
    let mut f = Fixture::new(Scope::Org(0), small());
    f.listing.set_query("acme");
    f.refresh();
    assert_eq!(f.names(), ["charlie", "delta"]);
    f.listing.set_query("ZÜR");
    f.refresh();
    assert_eq!(f.names(), ["bravo"]);
    f.listing.set_query("10");
    f.refresh();
    assert_eq!(f.names(), ["delta"]);
    f.listing.set_query("chrl");
    f.refresh();
    assert_eq!(f.names(), ["charlie"]);
    f.listing.set_query("");
    f.refresh();
    assert_eq!(f.names().len(), 5);
}

#[test]
fn extending_a_query_gives_what_a_fresh_query_gives() {
    let data = store(vec![("Big", generated(3000, 1))]);
    let mut inc = Fixture::new(Scope::Org(0), data.clone());
    for q in ["a", "ac", "acm", "acme", "acme1", "acme 1", "acme 12"] {
        inc.listing.set_query(q);
        inc.refresh();
        let mut fresh = Fixture::new(Scope::Org(0), data.clone());
        fresh.listing.set_query(q);
        fresh.refresh();
        assert_eq!(inc.names(), fresh.names(), "query {q:?}");
        assert_eq!(inc.listing.status_bar(), fresh.listing.status_bar());
    }
    assert!(!inc.names().is_empty());
}

#[test]
fn status_counts_follow_the_text_filter() {
    let mut f = Fixture::new(Scope::Org(0), small());
    let bar = f.listing.status_bar();
    let text: Vec<(String, usize)> = bar
        .iter()
        .map(|s| (s.status.to_string(), s.count))
        .collect();
    assert_eq!(
        text,
        [
            ("ACTIVE".to_owned(), 2),
            ("CHURNED".to_owned(), 1),
            ("IN_TRIAL".to_owned(), 1),
            ("WEIRD".to_owned(), 1)
        ]
    );
    f.listing.set_query("acme");
    f.refresh();
    let counts: Vec<usize> = f.listing.status_bar().iter().map(|s| s.count).collect();
    assert_eq!(counts, [2, 0, 0, 0]);
}

#[test]
fn status_cycle_goes_through_single_statuses_and_back_to_all() {
    let mut f = Fixture::new(Scope::Org(0), small());
    let mut seen = Vec::new();
    for _ in 0..5 {
        f.listing.cycle_status();
        f.refresh();
        seen.push((
            f.listing
                .status_filter()
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join("+"),
            f.names().len(),
        ));
    }
    assert_eq!(
        seen,
        [
            ("ACTIVE".to_owned(), 2),
            ("CHURNED".to_owned(), 1),
            ("IN_TRIAL".to_owned(), 1),
            ("WEIRD".to_owned(), 1),
            (String::new(), 5),
        ]
    );
}

#[test]
fn toggling_shows_several_statuses() {
    let mut f = Fixture::new(Scope::Org(0), small());
    f.listing.cycle_status(); // ACTIVE only, cursor on ACTIVE
    f.listing.move_status_cursor(2); // IN_TRIAL
    f.listing.toggle_status();
    f.refresh();
    assert_eq!(f.names(), ["alpha", "charlie", "delta"]);
    let selected: Vec<bool> = f.listing.status_bar().iter().map(|s| s.selected).collect();
    assert_eq!(selected, [true, false, true, false]);
    f.listing.toggle_status(); // IN_TRIAL out again
    f.refresh();
    assert_eq!(f.names(), ["charlie", "delta"]);
    f.listing.move_status_cursor(-3); // wraps to WEIRD
    f.listing.toggle_status();
    f.refresh();
    assert_eq!(f.names(), ["charlie", "delta", "echo"]);
    assert!(f.listing.is_filtered());
    f.listing.clear_filters();
    f.refresh();
    assert_eq!(f.names().len(), 5);
    assert!(!f.listing.is_filtered());
}

#[test]
fn selection_stays_on_the_account_across_sort_filter_and_refresh() {
    let mut f = Fixture::new(Scope::Org(0), small());
    f.select_name("delta");
    f.listing.flip_sort();
    f.refresh();
    assert_eq!(f.selected_name(), Some("delta"));
    assert_eq!(f.listing.selected(), 1);
    f.listing.set_query("acme");
    f.refresh();
    assert_eq!(f.selected_name(), Some("delta"));
    f.listing.set_query("");
    f.refresh();
    assert_eq!(f.selected_name(), Some("delta"));
    // a refresh that reorders the server's list and adds accounts
    let mut accounts = f.store.orgs[0].accounts.to_vec();
    accounts.reverse();
    accounts.push(account("99", "aaa-new", "New Co", "ACTIVE"));
    resync(&mut f.store, 0, accounts, at(1));
    f.refresh();
    assert_eq!(f.selected_name(), Some("delta"));
    assert_eq!(f.listing.selected_id(), Some((0, "10")));
}

#[test]
fn a_vanished_selection_falls_back_to_the_nearest_row() {
    let mut f = Fixture::new(Scope::Org(0), small());
    f.select_name("delta"); // position 3
    let accounts: Vec<_> = f.store.orgs[0]
        .accounts
        .iter()
        .filter(|a| a.name != "delta")
        .cloned()
        .collect();
    resync(&mut f.store, 0, accounts, at(1));
    f.refresh();
    assert_eq!(f.selected_name(), Some("echo"));
    // filtered down to nothing and back: no panic, a valid selection
    f.listing.set_query("nothing-matches-this");
    f.refresh();
    assert_eq!(f.listing.selected_row(), None);
    f.listing.set_query("");
    f.refresh();
    assert!(f.listing.selected_row().is_some());
}

#[test]
fn viewport_follows_the_selection() {
    let mut f = Fixture::new(Scope::Org(0), store(vec![("Big", generated(100, 0))]));
    f.listing.scroll_into_view(10);
    assert_eq!(f.listing.offset(), 0);
    f.listing.move_selection(&f.store, 15);
    f.listing.scroll_into_view(10);
    assert_eq!(f.listing.offset(), 6);
    f.listing.move_selection(&f.store, -100);
    f.listing.scroll_into_view(10);
    assert_eq!((f.listing.selected(), f.listing.offset()), (0, 0));
    f.listing.move_selection(&f.store, 1000);
    f.listing.scroll_into_view(10);
    assert_eq!((f.listing.selected(), f.listing.offset()), (99, 90));
}

#[test]
fn missing_organization_is_empty_not_a_panic() {
    let f = Fixture::new(Scope::Org(7), small());
    assert!(f.listing.rows().is_empty());
    assert_eq!(f.listing.selected_row(), None);
}

#[test]
fn stays_fast_at_100k_accounts() {
    let data = store(vec![("Big", generated(100_000, 3))]);
    let mut f = Fixture::new(Scope::Org(0), data);
    assert_eq!(f.listing.rows().len(), 100_000);
    // generous bounds (debug build, shared machine): catch accidental quadratic work
    let started = std::time::Instant::now();
    f.listing.set_query("ac");
    f.refresh();
    f.listing.set_query("acm");
    f.refresh();
    f.listing.cycle_status();
    f.refresh();
    assert!(!f.listing.rows().is_empty());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}
