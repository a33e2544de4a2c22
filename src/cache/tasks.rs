//! The cache's two jobs beside the app loop: loading each organization's files on a
//! blocking thread at start ([`load`]), and saving what each successful sync or billing
//! read brings on its way to the app ([`tee`]). Neither runs on the UI task.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{Cache, Identity, format};
use crate::store::{AccountsBase, AccountsSource, Update};

/// Where the cache is and whose files it holds (index = organization index).
#[derive(Debug, Clone)]
pub struct CacheSetup {
    pub cache: Cache,
    pub identities: Vec<Identity>,
}

impl CacheSetup {
    /// The configured cache for the configured organizations; `None` when it is off
    /// (`[cache] enabled = false`, `--no-cache`) or there is no cache dir.
    pub fn from_config(config: &crate::config::Config) -> Option<CacheSetup> {
        if !config.cache.enabled {
            tracing::info!("cache: off");
            return None;
        }
        let Some(dir) = config.cache.dir.clone() else {
            tracing::warn!("cache: no platform cache directory; set [cache] dir");
            return None;
        };
        Some(CacheSetup {
            cache: Cache::new(dir),
            identities: config.organizations.iter().map(Identity::of_org).collect(),
        })
    }
}

/// Loads every organization's cache on a blocking thread and sends what was found as
/// updates: every organization's accounts first ([`Update::AccountsPrepared`]), in
/// configuration order (the first tab's first), then each one's billing lists once
/// derived there, so a large billing file never delays or competes with any accounts.
/// Files that are missing or unusable are logged and skipped.
pub fn load(setup: Arc<CacheSetup>, updates: mpsc::Sender<Update>) {
    tokio::task::spawn_blocking(move || {
        let orgs = 0..setup.identities.len();
        let accounts = orgs.clone().filter_map(|org| cached_accounts(&setup, org));
        let billing = orgs.filter_map(|org| cached_billing(&setup, org));
        for update in accounts.chain(billing) {
            if updates.blocking_send(update).is_err() {
                return; // the app is gone
            }
        }
    });
}

/// Organization `org`'s cached accounts as an update, if usable: prepared here as a
/// whole slot table (index, keys, counts), so the UI task only installs it.
pub fn cached_accounts(setup: &CacheSetup, org: usize) -> Option<Update> {
    let identity = setup.identities.get(org)?;
    let started = std::time::Instant::now();
    let (accounts, saved_at) = setup.cache.load_accounts(identity)?;
    let count = accounts.len();
    let prepared = Box::new(AccountsBase::default().prepare(accounts));
    tracing::info!(org = identity.name, accounts = count, took = ?started.elapsed(), "cache: accounts loaded");
    Some(Update::AccountsPrepared {
        org,
        prepared,
        source: AccountsSource::Cached { saved_at },
    })
}

/// Organization `org`'s cached billing lists, derived, as an update, if usable.
pub fn cached_billing(setup: &CacheSetup, org: usize) -> Option<Update> {
    let identity = setup.identities.get(org)?;
    let started = std::time::Instant::now();
    let (mut billing, saved_at) = setup.cache.load_billing(identity)?;
    billing.derive(org, Utc::now());
    tracing::info!(org = identity.name, took = ?started.elapsed(), "cache: billing loaded");
    Some(Update::Cached {
        org,
        accounts: None,
        billing: Some(Arc::new(billing)),
        saved_at,
    })
}

/// Forwards every update from the sync tasks to the app, saving the accounts of each
/// successful sync and the billing lists of each billing read on the way (encoded on a
/// blocking thread, written on another after forwarding). Ends when either side closes.
pub fn tee(
    setup: Arc<CacheSetup>,
    mut from: mpsc::Receiver<Update>,
    to: mpsc::Sender<Update>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut writes: HashMap<PathBuf, JoinHandle<()>> = HashMap::new();
        while let Some(update) = from.recv().await {
            let (update, save) = encode(&setup, update).await;
            let Some(update) = update else { continue };
            if to.send(update).await.is_err() {
                break;
            }
            if let Some((path, bytes)) = save {
                // One write per file at a time, in order.
                if let Some(previous) = writes.remove(&path) {
                    let _ = previous.await;
                }
                let target = path.clone();
                let write = tokio::task::spawn_blocking(move || {
                    let started = std::time::Instant::now();
                    match super::write_atomic(&target, &bytes) {
                        Ok(()) => tracing::debug!(
                            bytes = bytes.len(),
                            took = ?started.elapsed(),
                            "cache: wrote {}",
                            target.display()
                        ),
                        Err(e) => tracing::warn!("cache: cannot write {}: {e}", target.display()),
                    }
                });
                writes.insert(path, write);
            }
        }
        for (_, write) in writes {
            let _ = write.await;
        }
    })
}

/// The update back (lost only if the encoding thread died), and the file to write.
async fn encode(
    setup: &Arc<CacheSetup>,
    update: Update,
) -> (Option<Update>, Option<(PathBuf, Vec<u8>)>) {
    let Some(identity) = update.org().and_then(|o| setup.identities.get(o)).cloned() else {
        return (Some(update), None);
    };
    let path = match &update {
        Update::AccountsSynced { .. } => setup.cache.accounts_path(&identity),
        Update::BillingSynced { .. } => setup.cache.billing_path(&identity),
        _ => return (Some(update), None),
    };
    let encoded = tokio::task::spawn_blocking(move || {
        let bytes = match &update {
            Update::AccountsSynced { accounts, at, .. } => {
                format::encode_accounts(&identity, accounts, *at)
            }
            Update::BillingSynced { billing, at, .. } => {
                format::encode_billing(&identity, billing, *at)
            }
            _ => Err("nothing to save".to_owned()),
        };
        (update, bytes)
    })
    .await;
    match encoded {
        Ok((update, Ok(bytes))) => (Some(update), Some((path, bytes))),
        Ok((update, Err(e))) => {
            tracing::warn!("cache: cannot encode {}: {e}", path.display());
            (Some(update), None)
        }
        Err(e) => {
            // The update went down with the blocking thread; the next sync brings another.
            tracing::error!("cache: encoding thread failed: {e}");
            (None, None)
        }
    }
}
