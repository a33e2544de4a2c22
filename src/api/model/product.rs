//! The product catalogue (`GET /express/products`).

use serde::{Deserialize, Serialize};

use super::de::{null_default, text};
use super::raw_enum::raw_enum;

raw_enum! {
    ChargeType {
        FixedRecurring => "FIXED_RECURRING",
        OneTime => "ONE_TIME",
        OneTimeCharge => "ONE_TIME_CHARGE",
        Recurring => "RECURRING",
        Usage => "USAGE",
        Other => "OTHER",
    }
}

/// A product, keyed by its code, e.g. `TD-LIC-APP-RC-101910`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    #[serde(deserialize_with = "text")]
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default)]
    pub family: Option<String>,
    #[serde(default)]
    pub unit_of_measure: Option<String>,
    #[serde(default)]
    pub charge_type: Option<ChargeType>,
}
