//! The product catalogue, billing periods, currencies and money.

use rust_decimal::Decimal;

use crate::sim::generate::mix;

/// One product of `GET /express/products`, with its list price.
#[derive(Debug, PartialEq, Eq)]
pub struct Product {
    pub id: &'static str,
    pub name: &'static str,
    pub family: &'static str,
    pub unit: &'static str,
    pub charge_type: &'static str,
    /// List price in cents, per `unit`.
    pub cents: i64,
}

const fn p(
    id: &'static str,
    name: &'static str,
    family: &'static str,
    unit: &'static str,
    charge_type: &'static str,
    cents: i64,
) -> Product {
    Product {
        id,
        name,
        family,
        unit,
        charge_type,
        cents,
    }
}

#[rustfmt::skip]
pub const PRODUCTS: [Product; 19] = [
    p("TD-LIC-APP-RC-101910", "Talkdesk Express License", "Licenses", "User/Month", "RECURRING", 4500),
    p("TD-LIC-APP-RC-101920", "Talkdesk Elevate License", "Licenses", "User/Month", "RECURRING", 8500),
    p("TD-LIC-APP-RC-101930", "Talkdesk Elite License", "Licenses", "User/Month", "RECURRING", 12500),
    p("TD-ADD-WFM-RC-204110", "Workforce Management", "Add-ons", "User/Month", "RECURRING", 2500),
    p("TD-ADD-QM-RC-204120", "Quality Management", "Add-ons", "User/Month", "RECURRING", 2000),
    p("TD-ADD-GDE-RC-204130", "Talkdesk Guide", "Add-ons", "User/Month", "RECURRING", 1500),
    p("TD-ADD-ANL-RC-204140", "Explore Analytics Annual", "Add-ons", "User/Year", "RECURRING", 24000),
    p("TD-NUM-LOC-RC-303010", "Local Phone Number", "Numbers", "Number/Month", "RECURRING", 100),
    p("TD-NUM-TFR-RC-303020", "Toll-free Phone Number", "Numbers", "Number/Month", "RECURRING", 300),
    p("TD-CRD-COM-FR-501010", "Credit Commitment", "Credits", "Each", "FIXED_RECURRING", 100000),
    p("TD-SUP-PRM-RC-601010", "Premier Success Plan", "Support", "License", "RECURRING", 250000),
    p("TD-USG-TEL-UG-301010", "Inbound Calls", "Telephony", "Minute", "USAGE", 2),
    p("TD-USG-TEL-UG-301020", "Outbound Calls", "Telephony", "Minute", "USAGE", 3),
    p("TD-USG-MSG-UG-302010", "SMS Messages", "Messaging", "Message", "USAGE", 1),
    p("TD-USG-AI-UG-304010", "Speech Transcription", "AI", "Minute", "USAGE", 2),
    p("TD-USG-AI-UG-304020", "Voicemail Transcription", "AI", "Minute", "USAGE", 1),
    p("TD-SVC-PRO-OT-401010", "Onboarding Services", "Services", "Each", "ONE_TIME", 150000),
    p("TD-SVC-PRO-OT-401020", "Implementation Package", "Services", "Each", "ONE_TIME_CHARGE", 450000),
    p("TD-CRD-RCH-OT-501020", "Prepaid Recharge", "Credits", "Each", "ONE_TIME", 5000),
];

/// The three editions' licenses (the first subscription of every account).
pub const LICENSES: [&Product; 3] = [&PRODUCTS[0], &PRODUCTS[1], &PRODUCTS[2]];
pub const EDITIONS: [&str; 3] = ["EXPRESS", "ELEVATE", "ELITE"];
pub const ANNUAL_ADD_ON: &Product = &PRODUCTS[6];
pub const CREDIT_COMMITMENT: &Product = &PRODUCTS[9];
/// Priced per `License` and billed on an `OTHER` period: its MRR is unnormalized.
pub const PREMIER_SUPPORT: &Product = &PRODUCTS[10];
/// Per-user monthly add-ons and phone numbers.
pub const MONTHLY_ADD_ONS: [&Product; 5] = [
    &PRODUCTS[3],
    &PRODUCTS[4],
    &PRODUCTS[5],
    &PRODUCTS[7],
    &PRODUCTS[8],
];
pub const INBOUND: &Product = &PRODUCTS[11];
pub const OUTBOUND: &Product = &PRODUCTS[12];
pub const SMS: &Product = &PRODUCTS[13];
pub const SPEECH: &Product = &PRODUCTS[14];
pub const VOICEMAIL: &Product = &PRODUCTS[15];
pub const LOCAL_NUMBER: &Product = &PRODUCTS[7];

impl Product {
    /// How many units of price one period of `months` costs: the months when the price
    /// is monthly, else 1 (a yearly price is only sold yearly; any other price covers
    /// one billing period).
    pub fn periods_per_invoice(&self, months: u32) -> i64 {
        if self.unit.ends_with("/Month") {
            i64::from(months)
        } else {
            1
        }
    }
}

/// A subscription's billing period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Month,
    Quarter,
    SemiAnnual,
    Annual,
    /// Unnormalizable: invoiced every 12 months by the simulator.
    Other,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Month => "MONTH",
            Period::Quarter => "QUARTER",
            Period::SemiAnnual => "SEMI_ANNUAL",
            Period::Annual => "ANNUAL",
            Period::Other => "OTHER",
        }
    }

    pub fn frequency(self) -> &'static str {
        match self {
            Period::Month => "MONTHLY",
            Period::Quarter => "QUARTERLY",
            Period::SemiAnnual => "SEMI_ANNUALLY",
            Period::Annual => "ANNUALLY",
            Period::Other => "OTHER",
        }
    }

    /// Months between two invoices.
    pub fn months(self) -> u32 {
        match self {
            Period::Month => 1,
            Period::Quarter => 3,
            Period::SemiAnnual => 6,
            Period::Annual | Period::Other => 12,
        }
    }
}

pub fn money(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// Share of accounts, in percent, billing in another currency than their region's.
pub const FOREIGN_CURRENCY_PERCENT: u64 = 5;

/// The currency account `g` bills in: its organization's region's, or for a seeded
/// 5 % another one (eu GBP, us CAD, ca USD).
pub fn currency(seed: u64, g: u32, region: &str) -> &'static str {
    let foreign = mix(seed, 0x4355_5252, u64::from(g)) % 100 < FOREIGN_CURRENCY_PERCENT;
    match (region, foreign) {
        ("eu", false) => "EUR",
        ("eu", true) => "GBP",
        ("ca", false) => "CAD",
        ("ca", true) => "USD",
        (_, false) => "USD",
        (_, true) => "CAD",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_ids_are_unique_and_named_slots_hold_what_they_say() {
        let mut ids: Vec<&str> = PRODUCTS.iter().map(|p| p.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), PRODUCTS.len());
        assert_eq!(ANNUAL_ADD_ON.unit, "User/Year");
        assert_eq!(PREMIER_SUPPORT.unit, "License");
        assert_eq!(CREDIT_COMMITMENT.unit, "Each");
        assert!(LICENSES.iter().all(|p| p.family == "Licenses"));
        assert!(MONTHLY_ADD_ONS.iter().all(|p| p.unit.ends_with("/Month")));
        assert_eq!(INBOUND.charge_type, "USAGE");
        assert_eq!(LICENSES[0].periods_per_invoice(12), 12);
        assert_eq!(ANNUAL_ADD_ON.periods_per_invoice(12), 1);
    }

    #[test]
    fn about_five_percent_bill_in_a_foreign_currency() {
        let foreign = (0..10_000)
            .filter(|g| currency(42, *g, "eu") != "EUR")
            .count();
        assert!((350..650).contains(&foreign), "{foreign}");
        assert!((0..200).all(|g| ["EUR", "GBP"].contains(&currency(1, g, "eu"))));
        assert!((0..200).all(|g| ["USD", "CAD"].contains(&currency(1, g, "us"))));
        assert!((0..200).all(|g| ["CAD", "USD"].contains(&currency(1, g, "ca"))));
    }
}
