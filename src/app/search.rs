//! Fuzzy text matching over accounts: one folded haystack per account
//! (`id name company`), prepared by the store when an account arrives or changes.
//!
//! A query is whitespace-separated words; an account matches when each word is a
//! subsequence of its haystack (fzf-style fuzzy), compared case-insensitively and
//! with accents folded (`zurich` finds `Zürich`) using nucleo-matcher's Unicode
//! tables. The table is sorted by column, not by match score, so only the yes/no of
//! a match is computed: a linear scan, with a byte path for ASCII text.

use crate::store::{AccountKeys, byte_set};
pub use crate::store::{FIELD_SEP, Folded};

/// Accounts of one organization from which [`Fuzzy::retest_marked`] uses more than one
/// thread (starting a thread costs tens of microseconds; testing 20k accounts, about
/// half a millisecond).
const PARALLEL_FROM: usize = 20_000;
/// Threads [`Fuzzy::retest_marked`] uses at most.
const MAX_THREADS: usize = 4;

/// A compiled query.
#[derive(Default)]
pub struct Fuzzy {
    words: Vec<Folded>,
    /// Per word, the bytes it needs (see [`byte_set`]).
    sets: Vec<u32>,
}

impl Fuzzy {
    /// Compiles `query`: whitespace-separated words, all required, taken as typed
    /// (no operator syntax).
    pub fn set_query(&mut self, query: &str) {
        self.words = query
            .split_whitespace()
            .map(|w| Folded::new(&w.replace(FIELD_SEP, "")))
            .collect();
        self.sets = self
            .words
            .iter()
            .map(|w| match w {
                Folded::Ascii(word) => byte_set(word),
                Folded::Unicode(_) => u32::MAX,
            })
            .collect();
    }

    /// [`Fuzzy::matches`] for an account's keys: for plain ASCII text each word is
    /// looked for only in the fields that hold all its bytes.
    pub fn matches_keys(&self, keys: &AccountKeys) -> bool {
        self.words.iter().zip(&self.sets).all(|(word, &set)| {
            let fast = match word {
                Folded::Ascii(w) => keys.word_in_field(w, set),
                Folded::Unicode(_) => None,
            };
            fast.unwrap_or_else(|| keys.haystack.contains_subsequence(word))
        })
    }

    /// Tests again each account still marked in `mask` (`keys[i]` is account `i`'s),
    /// unmarking those that do not match. A long list is split over the cores: one
    /// account's match does not depend on another's.
    pub fn retest_marked(&self, mask: &mut [bool], keys: &[AccountKeys]) {
        let retest = |mask: &mut [bool], keys: &[AccountKeys]| {
            for (hit, key) in mask.iter_mut().zip(keys).filter(|(hit, _)| **hit) {
                *hit = self.matches_keys(key);
            }
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS));
        if mask.len() < PARALLEL_FROM || threads < 2 {
            return retest(mask, keys);
        }
        let chunk = mask.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let mut parts = mask.chunks_mut(chunk).zip(keys.chunks(chunk));
            let here = parts.next();
            for (mask, keys) in parts {
                scope.spawn(move || retest(mask, keys));
            }
            if let Some((mask, keys)) = here {
                retest(mask, keys);
            }
        });
    }

    /// Whether the compiled query matches `haystack` (an empty query matches all).
    pub fn matches(&self, haystack: Option<&Folded>) -> bool {
        match haystack {
            Some(hay) => self.words.iter().all(|w| hay.contains_subsequence(w)),
            None => self.words.is_empty(),
        }
    }
}

/// Whether every match of `new` is also a match of `old`, so only the old matches
/// need testing: `new` extends `old` (each word of `old` is then a prefix of a word of
/// `new`, so a subsequence of it).
pub fn narrows(old: &str, new: &str) -> bool {
    !old.trim().is_empty() && new.starts_with(old)
}

/// Fuzzy-filters short labels (e.g. organization names): indices of matches in order.
pub fn filter_labels<'a>(query: &str, labels: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
    let mut fuzzy = Fuzzy::default();
    fuzzy.set_query(query);
    labels
        .into_iter()
        .enumerate()
        .filter(|(_, label)| fuzzy.matches(Some(&Folded::new(label))))
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(query: &str, text: &str) -> bool {
        let mut f = Fuzzy::default();
        f.set_query(query);
        f.matches(Some(&Folded::new(
            &text.replace(' ', &FIELD_SEP.to_string()),
        )))
    }

    #[test]
    fn fuzzy_case_insensitive_and_unicode() {
        assert!(hit("acm", "17 acmeco Acme Corp"));
        assert!(hit("ACME", "17 acmeco acme corp"));
        assert!(hit("acr", "17 x AcmeCorp"));
        // a word matches within one field, not across fields
        assert!(!hit("acr", "17 x Acme Corp"));
        assert!(!hit("7x", "17 x Acme"));
        assert!(!hit("zz", "17 acmeco Acme Corp"));
        assert!(hit("Zürich", "9 zur Bank Zürich AG"));
        assert!(hit("zür", "9 zur Bank ZÜRICH AG"));
        assert!(hit("東京", "3 tokyo 東京 Trading"));
        assert!(hit("zurich", "9 zur Bank Zürich AG"));
        assert!(hit("ü", "9 zur Bank Zurich AG"));
        assert!(!hit("acmz", "17 acmeco Acme Corp"));
        // words are all required, in any order
        assert!(hit("corp acme", "17 acmeco Acme Corp"));
        assert!(!hit("corp nope", "17 acmeco Acme Corp"));
        // operators are plain text
        assert!(!hit("!acme", "17 acmeco Acme Corp"));
        assert!(hit("", "anything"));
    }

    /// A list long enough to be split over threads gets the mask account by account
    /// matching gives, marked rows only (an unmarked row stays unmarked).
    #[test]
    fn a_long_list_retested_in_parts_equals_one_by_one() {
        let keys: Vec<AccountKeys> = (0..PARALLEL_FROM * 2 + 7)
            .map(|i| {
                let name = format!("acme{}", i % 97);
                let company = if i % 5 == 0 {
                    "Zürich AG"
                } else {
                    "Globex & Co"
                };
                AccountKeys::new(&crate::app::testdata::account(
                    &format!("{i:024x}"),
                    &name,
                    company,
                    "ACTIVE",
                ))
            })
            .collect();
        let mut fuzzy = Fuzzy::default();
        for query in ["ac 7", "zur", "co 1f", "nothing"] {
            fuzzy.set_query(query);
            let mut mask: Vec<bool> = (0..keys.len()).map(|i| i % 3 != 0).collect();
            let want: Vec<bool> = mask
                .iter()
                .zip(&keys)
                .map(|(&marked, k)| marked && fuzzy.matches_keys(k))
                .collect();
            fuzzy.retest_marked(&mut mask, &keys);
            assert_eq!(mask, want, "{query}");
        }
    }

    #[test]
    fn narrowing_rule() {
        assert!(narrows("ac", "acm"));
        assert!(narrows("ac", "ac m"));
        assert!(!narrows("", "a"));
        assert!(!narrows("acm", "ac"));
        assert!(narrows("ac ", "ac m"));
    }

    #[test]
    fn labels() {
        let names = ["Acme EU", "Globex US", "Initech"];
        assert_eq!(filter_labels("gl", names), vec![1]);
        assert_eq!(filter_labels("", names), vec![0, 1, 2]);
        assert_eq!(filter_labels("e", names), vec![0, 1, 2]);
    }
}
