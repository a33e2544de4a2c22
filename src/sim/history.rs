//! Contract actions: the seeded history of an account, consistent with its status.

use chrono::{DateTime, Duration as Span, TimeZone, Utc};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::generate::{self as seeded, mix};

pub const NEWTDE: &str = "NEWTDE";
pub const AMENDTDE: &str = "AMENDTDE";
pub const CANCELTDE: &str = "CANCELTDE";
pub const ACTION_TYPES: [&str; 3] = [NEWTDE, AMENDTDE, CANCELTDE];

/// Where a contract action is in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Created,
    InProgress,
    Completed,
    Failed,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Created => "CREATED",
            Stage::InProgress => "IN_PROGRESS",
            Stage::Completed => "COMPLETED",
            Stage::Failed => "FAILED",
        }
    }

    pub fn is_pending(self) -> bool {
        matches!(self, Stage::Created | Stage::InProgress)
    }
}

const FAILURES: [&str; 4] = [
    "Payment method declined by the billing provider.",
    "Requested license quantity exceeds the plan limit.",
    "Billing system timeout; the action can be retried.",
    "Contract validation failed: missing billing contact.",
];

/// One contract action as the simulator holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub id: String,
    pub action_type: &'static str,
    pub quantity: i32,
    pub progress: Stage,
    pub status_message: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Action {
    pub fn new(id: String, action_type: &'static str, quantity: i32, at: DateTime<Utc>) -> Self {
        Action {
            id,
            action_type,
            quantity,
            progress: Stage::Created,
            status_message: message(Stage::Created, 0).to_owned(),
            created_at: at,
            updated_at: at,
        }
    }

    /// Moves to `progress` at `at`; `pick` chooses among failure messages.
    pub fn advance(&mut self, progress: Stage, at: DateTime<Utc>, pick: usize) {
        self.progress = progress;
        self.status_message = message(progress, pick).to_owned();
        self.updated_at = at.max(self.updated_at);
    }
}

fn message(progress: Stage, pick: usize) -> &'static str {
    match progress {
        Stage::Created => "Contract action created successfully.",
        Stage::InProgress => "Contract action is being processed.",
        Stage::Completed => "Contract action completed successfully.",
        Stage::Failed => FAILURES[pick % FAILURES.len()],
    }
}

/// Seeded histories end here, so the same seed gives the same dates on any day.
pub fn history_end() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 12, 1, 9, 0, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// Id of the `k`-th action of account `g`.
pub fn action_id(seed: u64, g: u32, k: u64) -> String {
    format!(
        "{:016x}{:08x}",
        mix(seed, seeded::SALT_HISTORY, ((g as u64) << 16) | k),
        k as u32
    )
}

/// The seeded history of account `g` generated with status `base`:
/// - ACTIVE, INACTIVE, OTHER: a completed NEWTDE, then some amendments (a few failed);
/// - CHURNED: the same, ending with a completed CANCELTDE;
/// - IN_TRIAL, TRIAL_LOST: nothing, or a failed NEWTDE (never a completed one);
/// - PROSPECT: nothing.
///
/// No seeded action is pending: only the moving world and POSTs create pending ones.
pub fn derive(seed: u64, g: u32, base: u8) -> Vec<Action> {
    let mut rng = SmallRng::seed_from_u64(mix(seed, seeded::SALT_HISTORY, g as u64));
    let end = history_end();
    let mut at = end - Span::days(rng.random_range(60..1200));
    let mut out = Vec::new();
    let mut push = |rng: &mut SmallRng, at: DateTime<Utc>, kind, quantity, progress| {
        let k = out.len() as u64;
        let mut action = Action::new(action_id(seed, g, k), kind, quantity, at);
        let done = at + Span::minutes(rng.random_range(2..240));
        action.advance(progress, done, rng.random_range(0..FAILURES.len()));
        out.push(action);
    };
    match base {
        seeded::IN_TRIAL | seeded::TRIAL_LOST => {
            if rng.random_bool(0.2) {
                let q = rng.random_range(1..20);
                push(&mut rng, at, NEWTDE, q, Stage::Failed);
            }
        }
        seeded::PROSPECT => {}
        _ => {
            let mut quantity = rng.random_range(1..60);
            push(&mut rng, at, NEWTDE, quantity, Stage::Completed);
            for _ in 0..rng.random_range(0..4) {
                at += Span::days(rng.random_range(10..200));
                quantity = (quantity + rng.random_range(-5..15)).max(1);
                let progress = if rng.random_bool(0.15) {
                    Stage::Failed
                } else {
                    Stage::Completed
                };
                push(&mut rng, at.min(end), AMENDTDE, quantity, progress);
            }
            if base == seeded::CHURNED {
                at += Span::days(rng.random_range(5..120));
                push(&mut rng, at.min(end), CANCELTDE, quantity, Stage::Completed);
            }
        }
    }
    out
}

/// Licenses in force: the quantity of the last completed NEWTDE or AMENDTDE.
pub fn licenses(actions: &[Action]) -> i32 {
    actions
        .iter()
        .rev()
        .find(|a| a.progress == Stage::Completed && a.action_type != CANCELTDE)
        .map_or(0, |a| a.quantity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histories_match_statuses() {
        for g in 0..2000 {
            for base in 0..7u8 {
                let h = derive(9, g, base);
                let completed_new = h
                    .iter()
                    .any(|a| a.action_type == NEWTDE && a.progress == Stage::Completed);
                match base {
                    seeded::IN_TRIAL | seeded::TRIAL_LOST | seeded::PROSPECT => {
                        assert!(!completed_new)
                    }
                    _ => assert!(completed_new),
                }
                if base == seeded::CHURNED {
                    let last = h.last().map(|a| (a.action_type, a.progress));
                    assert_eq!(last, Some((CANCELTDE, Stage::Completed)));
                }
                assert!(h.iter().all(|a| !a.progress.is_pending()));
                assert!(h.iter().all(|a| a.updated_at >= a.created_at));
            }
        }
    }
}
