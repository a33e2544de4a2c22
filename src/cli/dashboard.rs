//! `tdbi` with no command: the dashboard for the configured organizations.

use crate::app::EventsSetup;
use crate::config::Config;
use crate::view::Theme;

use super::error::CliError;

/// Opens the dashboard (and the `[events]` receiver) and runs it until the user quits.
pub async fn run(config: &Config) -> Result<(), CliError> {
    let events = crate::app::start_events(config.events.as_ref()).await;
    run_with_events(config, events).await
}

/// [`run`] with an events receiver the caller started (the demo's).
pub async fn run_with_events(config: &Config, events: EventsSetup) -> Result<(), CliError> {
    let theme = Theme::from_overrides(&config.theme.colors)
        .map_err(|e| CliError::Usage(format!("{}: {e}", config.path.display())))?;
    match crate::app::run_dashboard_with(config, theme, events).await {
        Ok(crate::app::Ended::Quit) => Ok(()),
        Ok(crate::app::Ended::Signal(n)) => Err(CliError::Signal(n)),
        Err(e) => Err(CliError::Io(e)),
    }
}
