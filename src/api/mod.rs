//! Client for the Talkdesk Express / Billing Insights API.
//!
//! One [`Client`] per organization: it owns that organization's OAuth token, rate
//! limit and retry policy. Everything it returns is an owned domain value from
//! [`model`]; wire details (paging envelopes, token answers) stay inside this module.

mod auth;
mod client;
#[doc(hidden)]
pub mod decode;
mod endpoint;
pub mod error;
mod http;
pub mod model;
mod paging;
mod retry;
mod token;
mod unite;
mod wire;

pub use client::{Client, ClientOptions, OrgEndpoint, PageProgress};
pub use endpoint::Endpoint;
pub use error::{ApiError, TransportKind};
pub use http::PROVISIONING_SPACING;

/// Installs rustls' `ring` crypto provider for the whole process. Idempotent; call it
/// before building any reqwest client.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
