//! Errors of the API client: one readable line each, never a secret.

/// Something went wrong talking to the API.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Other(String),
}
