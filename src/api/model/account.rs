//! Accounts under an organization (`GET /express/accounts`).

use compact_str::CompactString;
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
    pub id: CompactString,
    /// The Talkdesk account name, e.g. `josephpinetrees`.
    #[serde(default, deserialize_with = "null_default")]
    pub name: CompactString,
    /// The customer's name in the CRM; a null stays null in JSON output.
    #[serde(default)]
    pub company_name: Nullable,
    /// Missing or null becomes an empty `Unknown` status.
    #[serde(default, deserialize_with = "null_default")]
    pub status: AccountStatus,
}

/// Text the API may send as null. It reads as text (`""` for null) where it is shown,
/// and serializes back as null, so `--format json` keeps the API's null.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Nullable(Option<CompactString>);

impl Nullable {
    pub fn as_str(&self) -> &str {
        self.0.as_deref().unwrap_or("")
    }

    /// The text, `None` when the API sent null (or nothing).
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl std::ops::Deref for Nullable {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Nullable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<String> for Nullable {
    fn from(text: String) -> Self {
        Nullable(Some(text.into()))
    }
}

impl From<&str> for Nullable {
    fn from(text: &str) -> Self {
        Nullable(Some(text.into()))
    }
}

impl From<Option<String>> for Nullable {
    fn from(text: Option<String>) -> Self {
        Nullable(text.map(CompactString::from))
    }
}

impl PartialEq<str> for Nullable {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Nullable {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_null_company_stays_null() {
        let json = r#"[{"id": "a", "name": "n", "company_name": null, "status": "ACTIVE"},
                       {"id": "b", "name": "n", "status": "ACTIVE"},
                       {"id": "c", "name": "n", "company_name": "", "status": "ACTIVE"}]"#;
        let accounts: Vec<Account> = serde_json::from_str(json).unwrap();
        assert_eq!(accounts[0].company_name.get(), None);
        assert_eq!(accounts[0].company_name.as_str(), "");
        assert_eq!(accounts[1].company_name.get(), None);
        assert_eq!(accounts[2].company_name.get(), Some(""));
        let back = serde_json::to_value(&accounts).unwrap();
        assert!(back[0]["company_name"].is_null());
        assert_eq!(back[2]["company_name"], "");
    }
}
