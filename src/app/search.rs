//! Fuzzy text matching over accounts: one folded haystack per account
//! (`id name company`), prepared only when an organization's data revision changes.
//!
//! A query is whitespace-separated words; an account matches when each word is a
//! subsequence of its haystack (fzf-style fuzzy), compared case-insensitively and
//! with accents folded (`zurich` finds `Zürich`) using nucleo-matcher's Unicode
//! tables. The table is sorted by column, not by match score, so only the yes/no of
//! a match is computed: a linear scan, with a byte path for ASCII text.

use nucleo_matcher::chars::{normalize, to_lower_case};

use crate::store::Store;

/// One folded haystack or query word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Folded {
    Ascii(Box<[u8]>),
    Unicode(Box<[char]>),
}

impl Folded {
    pub fn new(text: &str) -> Folded {
        let fold = |c: char| to_lower_case(normalize(c));
        if text.is_ascii() {
            Folded::Ascii(text.bytes().map(|b| b.to_ascii_lowercase()).collect())
        } else {
            let chars: Vec<char> = text.chars().map(fold).collect();
            if chars.iter().all(char::is_ascii) {
                Folded::Ascii(chars.iter().map(|&c| c as u8).collect())
            } else {
                Folded::Unicode(chars.into())
            }
        }
    }

    /// Whether `needle` is a subsequence of one field of `self` (fields are separated
    /// by [`FIELD_SEP`]), so a word never matches letters strewn across fields.
    pub fn contains_subsequence(&self, needle: &Folded) -> bool {
        let sep = FIELD_SEP as u8;
        match (self, needle) {
            (Folded::Ascii(hay), Folded::Ascii(needle)) => {
                in_one_field(hay, needle, |h| h == sep, |h, n| h == n)
            }
            (Folded::Unicode(hay), Folded::Unicode(needle)) => {
                in_one_field(hay, needle, |h| h == FIELD_SEP, |h, n| h == n)
            }
            (Folded::Unicode(hay), Folded::Ascii(needle)) => {
                in_one_field(hay, needle, |h| h == FIELD_SEP, |h, n| h == char::from(n))
            }
            // a folded needle with non-ASCII characters cannot occur in ASCII text
            (Folded::Ascii(_), Folded::Unicode(_)) => false,
        }
    }
}

/// Separates the fields of a haystack (id, name, company).
pub const FIELD_SEP: char = '\u{1f}';

/// One pass, greedy: the needle restarts at each field separator.
fn in_one_field<H: Copy, N: Copy>(
    hay: &[H],
    needle: &[N],
    is_sep: impl Fn(H) -> bool,
    eq: impl Fn(H, N) -> bool,
) -> bool {
    let Some(&first) = needle.first() else {
        return true;
    };
    let mut at = 0;
    let mut want = first;
    for &h in hay {
        if is_sep(h) {
            at = 0;
            want = first;
        } else if eq(h, want) {
            at += 1;
            match needle.get(at) {
                Some(&next) => want = next,
                None => return true,
            }
        }
    }
    false
}

/// The prepared haystacks of every organization.
#[derive(Default)]
pub struct Haystacks {
    orgs: Vec<OrgHaystacks>,
}

struct OrgHaystacks {
    revision: u64,
    items: Vec<Folded>,
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
                .map(|a| {
                    Folded::new(&format!(
                        "{}{FIELD_SEP}{}{FIELD_SEP}{}",
                        a.id, a.name, a.company_name
                    ))
                })
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

    /// The haystack of account `idx` of organization `org`.
    pub fn get(&self, org: usize, idx: usize) -> Option<&Folded> {
        self.orgs.get(org).and_then(|o| o.items.get(idx))
    }
}

/// A compiled query.
#[derive(Default)]
pub struct Fuzzy {
    words: Vec<Folded>,
}

impl Fuzzy {
    /// Compiles `query`: whitespace-separated words, all required, taken as typed
    /// (no operator syntax).
    pub fn set_query(&mut self, query: &str) {
        self.words = query
            .split_whitespace()
            .map(|w| Folded::new(&w.replace(FIELD_SEP, "")))
            .collect();
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
