//! Seeded, lazily derived facts: account ids, names, companies and base statuses.
//!
//! Everything here is a pure function of `(seed, g)` where `g` is an account's global
//! serial number in the world, so 100,000 accounts cost a 16-byte record each and
//! their names are computed only when served.

use std::collections::HashMap;
use std::sync::LazyLock;

const BRANDS: &str = include_str!("../../assets/company_words.txt");
const KINDS: &str = include_str!("../../assets/company_kinds.txt");

/// The documented account statuses; an account's `status` byte indexes this list,
/// bytes past it index the world's custom (undocumented) statuses.
pub const KNOWN_STATUSES: [&str; 7] = [
    "ACTIVE",
    "IN_TRIAL",
    "TRIAL_LOST",
    "CHURNED",
    "INACTIVE",
    "PROSPECT",
    "OTHER",
];
pub const ACTIVE: u8 = 0;
pub const IN_TRIAL: u8 = 1;
pub const TRIAL_LOST: u8 = 2;
pub const CHURNED: u8 = 3;
pub const INACTIVE: u8 = 4;
pub const PROSPECT: u8 = 5;
pub const OTHER: u8 = 6;

/// Salts keeping the derived streams independent.
pub const SALT_STATUS: u64 = 0x5747_4154;
pub const SALT_LO: u64 = 0x4c4f_4d41;
pub const SALT_SUFFIX: u64 = 0x5355_4646;
pub const SALT_HISTORY: u64 = 0x4849_5354;
pub const SALT_BILLING: u64 = 0x4249_4c4c;

/// The splitmix64 finaliser: a cheap, well-mixed 64-bit hash.
pub fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Hash of a seed and two values.
pub fn mix(seed: u64, a: u64, b: u64) -> u64 {
    splitmix(splitmix(seed ^ splitmix(a)) ^ b)
}

struct Lexicon {
    brands: Vec<&'static str>,
    kinds: Vec<&'static str>,
    brand_index: HashMap<String, usize>,
    kind_index: HashMap<String, usize>,
    /// Multiplier of the per-round permutation of name combinations, and its inverse.
    mul: u64,
    mul_inv: u64,
}

fn words(text: &'static str) -> Vec<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Inverse of `a` modulo `m` (they are coprime).
fn mod_inverse(a: u64, m: u64) -> u64 {
    let (mut t, mut new_t, mut r, mut new_r) = (0i64, 1i64, m as i64, a as i64);
    while new_r != 0 {
        let q = r / new_r;
        (t, new_t) = (new_t, t - q * new_t);
        (r, new_r) = (new_r, r - q * new_r);
    }
    t.rem_euclid(m as i64) as u64
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let brands = words(BRANDS);
    let kinds = words(KINDS);
    let combos = (brands.len() * kinds.len()) as u64;
    let mut mul = combos * 618 / 1000;
    while gcd(mul, combos) != 1 {
        mul += 1;
    }
    let index = |ws: &[&str]| {
        ws.iter()
            .enumerate()
            .map(|(i, w)| (w.to_ascii_lowercase(), i))
            .collect::<HashMap<_, _>>()
    };
    Lexicon {
        brand_index: index(&brands),
        kind_index: index(&kinds),
        mul_inv: mod_inverse(mul, combos),
        mul,
        brands,
        kinds,
    }
});

fn combos() -> u64 {
    (LEXICON.brands.len() * LEXICON.kinds.len()) as u64
}

/// Offset of the name permutation, so each seed names its accounts differently.
fn offset(seed: u64, round: u64) -> u64 {
    mix(seed, 0x4e41_4d45, round) % combos()
}

/// The (brand, kind, round) of account `g`; distinct `g` give distinct triples.
fn name_parts(seed: u64, g: u32) -> (usize, usize, u64) {
    let c = combos();
    let (round, r) = (g as u64 / c, g as u64 % c);
    let combo = (r * LEXICON.mul + offset(seed, round)) % c;
    let kinds = LEXICON.kinds.len() as u64;
    ((combo / kinds) as usize, (combo % kinds) as usize, round)
}

/// The account name of generated account `g`: a lowercase slug, unique in the world.
pub fn account_name(seed: u64, g: u32) -> String {
    let (b, k, round) = name_parts(seed, g);
    let mut name = format!("{}{}", LEXICON.brands[b], LEXICON.kinds[k]).to_ascii_lowercase();
    if round > 0 {
        name.push_str(&(round + 1).to_string());
    }
    name
}

/// The company (CRM) name of generated account `g`.
pub fn company_name(seed: u64, g: u32) -> String {
    const SUFFIXES: [&str; 8] = [
        "", " Inc.", " LLC", " Ltd", " Group", " Co.", " GmbH", " & Co",
    ];
    let (b, k, _) = name_parts(seed, g);
    let suffix = SUFFIXES[(mix(seed, SALT_SUFFIX, g as u64) % SUFFIXES.len() as u64) as usize];
    format!("{} {}{}", LEXICON.brands[b], LEXICON.kinds[k], suffix)
}

/// The `g` whose generated name is `name` (case-insensitive), if its shape is one.
pub fn generated_serial(seed: u64, name: &str) -> Option<u64> {
    let slug = name.to_ascii_lowercase();
    let letters = slug.trim_end_matches(|ch: char| ch.is_ascii_digit());
    let digits = &slug[letters.len()..];
    let round = match digits {
        "" => 0,
        d if d.starts_with('0') => return None,
        d => d.parse::<u64>().ok().filter(|n| *n >= 2)? - 1,
    };
    let c = combos();
    let kinds = LEXICON.kinds.len() as u64;
    (1..letters.len()).find_map(|split| {
        let b = *LEXICON.brand_index.get(letters.get(..split)?)?;
        let k = *LEXICON.kind_index.get(letters.get(split..)?)?;
        let combo = b as u64 * kinds + k as u64;
        let r = ((combo + c - offset(seed, round)) % c) * LEXICON.mul_inv % c;
        Some(round * c + r)
    })
}

/// The status account `g` was generated with. Accounts created after start are trials.
pub fn base_status(seed: u64, g: u32, initial_total: u32) -> u8 {
    if g >= initial_total {
        return IN_TRIAL;
    }
    match mix(seed, SALT_STATUS, g as u64) % 100 {
        0..55 => ACTIVE,
        55..70 => IN_TRIAL,
        70..80 => TRIAL_LOST,
        80..88 => CHURNED,
        88..93 => INACTIVE,
        93..98 => PROSPECT,
        _ => OTHER,
    }
}

/// The 96-bit id of account `g`: random-looking high bits (so ids are not ordered by
/// creation) and a low word that encodes `g` bijectively (so ids are unique).
pub fn account_key(seed: u64, g: u32) -> (u64, u32) {
    (mix(seed, 0x4944, g as u64), g ^ lo_mask(seed))
}

pub fn lo_mask(seed: u64) -> u32 {
    mix(seed, SALT_LO, 0) as u32
}

/// `5ea75fe7aa224700012eae40`-style text of an id.
pub fn format_id(hi: u64, lo: u32) -> String {
    format!("{hi:016x}{lo:08x}")
}

/// Parses 24 hex digits back into an id key.
pub fn parse_id(text: &str) -> Option<(u64, u32)> {
    if text.len() != 24 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let hi = u64::from_str_radix(text.get(..16)?, 16).ok()?;
    let lo = u32::from_str_radix(text.get(16..)?, 16).ok()?;
    Some((hi, lo))
}

/// A brand word for organization names, distinct per index.
pub fn org_brand(seed: u64, index: usize) -> &'static str {
    let n = LEXICON.brands.len();
    let start = (mix(seed, 0x004f_5247, 0) % n as u64) as usize;
    // 97 is prime: a step coprime with the list length unless it divides it.
    let step = if n % 97 == 0 { 1 } else { 97 };
    LEXICON.brands[(start + index * step) % n]
}

/// Lowercase hex of `bytes` random-looking bytes derived from the inputs.
pub fn hex_token(seed: u64, a: u64, b: u64, digits: usize) -> String {
    let mut out = String::with_capacity(digits + 16);
    let mut i = 0;
    while out.len() < digits {
        out.push_str(&format!(
            "{:016x}",
            mix(seed, a, b.wrapping_mul(31).wrapping_add(i))
        ));
        i += 1;
    }
    out.truncate(digits);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for g in 0..50_000u32 {
            let name = account_name(7, g);
            assert!(seen.insert(name.clone()), "duplicate {name}");
            assert_eq!(generated_serial(7, &name), Some(g as u64), "{name}");
        }
        assert_eq!(generated_serial(7, "JosephPinetrees"), None);
        assert_eq!(generated_serial(7, "acmelogistics0"), None);
    }

    #[test]
    fn ids_round_trip() {
        let (hi, lo) = account_key(3, 12345);
        assert_eq!(parse_id(&format_id(hi, lo)), Some((hi, lo)));
        assert_eq!(lo ^ lo_mask(3), 12345);
        assert_eq!(parse_id("xyz"), None);
    }
}
