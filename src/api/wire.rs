//! Wire shapes that are not domain values: the paging envelope and its links.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};
use url::Url;

use super::model::{Account, ContractAction, InvoiceLine, MonthlyUsage, Product, Subscription};

/// An item of a paged list: its key under `_embedded` and its identity.
pub(crate) trait Keyed: DeserializeOwned + Send + 'static {
    /// The key of the item array under `_embedded`.
    const KEY: &'static str;
    fn id(&self) -> &str;
}

macro_rules! keyed {
    ($($ty:ty => $key:literal),+ $(,)?) => {
        $(impl Keyed for $ty {
            const KEY: &'static str = $key;
            fn id(&self) -> &str {
                &self.id
            }
        })+
    };
}

keyed! {
    Account => "accounts",
    ContractAction => "contract_actions",
    Subscription => "subscriptions",
    InvoiceLine => "invoices",
    MonthlyUsage => "usage",
    Product => "products",
}

/// One page of a list endpoint. Every counter is optional: the pager copes without.
#[derive(Deserialize)]
#[serde(bound = "T: Keyed")]
pub(crate) struct Page<T> {
    #[serde(default)]
    pub count: Option<u64>,
    #[serde(default)]
    pub per_page: Option<u32>,
    #[serde(default)]
    pub total: Option<u64>,
    #[serde(default)]
    pub total_pages: Option<u32>,
    /// `None` when `_embedded` or its key is absent.
    #[serde(rename = "_embedded", default)]
    pub items: Option<Embedded<T>>,
    #[serde(rename = "_links", default)]
    pub links: Option<Links>,
}

impl<T> Page<T> {
    pub(crate) fn next_href(&self) -> Option<&str> {
        self.links.as_ref()?.next.as_ref().map(|l| l.href.as_str())
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct Links {
    #[serde(default)]
    pub next: Option<Link>,
}

#[derive(Deserialize)]
pub(crate) struct Link {
    pub href: String,
}

/// The item array found under `_embedded.<T::KEY>`; other keys are skipped unread.
pub(crate) struct Embedded<T>(pub Option<Vec<T>>);

impl<'de, T: Keyed> Deserialize<'de> for Embedded<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EmbeddedVisitor(PhantomData))
    }
}

struct EmbeddedVisitor<T>(PhantomData<T>);

impl<'de, T: Keyed> Visitor<'de> for EmbeddedVisitor<T> {
    type Value = Embedded<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with the array `{}`", T::KEY)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut items = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == T::KEY {
                if items.is_some() {
                    return Err(de::Error::duplicate_field(T::KEY));
                }
                items = map.next_value::<Option<Vec<T>>>()?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Embedded(items))
    }
}

/// Resolves a `_links` href (absolute, or relative to the API base) and refuses one that
/// leaves the API's origin: the request would carry our bearer token elsewhere.
pub(crate) fn resolve_link(api_base: &Url, href: &str) -> Result<Url, String> {
    let url = api_base
        .join(href.trim())
        .map_err(|e| format!("unusable link `{}` ({e})", super::error::one_line(href, 80)))?;
    if url.origin() != api_base.origin() {
        return Err(format!(
            "link `{}` leaves the API host",
            super::error::one_line(href, 80)
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{AccountStatus, ActionStatus, ActionType};

    /// The "Get Accounts" reference example, with links as the reference describes them.
    const ACCOUNTS_PAGE: &str = r#"{
        "count": 2, "page": 2, "per_page": 50, "total": 425, "total_pages": 9,
        "_embedded": {"accounts": [
            {"id": "5ea75fe7aa224700012eae40", "name": "josephpinetrees",
             "company_name": "Joseph Pinetrees Inc.", "status": "ACTIVE"},
            {"id": 123245132132, "name": null, "status": "FROZEN", "extra": {"x": [1, 2]}}
        ]},
        "_links": {
            "first": {"href": "https://api.talkdeskapp.com/express/accounts?page=1&per_page=50"},
            "prev": {"href": "https://api.talkdeskapp.com/express/accounts?page=1&per_page=50"},
            "self": {"href": "https://api.talkdeskapp.com/express/accounts?page=2&per_page=50"},
            "next": {"href": "https://api.talkdeskapp.com/express/accounts?page=3&per_page=50"},
            "last": {"href": "https://api.talkdeskapp.com/express/accounts?page=9&per_page=50"}
        }
    }"#;

    #[test]
    fn the_accounts_reference_page_parses_tolerantly() {
        let page: Page<Account> = serde_json::from_str(ACCOUNTS_PAGE).unwrap();
        assert_eq!(
            (page.total, page.total_pages, page.per_page),
            (Some(425), Some(9), Some(50))
        );
        assert_eq!(
            page.next_href(),
            Some("https://api.talkdeskapp.com/express/accounts?page=3&per_page=50")
        );
        let items = page.items.and_then(|e| e.0).unwrap();
        assert_eq!(items[0].company_name, "Joseph Pinetrees Inc.");
        assert_eq!(items[0].status, AccountStatus::Active);
        // A numeric id is kept as text, null and missing become empty, unknown stays raw.
        assert_eq!(items[1].id, "123245132132");
        assert_eq!(
            (items[1].name.as_str(), items[1].company_name.as_str()),
            ("", "")
        );
        assert_eq!(items[1].status, AccountStatus::Unknown("FROZEN".into()));
    }

    #[test]
    fn the_contract_actions_reference_page_parses() {
        let page: Page<ContractAction> = serde_json::from_str(
            r#"{"count": 1, "page": 1, "per_page": 50, "total": 1, "total_pages": 1,
                "_embedded": {"contract_actions": [{"id": "123245132132", "action_type": "NEWTDE",
                "quantity": 10, "status": "CREATED",
                "status_message": "Contract action created successfully.",
                "created_at": "2022-03-10T16:15:50Z", "updated_at": "2022-03-10T16:15:50Z"}]},
                "_links": {"self": {"href": "/express/accounts/a/contracts/actions?page=1"}}}"#,
        )
        .unwrap();
        assert!(page.next_href().is_none());
        let action = &page.items.and_then(|e| e.0).unwrap()[0];
        assert_eq!(action.action_type, ActionType::New);
        assert_eq!(action.status, ActionStatus::Created);
        assert_eq!(action.quantity, Some(10));
        assert_eq!(
            action.created_at.map(|t| t.to_rfc3339()),
            Some("2022-03-10T16:15:50+00:00".into())
        );
    }

    #[test]
    fn a_page_without_embedded_items_or_counters_still_parses() {
        let page: Page<Account> = serde_json::from_str(r#"{"_embedded": {"other": [1]}}"#).unwrap();
        assert!(page.items.unwrap().0.is_none());
        assert_eq!(
            (page.total, page.total_pages, page.count),
            (None, None, None)
        );
        let page: Page<Account> = serde_json::from_str("{}").unwrap();
        assert!(page.items.is_none() && page.links.is_none());
    }

    #[test]
    fn an_item_without_its_id_fails_the_page_with_a_named_field() {
        let err = serde_json::from_str::<Page<Account>>(
            r#"{"_embedded": {"accounts": [{"name": "x"}]}}"#,
        )
        .err()
        .unwrap();
        assert!(err.to_string().contains("missing field `id`"), "{err}");
    }

    #[test]
    fn links_resolve_absolute_and_relative_but_never_off_host() {
        let base: Url = "http://127.0.0.1:8080/".parse().unwrap();
        let abs = resolve_link(
            &base,
            "http://127.0.0.1:8080/express/accounts?page=2&per_page=100",
        );
        assert_eq!(
            abs.unwrap().as_str(),
            "http://127.0.0.1:8080/express/accounts?page=2&per_page=100"
        );
        let rel = resolve_link(&base, "/express/accounts?page=3");
        assert_eq!(
            rel.unwrap().as_str(),
            "http://127.0.0.1:8080/express/accounts?page=3"
        );
        let nested: Url = "https://proxy.example/td/".parse().unwrap();
        let rel = resolve_link(&nested, "express/accounts?page=2").unwrap();
        assert_eq!(
            rel.as_str(),
            "https://proxy.example/td/express/accounts?page=2"
        );
        assert!(resolve_link(&base, "http://127.0.0.1:9999/express/accounts").is_err());
        assert!(resolve_link(&base, "https://evil.example/steal").is_err());
        assert!(resolve_link(&base, "//evil.example/steal").is_err());
        assert!(resolve_link(&base, "http://[::1").is_err());
    }
}
