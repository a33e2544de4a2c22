//! Money for output: rounding to a currency's minor unit and formatting.
//!
//! Amounts stay exact [`Decimal`] everywhere; they are rounded only here, for output,
//! half-even (banker's rounding) to the currency's ISO 4217 minor unit, 2 when the
//! currency is unknown. Amounts of different currencies are never added anywhere.

use rust_decimal::{Decimal, RoundingStrategy};

/// Minor-unit digits used for a currency ISO 4217 does not know (or has none for).
pub const DEFAULT_MINOR_UNIT: u32 = 2;

/// The number of decimal places of `currency` (ISO 4217 exponent): 2 for USD, 0 for
/// JPY, 3 for KWD; [`DEFAULT_MINOR_UNIT`] when the code is unknown.
pub fn minor_unit(currency: &str) -> u32 {
    let code = currency.trim().to_ascii_uppercase();
    iso_currency::Currency::from_code(&code)
        .and_then(|c| c.exponent())
        .map_or(DEFAULT_MINOR_UNIT, u32::from)
}

/// `amount` rounded half-even to `currency`'s minor unit, with exactly that many places.
pub fn round(amount: Decimal, currency: &str) -> Decimal {
    let places = minor_unit(currency);
    let mut rounded = amount.round_dp_with_strategy(places, RoundingStrategy::MidpointNearestEven);
    rounded.rescale(places);
    rounded
}

/// The amount as JSON and CSV carry it: a plain decimal string, rounded, e.g. `"1234.50"`.
pub fn plain(amount: Decimal, currency: &str) -> String {
    round(amount, currency).to_string()
}

/// Rounded, with thousands separators and no currency: `1,234.50`, `-12.00`.
pub fn grouped(amount: Decimal, currency: &str) -> String {
    let text = plain(amount, currency);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let mut out = String::with_capacity(text.len() + int.len() / 3 + 1);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// Rounded, grouped, with the currency code: `1,234.50 USD`.
pub fn display(amount: Decimal, currency: &str) -> String {
    format!("{} {currency}", grouped(amount, currency))
}

/// A compact form for narrow places (chart labels): `1.2M`, `45.3k`, `980`.
/// Never used where the exact figure is the point; tiles and tables show [`display`].
pub fn compact(amount: Decimal) -> String {
    let abs = amount.abs();
    let (scaled, suffix) = if abs >= Decimal::from(1_000_000_000) {
        (amount / Decimal::from(1_000_000_000), "G")
    } else if abs >= Decimal::from(1_000_000) {
        (amount / Decimal::from(1_000_000), "M")
    } else if abs >= Decimal::from(1_000) {
        (amount / Decimal::from(1_000), "k")
    } else {
        (amount, "")
    };
    let places = if suffix.is_empty() { 0 } else { 1 };
    let rounded = scaled.round_dp_with_strategy(places, RoundingStrategy::MidpointNearestEven);
    format!("{}{suffix}", rounded.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn minor_units_come_from_iso_4217() {
        assert_eq!(minor_unit("USD"), 2);
        assert_eq!(minor_unit("eur"), 2);
        assert_eq!(minor_unit("JPY"), 0);
        assert_eq!(minor_unit("KWD"), 3);
        assert_eq!(minor_unit("???"), 2);
        assert_eq!(minor_unit(""), 2);
    }

    #[test]
    fn rounding_is_half_even_to_the_minor_unit() {
        assert_eq!(plain(d("0.125"), "USD"), "0.12");
        assert_eq!(plain(d("0.135"), "USD"), "0.14");
        assert_eq!(plain(d("2.5"), "JPY"), "2");
        assert_eq!(plain(d("3.5"), "JPY"), "4");
        assert_eq!(plain(d("1.0005"), "KWD"), "1.000");
        assert_eq!(plain(d("1234.5"), "USD"), "1234.50");
        assert_eq!(plain(d("-0.125"), "EUR"), "-0.12");
        assert_eq!(plain(d("7"), "XYZ"), "7.00");
    }

    #[test]
    fn grouping_and_display() {
        assert_eq!(grouped(d("1234567.891"), "USD"), "1,234,567.89");
        assert_eq!(grouped(d("-1234.5"), "EUR"), "-1,234.50");
        assert_eq!(grouped(d("999"), "JPY"), "999");
        assert_eq!(grouped(d("1000"), "JPY"), "1,000");
        assert_eq!(display(d("1234.5"), "USD"), "1,234.50 USD");
        assert_eq!(display(Decimal::ZERO, "CAD"), "0.00 CAD");
    }

    #[test]
    fn compact_labels() {
        assert_eq!(compact(d("980.4")), "980");
        assert_eq!(compact(d("45321")), "45.3k");
        assert_eq!(compact(d("1250000")), "1.2M");
        assert_eq!(compact(d("-2000")), "-2k");
    }
}
