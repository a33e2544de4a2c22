//! A batch killed at every point of a line's sequence (before its attempt is recorded,
//! after the record but before the request, after the server created the trial but
//! before its result was synced, after the result was synced), then resumed with the
//! same results file, against the simulator: no trial is created twice, and every trial
//! created is reported as created with the simulator's id.

mod trial_support;

use std::sync::atomic::AtomicBool;

use serde_json::Value;
use tdbi::api::model::{ProvisionedAccount, TrialRequest};
use tdbi::api::{ApiError, Client, ClientOptions};
use tdbi::trial::batch::{Batch, Provisioner};
use tdbi::trial::results::ResultsFile;
use tokio::sync::Notify;
use trial_support::{body, start};

#[derive(Clone, Copy, Debug)]
enum Point {
    BeforeRecord,
    BeforeSend,
    AfterCreated,
}

/// The client, killed (the batch future dropped) at `at` for one account name.
struct Killer<'a> {
    client: &'a Client,
    at: Option<(String, Point)>,
    results: String,
    killed: Notify,
}

impl Killer<'_> {
    async fn die(&self) -> ! {
        self.killed.notify_one();
        std::future::pending().await
    }

    /// Drops the results file's last line if it records the attempt now being made: the
    /// state a kill just before that record was written leaves.
    fn unrecord_attempt(&self) {
        let text = std::fs::read_to_string(&self.results).unwrap_or_default();
        let mut lines: Vec<&str> = text.lines().collect();
        if lines
            .last()
            .is_some_and(|l| l.contains(r#""status":"sending""#))
        {
            lines.pop();
            let kept: String = lines.iter().map(|l| format!("{l}\n")).collect();
            std::fs::write(&self.results, kept).expect("rewrite results");
        }
    }
}

impl Provisioner for Killer<'_> {
    async fn prepare(&self) -> Result<(), ApiError> {
        self.client.prepare().await
    }

    async fn find(&self, account_name: &str) -> Result<Option<String>, ApiError> {
        self.client.find(account_name).await
    }

    async fn provision(&self, request: &TrialRequest) -> Result<ProvisionedAccount, ApiError> {
        match &self.at {
            Some((name, point)) if *name == request.account_name => match point {
                Point::BeforeRecord => {
                    self.unrecord_attempt();
                    self.die().await
                }
                Point::BeforeSend => self.die().await,
                Point::AfterCreated => {
                    let created = self.client.provision(request).await;
                    assert!(created.is_ok(), "{:?}", created.err());
                    self.die().await
                }
            },
            _ => self.client.provision(request).await,
        }
    }
}

async fn run(killer: &Killer<'_>, input: &[u8]) -> Option<Vec<Value>> {
    let mut results = ResultsFile::open(killer.results.as_ref()).expect("results file");
    let mut out = Vec::new();
    let stop = AtomicBool::new(false);
    let batch = Batch {
        provisioner: killer,
        trial_agreement_accepted: true,
        results: Some(&mut results),
        out: &mut out,
        stop: &stop,
    };
    tokio::select! {
        ended = batch.run(input) => {
            ended.expect("the batch ends");
        }
        () = killer.killed.notified() => return None,
    }
    let text = String::from_utf8(out).expect("UTF-8");
    Some(
        text.lines()
            .map(|l| serde_json::from_str(l).expect("JSON"))
            .collect(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_killed_anywhere_resumes_without_a_trial_created_twice_or_lost() {
    let sim = start().await;
    let org = sim.handle.organizations()[0].clone();
    let client = Client::new(sim.handle.endpoint(&org), ClientOptions::default()).unwrap();
    let mut scenarios: Vec<Option<(usize, Point)>> = Vec::new();
    for line in 0..2 {
        for point in [Point::BeforeRecord, Point::BeforeSend, Point::AfterCreated] {
            scenarios.push(Some((line, point)));
        }
    }
    // Killed after the last result was synced: the batch had ended.
    // (After line 1's result is synced is before line 2's attempt is recorded.)
    scenarios.push(None);
    for (n, scenario) in scenarios.into_iter().enumerate() {
        let names: Vec<String> = (0..2).map(|i| format!("Kill{n}x{i}")).collect();
        let input: String = names.iter().map(|n| format!("{}\n", body(n))).collect();
        let mut killer = Killer {
            client: &client,
            at: scenario.map(|(line, point)| (names[line].clone(), point)),
            results: sim.path(&format!("results{n}.jsonl")),
            killed: Notify::new(),
        };
        let first = run(&killer, input.as_bytes()).await;
        assert_eq!(first.is_none(), scenario.is_some(), "{scenario:?}");
        killer.at = None;
        let resumed = run(&killer, input.as_bytes())
            .await
            .expect("runs to the end");

        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let accounts = sim.accounts_named(&refs);
        assert_eq!(accounts.len(), 2, "{scenario:?}: {accounts:?}");
        assert_eq!(resumed.len(), 2, "{scenario:?}: {resumed:?}");
        for (outcome, name) in resumed.iter().zip(&names) {
            let status = outcome["status"].as_str().unwrap_or("");
            assert!(
                status == "created" || status == "skipped",
                "{scenario:?}: {outcome}"
            );
            let account = accounts.iter().find(|a| a.name.eq_ignore_ascii_case(name));
            let id = account.map(|a| a.id.as_str());
            assert_eq!(outcome["id"].as_str(), id, "{scenario:?}: {outcome}");
        }
    }
    sim.handle.shutdown().await;
}
