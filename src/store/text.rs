//! Per-account text computed once when an account arrives or changes: the folded
//! search haystack (`id name company`, see [`Folded`]) and the sort keys of the name
//! and company columns, which for ASCII text are slices of that haystack.

use std::cmp::Ordering;

use nucleo_matcher::chars::{normalize, to_lower_case};

use crate::api::model::Account;

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

/// What the listing needs of one account, kept beside it in [`super::OrgData`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountKeys {
    /// `id`, `name` and `company_name` folded, separated by [`FIELD_SEP`].
    pub haystack: Folded,
    /// Byte ranges of the name and company in an ASCII haystack.
    ranges: Option<[(u32, u32); 2]>,
}

impl AccountKeys {
    pub fn new(account: &Account) -> Self {
        let fields = [
            account.id.as_str(),
            account.name.as_str(),
            account.company_name.as_str(),
        ];
        if fields
            .iter()
            .all(|f| f.is_ascii() && !f.contains(FIELD_SEP))
        {
            let len = fields.iter().map(|f| f.len() + 1).sum::<usize>();
            let mut hay = Vec::with_capacity(len);
            let mut ranges = [(0u32, 0u32); 3];
            for (i, field) in fields.iter().enumerate() {
                if i > 0 {
                    hay.push(FIELD_SEP as u8);
                }
                let from = hay.len() as u32;
                hay.extend(field.bytes().map(|b| b.to_ascii_lowercase()));
                ranges[i] = (from, hay.len() as u32);
            }
            return AccountKeys {
                haystack: Folded::Ascii(hay.into()),
                ranges: Some([ranges[1], ranges[2]]),
            };
        }
        let text = format!(
            "{}{FIELD_SEP}{}{FIELD_SEP}{}",
            account.id, account.name, account.company_name
        );
        AccountKeys {
            haystack: Folded::new(&text),
            ranges: None,
        }
    }

    /// Field 0 (name) or 1 (company), lowercase, when the haystack is ASCII.
    fn field(&self, field: usize) -> Option<&[u8]> {
        let (from, to) = self.ranges?[field];
        match &self.haystack {
            Folded::Ascii(hay) => hay.get(from as usize..to as usize),
            Folded::Unicode(_) => None,
        }
    }
}

/// Orders two accounts' names case-insensitively (ASCII), byte order otherwise;
/// the lowercase ASCII keys are read from the haystacks, other text is folded here.
pub fn cmp_names(a: (&Account, &AccountKeys), b: (&Account, &AccountKeys)) -> Ordering {
    match (a.1.field(0), b.1.field(0)) {
        (Some(x), Some(y)) => x.cmp(y),
        _ => cmp_text(&a.0.name, &b.0.name),
    }
}

/// [`cmp_names`] for the company names.
pub fn cmp_companies(a: (&Account, &AccountKeys), b: (&Account, &AccountKeys)) -> Ordering {
    match (a.1.field(1), b.1.field(1)) {
        (Some(x), Some(y)) => x.cmp(y),
        _ => cmp_text(&a.0.company_name, &b.0.company_name),
    }
}

/// Case-insensitive (ASCII) text order, byte order otherwise.
pub fn cmp_text(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}
