//! The simulated world: organizations and their accounts, compact and mostly derived.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::billing::Index;
use super::generate::{self as seeded, KNOWN_STATUSES};
use super::history::{self, Action};
use super::{SimAccount, TrialTransition};

/// One account: 16 bytes. Name, company and history are derived from the serial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Acct {
    pub hi: u64,
    pub lo: u32,
    /// Index into [`KNOWN_STATUSES`], or `7 + i` for the world's `custom[i]`.
    pub status: u8,
}

impl Acct {
    fn key(&self) -> (u64, u32) {
        (self.hi, self.lo)
    }
}

pub struct Org {
    pub name: String,
    pub region: &'static str,
    pub account: String,
    /// Sorted by id: the paging order.
    pub accounts: Vec<Acct>,
    /// Accounts created before each accounts-page request.
    pub growth: usize,
    /// Where billing items are; dropped whenever an account is added or changes status.
    pub billing: Index,
}

impl Org {
    fn changed(&mut self) {
        self.billing = Index::default();
    }
}

/// When a trial converted here (and with how many licenses), when an account churned.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Lifecycle {
    pub converted: Option<(DateTime<Utc>, i32)>,
    pub churned: Option<DateTime<Utc>>,
}

/// What is no longer derivable for an account: provisioned names, touched histories.
#[derive(Default)]
struct Extra {
    name: Option<String>,
    company: Option<String>,
    actions: Option<Vec<Action>>,
    life: Lifecycle,
}

pub struct World {
    pub seed: u64,
    /// The billing world's present: midnight UTC of the day the world was built.
    pub today: DateTime<Utc>,
    pub orgs: Vec<Org>,
    next_g: u32,
    initial_total: u32,
    lo_mask: u32,
    extras: HashMap<u32, Extra>,
    custom: Vec<String>,
    /// Lowercased names of provisioned accounts.
    provisioned: HashSet<String>,
    /// Accounts (org, serial) that have a pending contract action.
    pub pending: Vec<(usize, u32)>,
    pub transitions: Vec<TrialTransition>,
    pub rng: SmallRng,
    next_action: u64,
}

const REGIONS: [&str; 3] = ["eu", "us", "ca"];

impl World {
    /// Builds the seeded world: `accounts` in the first organization, a seeded share
    /// (10–60 %, at least 1) in each other.
    pub fn new(seed: u64, orgs: usize, accounts: usize) -> Self {
        let mut rng = SmallRng::seed_from_u64(seeded::mix(seed, 0x574f_524c, 0));
        let region_start = rng.random_range(0..REGIONS.len());
        let mut next_g = 0u32;
        let lo_mask = seeded::lo_mask(seed);
        let orgs = (0..orgs.max(1))
            .map(|i| {
                let n = if i == 0 {
                    accounts
                } else {
                    (accounts * rng.random_range(10..=60) / 100).max(1)
                };
                let region = REGIONS[(region_start + i) % REGIONS.len()];
                let brand = seeded::org_brand(seed, i);
                let first = next_g;
                next_g = next_g.saturating_add(n as u32);
                let mut list: Vec<Acct> = (first..next_g)
                    .map(|g| {
                        let (hi, lo) = seeded::account_key(seed, g);
                        let status = seeded::base_status(seed, g, u32::MAX);
                        Acct { hi, lo, status }
                    })
                    .collect();
                list.sort_unstable();
                Org {
                    name: format!("{brand} {}", region.to_ascii_uppercase()),
                    region,
                    account: brand.to_ascii_lowercase(),
                    accounts: list,
                    growth: 0,
                    billing: Index::default(),
                }
            })
            .collect();
        let now = Utc::now();
        World {
            seed,
            today: now.duration_trunc(TimeDelta::days(1)).unwrap_or(now),
            orgs,
            initial_total: next_g,
            next_g,
            lo_mask,
            extras: HashMap::new(),
            custom: Vec::new(),
            provisioned: HashSet::new(),
            pending: Vec::new(),
            transitions: Vec::new(),
            rng,
            next_action: 0,
        }
    }

    pub fn serial(&self, a: &Acct) -> u32 {
        a.lo ^ self.lo_mask
    }

    pub fn id(&self, a: &Acct) -> String {
        seeded::format_id(a.hi, a.lo)
    }

    pub fn name(&self, a: &Acct) -> String {
        let g = self.serial(a);
        match self.extras.get(&g).and_then(|e| e.name.clone()) {
            Some(name) => name,
            None => seeded::account_name(self.seed, g),
        }
    }

    pub fn company(&self, a: &Acct) -> String {
        let g = self.serial(a);
        match self.extras.get(&g).and_then(|e| e.company.clone()) {
            Some(company) => company,
            None => seeded::company_name(self.seed, g),
        }
    }

    pub fn status_text(&self, status: u8) -> &str {
        match KNOWN_STATUSES.get(status as usize) {
            Some(s) => s,
            None => self
                .custom
                .get(status as usize - KNOWN_STATUSES.len())
                .map_or("OTHER", String::as_str),
        }
    }

    pub fn view(&self, a: &Acct) -> SimAccount {
        SimAccount {
            id: self.id(a),
            name: self.name(a),
            company_name: self.company(a),
            status: self.status_text(a.status).to_owned(),
        }
    }

    /// Index of the account with text id `id` in organization `org`.
    pub fn find(&self, org: usize, id: &str) -> Option<usize> {
        let key = seeded::parse_id(id)?;
        self.orgs
            .get(org)?
            .accounts
            .binary_search_by(|a| a.key().cmp(&key))
            .ok()
    }

    /// Creates an account (a fresh trial) in `org`; returns its index and serial.
    /// `generated` skips serials whose generated name a provisioned account already uses.
    fn insert(&mut self, org: usize, status: u8, generated: bool) -> Option<(usize, u32)> {
        if org >= self.orgs.len() {
            return None;
        }
        let mut g = self.next_g;
        while generated
            && self
                .provisioned
                .contains(&seeded::account_name(self.seed, g))
        {
            g = g.checked_add(1)?;
        }
        self.next_g = g.checked_add(1)?;
        let (hi, lo) = seeded::account_key(self.seed, g);
        let acct = Acct { hi, lo, status };
        let o = self.orgs.get_mut(org)?;
        o.changed();
        let at = o.accounts.partition_point(|a| a.key() < acct.key());
        o.accounts.insert(at, acct);
        Some((at, g))
    }

    /// Creates `n` generated trial accounts in `org`; returns their ids.
    pub fn create(&mut self, org: usize, n: usize) -> Vec<String> {
        let mut ids = Vec::with_capacity(n);
        for _ in 0..n {
            match self.insert(org, seeded::IN_TRIAL, true) {
                Some((at, _)) => ids.push(self.id(&self.orgs[org].accounts[at])),
                None => break,
            }
        }
        ids
    }

    /// Creates a provisioned trial account with the caller's names; returns its id.
    pub fn provision(&mut self, org: usize, name: &str, company: &str) -> Option<String> {
        let (at, g) = self.insert(org, seeded::IN_TRIAL, false)?;
        self.provisioned.insert(name.to_ascii_lowercase());
        self.extras.insert(
            g,
            Extra {
                name: Some(name.to_owned()),
                company: Some(company.to_owned()),
                actions: Some(Vec::new()),
                life: Lifecycle::default(),
            },
        );
        Some(self.id(&self.orgs[org].accounts[at]))
    }

    /// Whether an account name is already used anywhere in the world.
    pub fn name_taken(&self, name: &str) -> bool {
        let lower = name.to_ascii_lowercase();
        if self.provisioned.contains(&lower) {
            return true;
        }
        seeded::generated_serial(self.seed, &lower).is_some_and(|g| {
            g < self.next_g as u64
                && self
                    .extras
                    .get(&(g as u32))
                    .is_none_or(|e| e.name.is_none())
        })
    }

    /// The status byte for raw text, interning undocumented values.
    pub fn status_code(&mut self, text: &str) -> u8 {
        if let Some(i) = KNOWN_STATUSES.iter().position(|s| *s == text) {
            return i as u8;
        }
        let i = match self.custom.iter().position(|s| s == text) {
            Some(i) => i,
            None => {
                self.custom.push(text.to_owned());
                self.custom.len() - 1
            }
        };
        // At most 248 distinct undocumented statuses; later ones share the last slot.
        (KNOWN_STATUSES.len() + i).min(u8::MAX as usize) as u8
    }

    pub fn set_status(&mut self, org: usize, id: &str, text: &str) -> bool {
        let code = self.status_code(text);
        match self.find(org, id) {
            Some(i) => {
                self.set_code(org, i, code);
                true
            }
            None => false,
        }
    }

    /// Sets the status code of account `index` of `org`.
    pub fn set_code(&mut self, org: usize, index: usize, code: u8) {
        if let Some(o) = self.orgs.get_mut(org) {
            if let Some(a) = o.accounts.get_mut(index) {
                a.status = code;
                o.changed();
            }
        }
    }

    /// What the moving world recorded of account serial `g`'s lifecycle.
    pub fn lifecycle(&self, g: u32) -> Lifecycle {
        self.extras.get(&g).map(|e| e.life).unwrap_or_default()
    }

    /// Records a change of `g`'s lifecycle (a conversion or a churn) in `org`.
    pub fn record(&mut self, org: usize, g: u32, change: impl FnOnce(&mut Lifecycle)) {
        change(&mut self.extras.entry(g).or_default().life);
        if let Some(o) = self.orgs.get_mut(org) {
            o.changed();
        }
    }

    /// The contract actions of account serial `g`, oldest first.
    pub fn actions(&self, g: u32) -> Cow<'_, [Action]> {
        match self.extras.get(&g).and_then(|e| e.actions.as_deref()) {
            Some(list) => Cow::Borrowed(list),
            None => Cow::Owned(history::derive(
                self.seed,
                g,
                seeded::base_status(self.seed, g, self.initial_total),
            )),
        }
    }

    /// The contract actions of `g`, materialized so they can change.
    pub fn actions_mut(&mut self, g: u32) -> &mut Vec<Action> {
        let derived = match self.extras.get(&g).is_some_and(|e| e.actions.is_some()) {
            true => None,
            false => Some(self.actions(g).into_owned()),
        };
        let extra = self.extras.entry(g).or_default();
        extra
            .actions
            .get_or_insert_with(|| derived.unwrap_or_default())
    }

    /// Appends a CREATED action to account `index` of `org`. `Err` when one is pending.
    pub fn add_action(
        &mut self,
        org: usize,
        index: usize,
        action_type: &'static str,
        quantity: i32,
        now: DateTime<Utc>,
    ) -> Result<Action, Action> {
        let g = self.serial(&self.orgs[org].accounts[index]);
        if let Some(busy) = self.actions(g).iter().find(|a| a.progress.is_pending()) {
            return Err(busy.clone());
        }
        self.next_action += 1;
        let id = history::action_id(self.seed ^ 0x004e_4557, g, self.next_action);
        let action = Action::new(id, action_type, quantity, now);
        self.actions_mut(g).push(action.clone());
        self.pending.push((org, g));
        Ok(action)
    }

    /// Index of account serial `g` in `org`.
    pub fn index_of(&self, org: usize, g: u32) -> Option<usize> {
        let key = seeded::account_key(self.seed, g);
        self.orgs
            .get(org)?
            .accounts
            .binary_search_by(|a| a.key().cmp(&key))
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_world_and_sorted() {
        let a = World::new(5, 3, 500);
        let b = World::new(5, 3, 500);
        for (oa, ob) in a.orgs.iter().zip(&b.orgs) {
            assert_eq!(oa.accounts, ob.accounts);
            assert!(oa.accounts.windows(2).all(|w| w[0] < w[1]));
        }
        assert_ne!(
            World::new(6, 1, 50).orgs[0].accounts,
            a.orgs[0].accounts[..50]
        );
    }

    #[test]
    fn created_accounts_spread_and_names_are_taken() {
        let mut w = World::new(1, 1, 100);
        let ids = w.create(0, 20);
        let positions: Vec<usize> = ids.iter().filter_map(|id| w.find(0, id)).collect();
        assert_eq!(positions.len(), 20);
        assert!(positions.iter().any(|p| *p < 50) && positions.iter().any(|p| *p > 50));
        let first = w.orgs[0].accounts[0];
        assert!(w.name_taken(&w.name(&first).to_ascii_uppercase()));
        assert!(!w.name_taken("Zz9"));
        let id = w
            .provision(0, "JosephPinetrees", "Joseph Pinetree")
            .unwrap_or_default();
        assert!(w.name_taken("josephpinetrees"));
        let i = w.find(0, &id).unwrap_or(usize::MAX);
        assert_eq!(w.view(&w.orgs[0].accounts[i]).status, "IN_TRIAL");
        // A future generated name already provisioned is skipped, not duplicated.
        let future = seeded::account_name(1, w.next_g + 1);
        w.provision(0, &future, "Future Co");
        w.create(0, 5);
        let names: Vec<String> = w.orgs[0].accounts.iter().map(|a| w.name(a)).collect();
        assert_eq!(names.iter().filter(|n| **n == future).count(), 1);
    }
}
