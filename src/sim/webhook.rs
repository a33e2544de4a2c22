//! The simulator's Events API side: signed trial lifecycle deliveries to a callback URL.
//!
//! Trial changes are turned into `app.trial_*` envelopes (the shape of the reference's
//! example), signed with a seed-derived P-256 key (DER, base64, as
//! `X-Hub-Ecdsa-Signature`) and queued, never blocking a handler: a full queue drops the
//! event with a warning. One background task delivers them in order, retrying a few times,
//! and delivers a seeded share of them twice (delivery is at least once).
//!
//! Unspecified publicly, chosen here: a trial lasts [`TRIAL_DAYS`] and an extension adds
//! [`EXTENSION_DAYS`] to the later of its expiry and now; event ids mix a per-run nonce
//! into the seed so a restarted simulator never repeats an id a journal already holds.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::pkcs8::{EncodePublicKey, LineEnding};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use url::{Host, Url};

mod deliver;

pub use deliver::deliver;

use super::TrialTransition;
use super::generate::{hex_token, mix};
use super::state::lock;

/// `X-Hub-Ecdsa-Signature-Id` of the simulator's key.
pub const KEY_ID: &str = "sim-key-1";
pub const TRIAL_DAYS: i64 = 30;
pub const EXTENSION_DAYS: i64 = 14;
/// Events waiting for delivery before new ones are dropped.
const QUEUE: usize = 1024;
/// Delivery attempts per event (the first and the retries).
const ATTEMPTS: u32 = 4;
/// Share of events delivered twice.
const DUPLICATE_RATE: f64 = 0.1;
const TAG_KEY: u64 = 0x4b45_5931;
const TAG_APP: u64 = 0x4150_5031;
const TAG_EVENT: u64 = 0x4556_4e54;
const TAG_INSTALL: u64 = 0x494e_5354;
const TAG_DUP: u64 = 0x4455_5031;

/// A change of a trial in the simulated world.
#[derive(Debug, Clone)]
pub enum TrialChange {
    Started {
        account_id: String,
        at: DateTime<Utc>,
    },
    Extended {
        account_id: String,
        at: DateTime<Utc>,
    },
    Ended(TrialTransition),
}

/// Counters of the webhook side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WebhookStats {
    /// Events signed and queued.
    pub queued: u64,
    /// Events dropped because the queue was full.
    pub dropped: u64,
    /// Deliveries answered 2xx (duplicates included).
    pub delivered: u64,
    /// Extra deliveries of an already delivered event.
    pub duplicates: u64,
    /// Events given up after every attempt failed.
    pub failed: u64,
}

#[derive(Default)]
pub struct Counters {
    queued: AtomicU64,
    dropped: AtomicU64,
    delivered: AtomicU64,
    duplicates: AtomicU64,
    failed: AtomicU64,
}

/// A signed event on its way.
pub struct Delivery {
    url: Url,
    id: String,
    body: Vec<u8>,
    signature: String,
    duplicate: bool,
}

/// What changes under the lock.
struct Outbox {
    callback: Option<Url>,
    next: u64,
    rng: SmallRng,
    /// Known expiry per account id.
    expiries: HashMap<String, DateTime<Utc>>,
}

pub struct Webhook {
    seed: u64,
    nonce: u64,
    key: SigningKey,
    public_pem: String,
    app_id: String,
    app_version_id: String,
    /// The simulator's base URL without a trailing slash (`_links.root`).
    root: String,
    outbox: Mutex<Outbox>,
    queue: mpsc::Sender<Delivery>,
    counters: Arc<Counters>,
}

/// Accepts only loopback callbacks over http(s) (the simulator talks to nothing else).
pub fn check_callback(url: &Url) -> Result<(), String> {
    let loopback = match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match (matches!(url.scheme(), "http" | "https"), loopback) {
        (true, true) => Ok(()),
        _ => Err(format!(
            "the events callback must be an http URL on loopback, not {url}"
        )),
    }
}

/// The P-256 key of `seed`: the first 32 derived bytes that make a valid scalar.
fn signing_key(seed: u64) -> SigningKey {
    let mut round = 0u64;
    loop {
        let mut bytes = [0u8; 32];
        for (j, chunk) in bytes.chunks_mut(8).enumerate() {
            chunk.copy_from_slice(&mix(seed, TAG_KEY, round * 4 + j as u64).to_be_bytes());
        }
        if let Ok(key) = SigningKey::from_slice(&bytes) {
            return key;
        }
        round += 1;
    }
}

fn event_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3f+00:00").to_string()
}

/// FNV-1a of a text, to derive per-account values.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Webhook {
    /// The webhook of a simulator on `base`; the receiver feeds [`deliver`].
    pub fn new(
        seed: u64,
        base: &Url,
        callback: Option<Url>,
    ) -> (Webhook, mpsc::Receiver<Delivery>) {
        let key = signing_key(seed);
        let public_pem = key
            .verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap_or_default();
        let nonce = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let (queue, receiver) = mpsc::channel(QUEUE);
        let webhook = Webhook {
            seed,
            nonce,
            key,
            public_pem,
            app_id: hex_token(seed, TAG_APP, 0, 32),
            app_version_id: hex_token(seed, TAG_APP, 1, 32),
            root: base.as_str().trim_end_matches('/').to_owned(),
            outbox: Mutex::new(Outbox {
                callback,
                next: 0,
                rng: SmallRng::seed_from_u64(mix(seed, TAG_DUP, 0)),
                expiries: HashMap::new(),
            }),
            queue,
            counters: Arc::new(Counters::default()),
        };
        (webhook, receiver)
    }

    pub fn public_key_pem(&self) -> &str {
        &self.public_pem
    }

    pub fn verifying_key(&self) -> p256::ecdsa::VerifyingKey {
        *self.key.verifying_key()
    }

    pub fn callback(&self) -> Option<Url> {
        lock(&self.outbox).callback.clone()
    }

    pub fn set_callback(&self, callback: Option<Url>) {
        lock(&self.outbox).callback = callback;
    }

    pub fn stats(&self) -> WebhookStats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let c = &self.counters;
        WebhookStats {
            queued: get(&c.queued),
            dropped: get(&c.dropped),
            delivered: get(&c.delivered),
            duplicates: get(&c.duplicates),
            failed: get(&c.failed),
        }
    }

    /// Signs and queues one event per change, when a callback is set. Never blocks.
    pub fn emit(&self, changes: impl IntoIterator<Item = TrialChange>) {
        let mut outbox = lock(&self.outbox);
        let Some(url) = outbox.callback.clone() else {
            return;
        };
        for change in changes {
            outbox.next += 1;
            let id = hex_token(self.seed ^ self.nonce, TAG_EVENT, outbox.next, 32);
            let body = self.envelope(&mut outbox, &id, change);
            let body = serde_json::to_vec(&body).unwrap_or_default();
            let signature: Signature = self.key.sign(&body);
            let delivery = Delivery {
                url: url.clone(),
                id,
                signature: crate::events::verify::encode_signature(signature.to_der().as_bytes()),
                body,
                duplicate: outbox.rng.random_bool(DUPLICATE_RATE),
            };
            match self.queue.try_send(delivery) {
                Ok(()) => bump(&self.counters.queued),
                Err(e) => {
                    bump(&self.counters.dropped);
                    tracing::warn!("simulator: event not queued for delivery: {e}");
                }
            }
        }
    }

    /// The envelope of one change (the shape of the reference's `app.trial_ended` example).
    fn envelope(&self, outbox: &mut Outbox, id: &str, change: TrialChange) -> Value {
        let (kind, at, account_id) = match &change {
            TrialChange::Started { account_id, at } => ("app.trial_started", *at, account_id),
            TrialChange::Extended { account_id, at } => ("app.trial_extended", *at, account_id),
            TrialChange::Ended(t) => ("app.trial_ended", t.at, &t.account_id),
        };
        let installation = hex_token(self.seed, TAG_INSTALL, fnv(account_id), 32);
        let mut data = json!({
            "installation_id": installation,
            "account_id": account_id,
        });
        let expires_at = match &change {
            TrialChange::Started { .. } => at + chrono::Duration::days(TRIAL_DAYS),
            TrialChange::Extended { .. } => {
                let current = outbox.expiries.get(account_id).copied().unwrap_or(at);
                current.max(at) + chrono::Duration::days(EXTENSION_DAYS)
            }
            TrialChange::Ended(t) => {
                data["ended_at"] = json!(event_time(t.at));
                data["ended_reason"] = json!(t.reason.as_str());
                data["ended_by"] = json!(match t.reason {
                    super::TrialEnd::PlanUpgraded => "user",
                    super::TrialEnd::TrialExpired => "system",
                });
                // "the same as the event date", says the reference.
                at
            }
        };
        match &change {
            TrialChange::Ended(_) => outbox.expiries.remove(account_id),
            _ => outbox.expiries.insert(account_id.clone(), expires_at),
        };
        data["expires_at"] = json!(event_time(expires_at));
        data["app_version_id"] = json!(self.app_version_id);
        let app = format!("{}/apps/{}", self.root, self.app_id);
        json!({
            "id": id,
            "created_at": event_time(at),
            "api_version": "1",
            "type": kind,
            "app_id": self.app_id,
            "app_version_id": self.app_version_id,
            "data": data,
            "_links": {
                "root": { "href": self.root },
                "self": { "href": format!("{app}/events/{id}") },
                "installation": { "href": format!("{app}/installations/{installation}") },
            }
        })
    }

    pub fn counters(&self) -> Arc<Counters> {
        self.counters.clone()
    }
}

pub(super) fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Event, EventKind, Verdict, Verifier};
    use p256::pkcs8::DecodePublicKey;

    fn base() -> Url {
        Url::parse("http://127.0.0.1:9").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn same_seed_same_key_and_events_verify_against_the_published_pem() {
        let cb = Url::parse("http://127.0.0.1:1/cb").ok();
        let (a, mut rx) = Webhook::new(5, &base(), cb);
        let (b, _) = Webhook::new(5, &base(), None);
        let (c, _) = Webhook::new(6, &base(), None);
        assert_eq!(a.public_key_pem(), b.public_key_pem());
        assert_ne!(a.public_key_pem(), c.public_key_pem());
        let key = p256::ecdsa::VerifyingKey::from_public_key_pem(a.public_key_pem())
            .unwrap_or_else(|e| panic!("{e}"));
        let verifier = Verifier::new(
            vec![crate::config::EventKey {
                id: KEY_ID.into(),
                key,
            }],
            true,
        );
        let now = Utc::now();
        a.emit([
            TrialChange::Started {
                account_id: "acc1".into(),
                at: now,
            },
            TrialChange::Extended {
                account_id: "acc1".into(),
                at: now,
            },
        ]);
        let mut expiries = Vec::new();
        while let Ok(d) = rx.try_recv() {
            let verdict = verifier.check(
                Some(d.signature.as_bytes()),
                Some(KEY_ID.as_bytes()),
                &d.body,
            );
            assert_eq!(
                verdict,
                Ok(Verdict::Verified {
                    key_id: KEY_ID.into()
                })
            );
            let event = Event::parse(&d.body).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                event.links.root.map(|h| h.href),
                Some("http://127.0.0.1:9".into())
            );
            match event.kind {
                EventKind::TrialStarted(t) | EventKind::TrialExtended(t) => {
                    assert_eq!(t.account_id, "acc1");
                    expiries.extend(t.expires_at);
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(expiries.len(), 2);
        let added = expiries[1] - expiries[0];
        assert_eq!(added.num_days(), EXTENSION_DAYS);
        assert_eq!(a.stats().queued, 2);
    }

    #[test]
    fn nothing_is_queued_without_a_callback_and_callbacks_are_loopback_only() {
        let (w, mut rx) = Webhook::new(1, &base(), None);
        w.emit([TrialChange::Started {
            account_id: "a".into(),
            at: Utc::now(),
        }]);
        assert!(rx.try_recv().is_err());
        for ok in [
            "http://127.0.0.1:8787/x",
            "http://localhost:1",
            "http://[::1]:2/",
        ] {
            let url = Url::parse(ok).unwrap_or_else(|e| panic!("{e}"));
            assert!(check_callback(&url).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1/x",
            "ftp://127.0.0.1/",
            "http://example.com/",
        ] {
            let url = Url::parse(bad).unwrap_or_else(|e| panic!("{e}"));
            assert!(check_callback(&url).is_err(), "{bad}");
        }
    }
}
