//! `GET /express/accounts/{id}/contracts`: reseller contract information.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use chrono::{DateTime, Datelike, Duration as Span, Utc};

use super::auth::Scope;
use super::generate::mix;
use super::history::{self, Action};
use super::routes::{Answer, account_not_found, prelude};
use super::state::{Shared, lock};
use super::wire::{ContractInfo, date};

pub const CONTRACTS_READ: Scope = Scope("express-accounts-contracts:read");

/// The contract state of an account and its next workflow transition:
/// trials end (TERMINATED) unless converted, active contracts renew on their
/// anniversary, suspended ones are canceled, canceled ones terminated.
fn contract(
    seed: u64,
    g: u32,
    status: &str,
    actions: &[Action],
    now: DateTime<Utc>,
) -> ContractInfo {
    let h = mix(seed, 0x434f_4e54, g as u64);
    let trial = status == "IN_TRIAL";
    let account_status = match status {
        "INACTIVE" => "SUSPENDED",
        "CHURNED" => "CANCELED",
        "TRIAL_LOST" => "TERMINATED",
        _ => "ACTIVE",
    };
    let last_change = actions.last().map_or(now, |a| a.updated_at);
    let (transition_date, transition_status) = match account_status {
        _ if trial => (now + Span::days(1 + (h % 30) as i64), "TERMINATED"),
        "SUSPENDED" => (now + Span::days(1 + (h % 60) as i64), "CANCELED"),
        "CANCELED" => (last_change + Span::days(90), "TERMINATED"),
        "TERMINATED" => (last_change, "TERMINATED"),
        _ => (next_anniversary(actions, now), "ACTIVE"),
    };
    let mut license_number = history::licenses(actions);
    if trial && license_number == 0 {
        license_number = 1 + (h % 10) as i32;
    }
    ContractInfo {
        id: String::new(),
        trial,
        account_status,
        license_number,
        transition_date: date(transition_date),
        transition_status,
    }
}

/// The first anniversary of the subscription start after `now`.
fn next_anniversary(actions: &[Action], now: DateTime<Utc>) -> DateTime<Utc> {
    let start = actions
        .iter()
        .find(|a| a.action_type == history::NEWTDE)
        .map_or(now, |a| a.updated_at);
    let mut at = start;
    while at <= now {
        let next = at.with_year(at.year() + 1).unwrap_or(at + Span::days(365));
        at = next;
    }
    at
}

/// `GET /express/accounts/{id}/contracts` (not paged).
pub async fn info(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Answer {
    let caller = prelude(&shared, &headers, CONTRACTS_READ).await?;
    let found = {
        let world = lock(&shared.world);
        world.find(caller.org, &id).map(|i| {
            let acct = world.orgs[caller.org].accounts[i];
            let g = world.serial(&acct);
            let status = world.status_text(acct.status);
            contract(world.seed, g, status, &world.actions(g), Utc::now())
        })
    };
    Ok(match found {
        Some(mut info) => {
            info.id = id;
            Json(info).into_response()
        }
        None => account_not_found(&id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::generate as seeded;

    #[test]
    fn statuses_map_to_contract_states() {
        let now = history::history_end();
        let active = history::derive(1, 3, seeded::ACTIVE);
        let c = contract(1, 3, "ACTIVE", &active, now);
        assert_eq!((c.trial, c.account_status), (false, "ACTIVE"));
        assert!(c.license_number >= 1);
        let t = contract(1, 4, "IN_TRIAL", &[], now);
        assert_eq!((t.trial, t.transition_status), (true, "TERMINATED"));
        assert_eq!(
            contract(1, 5, "CHURNED", &[], now).account_status,
            "CANCELED"
        );
    }
}
