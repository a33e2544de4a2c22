//! Talkdesk Events API webhooks: receiving, verifying and journaling trial lifecycle events.
//!
//! [`EventsServer::start`] opens the journal and serves `[events]`; the dashboard reads
//! [`EventsHandle::loaded`] once, then the [`tokio::sync::broadcast::Receiver`] of NEW
//! [`StoredEvent`]s. An event is a hint: re-read the account from the API before showing
//! a new status.

pub mod journal;
pub mod model;
pub mod server;
pub mod verify;

pub use journal::{Appended, Journal, JournalError};
pub use model::{
    EndedBy, EndedReason, EnvelopeError, Event, EventKind, Links, StoredEvent, TrialData,
    TrialEnded,
};
pub use server::{BODY_LIMIT, EventsHandle, EventsServer, StartError};
pub use verify::{KEY_ID_HEADER, SIGNATURE_HEADER, Verdict, Verifier, VerifyError};
