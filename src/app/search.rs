//! Fuzzy text matching over accounts: one prepared haystack per account
//! (`id name company`), rebuilt only when an organization's data revision changes.

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str, Utf32String};

use crate::store::Store;

/// The prepared haystacks of every organization.
#[derive(Default)]
pub struct Haystacks {
    orgs: Vec<OrgHaystacks>,
}

struct OrgHaystacks {
    revision: u64,
    items: Vec<Utf32String>,
}

impl Haystacks {
    /// Re-prepares the organizations whose data changed since the last call.
    pub fn update(&mut self, store: &Store) {
        self.orgs.truncate(store.orgs.len());
        for (i, org) in store.orgs.iter().enumerate() {
            let fresh = self
                .orgs
                .get(i)
                .is_some_and(|h| h.revision == org.revision && h.items.len() == org.accounts.len());
            if fresh {
                continue;
            }
            let items = org
                .accounts
                .iter()
                .map(|a| Utf32String::from(format!("{} {} {}", a.id, a.name, a.company_name)))
                .collect();
            let prepared = OrgHaystacks {
                revision: org.revision,
                items,
            };
            match self.orgs.get_mut(i) {
                Some(slot) => *slot = prepared,
                None => self.orgs.push(prepared),
            }
        }
    }

    /// The haystack of account `idx` of organization `org` (empty when unknown).
    pub fn get(&self, org: usize, idx: usize) -> Utf32Str<'_> {
        self.orgs
            .get(org)
            .and_then(|o| o.items.get(idx))
            .map_or(Utf32Str::Ascii(&[]), |s| s.slice(..))
    }
}

/// A compiled query plus the matcher's scratch space.
pub struct Fuzzy {
    matcher: Matcher,
    pattern: Pattern,
}

impl Default for Fuzzy {
    fn default() -> Self {
        Self {
            matcher: Matcher::new(Config::DEFAULT),
            pattern: Pattern::default(),
        }
    }
}

impl Fuzzy {
    /// Compiles `query`: whitespace-separated words, each matched fuzzily and
    /// case-insensitively, all required. No operator syntax: text is taken as typed.
    pub fn set_query(&mut self, query: &str) {
        self.pattern = Pattern::new(
            query,
            CaseMatching::Ignore,
            Normalization::Smart,
            AtomKind::Fuzzy,
        );
    }

    /// Whether the compiled query matches `haystack` (an empty query matches all).
    pub fn matches(&mut self, haystack: Utf32Str<'_>) -> bool {
        self.pattern.atoms.is_empty() || self.pattern.score(haystack, &mut self.matcher).is_some()
    }
}

/// Whether every match of `new` is also a match of `old`, so only the old
/// matches need testing: `new` extends `old` (a trailing `\` may escape a space,
/// which changes the words, so it disables the shortcut).
pub fn narrows(old: &str, new: &str) -> bool {
    !old.trim().is_empty() && new.starts_with(old) && !old.ends_with('\\')
}

/// Fuzzy-filters short labels (e.g. organization names): indices of matches in order.
pub fn filter_labels<'a>(query: &str, labels: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
    let mut fuzzy = Fuzzy::default();
    fuzzy.set_query(query);
    let mut buf = Vec::new();
    labels
        .into_iter()
        .enumerate()
        .filter(|(_, label)| fuzzy.matches(Utf32Str::new(label, &mut buf)))
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(query: &str, text: &str) -> bool {
        let mut f = Fuzzy::default();
        f.set_query(query);
        f.matches(Utf32String::from(text).slice(..))
    }

    #[test]
    fn fuzzy_case_insensitive_and_unicode() {
        assert!(hit("acm", "17 acmeco Acme Corp"));
        assert!(hit("ACME", "17 acmeco acme corp"));
        assert!(hit("acr", "17 x Acme Corp"));
        assert!(!hit("zz", "17 acmeco Acme Corp"));
        assert!(hit("Zürich", "9 zur Bank Zürich AG"));
        assert!(hit("zür", "9 zur Bank ZÜRICH AG"));
        assert!(hit("東京", "3 tokyo 東京 Trading"));
        // words are all required, in any order
        assert!(hit("corp acme", "17 acmeco Acme Corp"));
        assert!(!hit("corp nope", "17 acmeco Acme Corp"));
        // operators are plain text
        assert!(!hit("!acme", "17 acmeco Acme Corp"));
        assert!(hit("", "anything"));
    }

    #[test]
    fn narrowing_rule() {
        assert!(narrows("ac", "acm"));
        assert!(narrows("ac", "ac m"));
        assert!(!narrows("", "a"));
        assert!(!narrows("acm", "ac"));
        assert!(!narrows("a\\", "a\\ b"));
    }

    #[test]
    fn labels() {
        let names = ["Acme EU", "Globex US", "Initech"];
        assert_eq!(filter_labels("gl", names), vec![1]);
        assert_eq!(filter_labels("", names), vec![0, 1, 2]);
        assert_eq!(filter_labels("e", names), vec![0, 1, 2]);
    }
}
