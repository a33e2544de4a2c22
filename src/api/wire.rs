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
