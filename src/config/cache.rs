//! `[cache]`: whether the accounts and billing lists are kept on disk between runs, and
//! where.

use std::path::PathBuf;

use serde::Deserialize;

/// `[cache]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CacheSection {
    pub enabled: bool,
    pub dir: Option<PathBuf>,
}

impl Default for CacheSection {
    fn default() -> Self {
        Self {
            enabled: true,
            dir: None,
        }
    }
}

/// `[cache]`, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheSettings {
    /// Read at start and written after each sync (`--no-cache` turns it off too).
    pub enabled: bool,
    /// `dir` when set, else the platform cache dir (`None` when there is none).
    pub dir: Option<PathBuf>,
}

impl Default for CacheSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            dir: crate::cache::default_dir(),
        }
    }
}

pub fn validate(raw: CacheSection) -> Result<CacheSettings, String> {
    let dir = match raw.dir {
        Some(dir) if dir.as_os_str().is_empty() => {
            return Err("cache.dir: must not be empty (leave it out for the default)".into());
        }
        Some(dir) => Some(dir),
        None => crate::cache::default_dir(),
    };
    Ok(CacheSettings {
        enabled: raw.enabled,
        dir,
    })
}
