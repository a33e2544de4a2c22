//! The configuration file as written: serde structs mirroring `config.example.toml`.
//!
//! Only shape lives here; meaning (regions, URLs, secrets) is checked in `validate`.

use serde::Deserialize;

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(default)]
    pub sync: SyncSection,
    #[serde(default)]
    pub organizations: Vec<OrganizationEntry>,
    /// `[events]`: the webhook listener for Talkdesk Events API deliveries.
    pub events: Option<EventsSection>,
    /// `[theme]`: colour overrides, key → colour name or `#rrggbb`.
    #[serde(default)]
    pub theme: std::collections::BTreeMap<String, String>,
    /// `[cache]`: the accounts and billing lists kept on disk between runs.
    #[serde(default)]
    pub cache: super::cache::CacheSection,
    /// `[export]`: where `x` writes CSV files.
    #[serde(default)]
    pub export: ExportSection,
    /// `[[views]]`: saved views, shown as tabs after "All organizations".
    #[serde(default)]
    pub views: Vec<super::views::ViewEntry>,
}

/// `[sync]`: how organizations are read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SyncSection {
    pub interval_secs: u64,
    pub billing_interval_secs: u64,
    pub per_page: u32,
    pub max_concurrency: usize,
    pub request_timeout_secs: u64,
    pub max_retries: u32,
    pub prefetch_per_minute: u32,
}

impl Default for SyncSection {
    fn default() -> Self {
        Self {
            interval_secs: 60,
            billing_interval_secs: 3600,
            per_page: 100,
            max_concurrency: 4,
            request_timeout_secs: 30,
            max_retries: 4,
            prefetch_per_minute: 60,
        }
    }
}

/// One `[[organizations]]` entry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationEntry {
    pub name: String,
    pub region: String,
    pub account: String,
    pub client_id: String,
    pub client_secret_env: Option<String>,
    pub client_secret_command: Option<String>,
    /// Seconds `client_secret_command` may run (default 30).
    pub client_secret_command_timeout_secs: Option<u64>,
    pub client_secret: Option<String>,
    pub api_base_url: Option<String>,
    pub token_url: Option<String>,
    pub scopes: Option<Vec<String>>,
    /// Where `O` opens an account: `{name}` / `{id}` are replaced (default per region).
    pub account_url: Option<String>,
    /// Refuse every write (trials, contract actions) for this organization.
    pub read_only: Option<bool>,
}

/// Hand-written so that a plain `client_secret` never reaches a log or an error.
impl std::fmt::Debug for OrganizationEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OrganizationEntry")
            .field("name", &self.name)
            .field("region", &self.region)
            .field("account", &self.account)
            .field("client_id", &self.client_id)
            .field("client_secret_env", &self.client_secret_env)
            .field(
                "client_secret_command",
                &self.client_secret_command.as_ref().map(|_| "[redacted]"),
            )
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("api_base_url", &self.api_base_url)
            .field("token_url", &self.token_url)
            .field("scopes", &self.scopes)
            .field("account_url", &self.account_url)
            .field("read_only", &self.read_only)
            .finish()
    }
}

/// `[events]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsSection {
    pub listen: String,
    pub path: Option<String>,
    pub verify: Option<bool>,
    pub journal: Option<std::path::PathBuf>,
    #[serde(default)]
    pub keys: Vec<EventKeyEntry>,
}

/// One `[[events.keys]]` entry: a public key that signs deliveries.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventKeyEntry {
    pub id: String,
    pub public_key: Option<String>,
    pub public_key_file: Option<std::path::PathBuf>,
}

/// `[export]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportSection {
    /// The directory `x` writes to (default: the current directory).
    pub dir: Option<std::path::PathBuf>,
}
