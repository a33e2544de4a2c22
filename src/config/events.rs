//! `[events]`: where the webhook listener binds and how it verifies deliveries.

use std::net::SocketAddr;
use std::path::PathBuf;

use p256::ecdsa::VerifyingKey;
use p256::pkcs8::DecodePublicKey;

use super::file::EventsSection;

/// Default URL path of the listener.
pub const DEFAULT_EVENTS_PATH: &str = "/talkdesk/events";

/// `[events]`, validated.
#[derive(Debug, Clone)]
pub struct EventsConfig {
    pub listen: SocketAddr,
    /// Starts with `/`.
    pub path: String,
    /// Whether signatures are required (default true).
    pub verify: bool,
    /// The journal of accepted events (JSON lines).
    pub journal: PathBuf,
    pub keys: Vec<EventKey>,
}

/// A public key that signs deliveries, by `X-Hub-Ecdsa-Signature-Id`.
#[derive(Debug, Clone)]
pub struct EventKey {
    pub id: String,
    pub key: VerifyingKey,
}

/// The default journal: `events.jsonl` in the platform data dir.
pub fn default_journal() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "tdbi").map(|d| d.data_dir().join("events.jsonl"))
}

pub fn validate(raw: EventsSection, warnings: &mut Vec<String>) -> Result<EventsConfig, String> {
    let listen: SocketAddr = raw.listen.trim().parse().map_err(|_| {
        format!(
            "events.listen: expected an address and port such as \"127.0.0.1:8787\", got \"{}\"",
            raw.listen
        )
    })?;
    let path = raw.path.unwrap_or_else(|| DEFAULT_EVENTS_PATH.to_owned());
    if !path.starts_with('/') || path.contains(char::is_whitespace) {
        return Err(format!(
            "events.path: expected a URL path starting with /, got \"{path}\""
        ));
    }
    let verify = raw.verify.unwrap_or(true);
    let journal = match raw.journal {
        Some(p) => p,
        None => default_journal()
            .ok_or("events.journal: no platform data directory; set a journal path")?,
    };
    let mut keys = Vec::with_capacity(raw.keys.len());
    for (i, entry) in raw.keys.into_iter().enumerate() {
        let key = format!("events.keys[{i}]");
        if entry.id.trim().is_empty() {
            return Err(format!("{key}.id: must not be empty"));
        }
        let pem = match (entry.public_key, entry.public_key_file) {
            (Some(pem), None) => pem,
            (None, Some(file)) => std::fs::read_to_string(&file).map_err(|e| {
                format!("{key}.public_key_file: cannot read {}: {e}", file.display())
            })?,
            _ => {
                return Err(format!(
                    "{key}: set exactly one of public_key, public_key_file"
                ));
            }
        };
        let parsed = VerifyingKey::from_public_key_pem(pem.trim()).map_err(|_| {
            format!("{key}: not a P-256 public key in PEM (-----BEGIN PUBLIC KEY-----)")
        })?;
        if keys.iter().any(|k: &EventKey| k.id == entry.id) {
            return Err(format!("{key}.id: \"{}\" is used twice", entry.id));
        }
        keys.push(EventKey {
            id: entry.id,
            key: parsed,
        });
    }
    if verify && keys.is_empty() {
        return Err("events: verify is on but no [[events.keys]] is configured; add the public key Talkdesk signs with, or set verify = false explicitly".into());
    }
    if !verify {
        warnings.push(
            "events.verify = false: unsigned events are accepted and marked unverified".into(),
        );
    }
    if !listen.ip().is_loopback() {
        warnings.push(format!(
            "events.listen: {listen} is reachable from other machines; put it behind a TLS reverse proxy"
        ));
    }
    Ok(EventsConfig {
        listen,
        path,
        verify,
        journal,
        keys,
    })
}
