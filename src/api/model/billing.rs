//! Subscriptions, invoice lines and monthly usage. Money is exact [`Decimal`]: never sum
//! it in floating point, and never add amounts of different currencies.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::de::{datetime_opt, decimal_opt, null_default, text, text_opt};
use super::raw_enum::raw_enum;

raw_enum! {
    BillingPeriod {
        Annual => "ANNUAL",
        Quarter => "QUARTER",
        Month => "MONTH",
        SemiAnnual => "SEMI_ANNUAL",
        Other => "OTHER",
    }
}

raw_enum! {
    SubscriptionStatus {
        Activated => "ACTIVATED",
        Other => "OTHER",
    }
}

/// A subscription of an account (`GET /express/subscriptions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    #[serde(deserialize_with = "text")]
    pub id: String,
    #[serde(default, deserialize_with = "text")]
    pub account_id: String,
    #[serde(default, deserialize_with = "text_opt")]
    pub contract_number: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub billing_period: Option<BillingPeriod>,
    #[serde(default)]
    pub status: Option<SubscriptionStatus>,
    /// Length in months.
    #[serde(default)]
    pub term: Option<i64>,
    #[serde(default, deserialize_with = "datetime_opt")]
    pub start_date: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "datetime_opt")]
    pub end_date: Option<DateTime<Utc>>,
    #[serde(default)]
    pub edition: Option<String>,
    #[serde(default)]
    pub auto_renewal: Option<bool>,
    #[serde(default, deserialize_with = "decimal_opt")]
    pub renewal_uplift: Option<Decimal>,
    #[serde(default)]
    pub product_id: Option<String>,
    #[serde(default, deserialize_with = "decimal_opt")]
    pub quantity: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal_opt")]
    pub unit_price: Option<Decimal>,
    /// Free text in the reference (no documented values).
    #[serde(default)]
    pub billing_frequency: Option<String>,
}

/// One line of an invoice (`GET /express/invoices`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    #[serde(deserialize_with = "text")]
    pub id: String,
    #[serde(default, deserialize_with = "text")]
    pub account_id: String,
    /// The invoice number (several lines share one).
    #[serde(default, deserialize_with = "text_opt")]
    pub number: Option<String>,
    #[serde(default, deserialize_with = "datetime_opt")]
    pub date: Option<DateTime<Utc>>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default, deserialize_with = "decimal_opt")]
    pub total_invoice_amount: Option<Decimal>,
    #[serde(default)]
    pub product_id: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "decimal_opt")]
    pub quantity: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal_opt")]
    pub rate: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal_opt")]
    pub amount: Option<Decimal>,
}

raw_enum! {
    UsageType {
        Amd => "AMD",
        ApiRequest => "API_REQUEST",
        Call => "CALL",
        CallService => "CALL_SERVICE",
        CreditCommit => "CREDIT_COMMIT",
        Dialer => "DIALER",
        Message => "MESSAGE",
        Number => "NUMBER",
        ProductService => "PRODUCT_SERVICE",
        Recharge => "RECHARGE",
        SpeechTranscription => "SPEECH_TRANSCRIPTION",
        VoicemailTranscription => "VOICEMAIL_TRANSCRIPTION",
        Other => "OTHER",
    }
}

/// Usage of one product by one account in one month (`GET /express/usage/month`).
///
/// The reference names the amount fields only as "amounts": `quantity`, `amount` and
/// `total_amount` are read when present, each optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyUsage {
    #[serde(deserialize_with = "text")]
    pub id: String,
    #[serde(default, deserialize_with = "text")]
    pub account_id: String,
    #[serde(default)]
    pub product_id: Option<String>,
    #[serde(default)]
    pub aggr_product_id: Option<String>,
    /// The month as the API writes it, e.g. `2023-08`.
    #[serde(default, deserialize_with = "null_default")]
    pub month: String,
    #[serde(rename = "type", default)]
    pub usage_type: Option<UsageType>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default, deserialize_with = "decimal_opt")]
    pub quantity: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal_opt")]
    pub amount: Option<Decimal>,
    #[serde(default, deserialize_with = "decimal_opt")]
    pub total_amount: Option<Decimal>,
}

impl MonthlyUsage {
    /// The month parsed as (year, month), when it has the documented `YYYY-MM` form.
    pub fn year_month(&self) -> Option<(i32, u32)> {
        let (y, m) = self.month.split_once('-')?;
        let (y, m) = (y.parse().ok()?, m.parse().ok()?);
        (1..=12).contains(&m).then_some((y, m))
    }
}
