//! The client's body decoders as pure functions, for property tests
//! (`tests/wire_proptest.rs`): each parses exactly as a real answer is parsed.

use std::time::Duration;

use oauth2::TokenResponse;

use super::model::{Account, ContractAction, ErrorBody};
use super::token::TokenAnswer;
use super::wire::{Keyed, Page};

/// What a list page decodes to: its counters, its item ids and its `next` link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedPage {
    pub total: Option<u64>,
    pub per_page: Option<u32>,
    pub total_pages: Option<u32>,
    /// `None` when the page has no item array.
    pub ids: Option<Vec<String>>,
    pub next: Option<String>,
}

/// Decodes an accounts page (`contract_actions` with `actions`).
pub fn page(body: &[u8], actions: bool) -> Result<DecodedPage, String> {
    if actions {
        decode::<ContractAction>(body)
    } else {
        decode::<Account>(body)
    }
}

fn decode<T: Keyed>(body: &[u8]) -> Result<DecodedPage, String> {
    let page: Page<T> = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    Ok(DecodedPage {
        total: page.total,
        per_page: page.per_page,
        total_pages: page.total_pages,
        next: page.next_href().map(str::to_owned),
        ids: page
            .items
            .and_then(|e| e.0)
            .map(|items| items.iter().map(|i| i.id().to_owned()).collect()),
    })
}

/// Decodes a token endpoint's 200 body: the lifetime the client would give the token.
pub fn token_lifetime(body: &[u8]) -> Result<Duration, String> {
    let answer: TokenAnswer = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    answer.expires_in().ok_or_else(|| "no lifetime".to_owned())
}

/// Decodes an API error body as the client does (unreadable: `None`).
pub fn error_body(body: &[u8]) -> Option<ErrorBody> {
    serde_json::from_slice(body).ok()
}
