//! How the billing commands write numbers: money as a decimal string rounded half-even to
//! its currency's minor unit, other decimals exactly as the API sent them (as strings,
//! never through binary floating point), rates with four places.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};

use crate::billing::money;

/// An amount of `currency`: JSON and CSV carry [`money::plain`] (`"1234.50"`), tables
/// [`money::grouped`] (`1,234.50`).
#[derive(Debug, Clone, Copy)]
pub struct Money<'a> {
    pub amount: Decimal,
    pub currency: &'a str,
}

impl<'a> Money<'a> {
    pub fn new(amount: Decimal, currency: &'a str) -> Self {
        Self { amount, currency }
    }

    pub fn grouped(&self) -> String {
        money::grouped(self.amount, self.currency)
    }
}

impl Serialize for Money<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&money::plain(self.amount, self.currency))
    }
}

/// A decimal written exactly (quantities, unit prices, rates, uplifts).
#[derive(Debug, Clone, Copy)]
pub struct Exact(pub Decimal);

impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// A fraction with four places, half-even (`"0.3333"`).
pub fn fraction(value: Decimal) -> String {
    let mut rounded = value.round_dp_with_strategy(4, RoundingStrategy::MidpointNearestEven);
    rounded.rescale(4);
    rounded.to_string()
}

/// A table cell: the text, or `-` when there is none.
pub fn or_dash(text: Option<impl ToString>) -> String {
    text.map_or_else(|| "-".to_owned(), |t| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_a_rounded_string_and_exact_keeps_every_digit() {
        let amount: Decimal = "1234.505".parse().unwrap_or_default();
        let json = serde_json::to_string(&Money::new(amount, "USD")).unwrap_or_default();
        assert_eq!(json, "\"1234.50\"");
        assert_eq!(Money::new(amount, "JPY").grouped(), "1,235");
        let rate: Decimal = "0.0125".parse().unwrap_or_default();
        assert_eq!(
            serde_json::to_string(&Exact(rate)).unwrap_or_default(),
            "\"0.0125\""
        );
        assert_eq!(fraction(Decimal::from(1) / Decimal::from(3)), "0.3333");
        assert_eq!(fraction(Decimal::from(1)), "1.0000");
        assert_eq!(or_dash(None::<&str>), "-");
    }
}
