//! Client for the Talkdesk Express / Billing Insights API.
//!
//! One [`Client`] per organization: it owns that organization's OAuth token, rate
//! limit and retry policy. Everything it returns is an owned domain value from
//! [`model`]; wire details (paging envelopes, token answers) stay inside this module.

mod client;
pub mod error;
pub mod model;

pub use client::{Client, ClientOptions, OrgEndpoint, PageProgress};
pub use error::ApiError;

/// Installs rustls' `ring` crypto provider for the whole process. Idempotent; call it
/// before building any reqwest client.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
