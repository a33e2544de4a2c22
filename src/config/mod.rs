//! Loading and validating the configuration.
//!
//! The file is found at `--config PATH`, else `$TDBI_CONFIG`, else the platform config
//! dir (`~/.config/tdbi/config.toml` on Linux). `TDBI_SECTION__KEY` environment variables
//! override scalar settings (e.g. `TDBI_SYNC__INTERVAL_SECS=30`). Every error names the
//! file, the key and the fault in one line.

mod account_url;
mod cache;
mod events;
mod file;
mod region;
mod secret;
mod strict;
mod validate;
mod views;

use std::path::{Path, PathBuf};
use std::time::Duration;

use url::Url;

pub use account_url::AccountUrl;
pub use cache::CacheSettings;
pub use events::{DEFAULT_EVENTS_PATH, EventKey, EventsConfig, default_journal};
pub use region::Region;
pub use secret::SecretSource;
pub use views::SavedView;

use crate::api::{ClientOptions, OrgEndpoint};

/// Environment variable naming the configuration file.
pub const CONFIG_ENV: &str = "TDBI_CONFIG";
/// Prefix of environment variables overriding settings.
pub const ENV_PREFIX: &str = "TDBI";

/// `NAME is read-only (--read-only)`, or naming the key that made it so.
pub fn read_only_text(name: &str, why: ReadOnly, key: &str) -> String {
    match why {
        ReadOnly::Flag => format!("{name} is read-only (--read-only)"),
        ReadOnly::Config => format!("{name} is read-only ({key}.read_only = true)"),
    }
}

/// A validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from (shown in messages).
    pub path: PathBuf,
    pub sync: SyncSettings,
    /// In file order; names are unique (case-insensitively).
    pub organizations: Vec<Organization>,
    /// Colour overrides from `[theme]`.
    pub theme: Theme,
    /// The webhook listener, when `[events]` is configured.
    pub events: Option<EventsConfig>,
    /// `[cache]`.
    pub cache: CacheSettings,
    /// `[[views]]`, in file order.
    pub views: Vec<SavedView>,
    /// `[export] dir`: where `x` writes (`None`: the current directory).
    pub export_dir: Option<PathBuf>,
    /// Things that work but should be changed (e.g. a secret written in the file).
    pub warnings: Vec<String>,
}

/// Keys allowed under `[theme]`: account statuses, contract-action statuses, and the
/// accent of tabs and selection.
pub const THEME_KEYS: [&str; 13] = [
    "active",
    "in_trial",
    "trial_lost",
    "churned",
    "inactive",
    "prospect",
    "other",
    "unknown",
    "action_created",
    "action_in_progress",
    "action_completed",
    "action_failed",
    "accent",
];

/// `[theme]`, validated: key (one of [`THEME_KEYS`]) → colour.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Theme {
    pub colors: std::collections::BTreeMap<String, ratatui::style::Color>,
}

/// `[sync]`, validated.
#[derive(Debug, Clone)]
pub struct SyncSettings {
    pub interval: Duration,
    /// Between two reads of the billing lists (subscriptions, invoices, usage, products).
    pub billing_interval: Duration,
    pub per_page: u32,
    pub max_concurrency: usize,
    pub request_timeout: Duration,
    pub max_retries: u32,
    /// Contract-action prefetch requests per minute per organization (0: none).
    pub prefetch_per_minute: u32,
}

impl Config {
    /// `--read-only`: every organization refuses writes.
    pub fn set_read_only(&mut self) {
        for org in &mut self.organizations {
            org.read_only = Some(ReadOnly::Flag);
        }
    }
}

impl SyncSettings {
    /// The API client's tuning implied by these settings.
    pub fn client_options(&self) -> ClientOptions {
        ClientOptions {
            per_page: self.per_page,
            max_concurrency: self.max_concurrency,
            request_timeout: self.request_timeout,
            max_retries: self.max_retries,
            ..ClientOptions::default()
        }
    }
}

/// One organization, validated.
#[derive(Debug, Clone)]
pub struct Organization {
    /// Its position in the file, for key paths in messages.
    pub index: usize,
    /// The configuration file it comes from (named in messages).
    pub file: PathBuf,
    pub name: String,
    pub region: Region,
    pub account: String,
    pub client_id: String,
    pub secret: SecretSource,
    pub api_base: Url,
    pub token_url: Url,
    pub scopes: Vec<String>,
    /// Where `O` opens one of its accounts.
    pub account_url: AccountUrl,
    /// Writes (trials, contract actions) are refused before anything is sent, and why.
    pub read_only: Option<ReadOnly>,
}

/// Why an organization refuses writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOnly {
    /// `read_only = true` in its `[[organizations]]` entry.
    Config,
    /// The `--read-only` flag.
    Flag,
}

impl Organization {
    /// `NAME is read-only (…)` when writes are refused for this organization.
    pub fn read_only_reason(&self) -> Option<String> {
        self.read_only
            .map(|why| read_only_text(&self.name, why, &self.key()))
    }

    /// `organizations[N]`, the key path used in messages.
    pub fn key(&self) -> String {
        format!("organizations[{}]", self.index)
    }

    /// Reads the secret and returns where and as whom to connect.
    pub fn endpoint(&self) -> Result<OrgEndpoint, ConfigError> {
        Ok(OrgEndpoint {
            name: self.name.clone(),
            api_base: self.api_base.clone(),
            token_url: self.token_url.clone(),
            client_id: self.client_id.clone(),
            client_secret: self.secret.resolve(&self.key()).map_err(|detail| {
                ConfigError::Invalid {
                    path: self.file.clone(),
                    detail,
                }
            })?,
            scopes: self.scopes.clone(),
        })
    }
}

/// What is wrong with the configuration: one line, no secret.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "no configuration file at {path}: run `tdbi demo` to try tdbi against its simulator, or `tdbi config init` to write a documented example there"
    )]
    Missing { path: PathBuf },
    #[error(
        "no configuration file: set --config or {CONFIG_ENV} (no platform config directory was found)"
    )]
    NoLocation,
    #[error("{path}: {detail}")]
    Invalid { path: PathBuf, detail: String },
}

impl Config {
    /// Loads from `explicit` (`--config`), else `$TDBI_CONFIG`, else the platform default,
    /// with `TDBI_*__*` overrides from the process environment.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let path = locate(explicit)?;
        let overrides = env_overrides(std::env::vars());
        Self::load_from(&path, overrides)
    }

    /// Loads `path` with the given overrides (`TDBI_SECTION__KEY` → value), for tests.
    pub fn load_from(
        path: &Path,
        overrides: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        if !path.is_file() {
            return Err(ConfigError::Missing {
                path: path.to_owned(),
            });
        }
        let source = config::File::from(path).format(config::FileFormat::Toml);
        Self::build(path, source, overrides)
    }

    /// Reads a configuration held in memory (e.g. the simulator's); `label` stands in
    /// for the file name in messages.
    pub fn from_toml(label: &Path, text: &str) -> Result<Config, ConfigError> {
        let source = config::File::from_str(text, config::FileFormat::Toml);
        Self::build(label, source, Vec::new())
    }

    fn build<S>(
        path: &Path,
        file: S,
        overrides: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError>
    where
        S: config::Source + Send + Sync + 'static,
    {
        let invalid = |detail: String| ConfigError::Invalid {
            path: path.to_owned(),
            detail,
        };
        let overrides: config::Map<String, String> = overrides.into_iter().collect();
        let env_keys: Vec<String> = overrides.keys().cloned().collect();
        // The config crate merges the file and the environment; its own deserializer
        // would coerce types ("50" into 50, 2.5 into 2, "false" into false), so the merged
        // tree is taken as it is typed and deserialized strictly.
        let tree: serde_json::Value = config::Config::builder()
            .add_source(file)
            .add_source(
                config::Environment::with_prefix(ENV_PREFIX)
                    .prefix_separator("_")
                    .separator("__")
                    .try_parsing(true)
                    .source(Some(overrides)),
            )
            .build()
            .and_then(|c| c.try_deserialize())
            .map_err(|e| invalid(validate::describe_config_error(&e)))?;
        let raw: file::FileConfig = serde_path_to_error::deserialize(&tree)
            .map_err(|e| invalid(strict::describe(&e, &tree, &env_keys)))?;
        let mut v = validate::validate(raw).map_err(invalid)?;
        for org in &mut v.organizations {
            org.file = path.to_owned();
        }
        Ok(Config {
            path: path.to_owned(),
            sync: v.sync,
            organizations: v.organizations,
            theme: v.theme,
            events: v.events,
            cache: v.cache,
            views: v.views,
            export_dir: v.export_dir,
            warnings: v.warnings,
        })
    }

    /// The organization called `name` (case-insensitive), or an error listing the names.
    pub fn organization(&self, name: &str) -> Result<&Organization, String> {
        self.organizations
            .iter()
            .find(|o| o.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| {
                let names: Vec<&str> = self.organizations.iter().map(|o| o.name.as_str()).collect();
                format!(
                    "no organization named \"{name}\" in {}; configured: {}",
                    self.path.display(),
                    names.join(", ")
                )
            })
    }
}

/// The file to read: `--config`, else `$TDBI_CONFIG`, else the platform config dir.
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf, ConfigError> {
    if let Some(path) = explicit {
        return Ok(path.to_owned());
    }
    if let Some(path) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    default_path().ok_or(ConfigError::NoLocation)
}

/// `~/.config/tdbi/config.toml` on Linux, the platform's equivalent elsewhere.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "tdbi").map(|d| d.config_dir().join("config.toml"))
}

/// The `TDBI_SECTION__KEY` variables among `vars`, as `section__key` → value. Variables
/// without a section separator (such as `TDBI_CONFIG`) are not settings and are skipped.
pub fn env_overrides(vars: impl IntoIterator<Item = (String, String)>) -> Vec<(String, String)> {
    let prefix = format!("{ENV_PREFIX}_");
    vars.into_iter()
        .filter(|(k, _)| k.starts_with(&prefix) && k[prefix.len()..].contains("__"))
        .collect()
}
