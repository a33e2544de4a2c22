//! The API's endpoints: method, path and the OAuth scope each one needs.

use std::fmt;

use url::Url;

use super::error::ApiError;

/// One operation of the remote API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    Accounts,
    ContractActions,
    CreateContractAction,
    ResellerContract,
    ProvisionTrial,
    Subscriptions,
    Invoices,
    MonthlyUsage,
    Products,
}

impl Endpoint {
    /// The scope the reference lists for this endpoint.
    pub fn scope(self) -> &'static str {
        match self {
            Self::Accounts => "express-accounts:read",
            // Sic: the reference lists the write scope for the read as well.
            Self::ContractActions | Self::CreateContractAction => {
                "express-accounts-contracts-actions:write"
            }
            Self::ResellerContract => "express-accounts-contracts:read",
            Self::ProvisionTrial => "express-provisioning:write",
            Self::Subscriptions => "express-accounts-subscriptions:read",
            Self::Invoices => "express-accounts-invoices:read",
            Self::MonthlyUsage => "express-accounts-usage:read",
            Self::Products => "express-products:read",
        }
    }

    /// What tdbi uses the endpoint for: the feature its scope unlocks.
    pub fn feature(self) -> &'static str {
        match self {
            Self::Accounts => "accounts list",
            Self::ContractActions => "contract actions in the account view",
            Self::CreateContractAction => "creating contract actions",
            Self::ResellerContract => "reseller contract information",
            Self::ProvisionTrial => "trial provisioning",
            Self::Subscriptions => "MRR, ARR, renewals and paying accounts",
            Self::Invoices => "invoiced per month",
            Self::MonthlyUsage => "usage per month",
            Self::Products => "MRR by unit of measure (else billing period only)",
        }
    }

    /// The features a scope unlocks (every endpoint needing it), joined with `; `.
    pub fn features_of(scope: &str) -> String {
        let features: Vec<&str> = Self::ALL
            .iter()
            .filter(|e| e.scope() == scope)
            .map(|e| e.feature())
            .collect();
        features.join("; ")
    }

    /// Every endpoint, in the reference's order.
    pub const ALL: [Endpoint; 9] = [
        Self::Accounts,
        Self::ContractActions,
        Self::CreateContractAction,
        Self::ResellerContract,
        Self::ProvisionTrial,
        Self::Subscriptions,
        Self::Invoices,
        Self::MonthlyUsage,
        Self::Products,
    ];

    /// Every distinct scope the client can use.
    pub fn all_scopes() -> Vec<&'static str> {
        let mut scopes: Vec<&'static str> = Self::ALL.iter().map(|e| e.scope()).collect();
        scopes.dedup();
        scopes
    }

    pub(crate) fn method(self) -> reqwest::Method {
        match self {
            Self::CreateContractAction | Self::ProvisionTrial => reqwest::Method::POST,
            _ => reqwest::Method::GET,
        }
    }

    /// The path's segments; `{account_id}` is a placeholder.
    fn template(self) -> &'static [&'static str] {
        match self {
            Self::Accounts => &["express", "accounts"],
            Self::ContractActions | Self::CreateContractAction => {
                &["express", "accounts", ACCOUNT_ID, "contracts", "actions"]
            }
            Self::ResellerContract => &["express", "accounts", ACCOUNT_ID, "contracts"],
            Self::ProvisionTrial => &["express", "provisioning", "account"],
            Self::Subscriptions => &["express", "subscriptions"],
            Self::Invoices => &["express", "invoices"],
            Self::MonthlyUsage => &["express", "usage", "month"],
            Self::Products => &["express", "products"],
        }
    }

    /// The endpoint's URL under `base`; `account_id` is percent-encoded as one segment.
    pub(crate) fn url(self, base: &Url, account_id: Option<&str>) -> Result<Url, ApiError> {
        let mut url = base.clone();
        url.set_query(None);
        url.set_fragment(None);
        {
            let mut segments = url.path_segments_mut().map_err(|()| ApiError::InvalidUrl {
                detail: format!("API base URL `{base}` cannot have a path"),
            })?;
            segments.pop_if_empty();
            for &segment in self.template() {
                if segment == ACCOUNT_ID {
                    segments.push(account_id.unwrap_or_default());
                } else {
                    segments.push(segment);
                }
            }
        }
        Ok(url)
    }
}

const ACCOUNT_ID: &str = "{account_id}";

impl fmt::Display for Endpoint {
    /// The method and path template, e.g. `GET /express/accounts`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} /{}", self.method(), self.template().join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_keep_the_base_path_and_encode_the_account_id() {
        let base: Url = "https://proxy.example/td".parse().unwrap();
        let url = Endpoint::ContractActions.url(&base, Some("a/b?c")).unwrap();
        assert_eq!(
            url.as_str(),
            "https://proxy.example/td/express/accounts/a%2Fb%3Fc/contracts/actions"
        );
        let base: Url = "http://127.0.0.1:1/?x=1".parse().unwrap();
        let url = Endpoint::MonthlyUsage.url(&base, None).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:1/express/usage/month");
        assert_eq!(
            Endpoint::ResellerContract.to_string(),
            "GET /express/accounts/{account_id}/contracts"
        );
    }

    #[test]
    fn every_endpoint_has_its_documented_scope() {
        assert_eq!(Endpoint::Accounts.scope(), "express-accounts:read");
        assert_eq!(
            Endpoint::ContractActions.scope(),
            "express-accounts-contracts-actions:write"
        );
        assert_eq!(Endpoint::all_scopes().len(), 8);
    }

    #[test]
    fn every_scope_names_its_features() {
        assert_eq!(
            Endpoint::features_of("express-accounts-contracts-actions:write"),
            "contract actions in the account view; creating contract actions"
        );
        assert_eq!(
            Endpoint::features_of("express-products:read"),
            "MRR by unit of measure (else billing period only)"
        );
        assert!(
            Endpoint::all_scopes()
                .iter()
                .all(|s| !Endpoint::features_of(s).is_empty())
        );
        assert_eq!(Endpoint::features_of("unknown:read"), "");
    }
}
