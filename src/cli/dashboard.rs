//! `tdbi` with no command: the dashboard for the configured organizations.

use crate::config::Config;
use crate::view::Theme;

use super::error::CliError;

/// Opens the dashboard and runs it until the user quits.
pub async fn run(config: &Config) -> Result<(), CliError> {
    let theme = Theme::from_overrides(&config.theme.colors)
        .map_err(|e| CliError::Usage(format!("{}: {e}", config.path.display())))?;
    crate::app::run_dashboard(config, theme)
        .await
        .map_err(CliError::Io)
}
