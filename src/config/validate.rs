//! Turns the file as written into a [`super::Config`], or one line saying what is wrong.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::str::FromStr;
use std::time::Duration;

use ratatui::style::Color;
use secrecy::SecretString;
use url::{Host, Url};

use super::events::{self, EventsConfig};
use super::file::{FileConfig, OrganizationEntry, SyncSection};
use super::{Organization, ReadOnly, Region, SecretSource, SyncSettings, THEME_KEYS, Theme};

pub struct Validated {
    pub sync: SyncSettings,
    pub organizations: Vec<Organization>,
    pub theme: Theme,
    pub events: Option<EventsConfig>,
    pub cache: super::CacheSettings,
    pub views: Vec<super::SavedView>,
    pub export_dir: Option<std::path::PathBuf>,
    pub warnings: Vec<String>,
}

/// Checks meaning: ranges, regions, URLs, secrets' origins, unique names.
pub fn validate(raw: FileConfig) -> Result<Validated, String> {
    let sync = validate_sync(&raw.sync)?;
    let theme = validate_theme(&raw.theme)?;
    if raw.organizations.is_empty() {
        return Err(
            "organizations: none configured; add an [[organizations]] entry (see config.example.toml)"
                .into(),
        );
    }
    let mut warnings = Vec::new();
    let mut organizations: Vec<Organization> = Vec::with_capacity(raw.organizations.len());
    for (index, entry) in raw.organizations.into_iter().enumerate() {
        let org = validate_organization(index, entry, &mut warnings)?;
        if let Some(first) = organizations
            .iter()
            .find(|o| o.name.eq_ignore_ascii_case(&org.name))
        {
            return Err(format!(
                "organizations[{index}].name: \"{}\" is already used by organizations[{}]; names must be unique",
                org.name, first.index
            ));
        }
        organizations.push(org);
    }
    let views = super::views::validate(raw.views, &organizations)?;
    let events = match raw.events {
        Some(section) => Some(events::validate(section, &mut warnings)?),
        None => None,
    };
    Ok(Validated {
        sync,
        organizations,
        theme,
        events,
        cache: super::cache::validate(raw.cache)?,
        views,
        export_dir: match raw.export.dir {
            Some(dir) if dir.as_os_str().is_empty() => {
                return Err(
                    "export.dir: must not be empty (leave it out for the current directory)".into(),
                );
            }
            dir => dir,
        },
        warnings,
    })
}

/// `[theme]`: known keys only, each a colour ratatui understands.
fn validate_theme(raw: &BTreeMap<String, String>) -> Result<Theme, String> {
    let mut theme = Theme::default();
    for (key, value) in raw {
        if !THEME_KEYS.contains(&key.as_str()) {
            return Err(format!(
                "theme.{key}: unknown key; expected one of {}",
                THEME_KEYS.join(", ")
            ));
        }
        let color = Color::from_str(value.trim()).map_err(|_| {
            format!(
                "theme.{key}: \"{value}\" is not a colour; use a name (green, lightred, gray, …), an index (0-255) or #rrggbb"
            )
        })?;
        theme.colors.insert(key.clone(), color);
    }
    Ok(theme)
}

fn validate_sync(s: &SyncSection) -> Result<SyncSettings, String> {
    let in_range = |key: &str, value: u64, min: u64, max: u64| {
        if (min..=max).contains(&value) {
            Ok(())
        } else {
            Err(format!(
                "sync.{key}: expected a whole number from {min} to {max}, got {value}"
            ))
        }
    };
    in_range("interval_secs", s.interval_secs, 5, 86_400)?;
    in_range("billing_interval_secs", s.billing_interval_secs, 60, 86_400)?;
    in_range("per_page", u64::from(s.per_page), 1, 1000)?;
    in_range("max_concurrency", s.max_concurrency as u64, 1, 32)?;
    in_range("request_timeout_secs", s.request_timeout_secs, 1, 600)?;
    in_range("max_retries", u64::from(s.max_retries), 0, 10)?;
    in_range(
        "prefetch_per_minute",
        u64::from(s.prefetch_per_minute),
        0,
        6000,
    )?;
    Ok(SyncSettings {
        interval: Duration::from_secs(s.interval_secs),
        billing_interval: Duration::from_secs(s.billing_interval_secs),
        per_page: s.per_page,
        max_concurrency: s.max_concurrency,
        request_timeout: Duration::from_secs(s.request_timeout_secs),
        max_retries: s.max_retries,
        prefetch_per_minute: s.prefetch_per_minute,
    })
}

fn validate_organization(
    index: usize,
    e: OrganizationEntry,
    warnings: &mut Vec<String>,
) -> Result<Organization, String> {
    let key = format!("organizations[{index}]");
    let name = e.name.trim().to_owned();
    if name.is_empty() {
        return Err(format!("{key}.name: must not be empty"));
    }
    let region: Region = e.region.parse().map_err(|()| {
        format!(
            "{key}.region: expected one of us, eu, ca, got \"{}\"",
            e.region
        )
    })?;
    let account = e.account.trim().to_owned();
    if account.is_empty()
        || !account
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!(
            "{key}.account: expected the Talkdesk account name (letters, digits, - or _), got \"{}\"",
            e.account
        ));
    }
    if e.client_id.trim().is_empty() {
        return Err(format!("{key}.client_id: must not be empty"));
    }
    let secret = match (
        e.client_secret_env,
        e.client_secret_command,
        e.client_secret,
    ) {
        (Some(var), None, None) if !var.trim().is_empty() => SecretSource::Env(var.trim().into()),
        (None, Some(command), None) if !command.trim().is_empty() => {
            let secs = e
                .client_secret_command_timeout_secs
                .unwrap_or(super::secret::DEFAULT_COMMAND_TIMEOUT.as_secs());
            if !(1..=3_600).contains(&secs) {
                return Err(format!(
                    "{key}.client_secret_command_timeout_secs: expected a whole number from 1 to 3600, got {secs}"
                ));
            }
            SecretSource::Command {
                command,
                timeout: Duration::from_secs(secs),
            }
        }
        (None, None, Some(secret)) if !secret.is_empty() => {
            warnings.push(format!(
                "{key}.client_secret: the secret is written in the config file; prefer client_secret_env or client_secret_command"
            ));
            SecretSource::Inline(SecretString::from(secret))
        }
        (None, None, None) => {
            return Err(format!(
                "{key}: no client secret; set client_secret_env, client_secret_command or client_secret"
            ));
        }
        _ => {
            return Err(format!(
                "{key}: set exactly one non-empty of client_secret_env, client_secret_command, client_secret"
            ));
        }
    };
    let api_base = match e.api_base_url {
        Some(u) => parse_url(&format!("{key}.api_base_url"), &u)?,
        None => parse_url(&format!("{key}.region"), region.api_base_url())?,
    };
    let token_url = match e.token_url {
        Some(u) => parse_url(&format!("{key}.token_url"), &u)?,
        None => parse_url(&format!("{key}.account"), &region.token_url(&account))?,
    };
    let scopes = e.scopes.unwrap_or_default();
    if let Some(bad) = scopes
        .iter()
        .position(|s| s.is_empty() || s.chars().any(char::is_whitespace))
    {
        return Err(format!(
            "{key}.scopes[{bad}]: expected a scope name without spaces, got \"{}\"",
            scopes[bad]
        ));
    }
    Ok(Organization {
        index,
        file: std::path::PathBuf::new(),
        name,
        region,
        account,
        client_id: e.client_id.trim().into(),
        secret,
        api_base,
        token_url,
        scopes,
        account_url: match e.account_url {
            Some(raw) => super::AccountUrl::parse(&format!("{key}.account_url"), &raw)?,
            None => super::AccountUrl::default_for(region),
        },
        read_only: e.read_only.unwrap_or(false).then_some(ReadOnly::Config),
    })
}

/// An http(s) URL; plain http only towards loopback, so secrets never cross a network
/// in clear text.
fn parse_url(key: &str, text: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|e| format!("{key}: not a URL ({e}): \"{text}\""))?;
    // Checked first, so the messages below never repeat a password.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "{key}: the URL must not carry credentials (user:password@host); the client secret belongs in client_secret_env or client_secret_command"
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(format!(
                "{key}: plain http is only allowed to loopback (127.0.0.1, ::1, localhost); use https for \"{text}\""
            ));
        }
        other => {
            return Err(format!(
                "{key}: expected an http(s) URL, got scheme \"{other}\""
            ));
        }
    }
    if url.host().is_none() {
        return Err(format!("{key}: the URL has no host: \"{text}\""));
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// The `config` crate's error as one line: key first, without the file path we
/// already print in front of it.
pub fn describe_config_error(e: &config::ConfigError) -> String {
    use config::ConfigError as E;
    match e {
        E::FileParse { cause, .. } => one_line(&cause.to_string()),
        E::Type {
            unexpected,
            expected,
            key,
            origin,
        } => {
            let from_env = origin.as_deref() == Some("the environment");
            let key = key.as_deref().unwrap_or("value");
            let via = if from_env {
                " (from a TDBI_ environment variable)"
            } else {
                ""
            };
            format!("{key}: expected {expected}, got {unexpected}{via}")
        }
        E::At { error, key, .. } => match key {
            Some(key) => format!("{key}: {}", describe_config_error(error)),
            None => describe_config_error(error),
        },
        other => one_line(&other.to_string()),
    }
}

/// Folds a multi-line parser message (TOML's caret diagram) into one line.
fn one_line(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('|') && !l.contains(" | ") && *l != "|")
        .collect();
    lines
        .join(": ")
        .replace("TOML parse error at ", "TOML syntax error at ")
}
