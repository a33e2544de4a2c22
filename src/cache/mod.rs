//! The cache on disk: each organization's accounts and billing lists as last synced,
//! so the dashboard shows them at once on the next start (marked "cached, N ago")
//! while the first sync runs.
//!
//! Two files per organization in the cache dir, `<org>-<hash>.accounts.cache` and
//! `.billing.cache`, each replaced atomically (mode 0600). A header holds the format
//! version and the organization's identity (name, API base URL, client id; never a
//! secret or a token): a file from another version or configuration is ignored.

mod file;
pub mod format;
pub mod records;
mod tasks;

use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::OrgEndpoint;
use crate::api::model::Account;
use crate::billing::OrgBilling;

pub use file::write_atomic;
pub use format::DecodeError;
pub use tasks::{CacheSetup, cached_accounts, cached_billing, load, tee};

/// The suffixes of the files this module writes (all `clear` removes).
const ACCOUNTS: &str = ".accounts.cache";
const BILLING: &str = ".billing.cache";

/// Whose data a file holds. Compared whole: a change of name, API base or client id
/// makes the old file unusable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub name: String,
    pub api_base: String,
    pub client_id: String,
}

impl Identity {
    pub fn new(name: &str, api_base: &url::Url, client_id: &str) -> Self {
        Identity {
            name: name.to_owned(),
            api_base: api_base.as_str().to_owned(),
            client_id: client_id.to_owned(),
        }
    }

    pub fn of_endpoint(endpoint: &OrgEndpoint) -> Self {
        Self::new(&endpoint.name, &endpoint.api_base, &endpoint.client_id)
    }

    pub fn of_org(org: &crate::config::Organization) -> Self {
        Self::new(&org.name, &org.api_base, &org.client_id)
    }

    /// The file name stem: the name's letters and digits, and a hash of the whole name
    /// (names differ case-insensitively, so the hash takes the lowercase name).
    fn stem(&self) -> String {
        let lower = self.name.to_lowercase();
        let readable: String = lower
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .take(40)
            .collect();
        let hash = lower.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        format!("{}-{:08x}", readable.trim_matches('-'), hash as u32)
    }
}

/// The platform cache dir (`~/.cache/tdbi` on Linux).
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "tdbi").map(|d| d.cache_dir().to_owned())
}

/// A cache directory.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(dir: PathBuf) -> Self {
        Cache { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn accounts_path(&self, identity: &Identity) -> PathBuf {
        self.dir.join(format!("{}{ACCOUNTS}", identity.stem()))
    }

    pub fn billing_path(&self, identity: &Identity) -> PathBuf {
        self.dir.join(format!("{}{BILLING}", identity.stem()))
    }

    /// Writes `accounts` (encoded and replaced atomically).
    pub fn save_accounts(
        &self,
        identity: &Identity,
        accounts: &[Account],
        saved_at: DateTime<Utc>,
    ) -> io::Result<()> {
        let bytes =
            format::encode_accounts(identity, accounts, saved_at).map_err(io::Error::other)?;
        write_atomic(&self.accounts_path(identity), &bytes)
    }

    /// Writes the four billing lists.
    pub fn save_billing(
        &self,
        identity: &Identity,
        billing: &OrgBilling,
        saved_at: DateTime<Utc>,
    ) -> io::Result<()> {
        let bytes =
            format::encode_billing(identity, billing, saved_at).map_err(io::Error::other)?;
        write_atomic(&self.billing_path(identity), &bytes)
    }

    /// The cached accounts and when they were saved; `None` (logged) when there is no
    /// usable file.
    pub fn load_accounts(&self, identity: &Identity) -> Option<(Vec<Account>, DateTime<Utc>)> {
        let path = self.accounts_path(identity);
        let bytes = read(&path)?;
        usable(&path, format::decode_accounts(&bytes, identity))
    }

    /// The cached billing lists (not derived) and when they were saved.
    pub fn load_billing(&self, identity: &Identity) -> Option<(OrgBilling, DateTime<Utc>)> {
        let path = self.billing_path(identity);
        let bytes = read(&path)?;
        usable(&path, format::decode_billing(&bytes, identity))
    }

    /// Removes every cache file (and leftover temporary file) in the directory; returns
    /// how many. A missing directory holds none.
    pub fn clear(&self) -> io::Result<usize> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let mut removed = 0;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let ours = name.ends_with(ACCOUNTS)
                || name.ends_with(BILLING)
                || (name.starts_with('.') && name.ends_with(".tmp") && name.contains(".cache."));
            if ours {
                std::fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

fn read(path: &Path) -> Option<Vec<u8>> {
    match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            tracing::info!("cache: no {}", path.display());
            None
        }
        Err(e) => {
            tracing::warn!("cache: cannot read {}: {e}", path.display());
            None
        }
    }
}

fn usable<T>(path: &Path, decoded: Result<T, DecodeError>) -> Option<T> {
    match decoded {
        Ok(value) => Some(value),
        Err(e) => {
            tracing::warn!("cache: ignored {}: {e}", path.display());
            None
        }
    }
}
