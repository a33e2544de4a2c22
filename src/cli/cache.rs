//! `tdbi cache`: where the cache on disk is, and removing it.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use crate::cache::Cache;
use crate::config::{CacheSettings, Config, ConfigError};

use super::error::CliError;

#[derive(Debug, Args)]
pub struct CacheArgs {
    #[command(subcommand)]
    pub command: CacheCommand,
}

#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Remove the cached accounts and billing lists of every organization (the next start
    /// syncs from scratch).
    Clear,
    /// Print the cache directory ([cache] dir, else the platform cache dir).
    Path,
}

/// Runs `tdbi cache …`. Without a configuration file the default directory is used.
pub fn run(
    args: &CacheArgs,
    config: Result<Config, CliError>,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let settings = match config {
        Ok(config) => config.cache,
        Err(CliError::Config(ConfigError::Missing { .. } | ConfigError::NoLocation)) => {
            CacheSettings::default()
        }
        Err(e) => return Err(e),
    };
    let dir = settings.dir.ok_or_else(|| {
        CliError::Usage("no platform cache directory; set [cache] dir in the configuration".into())
    })?;
    match args.command {
        CacheCommand::Path => writeln!(out, "{}", dir.display())?,
        CacheCommand::Clear => clear(&dir, out)?,
    }
    Ok(())
}

fn clear(dir: &Path, out: &mut impl Write) -> Result<(), CliError> {
    let removed = Cache::new(PathBuf::from(dir))
        .clear()
        .map_err(|e| CliError::Io(format!("cannot clear the cache in {}: {e}", dir.display())))?;
    let files = if removed == 1 { "file" } else { "files" };
    writeln!(
        out,
        "removed {removed} cache {files} from {}",
        dir.display()
    )?;
    Ok(())
}
