//! The task of an organization that has no client (e.g. its secret is missing).

use chrono::Utc;
use tokio::sync::mpsc;

use super::SyncCommand;
use super::task::Envelope;
use crate::store::Update;

/// The task of an organization without a client: it reports why, at start and on
/// every refresh, and does nothing else.
pub async fn run(
    org: usize,
    error: String,
    updates: mpsc::Sender<Update>,
    mut commands: mpsc::Receiver<Envelope>,
) {
    let failure = || Update::SyncFailed {
        org,
        error: error.clone(),
        at: Utc::now(),
    };
    if updates.send(failure()).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            () = updates.closed() => return,
            command = commands.recv() => match command {
                None => return,
                Some(Envelope { command: SyncCommand::Refresh, .. }) => {
                    if updates.send(failure()).await.is_err() {
                        return;
                    }
                }
                Some(_) => {}
            },
        }
    }
}
