//! Webhook events in the app: starting the receiver, forwarding what it accepts into
//! the updates channel, and treating each new event as a hint to re-read accounts.

use tokio::sync::{broadcast, mpsc};

use crate::config::EventsConfig;
use crate::events::{EventsHandle, EventsServer, StoredEvent};
use crate::store::Update;
use crate::sync::SyncCommand;

use super::state::App;

/// The events receiver as the dashboard got it.
pub enum EventsSetup {
    /// No `[events]` in the configuration.
    Off,
    /// It could not start (e.g. the port is taken); the dashboard runs without it.
    Failed(String),
    Running(EventsHandle, broadcast::Receiver<StoredEvent>),
}

impl EventsSetup {
    /// Where deliveries go, when running.
    pub fn url(&self) -> Option<String> {
        match self {
            EventsSetup::Running(handle, _) => Some(handle.url()),
            _ => None,
        }
    }
}

/// Starts the receiver for `config`; a failure is kept as one line.
pub async fn start_events(config: Option<&EventsConfig>) -> EventsSetup {
    match config {
        None => EventsSetup::Off,
        Some(config) => match EventsServer::start(config).await {
            Ok((handle, receiver)) => EventsSetup::Running(handle, receiver),
            Err(e) => EventsSetup::Failed(e.to_string()),
        },
    }
}

/// What the events view says about the receiver.
#[derive(Debug, Default)]
pub struct EventsInfo {
    pub url: Option<String>,
    pub error: Option<String>,
    /// Keeps the receiver running while the app lives.
    pub(super) handle: Option<EventsHandle>,
}

impl App {
    /// Takes the receiver: the journal's events are shown at once (no refresh: the
    /// first sync is under way), new ones arrive through the updates channel.
    pub fn attach_events(&mut self, setup: EventsSetup) {
        match setup {
            EventsSetup::Off => {}
            EventsSetup::Failed(error) => self.events_info.error = Some(error),
            EventsSetup::Running(handle, receiver) => {
                for event in handle.loaded() {
                    self.store.apply(Update::Event(Box::new(event.clone())));
                }
                self.events_info.url = Some(handle.url());
                self.events_info.handle = Some(handle);
                if let Some(updates) = self.updates.clone() {
                    forward(receiver, updates);
                }
                self.events_rev += 1;
                self.dirty = true;
                self.stale = true;
            }
        }
    }

    /// A new event is a hint: re-read the accounts of the organization that lists its
    /// account (every organization when none does yet, e.g. a brand-new trial).
    pub(super) fn event_hint(&mut self, account_id: Option<&str>) {
        let orgs: Vec<usize> = match account_id {
            Some(id) => self.store.orgs_of_account(id).collect(),
            None => Vec::new(),
        };
        let orgs = if orgs.is_empty() {
            (0..self.store.orgs.len()).collect()
        } else {
            orgs
        };
        for org in orgs {
            self.commands.send(org, SyncCommand::Refresh);
        }
    }

    pub fn events_info(&self) -> &EventsInfo {
        &self.events_info
    }
}

/// Copies accepted events into the updates channel until either side is gone.
fn forward(mut events: broadcast::Receiver<StoredEvent>, updates: mpsc::WeakSender<Update>) {
    tokio::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => {
                    let Some(updates) = updates.upgrade() else {
                        break;
                    };
                    if updates.send(Update::Event(Box::new(event))).await.is_err() {
                        break;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::warn!(
                        missed,
                        "events: the dashboard fell behind (they are in the journal)"
                    );
                }
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}
