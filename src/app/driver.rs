//! A headless driver of the real app for screen tests and benchmarks: the same
//! `App`, sync tasks and key handling as the dashboard, drawn into a `TestBackend`.

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc;

use crate::cache::CacheSetup;
use crate::store::{Store, Update};
use crate::sync::{self, OrgSource, SyncSettings};
use crate::view::Theme;

use super::run::UPDATES;
use super::state::App;

/// Starts the sync tasks for `orgs` (names in order, with their sources) and an app
/// over an empty store that receives their updates from the returned channel.
pub fn start(
    orgs: Vec<(String, OrgSource)>,
    settings: SyncSettings,
    theme: Theme,
) -> (App, mpsc::Receiver<Update>) {
    start_with_cache(orgs, settings, theme, None)
}

/// [`start`], with the cache on disk when `cache` is given: it is loaded at once (off
/// the UI task) and each sync's data is saved on its way to the app.
pub fn start_with_cache(
    orgs: Vec<(String, OrgSource)>,
    settings: SyncSettings,
    theme: Theme,
    cache: Option<CacheSetup>,
) -> (App, mpsc::Receiver<Update>) {
    let (names, sources): (Vec<String>, Vec<OrgSource>) = orgs.into_iter().unzip();
    let (tx, rx) = mpsc::channel(UPDATES);
    let clients = sources.clone();
    let handle = match cache {
        Some(setup) => {
            let setup = std::sync::Arc::new(setup);
            crate::cache::load(setup.clone(), tx.clone());
            let (synced, from_sync) = mpsc::channel(UPDATES);
            crate::cache::tee(setup, from_sync, tx.clone());
            sync::spawn(sources, settings, synced)
        }
        None => sync::spawn(sources, settings, tx.clone()),
    };
    let mut app = App::new(Store::new(names), theme, Box::new(handle));
    app.connect(clients, &tx);
    (app, rx)
}

pub struct Driver {
    pub app: App,
    pub terminal: Terminal<TestBackend>,
    updates: mpsc::Receiver<Update>,
}

impl Driver {
    /// The real app and sync tasks, drawn into a `width` x `height` test terminal.
    pub fn new(
        orgs: Vec<(String, OrgSource)>,
        settings: SyncSettings,
        width: u16,
        height: u16,
    ) -> Driver {
        Self::with_cache(orgs, settings, width, height, None)
    }

    /// [`Driver::new`] with the cache on disk (see [`start_with_cache`]).
    pub fn with_cache(
        orgs: Vec<(String, OrgSource)>,
        settings: SyncSettings,
        width: u16,
        height: u16,
        cache: Option<CacheSetup>,
    ) -> Driver {
        let (app, updates) = start_with_cache(orgs, settings, Theme::default(), cache);
        let terminal = match Terminal::new(TestBackend::new(width, height)) {
            Ok(t) => t,
            Err(never) => match never {},
        };
        Driver {
            app,
            terminal,
            updates,
        }
    }

    /// Presses a key (through the same key table as the terminal).
    pub fn key(&mut self, code: KeyCode) {
        self.app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    }

    /// Presses a key with modifiers (e.g. Ctrl-S).
    pub fn key_with(&mut self, code: KeyCode, modifiers: KeyModifiers) {
        self.app.handle_key(KeyEvent::new(code, modifiers));
    }

    /// Types each character of `text` as a key press.
    pub fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// Draws and returns the screen as text, one line per row.
    pub fn screen(&mut self) -> String {
        self.app.tick(chrono::Utc::now());
        if let Err(never) = self.app.draw(&mut self.terminal) {
            match never {}
        }
        buffer_text(self.terminal.backend().buffer())
    }

    /// Applies updates as they arrive (and fires due timers) until `done` holds, or
    /// fails after `within` with the screen at that moment.
    pub async fn pump_until(
        &mut self,
        within: Duration,
        mut done: impl FnMut(&App) -> bool,
    ) -> Result<(), String> {
        let deadline = Instant::now() + within;
        loop {
            self.app.fire_timers(Instant::now());
            if done(&self.app) {
                return Ok(());
            }
            let wake = self
                .app
                .next_deadline()
                .map_or(deadline, |t| t.min(deadline));
            match tokio::time::timeout_at(wake.into(), self.updates.recv()).await {
                Ok(Some(update)) => {
                    self.app.apply(update);
                    while let Ok(more) = self.updates.try_recv() {
                        self.app.apply(more);
                    }
                    self.app.refresh();
                }
                Ok(None) => return Err("the sync tasks stopped".to_owned()),
                Err(_) if Instant::now() >= deadline => {
                    return Err(format!("timed out after {within:?}:\n{}", self.screen()));
                }
                Err(_) => {}
            }
        }
    }
}

/// A drawn buffer as text, one line per row, each ending with `\n`.
pub fn buffer_text(buffer: &ratatui::buffer::Buffer) -> String {
    let mut out = String::with_capacity(usize::from(buffer.area.width + 1) * 64);
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}
