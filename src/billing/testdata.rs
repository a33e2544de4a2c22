//! Small builders of API values for the billing tests.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::api::model::{
    BillingPeriod, InvoiceLine, MonthlyUsage, Product, Subscription, SubscriptionStatus, UsageType,
};

pub fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).expect("test decimal")
}

/// An ACTIVATED subscription with no dates and no product.
pub fn sub(
    id: &str,
    account: &str,
    currency: &str,
    period: &str,
    qty: i64,
    price: &str,
) -> Subscription {
    Subscription {
        id: id.into(),
        account_id: account.into(),
        contract_number: None,
        currency: Some(currency.into()),
        billing_period: Some(BillingPeriod::from_raw(period)),
        status: Some(SubscriptionStatus::Activated),
        term: None,
        start_date: None,
        end_date: None,
        edition: None,
        auto_renewal: None,
        renewal_uplift: None,
        product_id: None,
        quantity: Some(Decimal::from(qty)),
        unit_price: Some(dec(price)),
        billing_frequency: None,
    }
}

pub fn product(id: &str, unit: &str) -> Product {
    Product {
        id: id.into(),
        name: format!("Product {id}"),
        family: None,
        unit_of_measure: Some(unit.into()),
        charge_type: None,
    }
}

/// An invoice line dated `date` (RFC 3339).
pub fn line(
    id: &str,
    number: &str,
    date: &str,
    currency: &str,
    amount: &str,
    total: &str,
) -> InvoiceLine {
    InvoiceLine {
        id: id.into(),
        account_id: "a".into(),
        number: Some(number.into()),
        date: Some(date.parse().expect("test date")),
        currency: Some(currency.into()),
        total_invoice_amount: Some(dec(total)),
        product_id: None,
        description: None,
        quantity: None,
        rate: None,
        amount: Some(dec(amount)),
    }
}

pub fn usage(month: &str, kind: &str, currency: &str, qty: &str, amount: &str) -> MonthlyUsage {
    MonthlyUsage {
        id: format!("{month}-{kind}"),
        account_id: "a".into(),
        product_id: None,
        aggr_product_id: None,
        month: month.into(),
        usage_type: Some(UsageType::from_raw(kind)),
        description: None,
        currency: Some(currency.into()),
        quantity: Some(dec(qty)),
        amount: Some(dec(amount)),
        total_amount: None,
    }
}
