//! Termination signals while the dashboard owns the terminal, and panics in any task:
//! both must leave the terminal as it was found.

use std::io::Write;

use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::DisableMouseCapture;
use ratatui::crossterm::execute;

/// Resolves with the number of the first SIGTERM (15), SIGINT (2) or SIGHUP (1)
/// received. In raw mode Ctrl-C is a key, not a signal; these come from `kill`, a closed
/// terminal or a supervisor. Never resolves if the handlers cannot be installed.
#[cfg(unix)]
pub async fn termination() -> i32 {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int), Ok(mut hup)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
        signal(SignalKind::hangup()),
    ) else {
        tracing::warn!("signal handlers could not be installed");
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => 15,
        _ = int.recv() => 2,
        _ = hup.recv() => 1,
    }
}

#[cfg(not(unix))]
pub async fn termination() -> i32 {
    match tokio::signal::ctrl_c().await {
        Ok(()) => 2,
        Err(_) => std::future::pending().await,
    }
}

/// Installs, before ratatui's own hook (which leaves raw mode and the alternate screen),
/// a hook that also turns mouse reporting off and shows the cursor, then ends the
/// process with exit code 101: a panic in a sync or worker task must not leave the app
/// running on a terminal that is no longer set up for it.
pub fn install_panic_exit_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let mut out = std::io::stdout();
        let _ = execute!(out, DisableMouseCapture, Show);
        previous(info);
        let _ = out.flush();
        std::process::exit(101);
    }));
}
