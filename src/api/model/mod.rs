//! Domain values returned by the API client.
//!
//! Tolerant by design: a missing optional field, a null, or an enum value outside the
//! documented list never fails a page; unknown enum values keep their raw text.

mod account;
mod billing;
mod contract;
pub(crate) mod de;
mod error_body;
mod product;
mod provisioning;
mod raw_enum;

pub use account::{Account, AccountStatus, Nullable};
pub use billing::{
    BillingPeriod, InvoiceLine, MonthlyUsage, Subscription, SubscriptionStatus, UsageType,
};
pub use contract::{
    ActionStatus, ActionType, ContractAction, ContractStatus, NewContractAction, ResellerContract,
};
pub use de::parse_datetime;
pub use error_body::{ErrorBody, FieldError};
pub use product::{ChargeType, Product};
pub use provisioning::{ProvisionedAccount, TrialRequest};
