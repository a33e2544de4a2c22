//! Talkdesk Events API webhooks: receiving, verifying and journaling trial lifecycle events.
//!
//! [`EventsServer::start`] opens the journal and serves `[events]`; the dashboard reads
//! [`EventsHandle::loaded`] once, then the [`tokio::sync::broadcast::Receiver`] of NEW
//! [`StoredEvent`]s. An event is a hint: re-read the account from the API before showing
//! a new status.

pub mod journal;
mod listen;
pub mod model;
pub mod server;
pub mod trial;
pub mod verify;

pub use journal::{Appended, Journal, JournalError};
pub use listen::ListenerLimits;
pub use model::{EnvelopeError, Event, EventKind, Href, Links, StoredEvent};
pub use server::{BODY_LIMIT, EventsHandle, EventsServer, StartError};
pub use trial::{EndedBy, EndedReason, TrialData, TrialEnded};
pub use verify::{KEY_ID_HEADER, SIGNATURE_HEADER, Verdict, Verifier, VerifyError};
