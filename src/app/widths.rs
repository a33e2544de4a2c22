//! The accounts table's data-sized column widths, measured over every account of the
//! tab (not only the rows shown), so they stay put while a filter narrows the rows.
//! The account columns are measured again only when the tab or its organizations'
//! accounts change, the MRR column only when their billing changes.

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
    /// The scope and its organizations' account revisions the account columns are for.
    accounts_key: Option<(Scope, Vec<u64>)>,
    /// The scope and its organizations' billing revisions the MRR column is for.
    billing_key: Option<(Scope, Vec<u64>)>,
    widths: DataWidths,
}

impl WidthCache {
    /// The widths for `scope`, each part measured again when its data changed.
    pub fn update(&mut self, store: &Store, scope: Scope, covered: &[usize]) -> DataWidths {
        let accounts_key = Some((scope, revisions(store, covered, |o| o.revision)));
        if self.accounts_key != accounts_key {
            let mrr = self.widths.mrr;
            self.widths = DataWidths {
                mrr,
                ..measure_accounts(store, covered)
            };
            self.accounts_key = accounts_key;
        }
        let billing_key = Some((scope, revisions(store, covered, |o| o.billing_revision)));
        if self.billing_key != billing_key {
            self.widths.mrr = measure_mrr(store, covered);
            self.billing_key = billing_key;
        }
        self.widths
    }

    /// The widths for `scope`: the cached ones when they are current, else measured
    /// now (a draw that did not go through [`crate::app::App::draw`]).
    pub fn get(&self, store: &Store, scope: Scope, covered: &[usize]) -> DataWidths {
        let accounts_key = Some((scope, revisions(store, covered, |o| o.revision)));
        let billing_key = Some((scope, revisions(store, covered, |o| o.billing_revision)));
        if self.accounts_key == accounts_key && self.billing_key == billing_key {
            return self.widths;
        }
        DataWidths {
            mrr: measure_mrr(store, covered),
            ..measure_accounts(store, covered)
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

fn revisions(
    store: &Store,
    covered: &[usize],
    revision: fn(&crate::store::OrgData) -> u64,
) -> Vec<u64> {
    covered
        .iter()
        .map(|&i| store.orgs.get(i).map_or(0, revision))
        .collect()
}

/// Organization, id and status widths. A text is never wider than its UTF-8 length
/// (wide characters take three or four bytes), so only a text longer than the widest
/// so far is measured: at 100k accounts that is a handful of measurements, not 200k.
fn measure_accounts(store: &Store, covered: &[usize]) -> DataWidths {
    let mut w = DataWidths::default();
    for org in covered.iter().filter_map(|&i| store.orgs.get(i)) {
        w.org = w.org.max(org.name.width());
        for account in org.accounts.iter() {
            widen(&mut w.id, &account.id);
            widen(&mut w.status, account.status.as_str());
        }
    }
    w
}

fn widen(widest: &mut usize, text: &str) {
    if text.len() > *widest {
        *widest = (*widest).max(text.width());
    }
}

/// The MRR column's width: the accounts with MRR (what `shown_mrr` reads), not every
/// account.
fn measure_mrr(store: &Store, covered: &[usize]) -> usize {
    let mut widest = 0;
    for org in covered.iter().filter_map(|&i| store.orgs.get(i)) {
        for list in org.billing.derived.account_mrr.values() {
            if let Some(mrr) = list.first() {
                let text = money::display(mrr.mrr, &mrr.currency);
                widest = widest.max(text.width() + usize::from(list.len() > 1));
            }
        }
    }
    widest
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use unicode_width::UnicodeWidthStr;

    proptest! {
        /// What `widen` relies on to skip measuring.
        #[test]
        fn a_text_is_never_wider_than_its_length(text in ".*") {
            prop_assert!(text.width() <= text.len());
        }
    }
}
