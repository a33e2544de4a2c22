//! Termination signals while the dashboard owns the terminal, and panics in any task:
//! both must leave the terminal as it was found.

use std::io::Write;

use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{DisableBracketedPaste, DisableMouseCapture};
use ratatui::crossterm::execute;

/// The termination signals, caught from the moment [`Termination::install`] returns:
/// installed before the terminal is touched, so a signal can never take the default
/// action (death without restoring) while the dashboard owns the terminal.
pub struct Termination {
    #[cfg(unix)]
    signals: Option<[tokio::signal::unix::Signal; 3]>,
}

impl Termination {
    /// Installs the handlers of SIGTERM, SIGINT and SIGHUP (within a Tokio runtime).
    pub fn install() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let signals = match (
                signal(SignalKind::terminate()),
                signal(SignalKind::interrupt()),
                signal(SignalKind::hangup()),
            ) {
                (Ok(term), Ok(int), Ok(hup)) => Some([term, int, hup]),
                _ => {
                    tracing::warn!("signal handlers could not be installed");
                    None
                }
            };
            Self { signals }
        }
        #[cfg(not(unix))]
        Self {}
    }

    /// Resolves with the number of the first SIGTERM (15), SIGINT (2) or SIGHUP (1). In
    /// raw mode Ctrl-C is a key, not a signal; these come from `kill`, a closed terminal
    /// or a supervisor. Never resolves when the handlers could not be installed.
    #[cfg(unix)]
    pub async fn received(&mut self) -> i32 {
        let Some([term, int, hup]) = &mut self.signals else {
            return std::future::pending().await;
        };
        tokio::select! {
            _ = term.recv() => 15,
            _ = int.recv() => 2,
            _ = hup.recv() => 1,
        }
    }

    #[cfg(not(unix))]
    pub async fn received(&mut self) -> i32 {
        match tokio::signal::ctrl_c().await {
            Ok(()) => 2,
            Err(_) => std::future::pending().await,
        }
    }
}

/// Installs, before ratatui's own hook (which leaves raw mode and the alternate screen),
/// a hook that also turns mouse reporting and bracketed paste off and shows the cursor, then ends the
/// process with exit code 101: a panic in a sync or worker task must not leave the app
/// running on a terminal that is no longer set up for it.
pub fn install_panic_exit_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let mut out = std::io::stdout();
        let _ = execute!(out, DisableBracketedPaste, DisableMouseCapture, Show);
        previous(info);
        let _ = out.flush();
        std::process::exit(101);
    }));
}
