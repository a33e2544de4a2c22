//! The webhook receiver: axum on `[events] listen`, POST at `[events] path`.
//!
//! Served by [`listen`](super::listen) within [`ListenerLimits`]: slow headers are cut
//! off by the header timeout, a body not in within the body timeout is answered 408.
//!
//! Order of checks: size (413), signature (401), envelope (400, nesting included: see
//! [`MAX_DEPTH`](super::model::MAX_DEPTH)), then the journal: a
//! known id is answered 200 `duplicate` and not stored again; a new one is appended and
//! synced, then answered 200 `accepted` and broadcast to subscribers. Answers are tiny
//! JSON bodies; logs name the event id and type, never the body.
//!
//! `Content-Type` (and its charset) is ignored on every path: the body is always read
//! as raw bytes, verified as sent and parsed as JSON, whatever the header says or if it
//! is missing.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use chrono::Utc;
use serde_json::json;
use tokio::sync::{broadcast, oneshot};
use tokio::task::JoinHandle;

use super::journal::{Appended, Journal, JournalError};
use super::listen::{ListenerLimits, serve};
use super::model::{Event, StoredEvent};
use super::verify::{KEY_ID_HEADER, SIGNATURE_HEADER, Verdict, Verifier};
use crate::config::EventsConfig;

/// Largest accepted body.
pub const BODY_LIMIT: usize = 64 * 1024;
/// Events a slow subscriber may fall behind by before it misses some (they stay in the
/// journal; the receiver then gets `RecvError::Lagged`).
pub const CHANNEL_CAPACITY: usize = 1024;

/// Why the receiver could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("cannot listen for events on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

/// Starts webhook receivers.
pub struct EventsServer;

struct Shared {
    verifier: Verifier,
    journal: Arc<Mutex<Journal>>,
    sender: broadcast::Sender<StoredEvent>,
    body_timeout: Duration,
}

impl EventsServer {
    /// Opens the journal, binds `config.listen` and serves until the handle is shut down
    /// or dropped. The receiver gets every NEW accepted event (journal first, then here).
    pub async fn start(
        config: &EventsConfig,
    ) -> Result<(EventsHandle, broadcast::Receiver<StoredEvent>), StartError> {
        Self::start_with_limits(config, ListenerLimits::default()).await
    }

    /// [`start`](Self::start) with other time and connection limits (tests).
    pub async fn start_with_limits(
        config: &EventsConfig,
        limits: ListenerLimits,
    ) -> Result<(EventsHandle, broadcast::Receiver<StoredEvent>), StartError> {
        let path = config.journal.clone();
        let loaded = tokio::task::spawn_blocking(move || Journal::open(&path))
            .await
            .map_err(|e| JournalError {
                path: config.journal.clone(),
                source: std::io::Error::other(e),
            })??;
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .and_then(|l| l.local_addr().map(|a| (l, a)));
        let (listener, local_addr) = listener.map_err(|source| StartError::Bind {
            addr: config.listen,
            source,
        })?;
        let (sender, receiver) = broadcast::channel(CHANNEL_CAPACITY);
        let shared = Arc::new(Shared {
            verifier: Verifier::new(config.keys.clone(), config.verify),
            journal: Arc::new(Mutex::new(loaded.journal)),
            sender: sender.clone(),
            body_timeout: limits.body_timeout,
        });
        let app = Router::new()
            .route(&config.path, post(receive))
            .layer(DefaultBodyLimit::max(BODY_LIMIT))
            .with_state(shared);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, app, limits, stopped));
        tracing::info!(
            "events listener on {local_addr}{} ({} journaled, {} unreadable lines)",
            config.path,
            loaded.events.len(),
            loaded.skipped
        );
        let handle = EventsHandle {
            local_addr,
            path: config.path.clone(),
            loaded: loaded.events,
            skipped: loaded.skipped,
            sender,
            stop: Some(stop),
            task: Some(task),
        };
        Ok((handle, receiver))
    }
}

/// A running receiver.
#[derive(Debug)]
pub struct EventsHandle {
    local_addr: SocketAddr,
    path: String,
    loaded: Vec<StoredEvent>,
    skipped: usize,
    sender: broadcast::Sender<StoredEvent>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl EventsHandle {
    /// The bound address (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://ADDR/PATH`, where deliveries go.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.local_addr, self.path)
    }

    /// The events the journal held at start, oldest first.
    pub fn loaded(&self) -> &[StoredEvent] {
        &self.loaded
    }

    /// Journal lines that could not be read at start.
    pub fn skipped_lines(&self) -> usize {
        self.skipped
    }

    /// Another receiver of NEW accepted events, from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<StoredEvent> {
        self.sender.subscribe()
    }

    /// Stops accepting, lets requests in flight finish, and waits for the server.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for EventsHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn answer(status: StatusCode, outcome: &str, reason: Option<String>) -> Response {
    let body = match reason {
        Some(reason) => json!({ "status": outcome, "reason": reason }),
        None => json!({ "status": outcome }),
    };
    (status, axum::Json(body)).into_response()
}

/// `POST {path}`
async fn receive(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let headers: HeaderMap = request.headers().clone();
    let body = tokio::time::timeout(shared.body_timeout, Bytes::from_request(request, &())).await;
    let body = match body {
        Err(_) => {
            tracing::warn!("event delivery refused: body not received in time");
            let reason = "body not received in time".to_owned();
            return answer(StatusCode::REQUEST_TIMEOUT, "rejected", Some(reason));
        }
        Ok(Ok(body)) => body,
        Ok(Err(rejection)) => {
            let status = rejection.status();
            tracing::warn!("event delivery refused: {status}");
            let reason = match status {
                StatusCode::PAYLOAD_TOO_LARGE => format!("body over {BODY_LIMIT} bytes"),
                _ => "unreadable body".to_owned(),
            };
            return answer(status, "rejected", Some(reason));
        }
    };
    let header = |name: &str| headers.get(name).map(|v| v.as_bytes());
    let verdict =
        match shared
            .verifier
            .check(header(SIGNATURE_HEADER), header(KEY_ID_HEADER), &body)
        {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!("event delivery refused (401): {e}");
                return answer(StatusCode::UNAUTHORIZED, "rejected", Some(e.to_string()));
            }
        };
    let event = match Event::parse(&body) {
        Ok(event) => event,
        Err(e) => {
            tracing::warn!("event delivery refused (400): {e}");
            return answer(StatusCode::BAD_REQUEST, "rejected", Some(e.to_string()));
        }
    };
    let (verified, key_id) = match verdict {
        Verdict::Verified { key_id } => (true, Some(key_id)),
        Verdict::Unverified => (false, None),
    };
    let stored = StoredEvent {
        event,
        received_at: Utc::now(),
        verified,
        key_id,
    };
    let journal = shared.journal.clone();
    let entry = stored.clone();
    let appended = tokio::task::spawn_blocking(move || {
        let mut journal = journal.lock().unwrap_or_else(|e| e.into_inner());
        journal.append(&entry)
    })
    .await;
    let (id, kind) = (&stored.event.id, &stored.event.event_type);
    match appended {
        Ok(Ok(Appended::Stored)) => {
            tracing::info!("event {id} ({kind}) accepted, verified: {verified}");
            // No subscriber is fine: the event is in the journal.
            let _ = shared.sender.send(stored);
            answer(StatusCode::OK, "accepted", None)
        }
        Ok(Ok(Appended::Duplicate)) => {
            tracing::info!("event {id} ({kind}) is a duplicate delivery");
            answer(StatusCode::OK, "duplicate", None)
        }
        Ok(Err(e)) => {
            tracing::error!("event {id} not stored: {e}");
            answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "error",
                Some("could not store the event".into()),
            )
        }
        Err(e) => {
            tracing::error!("event {id} not stored: {e}");
            answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                "error",
                Some("could not store the event".into()),
            )
        }
    }
}
