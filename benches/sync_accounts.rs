//! Syncing 100,000 accounts from the simulator over loopback: the tdbi client against
//! a bare reqwest loop making the same page requests at the same concurrency (the floor).
//!
//! The floor reads every page and deserializes its accounts into the same `Account`
//! type with plain serde (what any sync must do at least), without the client's token
//! handling, retries, paging checks or de-duplication. A second reference reads the
//! bodies without parsing them at all. Besides criterion's figures, it prints the
//! client's median time as a ratio of each, from interleaved runs in the same process.
//!
//! `cargo bench --bench sync_accounts` (TDBI_BENCH_ACCOUNTS changes the size;
//! `-- ratio-only` skips criterion's sampling and prints only the ratios).

use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use futures::{StreamExt, TryStreamExt};
use serde::Deserialize;
use tdbi::api::model::Account;
use tdbi::api::{Client, ClientOptions};
use tdbi::sim::{SimConfig, SimHandle, Simulator};

const PER_PAGE: u32 = 100;
const CONCURRENCY: usize = 4;

fn accounts_wanted() -> usize {
    std::env::var("TDBI_BENCH_ACCOUNTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

struct Setup {
    sim: SimHandle,
    client: Client,
    bare: BareLoop,
}

async fn setup(accounts: usize) -> Setup {
    tdbi::api::install_crypto_provider();
    let config = SimConfig {
        orgs: 1,
        accounts,
        max_per_page: PER_PAGE,
        tick: None,
        ..SimConfig::default()
    };
    let sim = Simulator::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .expect("simulator starts");
    let org = sim.organizations().remove(0);
    let endpoint = sim.endpoint(&org);
    let options = ClientOptions {
        per_page: PER_PAGE,
        max_concurrency: CONCURRENCY,
        ..ClientOptions::default()
    };
    let client = Client::new(endpoint, options).expect("client builds");
    let bare = BareLoop::new(&sim, &org.client_id, &org.client_secret).await;
    Setup { sim, client, bare }
}

/// The floor: the same GETs with a plain reqwest client.
struct BareLoop {
    http: reqwest::Client,
    url: String,
    token: String,
}

impl BareLoop {
    async fn new(sim: &SimHandle, client_id: &str, secret: &str) -> Self {
        let http = reqwest::Client::new();
        let answer: serde_json::Value = http
            .post(sim.token_url())
            .basic_auth(client_id, Some(secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("token")
            .json()
            .await
            .expect("token body");
        let token = answer["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned();
        let url = format!("{}express/accounts", sim.base_url());
        Self { http, url, token }
    }

    /// One page: its accounts when `parse`, else nothing but its size.
    async fn page(&self, page: u32, parse: bool) -> usize {
        let body = self
            .http
            .get(&self.url)
            .bearer_auth(&self.token)
            .query(&[("page", page), ("per_page", PER_PAGE)])
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("page")
            .bytes()
            .await
            .expect("page body");
        if parse {
            let page: AccountsPage = serde_json::from_slice(&body).expect("a page of accounts");
            page.embedded.accounts.len()
        } else {
            body.len()
        }
    }

    /// Page 1, then pages 2..=total_pages with `CONCURRENCY` in flight. Returns the
    /// accounts read (`parse`) or the bytes read.
    async fn run(&self, parse: bool) -> usize {
        let first = self
            .http
            .get(&self.url)
            .bearer_auth(&self.token)
            .query(&[("page", 1), ("per_page", PER_PAGE)])
            .send()
            .await
            .expect("page 1")
            .bytes()
            .await
            .expect("page 1 body");
        let head: serde_json::Value = serde_json::from_slice(&first).expect("page 1 json");
        let total_pages = head["total_pages"].as_u64().expect("total_pages") as u32;
        let rest: Vec<usize> = futures::stream::iter(2..=total_pages)
            .map(|p| async move { Ok::<_, ()>(self.page(p, parse).await) })
            .buffer_unordered(CONCURRENCY)
            .try_collect()
            .await
            .unwrap_or_default();
        let first_count = if parse {
            let page: AccountsPage = serde_json::from_slice(&first).expect("page 1 accounts");
            page.embedded.accounts.len()
        } else {
            first.len()
        };
        first_count + rest.iter().sum::<usize>()
    }
}

#[derive(Deserialize)]
struct AccountsPage {
    #[serde(rename = "_embedded")]
    embedded: Embedded,
}

#[derive(Deserialize)]
struct Embedded {
    accounts: Vec<Account>,
}

/// Only the ratios, without criterion's sampling (`-- ratio-only`), read from the
/// arguments here rather than left to criterion's name filter.
fn ratio_only() -> bool {
    std::env::args().skip(1).any(|a| a == "ratio-only")
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn sync_accounts(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let accounts = accounts_wanted();
    let started = Instant::now();
    let setup = runtime.block_on(setup(accounts));
    println!(
        "simulator with {accounts} accounts ready in {:.2?}",
        started.elapsed()
    );
    let got = runtime
        .block_on(setup.client.accounts())
        .expect("sync")
        .len();
    assert_eq!(got, accounts, "the client must see every account");

    if !ratio_only() {
        let mut group = c.benchmark_group(format!("sync_{accounts}_accounts"));
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(20));
        group.bench_function("tdbi_client", |b| {
            b.to_async(&runtime)
                .iter(|| async { setup.client.accounts().await.expect("sync").len() })
        });
        group.bench_function("bare_reqwest_serde_floor", |b| {
            b.to_async(&runtime).iter(|| setup.bare.run(true))
        });
        group.bench_function("bare_reqwest_bytes_only", |b| {
            b.to_async(&runtime).iter(|| setup.bare.run(false))
        });
        group.finish();
    }

    // The ratios, from interleaved runs in this same process.
    let (mut client_times, mut floor_times, mut bytes_times) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..9 {
        let t = Instant::now();
        runtime.block_on(setup.client.accounts()).expect("sync");
        client_times.push(t.elapsed());
        let t = Instant::now();
        assert_eq!(runtime.block_on(setup.bare.run(true)), accounts);
        floor_times.push(t.elapsed());
        let t = Instant::now();
        runtime.block_on(setup.bare.run(false));
        bytes_times.push(t.elapsed());
    }
    let (client, floor, bytes) = (
        median(client_times),
        median(floor_times),
        median(bytes_times),
    );
    let ratio = |base: Duration| client.as_secs_f64() / base.as_secs_f64();
    println!(
        "sync of {accounts} accounts (per_page {PER_PAGE}, concurrency {CONCURRENCY}), medians of 9 interleaved runs:\n  tdbi client {client:.2?}\n  bare reqwest + serde floor {floor:.2?}: ratio {:.2}x (target <= 1.2x)\n  bare reqwest bytes only {bytes:.2?}: ratio {:.2}x",
        ratio(floor),
        ratio(bytes)
    );
    runtime.block_on(setup.sim.shutdown());
}

criterion_group!(benches, sync_accounts);
criterion_main!(benches);
