//! The world moving: trials convert or are lost, contract actions progress. A trial
//! converting gains a subscription from that moment; an active account churning has
//! its subscriptions end then (both recorded in the account's lifecycle).

use chrono::{DateTime, SubsecRound, Utc};
use rand::Rng;

use super::generate as seeded;
use super::history::{self, Stage};
use super::webhook::TrialChange;
use super::world::World;
use super::{TrialEnd, TrialTransition};

/// Accounts looked at per organization and tick.
const SAMPLES: usize = 3;
/// Chance that a pending action moves one step in a tick.
const STEP: f64 = 0.6;
/// Chance that an action in progress completes rather than fails.
const SUCCESS: f64 = 0.85;

/// One step of the world at wall-clock time `now`; returns the trial changes it made,
/// in order (ended trials are also recorded in `world.transitions`).
pub fn tick(world: &mut World, now: DateTime<Utc>) -> Vec<TrialChange> {
    let mut changes = Vec::new();
    progress_pending(world, now, &mut changes);
    for org in 0..world.orgs.len() {
        for _ in 0..SAMPLES {
            start_change(world, org, now, &mut changes);
        }
    }
    changes
}

/// Moves pending actions CREATED -> IN_PROGRESS -> COMPLETED | FAILED, and applies
/// a completed action to its account's status.
fn progress_pending(world: &mut World, now: DateTime<Utc>, out: &mut Vec<TrialChange>) {
    let mut pending = std::mem::take(&mut world.pending);
    pending.sort_unstable();
    pending.dedup();
    for (org, g) in pending {
        let step = world.rng.random_bool(STEP);
        let success = world.rng.random_bool(SUCCESS);
        let pick = world.rng.random_range(0..16);
        let mut completed = None;
        let mut still_pending = false;
        for action in world.actions_mut(g).iter_mut() {
            if !action.progress.is_pending() {
                continue;
            }
            if step {
                let next = match (action.progress, success) {
                    (Stage::Created, _) => Stage::InProgress,
                    (_, true) => Stage::Completed,
                    (_, false) => Stage::Failed,
                };
                action.advance(next, now, pick);
                if next == Stage::Completed {
                    completed = Some((action.action_type, action.quantity));
                }
            }
            still_pending |= action.progress.is_pending();
        }
        if still_pending {
            world.pending.push((org, g));
        }
        if let Some((kind, quantity)) = completed {
            apply(world, org, g, (kind, quantity), now, out);
        }
    }
}

/// The status change a completed action of `kind` for `quantity` licenses brings.
fn apply(
    world: &mut World,
    org: usize,
    g: u32,
    (kind, quantity): (&str, i32),
    now: DateTime<Utc>,
    out: &mut Vec<TrialChange>,
) {
    let Some(index) = world.index_of(org, g) else {
        return;
    };
    let from = world.orgs[org].accounts[index].status;
    let to = match (kind, from) {
        (history::NEWTDE, seeded::IN_TRIAL | seeded::TRIAL_LOST | seeded::PROSPECT) => {
            seeded::ACTIVE
        }
        (history::CANCELTDE, seeded::IN_TRIAL) => seeded::TRIAL_LOST,
        (history::CANCELTDE, seeded::ACTIVE | seeded::INACTIVE | seeded::OTHER) => seeded::CHURNED,
        _ => return,
    };
    let reason = match to {
        seeded::ACTIVE => TrialEnd::PlanUpgraded,
        _ => TrialEnd::TrialExpired,
    };
    // Billing dates are whole seconds, as the wire shows them.
    let at = now.trunc_subsecs(0);
    match (to, from) {
        (seeded::ACTIVE, _) => world.record(org, g, |l| l.converted = Some((at, quantity))),
        (_, seeded::ACTIVE) => world.record(org, g, |l| l.churned = Some(at)),
        _ => {}
    }
    set(
        world,
        org,
        index,
        to,
        (from == seeded::IN_TRIAL).then_some(reason),
        now,
        out,
    );
}

fn set(
    world: &mut World,
    org: usize,
    index: usize,
    to: u8,
    trial: Option<TrialEnd>,
    now: DateTime<Utc>,
    out: &mut Vec<TrialChange>,
) {
    let acct = world.orgs[org].accounts[index];
    world.set_code(org, index, to);
    if let Some(reason) = trial {
        let transition = TrialTransition {
            org,
            account_id: world.id(&acct),
            from: world.status_text(acct.status).to_owned(),
            to: world.status_text(to).to_owned(),
            reason,
            at: now,
        };
        world.transitions.push(transition.clone());
        out.push(TrialChange::Ended(transition));
    }
}

/// Looks at one random account of `org` and maybe starts a change.
fn start_change(world: &mut World, org: usize, now: DateTime<Utc>, out: &mut Vec<TrialChange>) {
    let len = world.orgs[org].accounts.len();
    if len == 0 {
        return;
    }
    let index = world.rng.random_range(0..len);
    let roll: f64 = world.rng.random();
    let quantity = world.rng.random_range(1..50);
    let acct = world.orgs[org].accounts[index];
    let g = world.serial(&acct);
    if world.actions(g).iter().any(|a| a.progress.is_pending()) {
        return;
    }
    match acct.status {
        seeded::IN_TRIAL if roll < 0.35 => {
            let _ = world.add_action(org, index, history::NEWTDE, quantity, now);
        }
        seeded::IN_TRIAL if roll < 0.50 => {
            set(
                world,
                org,
                index,
                seeded::TRIAL_LOST,
                Some(TrialEnd::TrialExpired),
                now,
                out,
            );
        }
        // Occasionally a trial is extended: only an event, the status stays IN_TRIAL.
        seeded::IN_TRIAL if roll < 0.55 => out.push(TrialChange::Extended {
            account_id: world.id(&acct),
            at: now,
        }),
        seeded::ACTIVE if roll < 0.03 => {
            let licenses = history::licenses(&world.actions(g)).max(1);
            let _ = world.add_action(org, index, history::CANCELTDE, licenses, now);
        }
        seeded::ACTIVE if roll < 0.08 => {
            let _ = world.add_action(org, index, history::AMENDTDE, quantity, now);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trials_convert_or_are_lost_and_actions_settle() {
        let mut world = World::new(11, 2, 300);
        let start = Utc::now();
        for i in 0..400 {
            tick(&mut world, start + chrono::Duration::seconds(i));
        }
        assert!(!world.transitions.is_empty());
        for t in &world.transitions {
            assert_eq!(t.from, "IN_TRIAL");
            let org = &world.orgs[t.org];
            let i = world.find(t.org, &t.account_id).unwrap_or(usize::MAX);
            let acct = org.accounts[i];
            let actions = world.actions(world.serial(&acct));
            if t.reason == TrialEnd::PlanUpgraded {
                assert!(
                    actions
                        .iter()
                        .any(|a| a.action_type == history::NEWTDE
                            && a.progress == Stage::Completed)
                );
            }
        }
        // Every ACTIVE account that converted here has a completed NEWTDE.
        for (o, org) in world.orgs.iter().enumerate() {
            for acct in &org.accounts {
                let g = world.serial(acct);
                let actions = world.actions(g);
                if acct.status == seeded::CHURNED && actions.iter().any(|a| a.created_at >= start) {
                    let last = actions
                        .iter()
                        .rev()
                        .find(|a| a.action_type == history::CANCELTDE);
                    assert!(
                        last.is_some_and(|a| a.progress == Stage::Completed),
                        "org {o}"
                    );
                }
            }
        }
    }

    #[test]
    fn conversions_and_churns_are_recorded_for_billing() {
        let mut world = World::new(12, 1, 300);
        let start = Utc::now();
        let mut upgraded = Vec::new();
        for i in 0..400 {
            for change in tick(&mut world, start + chrono::Duration::seconds(i)) {
                if let TrialChange::Ended(t) = change {
                    upgraded.extend((t.reason == TrialEnd::PlanUpgraded).then_some(t));
                }
            }
        }
        assert!(!upgraded.is_empty(), "plan_upgraded changes go out");
        for t in &upgraded {
            let i = world.find(0, &t.account_id).unwrap_or(usize::MAX);
            let g = world.serial(&world.orgs[0].accounts[i]);
            let newtde = world
                .actions(g)
                .iter()
                .rev()
                .find(|a| a.action_type == history::NEWTDE && a.progress == Stage::Completed)
                .map(|a| a.quantity);
            let life = world.lifecycle(g);
            assert_eq!(life.converted, newtde.map(|q| (t.at.trunc_subsecs(0), q)));
        }
        let churned: Vec<_> = world.orgs[0]
            .accounts
            .iter()
            .filter_map(|a| world.lifecycle(world.serial(a)).churned.map(|at| (a, at)))
            .collect();
        assert!(!churned.is_empty(), "some active account churned");
        for (acct, at) in churned {
            assert_eq!(acct.status, seeded::CHURNED);
            assert!(at >= start.trunc_subsecs(0));
        }
    }
}
