//! State shared by the handlers and the [`super::SimHandle`]. Locks are std mutexes,
//! held only for short synchronous work, never across an `.await`.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use rand::rngs::SmallRng;
use url::Url;

use super::auth::Auth;
use super::provision::Limiter;
use super::webhook::Webhook;
use super::world::World;
use super::{Faults, LinkStyle, ScriptedFault, SimStats};

pub struct Shared {
    /// `http://127.0.0.1:PORT`, without a trailing path.
    pub base: Url,
    pub world: Mutex<World>,
    pub auth: Mutex<Auth>,
    pub knobs: Mutex<Knobs>,
    pub limiter: Mutex<Limiter>,
    pub stats: Stats,
    /// Bodies of `POST .../contracts/actions` requests, as received (tests read them).
    pub action_bodies: Mutex<Vec<Vec<u8>>>,
    /// Signed trial events to the events callback.
    pub webhook: Webhook,
}

/// Runtime-changeable behaviour.
pub struct Knobs {
    pub faults: Faults,
    pub script: VecDeque<ScriptedFault>,
    pub link_style: LinkStyle,
    pub max_per_page: u32,
    pub rng: SmallRng,
}

#[derive(Default)]
pub struct Stats {
    pub tokens_issued: AtomicU64,
    pub tokens_refused: AtomicU64,
    pub api_requests: AtomicU64,
    pub unauthorized: AtomicU64,
    pub throttled: AtomicU64,
    pub action_posts: AtomicU64,
    pub provisioning_posts: AtomicU64,
}

impl Stats {
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> SimStats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        SimStats {
            tokens_issued: get(&self.tokens_issued),
            tokens_refused: get(&self.tokens_refused),
            api_requests: get(&self.api_requests),
            unauthorized: get(&self.unauthorized),
            throttled: get(&self.throttled),
            action_posts: get(&self.action_posts),
            provisioning_posts: get(&self.provisioning_posts),
        }
    }
}

/// Locks, recovering the data if a handler panicked while holding it.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
