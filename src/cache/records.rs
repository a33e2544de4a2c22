//! How accounts and billing rows are laid out on disk: serde "remote" definitions of
//! the domain types, independent of the API's tolerant wire parsing (which needs a
//! self-describing format). Times are (seconds, nanoseconds), decimals (mantissa,
//! scale), both checked when read back.

use chrono::{DateTime, Utc};
use compact_str::CompactString;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::api::model::{
    Account, AccountStatus, BillingPeriod, ChargeType, InvoiceLine, MonthlyUsage, Nullable,
    Product, Subscription, SubscriptionStatus, UsageType,
};

#[derive(Serialize, Deserialize)]
#[serde(remote = "Account")]
pub struct AccountDef {
    id: CompactString,
    name: CompactString,
    company_name: Nullable,
    status: AccountStatus,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "Subscription")]
pub struct SubscriptionDef {
    id: String,
    account_id: String,
    contract_number: Option<String>,
    currency: Option<String>,
    billing_period: Option<BillingPeriod>,
    status: Option<SubscriptionStatus>,
    term: Option<i64>,
    #[serde(with = "time_opt")]
    start_date: Option<DateTime<Utc>>,
    #[serde(with = "time_opt")]
    end_date: Option<DateTime<Utc>>,
    edition: Option<String>,
    auto_renewal: Option<bool>,
    #[serde(with = "decimal_opt")]
    renewal_uplift: Option<Decimal>,
    product_id: Option<String>,
    #[serde(with = "decimal_opt")]
    quantity: Option<Decimal>,
    #[serde(with = "decimal_opt")]
    unit_price: Option<Decimal>,
    billing_frequency: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "InvoiceLine")]
pub struct InvoiceLineDef {
    id: String,
    account_id: String,
    number: Option<String>,
    #[serde(with = "time_opt")]
    date: Option<DateTime<Utc>>,
    currency: Option<String>,
    #[serde(with = "decimal_opt")]
    total_invoice_amount: Option<Decimal>,
    product_id: Option<String>,
    description: Option<String>,
    #[serde(with = "decimal_opt")]
    quantity: Option<Decimal>,
    #[serde(with = "decimal_opt")]
    rate: Option<Decimal>,
    #[serde(with = "decimal_opt")]
    amount: Option<Decimal>,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "MonthlyUsage")]
pub struct MonthlyUsageDef {
    id: String,
    account_id: String,
    product_id: Option<String>,
    aggr_product_id: Option<String>,
    month: String,
    usage_type: Option<UsageType>,
    description: Option<String>,
    currency: Option<String>,
    #[serde(with = "decimal_opt")]
    quantity: Option<Decimal>,
    #[serde(with = "decimal_opt")]
    amount: Option<Decimal>,
    #[serde(with = "decimal_opt")]
    total_amount: Option<Decimal>,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "Product")]
pub struct ProductDef {
    id: String,
    name: String,
    family: Option<String>,
    unit_of_measure: Option<String>,
    charge_type: Option<ChargeType>,
}

/// Serializes a slice of `T` through its remote definition (`Self::Def`).
pub struct Rows<'a, T>(pub &'a [T]);

/// Reads a list of `T` through its remote definition.
pub struct Owned<T>(pub Vec<T>);

/// Ties a domain type to its remote definition.
pub trait Remote: Sized {
    fn ser<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;
    fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

macro_rules! remote {
    ($($ty:ty => $def:ty),+) => {$(
        impl Remote for $ty {
            fn ser<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                <$def>::serialize(self, s)
            }
            fn de<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                <$def>::deserialize(d)
            }
        }
    )+};
}

remote!(
    Account => AccountDef,
    Subscription => SubscriptionDef,
    InvoiceLine => InvoiceLineDef,
    MonthlyUsage => MonthlyUsageDef,
    Product => ProductDef
);

struct One<'a, T>(&'a T);

impl<T: Remote> Serialize for One<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.ser(s)
    }
}

struct Read<T>(T);

impl<'de, T: Remote> Deserialize<'de> for Read<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::de(d).map(Read)
    }
}

impl<T: Remote> Serialize for Rows<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(One))
    }
}

impl<'de, T: Remote> Deserialize<'de> for Owned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let rows: Vec<Read<T>> = Vec::deserialize(d)?;
        Ok(Owned(rows.into_iter().map(|r| r.0).collect()))
    }
}

/// `Option<DateTime<Utc>>` as `Option<(seconds, nanoseconds)>`.
pub mod time_opt {
    use super::*;

    pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        t.map(|t| (t.timestamp(), t.timestamp_subsec_nanos()))
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<(i64, u32)>::deserialize(d)? {
            None => Ok(None),
            Some((secs, nanos)) => DateTime::from_timestamp(secs, nanos)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom("time out of range")),
        }
    }
}

/// `Option<Decimal>` as `Option<(mantissa, scale)>`.
pub mod decimal_opt {
    use super::*;

    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        v.map(|v| (v.mantissa(), v.scale())).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        match Option::<(i128, u32)>::deserialize(d)? {
            None => Ok(None),
            Some((m, scale)) => Decimal::try_from_i128_with_scale(m, scale)
                .map(Some)
                .map_err(serde::de::Error::custom),
        }
    }
}
