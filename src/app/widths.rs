//! The accounts table's data-sized column widths, measured over every account of the
//! tab (not only the rows shown), so they stay put while a filter narrows the rows.
//! Recomputed only when the tab or its organizations' data change.

use unicode_width::UnicodeWidthStr;

use crate::billing::money;
use crate::store::Store;

use super::listing::Scope;

/// Widest text of each data-sized column, in columns (0 when there is none).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DataWidths {
    pub org: usize,
    pub id: usize,
    pub status: usize,
    /// The MRR cell as the table writes it (`1,234.50 USD`, `+` for more currencies).
    pub mrr: usize,
}

/// [`DataWidths`] of the tab they were measured for.
#[derive(Debug, Default)]
pub struct WidthCache {
    /// The scope and, per organization, its accounts and billing revisions.
    key: Option<(Scope, Vec<(u64, u64)>)>,
    widths: DataWidths,
}

impl WidthCache {
    /// The widths for `scope`, measured again when its data changed.
    pub fn update(&mut self, store: &Store, scope: Scope, covered: &[usize]) -> DataWidths {
        let key = (scope, revisions(store));
        if self.key.as_ref() != Some(&key) {
            self.widths = measure(store, covered);
            self.key = Some(key);
        }
        self.widths
    }

    /// The widths for `scope`: the cached ones when they are current, else measured
    /// now (a draw that did not go through [`crate::app::App::draw`]).
    pub fn get(&self, store: &Store, scope: Scope, covered: &[usize]) -> DataWidths {
        match &self.key {
            Some((s, revs)) if *s == scope && *revs == revisions(store) => self.widths,
            _ => measure(store, covered),
        }
    }
}

impl crate::app::App {
    /// The table's data-sized column widths for the current tab.
    pub fn column_widths(&self) -> DataWidths {
        let covered = self.listing().covered(&self.store);
        self.widths
            .get(&self.store, self.listing().scope(), &covered)
    }
}

fn revisions(store: &Store) -> Vec<(u64, u64)> {
    store
        .orgs
        .iter()
        .map(|o| (o.revision, o.billing_revision))
        .collect()
}

fn measure(store: &Store, covered: &[usize]) -> DataWidths {
    let mut w = DataWidths::default();
    for org in covered.iter().filter_map(|&i| store.orgs.get(i)) {
        w.org = w.org.max(org.name.width());
        for account in org.accounts.iter() {
            w.id = w.id.max(account.id.width());
            w.status = w.status.max(account.status.as_str().width());
        }
        // the accounts with MRR (what `shown_mrr` reads), not every account
        for list in org.billing.derived.account_mrr.values() {
            if let Some(mrr) = list.first() {
                let text = money::display(mrr.mrr, &mrr.currency);
                w.mrr = w.mrr.max(text.width() + usize::from(list.len() > 1));
            }
        }
    }
    w
}
