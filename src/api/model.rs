//! Domain values returned by the API client.

/// An account under an organization.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub company_name: String,
    pub status: String,
}

/// One contract action of an account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ContractAction {
    pub id: String,
}
