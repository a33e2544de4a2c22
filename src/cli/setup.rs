//! Installing and finding things: `tdbi config init|path`, `tdbi completions`, `tdbi man`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::CommandFactory;

use super::args::{Cli, CompletionsArgs, ConfigArgs, ConfigCommand, ConfigInitArgs};
use super::error::CliError;
use crate::config::{self, Config, ConfigError};

/// The documented example configuration, as shipped in the repository.
pub const EXAMPLE: &str = include_str!("../../config.example.toml");

pub fn config(cli: &Cli, args: &ConfigArgs, out: &mut impl Write) -> Result<(), CliError> {
    match &args.command {
        ConfigCommand::Init(init_args) => init(cli.config.as_deref(), init_args, out),
        ConfigCommand::Path => paths(cli, out),
    }
}

/// Writes [`EXAMPLE`] where tdbi reads its configuration, owner-only.
fn init(
    explicit: Option<&Path>,
    args: &ConfigInitArgs,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let path = config::locate(explicit)?;
    if path.exists() && !args.force {
        return Err(CliError::Usage(format!(
            "{} already exists; edit it, or pass --force to replace it with the example",
            path.display()
        )));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::Io(format!("creating {}: {e}", dir.display())))?;
    }
    write_private(&path, EXAMPLE)
        .map_err(|e| CliError::Io(format!("writing {}: {e}", path.display())))?;
    writeln!(out, "wrote {}", path.display())?;
    writeln!(
        out,
        "next: replace the example [[organizations]] entry with yours (name, region, account,\n\
         client_id and where the client secret comes from), then run `tdbi check`, then `tdbi`."
    )?;
    Ok(())
}

/// Creates or truncates `path` with mode 0600 (also when it existed with another mode).
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let mut file = options.open(path)?;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.write_all(text.as_bytes())?;
        file.sync_all()
    }
    #[cfg(not(unix))]
    {
        let mut file = options.open(path)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()
    }
}

/// One line per place: `config  /home/me/.config/tdbi/config.toml (missing)`.
fn paths(cli: &Cli, out: &mut impl Write) -> Result<(), CliError> {
    let config_path = match config::locate(cli.config.as_deref()) {
        Ok(p) => Some(p),
        Err(ConfigError::NoLocation) => None,
        Err(e) => return Err(e.into()),
    };
    // The journal a readable configuration names, else the default.
    let journal = config_path
        .as_deref()
        .and_then(|p| Config::load(Some(p)).ok())
        .and_then(|c| c.events.map(|e| e.journal))
        .or_else(config::default_journal);
    let log = cli
        .log_file
        .clone()
        .or_else(super::logging::default_log_file);
    let cache = directories::ProjectDirs::from("", "", "tdbi").map(|d| d.cache_dir().to_owned());
    let rows: [(&str, Option<PathBuf>); 4] = [
        ("config", config_path),
        ("cache", cache),
        ("log", log),
        ("journal", journal),
    ];
    for (name, path) in rows {
        match path {
            Some(p) => {
                let missing = if p.exists() { "" } else { " (missing)" };
                writeln!(out, "{name:<8}{}{missing}", p.display())?;
            }
            None => writeln!(out, "{name:<8}unknown (no platform directory)")?,
        }
    }
    Ok(())
}

pub fn completions(args: &CompletionsArgs, out: &mut impl Write) -> Result<(), CliError> {
    // clap_complete panics on a write error (a closed pipe): generate in memory first.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "tdbi", &mut script);
    out.write_all(&script)?;
    Ok(())
}

pub fn man(out: &mut impl Write) -> Result<(), CliError> {
    clap_mangen::Man::new(Cli::command()).render(out)?;
    Ok(())
}
