//! A standing chaos test: several organizations read from a simulator that fails,
//! throttles, answers garbage, issues short-lived tokens and moves while it is read.
//! Every read that succeeds holds each account once, every account that existed for the
//! whole read, and nothing the server never had; once the faults stop, a read equals the
//! simulator's accounts exactly. A short list is never reported as a success.

use std::collections::HashSet;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use tdbi::api::{Client, ClientOptions};
use tdbi::sim::{Faults, SimConfig, SimHandle, Simulator};

const ORGS: usize = 3;

fn options() -> ClientOptions {
    ClientOptions {
        per_page: 100,
        max_concurrency: 4,
        request_timeout: Duration::from_secs(10),
        max_retries: 8,
        initial_backoff: Duration::from_millis(2),
        max_retry_after: Duration::from_secs(5),
    }
}

fn ids(sim: &SimHandle, org: usize) -> HashSet<String> {
    sim.accounts(org).into_iter().map(|a| a.id).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_under_faults_are_complete_or_errors() {
    let sim = Simulator::start(
        SimConfig {
            seed: 7,
            orgs: ORGS,
            accounts: 400,
            max_per_page: 25,
            token_ttl: Duration::from_secs(1),
            tick: Some(Duration::from_millis(20)),
            faults: Faults {
                server_error_rate: 0.08,
                throttle_rate: 0.01,
                malformed_rate: 0.05,
                ..Faults::default()
            },
            ..SimConfig::default()
        },
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    )
    .await
    .expect("simulator starts");
    let clients: Vec<Client> = sim
        .organizations()
        .iter()
        .map(|org| Client::new(sim.endpoint(org), options()).expect("client"))
        .collect();
    sim.set_growth_per_page_request(0, 1);

    let mut successes = 0;
    for round in 0..3 {
        let before: Vec<HashSet<String>> = (0..ORGS).map(|o| ids(&sim, o)).collect();
        let reads = futures::future::join_all(clients.iter().map(|c| c.accounts())).await;
        for (org, read) in reads.into_iter().enumerate() {
            let after = ids(&sim, org);
            let accounts = match read {
                Ok(accounts) => accounts,
                // An error is allowed under chaos; a short success is not.
                Err(e) => {
                    eprintln!("round {round}, org {org}: {e}");
                    continue;
                }
            };
            successes += 1;
            let got: HashSet<String> = accounts.iter().map(|a| a.id.to_string()).collect();
            assert_eq!(
                got.len(),
                accounts.len(),
                "round {round}, org {org}: an account twice"
            );
            let dropped = before[org].difference(&got).count();
            assert_eq!(
                dropped, 0,
                "round {round}, org {org}: {dropped} account(s) dropped"
            );
            let invented = got.difference(&after).count();
            assert_eq!(
                invented, 0,
                "round {round}, org {org}: {invented} unknown account(s)"
            );
        }
    }
    assert!(
        successes >= ORGS,
        "with 8 retries most reads succeed: {successes}"
    );

    sim.set_faults(Faults::default());
    sim.set_growth_per_page_request(0, 0);
    for (org, client) in clients.iter().enumerate() {
        let got: HashSet<String> = client
            .accounts()
            .await
            .expect("a calm read succeeds")
            .into_iter()
            .map(|a| a.id.into())
            .collect();
        assert_eq!(
            got,
            ids(&sim, org),
            "org {org}: exactly the simulator's accounts"
        );
    }
    let stats = sim.stats();
    assert!(
        stats.tokens_issued > 1,
        "short-lived tokens were renewed: {stats:?}"
    );
    sim.shutdown().await;
}
