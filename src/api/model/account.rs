//! Accounts under an organization (`GET /express/accounts`).

use serde::{Deserialize, Serialize};

use super::de::{null_default, text};
use super::raw_enum::raw_enum;

raw_enum! {
    /// The status of a Talkdesk account.
    AccountStatus {
        Active => "ACTIVE",
        Churned => "CHURNED",
        InTrial => "IN_TRIAL",
        Inactive => "INACTIVE",
        Prospect => "PROSPECT",
        TrialLost => "TRIAL_LOST",
        Other => "OTHER",
    }
}

/// An account under an organization. Serializes with exactly the keys `id`, `name`,
/// `company_name` and `status` (the raw API text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    #[serde(deserialize_with = "text")]
    pub id: String,
    /// The Talkdesk account name, e.g. `josephpinetrees`.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// The customer's name in the CRM.
    #[serde(default, deserialize_with = "null_default")]
    pub company_name: String,
    /// Missing or null becomes an empty `Unknown` status.
    #[serde(default, deserialize_with = "null_default")]
    pub status: AccountStatus,
}
