//! The bytes of a cache file: 8 magic bytes, the format version (u32, little endian),
//! then in postcard a [`Header`] (what the file holds, whose it is, when it was saved)
//! and the body (accounts, or the four billing lists).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Identity;
use super::records::{Owned, Remote, Rows};
use crate::api::model::Account;
use crate::billing::{BillingList, OrgBilling};

/// Starts every cache file.
pub const MAGIC: [u8; 8] = *b"TDBICACH";
/// Bumped whenever the layout of the header or a body changes.
pub const VERSION: u32 = 1;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Accounts,
    Billing,
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    kind: Kind,
    identity: Identity,
    saved_at: (i64, u32),
}

/// Why a file was not used.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("not a tdbi cache file")]
    NotCache,
    #[error("format version {0}, this tdbi reads version {VERSION}")]
    Version(u32),
    #[error("holds {0:?}, expected {1:?}")]
    Kind(Kind, Kind),
    #[error("written for another organization or configuration (\"{0}\")")]
    Identity(String),
    #[error("corrupt or truncated: {0}")]
    Corrupt(String),
}

fn corrupt(e: impl std::fmt::Display) -> DecodeError {
    DecodeError::Corrupt(e.to_string())
}

/// One billing list as stored: its items and when they were read.
#[derive(Serialize)]
#[serde(bound = "T: Remote")]
struct ListOut<'a, T> {
    items: Option<Rows<'a, T>>,
    read_at: Option<(i64, u32)>,
}

#[derive(Deserialize)]
#[serde(bound = "T: Remote")]
struct ListIn<T> {
    items: Option<Owned<T>>,
    read_at: Option<(i64, u32)>,
}

fn list_out<T: Remote>(list: &BillingList<T>) -> ListOut<'_, T> {
    ListOut {
        items: list.items.as_deref().map(Rows),
        read_at: list.read_at.map(pair),
    }
}

fn list_in<T: Remote>(list: ListIn<T>) -> Result<BillingList<T>, DecodeError> {
    Ok(BillingList {
        items: list.items.map(|o| Arc::from(o.0)),
        read_at: list.read_at.map(time).transpose()?,
        problem: None,
    })
}

fn pair(t: DateTime<Utc>) -> (i64, u32) {
    (t.timestamp(), t.timestamp_subsec_nanos())
}

fn time((secs, nanos): (i64, u32)) -> Result<DateTime<Utc>, DecodeError> {
    DateTime::from_timestamp(secs, nanos).ok_or_else(|| corrupt("time out of range"))
}

fn start(kind: Kind, identity: &Identity, saved_at: DateTime<Utc>) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(1 << 16);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    let header = Header {
        kind,
        identity: identity.clone(),
        saved_at: pair(saved_at),
    };
    postcard::to_io(&header, &mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// The file for `accounts` of `identity`, saved at `saved_at`.
pub fn encode_accounts(
    identity: &Identity,
    accounts: &[Account],
    saved_at: DateTime<Utc>,
) -> Result<Vec<u8>, String> {
    let mut out = start(Kind::Accounts, identity, saved_at)?;
    postcard::to_io(&Rows(accounts), &mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// The file for the billing lists of `identity` (without derived figures or problems).
pub fn encode_billing(
    identity: &Identity,
    billing: &OrgBilling,
    saved_at: DateTime<Utc>,
) -> Result<Vec<u8>, String> {
    let mut out = start(Kind::Billing, identity, saved_at)?;
    let body = (
        list_out(&billing.subscriptions),
        list_out(&billing.invoices),
        list_out(&billing.usage),
        list_out(&billing.products),
    );
    postcard::to_io(&body, &mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// Checks magic, version, kind and identity; returns the save time and the body.
fn open<'a>(
    bytes: &'a [u8],
    kind: Kind,
    identity: &Identity,
) -> Result<(DateTime<Utc>, &'a [u8]), DecodeError> {
    let rest = bytes.strip_prefix(&MAGIC).ok_or(DecodeError::NotCache)?;
    let (version, rest) = rest
        .split_first_chunk::<4>()
        .ok_or_else(|| corrupt("no version"))?;
    let version = u32::from_le_bytes(*version);
    if version != VERSION {
        return Err(DecodeError::Version(version));
    }
    let (header, body) = postcard::take_from_bytes::<Header>(rest).map_err(corrupt)?;
    if header.kind != kind {
        return Err(DecodeError::Kind(header.kind, kind));
    }
    if header.identity != *identity {
        return Err(DecodeError::Identity(header.identity.name));
    }
    Ok((time(header.saved_at)?, body))
}

/// Decodes the whole body as `T`; trailing bytes are corruption.
fn body<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, DecodeError> {
    let (value, rest) = postcard::take_from_bytes::<T>(body).map_err(corrupt)?;
    if !rest.is_empty() {
        return Err(corrupt(format!("{} bytes after the end", rest.len())));
    }
    Ok(value)
}

/// The accounts of a file written by [`encode_accounts`] for `identity`.
pub fn decode_accounts(
    bytes: &[u8],
    identity: &Identity,
) -> Result<(Vec<Account>, DateTime<Utc>), DecodeError> {
    let (saved_at, rest) = open(bytes, Kind::Accounts, identity)?;
    let Owned(accounts) = body(rest)?;
    Ok((accounts, saved_at))
}

type BillingBody = (
    ListIn<crate::api::model::Subscription>,
    ListIn<crate::api::model::InvoiceLine>,
    ListIn<crate::api::model::MonthlyUsage>,
    ListIn<crate::api::model::Product>,
);

/// The billing lists of a file written by [`encode_billing`] (not derived yet).
pub fn decode_billing(
    bytes: &[u8],
    identity: &Identity,
) -> Result<(OrgBilling, DateTime<Utc>), DecodeError> {
    let (saved_at, rest) = open(bytes, Kind::Billing, identity)?;
    let (subscriptions, invoices, usage, products): BillingBody = body(rest)?;
    let billing = OrgBilling {
        subscriptions: list_in(subscriptions)?,
        invoices: list_in(invoices)?,
        usage: list_in(usage)?,
        products: list_in(products)?,
        derived: Default::default(),
    };
    Ok((billing, saved_at))
}
