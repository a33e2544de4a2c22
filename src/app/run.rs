//! The entry point: clients, sync tasks, the terminal, and the event loop.

use std::io::Write;
use std::time::Duration;

use futures::StreamExt;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    EventStream,
};
use ratatui::crossterm::execute;
use tokio::sync::mpsc;

use crate::api::Client;
use crate::config::Config;
use crate::store::Update;
use crate::sync::{BillingReads, OrgSource, SyncSettings};
use crate::view::Theme;

use super::events::EventsSetup;
use super::state::App;

/// Capacity of the updates channel (the sync tasks wait when it is full).
pub const UPDATES: usize = 256;
/// First retry delay after a failed sync (doubled per failure, capped at the interval).
const FAILURE_BACKOFF: Duration = Duration::from_secs(5);

/// How the dashboard ended (an error is a `Err` line instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The user quit.
    Quit,
    /// A SIGTERM, SIGINT or SIGHUP arrived (its number): exit with 128 + it.
    Signal(i32),
}

/// Opens the dashboard for `config`'s organizations (and its `[events]` receiver) and
/// runs it until the user quits or a termination signal arrives. The terminal is
/// restored on every exit path (and on a panic in any task, which ends the process);
/// an error is one line.
pub async fn run_dashboard(config: &Config, theme: Theme) -> Result<Ended, String> {
    let events = super::events::start_events(config.events.as_ref()).await;
    run_dashboard_with(config, theme, events).await
}

/// [`run_dashboard`] with an events receiver started by the caller (the demo points
/// its simulator at it first).
pub async fn run_dashboard_with(
    config: &Config,
    theme: Theme,
    events: EventsSetup,
) -> Result<Ended, String> {
    let (app, updates) = dashboard_app(config, theme, events);
    let mut termination = super::signals::Termination::install();
    super::signals::install_panic_exit_hook();
    let mut terminal = match ratatui::try_init() {
        Ok(terminal) => terminal,
        Err(e) => {
            ratatui::restore();
            return Err(format!("cannot set up the terminal: {e}"));
        }
    };
    // Bracketed paste: a paste arrives as one event (typed into the focused field),
    // not as keys that could act.
    let result = match execute!(std::io::stdout(), EnableMouseCapture, EnableBracketedPaste) {
        Ok(()) => tokio::select! {
            result = run_loop(&mut terminal, app, updates, EventStream::new()) => {
                result.map(|()| Ended::Quit)
            }
            signal = termination.received() => Ok(Ended::Signal(signal)),
        },
        Err(e) => Err(format!("cannot capture the mouse: {e}")),
    };
    let _ = execute!(
        std::io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture
    );
    let _ = terminal.show_cursor();
    ratatui::restore();
    let _ = std::io::stdout().flush();
    result
}

/// The dashboard's app for `config`, with its sync tasks (and cache) started and the
/// receiver of their updates: everything but the terminal.
pub fn dashboard_app(
    config: &Config,
    theme: Theme,
    events: EventsSetup,
) -> (App, mpsc::Receiver<Update>) {
    crate::api::install_crypto_provider();
    let theme = if Theme::no_color_from_env() {
        theme.with_no_color(true)
    } else {
        theme
    };
    let sources: Vec<OrgSource> = config
        .organizations
        .iter()
        .map(|org| {
            let endpoint = org.endpoint().map_err(|e| e.to_string())?;
            Client::new(endpoint, config.sync.client_options()).map_err(|e| e.to_string())
        })
        .collect();
    let names = config.organizations.iter().map(|o| o.name.clone());
    let settings = SyncSettings {
        interval: config.sync.interval,
        failure_backoff: FAILURE_BACKOFF.min(config.sync.interval),
        prefetch_per_minute: config.sync.prefetch_per_minute,
        billing: BillingReads::Every(config.sync.billing_interval),
    };
    let cache = crate::cache::CacheSetup::from_config(config);
    let orgs = names.zip(sources).collect();
    let (mut app, updates) = super::driver::start_with_cache(orgs, settings, theme, cache);
    app.attach_events(events);
    app.add_views(&config.views);
    app.set_account_urls(
        config
            .organizations
            .iter()
            .map(|o| o.account_url.clone())
            .collect(),
    );
    app.set_desktop(Box::new(super::desktop::SystemDesktop));
    app.set_export_dir(config.export_dir.clone().unwrap_or_else(|| ".".into()));
    app.set_read_only(
        config
            .organizations
            .iter()
            .map(|o| o.read_only_reason())
            .collect(),
    );
    app.set_regions(config.organizations.iter().map(|o| o.region).collect());
    (app, updates)
}

/// One `select!` over terminal events, updates, the next change of a shown relative time
/// and the app's timer.
/// Draws only when something changed; queued updates are all applied before a draw.
pub async fn run_loop<B, E>(
    terminal: &mut Terminal<B>,
    mut app: App,
    mut updates: mpsc::Receiver<Update>,
    mut events: E,
) -> Result<(), String>
where
    B: Backend,
    E: futures::Stream<Item = std::io::Result<Event>> + Unpin,
{
    let mut updates_open = true;
    let mut events_open = true;
    let draw_error = |e: B::Error| format!("drawing: {e}");
    app.tick(chrono::Utc::now());
    app.draw(terminal).map_err(draw_error)?;
    while !app.should_quit() {
        let deadline = app.next_deadline();
        let wake = tokio::select! {
            event = events.next(), if events_open => Wake::Event(event),
            update = updates.recv(), if updates_open => Wake::Update(update),
            () = tokio::time::sleep(app.until_clock_change()) => Wake::Clock,
            () = sleep_until(deadline), if deadline.is_some() => Wake::Timer,
        };
        // Whatever woke the loop sees the time now (notices, ages drawn).
        app.tick(chrono::Utc::now());
        match wake {
            Wake::Event(Some(Ok(event))) => app.handle_event(event),
            Wake::Event(Some(Err(e))) => return Err(format!("reading the terminal: {e}")),
            Wake::Event(None) => events_open = false,
            Wake::Update(Some(update)) => {
                app.apply(update);
                while let Ok(more) = updates.try_recv() {
                    app.apply(more);
                }
            }
            Wake::Update(None) => updates_open = false,
            Wake::Clock => {}
            Wake::Timer => app.fire_timers(std::time::Instant::now()),
        }
        if !events_open && !updates_open {
            break;
        }
        if app.take_dirty() {
            app.draw(terminal).map_err(draw_error)?;
        }
    }
    Ok(())
}

/// What woke the loop.
enum Wake {
    Event(Option<std::io::Result<Event>>),
    Update(Option<Update>),
    /// A shown relative time may have changed.
    Clock,
    /// [`App::next_deadline`] passed.
    Timer,
}

async fn sleep_until(deadline: Option<std::time::Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}
