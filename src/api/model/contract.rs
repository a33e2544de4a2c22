//! Contract actions and reseller contract information of one account.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de::{datetime_opt, null_default, text};
use super::raw_enum::raw_enum;

raw_enum! {
    /// What a contract action does.
    ActionType {
        /// A new subscription.
        New => "NEWTDE",
        /// An amendment of the current subscription.
        Amend => "AMENDTDE",
        /// A cancellation of the subscription.
        Cancel => "CANCELTDE",
    }
}

impl ActionType {
    /// A human label, e.g. "New subscription"; unknown types show their raw text.
    pub fn label(&self) -> &str {
        match self {
            Self::New => "New subscription",
            Self::Amend => "Amendment",
            Self::Cancel => "Cancellation",
            Self::Unknown(raw) => raw,
        }
    }
}

raw_enum! {
    /// Where a contract action stands.
    ActionStatus {
        Created => "CREATED",
        InProgress => "IN_PROGRESS",
        Completed => "COMPLETED",
        Failed => "FAILED",
    }
}

impl ActionStatus {
    /// Still being worked on (a new action would conflict).
    pub fn is_pending(&self) -> bool {
        matches!(self, Self::Created | Self::InProgress)
    }
}

/// One contract action of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractAction {
    #[serde(deserialize_with = "text")]
    pub id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub action_type: ActionType,
    /// Number of licenses.
    #[serde(default)]
    pub quantity: Option<i64>,
    #[serde(default, deserialize_with = "null_default")]
    pub status: ActionStatus,
    #[serde(default, deserialize_with = "null_default")]
    pub status_message: String,
    #[serde(default, deserialize_with = "datetime_opt")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "datetime_opt")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// The body of `POST .../contracts/actions`: subscribe, amend or cancel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewContractAction {
    pub action_type: ActionType,
    /// Number of licenses; left out of the body when `None` (a cancellation may omit it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i32>,
}

raw_enum! {
    /// The state of a reseller contract (`account_status`, `transition_status`).
    ContractStatus {
        Active => "ACTIVE",
        Suspended => "SUSPENDED",
        Canceled => "CANCELED",
        Terminated => "TERMINATED",
    }
}

/// Reseller contract information of one account (`GET .../contracts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResellerContract {
    /// The account id.
    #[serde(default, deserialize_with = "text")]
    pub id: String,
    #[serde(default)]
    pub trial: Option<bool>,
    #[serde(default, deserialize_with = "null_default")]
    pub account_status: ContractStatus,
    #[serde(default)]
    pub license_number: Option<i64>,
    /// When the next workflow transition happens.
    #[serde(default, deserialize_with = "datetime_opt")]
    pub transition_date: Option<DateTime<Utc>>,
    #[serde(default)]
    pub transition_status: Option<ContractStatus>,
}
