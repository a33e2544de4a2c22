//! `/_sim/...`: unauthenticated views for black-box tests of the binary.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::state::{Shared, lock};
use super::wire::{self, AccountItem};

#[derive(Serialize)]
struct OrgItem {
    index: usize,
    name: String,
    region: &'static str,
    account: String,
    accounts: usize,
}

/// `GET /_sim/organizations`
pub async fn organizations(State(shared): State<Arc<Shared>>) -> Response {
    let world = lock(&shared.world);
    let items: Vec<OrgItem> = world
        .orgs
        .iter()
        .enumerate()
        .map(|(index, o)| OrgItem {
            index,
            name: o.name.clone(),
            region: o.region,
            account: o.account.clone(),
            accounts: o.accounts.len(),
        })
        .collect();
    Json(items).into_response()
}

/// `GET /_sim/organizations/{index}/accounts`: every account, in paging order.
pub async fn accounts(State(shared): State<Arc<Shared>>, Path(index): Path<String>) -> Response {
    let items: Option<Vec<AccountItem>> = {
        let world = lock(&shared.world);
        index
            .parse::<usize>()
            .ok()
            .and_then(|i| world.orgs.get(i))
            .map(|org| {
                org.accounts
                    .iter()
                    .map(|a| AccountItem::from(world.view(a)))
                    .collect()
            })
    };
    match items {
        Some(items) => Json(items).into_response(),
        None => wire::error(
            StatusCode::NOT_FOUND,
            "No such organization",
            Some(format!("Organization index {index} does not exist.")),
        ),
    }
}
