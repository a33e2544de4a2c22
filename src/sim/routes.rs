//! The router and the account / contract handlers.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use serde_json::Value;

use super::auth::{self, Caller, Scope};
use super::paging::{self, LinkBase, PageReq};
use super::state::{Shared, Stats, lock};
use super::wire::{self, AccountItem, ActionItem, FieldError};
use super::{billing, contracts, control, faults, history, provision};

pub const ACCOUNTS_READ: Scope = Scope("express-accounts:read");
pub const ACTIONS_WRITE: Scope = Scope("express-accounts-contracts-actions:write");

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/oauth/token", post(auth::token))
        .route("/express/accounts", get(accounts))
        .route(
            "/express/accounts/{id}/contracts/actions",
            get(actions).post(create_action),
        )
        .route("/express/accounts/{id}/contracts", get(contracts::info))
        .route("/express/provisioning/account", post(provision::handle))
        .route("/express/subscriptions", get(billing::subscriptions))
        .route("/express/invoices", get(billing::invoices))
        .route("/express/usage/month", get(billing::usage_month))
        .route("/express/products", get(billing::products))
        .route("/_sim/organizations", get(control::organizations))
        .route(
            "/_sim/organizations/{index}/accounts",
            get(control::accounts),
        )
        .fallback(not_found)
        .with_state(shared)
}

async fn not_found() -> Response {
    wire::error(
        StatusCode::NOT_FOUND,
        "Not found",
        Some("No such route.".to_owned()),
    )
}

/// Faults, then the bearer and scope check: the common start of every API handler.
/// What an API handler answers: the success, or the error response a check produced
/// (both render as they are; `?` ends a handler at the first failed check).
pub type Answer = Result<Response, Response>;

pub async fn prelude(
    shared: &Shared,
    headers: &HeaderMap,
    scope: Scope,
) -> Result<Caller, Response> {
    faults::before_api(shared).await?;
    auth::authorize(shared, headers, scope)
}

/// Parses paging against the current cap; also returns how to write links.
pub fn page_request(shared: &Shared, query: Option<&str>) -> Result<(PageReq, LinkBase), Response> {
    let (cap, style) = {
        let knobs = lock(&shared.knobs);
        (knobs.max_per_page, knobs.link_style)
    };
    let req = paging::parse(query, cap)?;
    let link = LinkBase {
        base: shared.base.clone(),
        style,
    };
    Ok((req, link))
}

pub fn account_not_found(id: &str) -> Response {
    wire::error(
        StatusCode::NOT_FOUND,
        "Account not found",
        Some(format!("No account {id} under the calling organization.")),
    )
}

/// `GET /express/accounts`
async fn accounts(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Answer {
    let caller = prelude(&shared, &headers, ACCOUNTS_READ).await?;
    let (req, link) = page_request(&shared, query.as_deref())?;
    let (items, total) = {
        let mut world = lock(&shared.world);
        let growth = world.orgs[caller.org].growth;
        if growth > 0 {
            world.create(caller.org, growth);
        }
        let list = &world.orgs[caller.org].accounts;
        let items: Vec<AccountItem> = list[req.window(list.len())]
            .iter()
            .map(|a| AccountItem::from(world.view(a)))
            .collect();
        (items, list.len())
    };
    Ok(Json(req.envelope("accounts", items, total, "/express/accounts", &link)).into_response())
}

/// `GET /express/accounts/{id}/contracts/actions`
async fn actions(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Answer {
    let caller = prelude(&shared, &headers, ACTIONS_WRITE).await?;
    let (req, link) = page_request(&shared, query.as_deref())?;
    let listed = {
        let world = lock(&shared.world);
        world.find(caller.org, &id).map(|i| {
            let g = world.serial(&world.orgs[caller.org].accounts[i]);
            let all = world.actions(g);
            let items: Vec<ActionItem> =
                all[req.window(all.len())].iter().map(Into::into).collect();
            (items, all.len())
        })
    };
    let Some((items, total)) = listed else {
        return Err(account_not_found(&id));
    };
    let path = format!("/express/accounts/{id}/contracts/actions");
    Ok(Json(req.envelope("contract_actions", items, total, &path, &link)).into_response())
}

/// Validates a contract action request: `action_type` one of the three, `quantity` a JSON
/// integer in 1..=10000 (the reference gives int32 and no bounds; 10000 matches the
/// provisioning limit). A CANCELTDE may leave `quantity` out (or null): `None`.
fn validate_action(body: &[u8]) -> Result<(&'static str, Option<i32>), Response> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        wire::error(
            StatusCode::BAD_REQUEST,
            "Invalid request body",
            Some(format!("The body is not a JSON object: {e}.")),
        )
    })?;
    let mut fields = Vec::new();
    let action_type = value.get("action_type").and_then(Value::as_str);
    let action_type = history::ACTION_TYPES
        .iter()
        .find(|t| Some(**t) == action_type)
        .copied();
    if action_type.is_none() {
        fields.push(FieldError {
            name: "action_type".to_owned(),
            description: "must be one of NEWTDE, AMENDTDE, CANCELTDE".to_owned(),
        });
    }
    let given = value.get("quantity").filter(|q| !q.is_null());
    let quantity = given
        .and_then(Value::as_i64)
        .filter(|q| (1..=10_000).contains(q))
        .map(|q| q as i32);
    let may_omit = action_type == Some(history::CANCELTDE) && given.is_none();
    if quantity.is_none() && !may_omit {
        fields.push(FieldError {
            name: "quantity".to_owned(),
            description: "must be an integer from 1 to 10000".to_owned(),
        });
    }
    match action_type {
        Some(t) if fields.is_empty() => Ok((t, quantity)),
        _ => Err(wire::error_with_fields(
            StatusCode::BAD_REQUEST,
            "Validation failed",
            Some("Some fields of the contract action are invalid.".to_owned()),
            Some(fields),
        )),
    }
}

/// `POST /express/accounts/{id}/contracts/actions`: 201 with the created action (the
/// reference only says it "answers the created action"; clients should accept any 2xx).
/// Order of checks: 401/403 (token, scope), 404 for an account not under the caller, 400
/// with `fields`, then 409 while an action of the account is CREATED or IN_PROGRESS. A
/// cancellation without a quantity is recorded with the account's current licences (the
/// reference is silent on what it answers then). Every request is counted
/// ([`super::SimStats::action_posts`]), whatever its answer.
async fn create_action(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    Stats::bump(&shared.stats.action_posts);
    lock(&shared.action_bodies).push(body.to_vec());
    let caller = prelude(&shared, &headers, ACTIONS_WRITE).await?;
    let mut world = lock(&shared.world);
    let Some(index) = world.find(caller.org, &id) else {
        return Err(account_not_found(&id));
    };
    let (action_type, quantity) = validate_action(&body)?;
    let quantity = quantity.unwrap_or_else(|| {
        let g = world.serial(&world.orgs[caller.org].accounts[index]);
        history::licenses(&world.actions(g))
    });
    Ok(
        match world.add_action(caller.org, index, action_type, quantity, Utc::now()) {
            Ok(action) => (StatusCode::CREATED, Json(ActionItem::from(&action))).into_response(),
            Err(busy) => wire::error(
                StatusCode::CONFLICT,
                "Contract action already pending",
                Some(format!(
                    "Contract action {} of this account is {}; wait until it completes or fails.",
                    busy.id,
                    busy.progress.as_str()
                )),
            ),
        },
    )
}
