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
        match (self, needle) {
            (Folded::Ascii(hay), Folded::Ascii(needle)) => ascii_in_one_field(hay, needle),
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

/// [`in_one_field`] for ASCII, 16 bytes at a time: each step finds, in a bit mask of
/// the chunk, the next byte that is either the wanted needle byte or a separator.
fn ascii_in_one_field(hay: &[u8], needle: &[u8]) -> bool {
    let Some(&first) = needle.first() else {
        return true;
    };
    let sep = FIELD_SEP as u8;
    let mut at = 0;
    let mut want = first;
    for chunk in hay.chunks(16) {
        let bytes = Chunk::new(chunk);
        let valid = if chunk.len() == 16 {
            u32::MAX
        } else {
            (1 << chunk.len()) - 1
        };
        let seps = bytes.eq_mask(sep) & valid;
        let mut wanted = bytes.eq_mask(want) & valid;
        let mut rest = valid;
        while let Some(p) = lowest((wanted | seps) & rest) {
            if seps & (1 << p) != 0 {
                at = 0;
            } else {
                at += 1;
            }
            let Some(&next) = needle.get(at) else {
                return true;
            };
            if next != want {
                want = next;
                wanted = bytes.eq_mask(want) & valid;
            }
            rest &= !((2u32 << p) - 1);
        }
    }
    false
}

/// The lowest set bit's position.
fn lowest(mask: u32) -> Option<u32> {
    (mask != 0).then(|| mask.trailing_zeros())
}

/// Up to 16 haystack bytes (zero-padded), compared to one byte at a time.
struct Chunk(
    #[cfg(target_arch = "x86_64")] std::arch::x86_64::__m128i,
    #[cfg(not(target_arch = "x86_64"))] [u8; 16],
);

impl Chunk {
    fn new(bytes: &[u8]) -> Chunk {
        let buf = <[u8; 16]>::try_from(bytes).unwrap_or_else(|_| {
            let mut buf = [0u8; 16];
            let n = bytes.len().min(16);
            buf[..n].copy_from_slice(&bytes[..n]);
            buf
        });
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `buf` is 16 readable bytes; the load has no alignment requirement.
        return Chunk(unsafe { std::arch::x86_64::_mm_loadu_si128(buf.as_ptr().cast()) });
        #[cfg(not(target_arch = "x86_64"))]
        Chunk(buf)
    }

    /// Bit i set when byte i equals `b`.
    fn eq_mask(&self, b: u8) -> u32 {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_set1_epi8};
            // SAFETY: SSE2 is part of the x86_64 baseline; register operations only.
            unsafe { _mm_movemask_epi8(_mm_cmpeq_epi8(self.0, _mm_set1_epi8(b as i8))) as u32 }
        }
        #[cfg(not(target_arch = "x86_64"))]
        self.0
            .iter()
            .enumerate()
            .fold(0, |m, (i, &x)| m | (u32::from(x == b) << i))
    }
}

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

/// A 32-bit set of the bytes in `text`: letters have a bit each, digits and other
/// bytes share the rest; a set that lacks a word's bit proves the word absent.
pub fn byte_set(text: &[u8]) -> u32 {
    text.iter().fold(0, |set, &b| set | byte_bit(b))
}

fn byte_bit(b: u8) -> u32 {
    let bit = match b {
        b'a'..=b'z' => b - b'a',
        b'0'..=b'9' => 26 + b % 3,
        _ => 29 + b % 3,
    };
    1 << bit
}

/// Whether `word` is a subsequence of `field` (greedy: each byte found after the last).
fn is_subsequence(word: &[u8], field: &[u8]) -> bool {
    let mut rest = field;
    for &b in word {
        match memchr::memchr(b, rest) {
            Some(at) => rest = &rest[at + 1..],
            None => return false,
        }
    }
    true
}

/// What the listing needs of one account, kept beside it in [`super::OrgData`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountKeys {
    /// `id`, `name` and `company_name` folded, separated by [`FIELD_SEP`].
    pub haystack: Folded,
    /// Byte ranges of the name and company in an ASCII haystack.
    ranges: Option<[(u32, u32); 2]>,
    /// Per field (id, name, company) of an ASCII haystack, the bytes it holds (see
    /// [`byte_set`]): a field lacking a byte of a word is not read for it.
    sets: [u32; 3],
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
            // the fields and the two separators: exactly, so the box takes the buffer as is
            let len = fields.iter().map(|f| f.len()).sum::<usize>() + 2;
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
            let sets = ranges.map(|(from, to)| byte_set(&hay[from as usize..to as usize]));
            return AccountKeys {
                sets,
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
            sets: [u32::MAX; 3],
        }
    }

    /// Whether the ASCII `word` (with [`byte_set`] `set`) is a subsequence of one
    /// field; `None` when the haystack has no field ranges (not plain ASCII text):
    /// then [`Folded::contains_subsequence`] answers.
    pub fn word_in_field(&self, word: &[u8], set: u32) -> Option<bool> {
        let [name, company] = self.ranges?;
        let Folded::Ascii(hay) = &self.haystack else {
            return None;
        };
        let id = (0, name.0.saturating_sub(1));
        let found = [id, name, company]
            .iter()
            .zip(self.sets)
            .any(|(&(from, to), has)| {
                set & !has == 0
                    && hay
                        .get(from as usize..to as usize)
                        .is_some_and(|field| is_subsequence(word, field))
            });
        Some(found)
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

/// The first 16 bytes of an account's name in [`cmp_names`]'s order (lowercase
/// ASCII), big-endian and zero-padded: a smaller prefix means a smaller name; equal
/// prefixes leave the order to [`cmp_names`].
pub fn name_prefix(a: (&Account, &AccountKeys)) -> u128 {
    prefix(a.1.field(0), &a.0.name)
}

/// [`name_prefix`] for the company name.
pub fn company_prefix(a: (&Account, &AccountKeys)) -> u128 {
    prefix(a.1.field(1), &a.0.company_name)
}

fn prefix(folded: Option<&[u8]>, raw: &str) -> u128 {
    let mut buf = [0u8; 16];
    let bytes = folded.unwrap_or(raw.as_bytes());
    for (slot, b) in buf.iter_mut().zip(bytes) {
        *slot = b.to_ascii_lowercase();
    }
    u128::from_be_bytes(buf)
}

/// Case-insensitive (ASCII) text order, byte order otherwise.
pub fn cmp_text(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The ASCII fast path answers as the generic scan does.
        #[test]
        fn ascii_scan_equals_generic(
            hay in proptest::collection::vec(prop_oneof![Just(0x1fu8), 97u8..=102], 0..70),
            needle in proptest::collection::vec(97u8..=102, 0..5),
        ) {
            let generic = in_one_field(&hay, &needle, |h| h == 0x1f, |h, n| h == n);
            prop_assert_eq!(ascii_in_one_field(&hay, &needle), generic);
        }
    }

    proptest! {
        /// Reading only the fields that hold a word's bytes answers as the scan does.
        #[test]
        fn field_sets_answer_as_the_scan(
            id in "[a-f0-9]{0,6}",
            name in "[a-z0-9 ]{0,20}",
            company in "[A-Za-z ]{0,20}",
            word in "[a-z0-9]{1,4}",
        ) {
            let account = Account {
                id: id.into(),
                name: name.into(),
                company_name: company.into(),
                status: Default::default(),
            };
            let keys = AccountKeys::new(&account);
            let folded = Folded::new(&word);
            let scan = keys.haystack.contains_subsequence(&folded);
            prop_assert_eq!(keys.word_in_field(word.as_bytes(), byte_set(word.as_bytes())), Some(scan));
        }
    }

    #[test]
    fn ascii_scan_stays_in_one_field() {
        let hay = b"17\x1facme\x1fglobex corp";
        assert!(ascii_in_one_field(hay, b"acm"));
        assert!(ascii_in_one_field(hay, b"gcp"));
        assert!(ascii_in_one_field(hay, b""));
        assert!(!ascii_in_one_field(hay, b"7a"));
        assert!(!ascii_in_one_field(hay, b"eg"));
        assert!(!ascii_in_one_field(b"", b"a"));
    }
}
