//! Billing at 10,000 accounts (≈20k subscriptions, 12+ months of invoices and usage),
//! read from the simulator over loopback and aggregated:
//!
//! - **read**: the tdbi billing read (four paged lists, the client's token handling,
//!   retries, paging checks and de-duplication) against a bare reqwest loop making the
//!   same page requests at the same concurrency and parsing each page into the same
//!   model types with plain serde (the floor); printed as a ratio (target ≤ 1.2×);
//! - **aggregation**: `OrgBilling::derive` over the lists read (target ≤ 50 ms; it runs
//!   in `spawn_blocking` in the sync task, never on the UI task), and what the UI task
//!   itself does with the result (`Store::apply` of `BillingSynced`: a pointer swap);
//! - **peak RSS** of `tdbi billing --format json` over the same organization, read from
//!   the child's `/proc/PID/status` VmHWM.
//!
//! `cargo bench --bench billing` (TDBI_BENCH_ACCOUNTS changes the size; `-- figures`
//! skips criterion's sampling and prints only the figures).

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use futures::{StreamExt, TryStreamExt};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tdbi::api::model::{InvoiceLine, MonthlyUsage, Product, Subscription};
use tdbi::api::{Client, ClientOptions};
use tdbi::billing::{BillingList, ListProblem, OrgBilling};
use tdbi::sim::{SimConfig, SimHandle, Simulator};
use tdbi::store::{Store, Update};
use tdbi::sync::billing::List;

const PER_PAGE: u32 = 100;
const CONCURRENCY: usize = 4;

fn accounts_wanted() -> usize {
    std::env::var("TDBI_BENCH_ACCOUNTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

/// Only the printed figures, without criterion's sampling (`-- figures`).
fn figures_only() -> bool {
    std::env::args().skip(1).any(|a| a == "figures")
}

struct Lists {
    subscriptions: Vec<Subscription>,
    invoices: Vec<InvoiceLine>,
    usage: Vec<MonthlyUsage>,
    products: Vec<Product>,
}

impl Lists {
    fn rows(&self) -> usize {
        self.subscriptions.len() + self.invoices.len() + self.usage.len() + self.products.len()
    }
}

/// The tdbi read: `sync::billing::read`, the function the sync task and the headless
/// commands use (scope check, the four lists at once, progress).
async fn tdbi_read(client: &Client) -> Lists {
    let read = tdbi::sync::billing::read(client, &List::ALL, &|_| {}).await;
    Lists {
        subscriptions: list(read.subscriptions),
        invoices: list(read.invoices),
        usage: list(read.usage),
        products: list(read.products),
    }
}

/// The items of a list that was asked and read.
fn list<T>(outcome: Option<Result<Vec<T>, ListProblem>>) -> Vec<T> {
    match outcome {
        Some(Ok(items)) => items,
        Some(Err(problem)) => panic!("billing read: {}", problem.line()),
        None => panic!("billing read: a list was not asked"),
    }
}

/// The floor: the same GETs with a plain reqwest client and plain serde.
struct BareLoop {
    http: reqwest::Client,
    base: String,
    token: String,
}

#[derive(Deserialize)]
struct Page<T> {
    total_pages: u32,
    #[serde(rename = "_embedded")]
    embedded: HashMap<String, Vec<T>>,
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
        Self {
            http,
            base: sim.base_url().to_string(),
            token,
        }
    }

    async fn page<T: DeserializeOwned>(&self, path: &str, page: u32) -> Page<T> {
        let body = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .query(&[("page", page), ("per_page", PER_PAGE)])
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("page")
            .bytes()
            .await
            .expect("page body");
        serde_json::from_slice(&body).expect("a page")
    }

    /// Page 1, then pages 2..=total_pages with `CONCURRENCY` in flight.
    async fn list<T: DeserializeOwned>(&self, path: &str) -> Vec<T> {
        let first: Page<T> = self.page(path, 1).await;
        let rest: Vec<Page<T>> = futures::stream::iter(2..=first.total_pages)
            .map(|p| async move { Ok::<_, ()>(self.page(path, p).await) })
            .buffer_unordered(CONCURRENCY)
            .try_collect()
            .await
            .unwrap_or_default();
        std::iter::once(first)
            .chain(rest)
            .flat_map(|p| p.embedded.into_values().flatten())
            .collect()
    }

    async fn run(&self) -> Lists {
        let (subscriptions, invoices, usage, products) = tokio::join!(
            self.list("express/subscriptions"),
            self.list("express/invoices"),
            self.list("express/usage/month"),
            self.list("express/products")
        );
        Lists {
            subscriptions,
            invoices,
            usage,
            products,
        }
    }
}

fn snapshot(lists: &Lists) -> OrgBilling {
    let now = Utc::now();
    OrgBilling {
        subscriptions: BillingList::default().after(Ok(lists.subscriptions.clone()), now),
        invoices: BillingList::default().after(Ok(lists.invoices.clone()), now),
        usage: BillingList::default().after(Ok(lists.usage.clone()), now),
        products: BillingList::default().after(Ok(lists.products.clone()), now),
        ..OrgBilling::default()
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Peak RSS of `tdbi COMMAND --format json` against the simulator, in MiB: the child's
/// `VmHWM` (high-water mark of its own address space since exec), sampled every 2 ms
/// until it exits. (`getrusage(RUSAGE_CHILDREN)` would count this process's memory too:
/// a child's high-water mark includes what it shared with its parent before exec.)
fn headless_peak_rss(sim: &SimHandle, command: &[&str]) -> Option<f64> {
    let dir = tempfile::tempdir().ok()?;
    let config = dir.path().join("config.toml");
    std::fs::write(&config, sim.config_toml()).ok()?;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tdbi"))
        .args(["--config"])
        .arg(&config)
        .args(["--log-file"])
        .arg(dir.path().join("tdbi.log"))
        .args(command)
        .args(["--format", "json"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    let status = loop {
        if let Some(kib) = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|s| vm_hwm_kib(&s))
        {
            peak_kib = peak_kib.max(kib);
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(_) => return None,
        }
    };
    if !status.success() {
        eprintln!("tdbi {command:?} exited with {status}");
        return None;
    }
    (peak_kib > 0).then(|| peak_kib as f64 / 1024.0)
}

fn vm_hwm_kib(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn billing(c: &mut Criterion) {
    tdbi::api::install_crypto_provider();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let accounts = accounts_wanted();
    let config = SimConfig {
        orgs: 1,
        accounts,
        max_per_page: PER_PAGE,
        tick: None,
        ..SimConfig::default()
    };
    let sim = runtime
        .block_on(Simulator::start(
            config,
            SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        ))
        .expect("simulator starts");
    let org = sim.organizations().remove(0);
    let options = ClientOptions {
        per_page: PER_PAGE,
        max_concurrency: CONCURRENCY,
        ..ClientOptions::default()
    };
    let client = Client::new(sim.endpoint(&org), options).expect("client builds");
    let bare = runtime.block_on(BareLoop::new(&sim, &org.client_id, &org.client_secret));
    let lists = runtime.block_on(tdbi_read(&client));
    let floor = runtime.block_on(bare.run());
    assert_eq!(lists.rows(), floor.rows(), "both reads see every row");
    println!(
        "{accounts} accounts: {} subscriptions, {} invoice lines, {} usage rows, {} products",
        lists.subscriptions.len(),
        lists.invoices.len(),
        lists.usage.len(),
        lists.products.len()
    );

    if !figures_only() {
        let mut group = c.benchmark_group(format!("billing_{accounts}_accounts"));
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(20));
        group.bench_function("tdbi_read", |b| {
            b.to_async(&runtime).iter(|| tdbi_read(&client))
        });
        group.bench_function("bare_reqwest_serde_floor", |b| {
            b.to_async(&runtime).iter(|| bare.run())
        });
        let base = snapshot(&lists);
        group.bench_function("derive", |b| {
            b.iter_batched(
                || base.clone(),
                |mut billing| billing.derive(0, Utc::now()),
                criterion::BatchSize::LargeInput,
            )
        });
        group.finish();
    }

    // The figures, from interleaved runs in this same process.
    let (mut read_times, mut floor_times, mut derive_times, mut apply_times) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..9 {
        let t = Instant::now();
        let lists = runtime.block_on(tdbi_read(&client));
        read_times.push(t.elapsed());
        let t = Instant::now();
        runtime.block_on(bare.run());
        floor_times.push(t.elapsed());
        let mut billing = snapshot(&lists);
        let t = Instant::now();
        billing.derive(0, Utc::now());
        derive_times.push(t.elapsed());
        let mut store = Store::new(["Bench".to_owned()]);
        let update = Update::BillingSynced {
            org: 0,
            billing: Arc::new(billing),
            at: Utc::now(),
        };
        let t = Instant::now();
        store.apply(update);
        apply_times.push(t.elapsed());
    }
    let (read, floor, derive, apply) = (
        median(read_times),
        median(floor_times),
        median(derive_times),
        median(apply_times),
    );
    let rss = |command: &[&str]| {
        headless_peak_rss(&sim, command)
            .map_or_else(|| "n/a".to_owned(), |mib| format!("{mib:.1} MiB"))
    };
    let (rss_billing, rss_usage) = (rss(&["billing"]), rss(&["usage", "--by-month"]));
    println!(
        "billing of {accounts} accounts (per_page {PER_PAGE}, concurrency {CONCURRENCY}), medians of 9 interleaved runs:\n  tdbi billing read {read:.2?}\n  bare reqwest + serde floor {floor:.2?}: ratio {:.2}x (target <= 1.2x)\n  aggregation (derive, off the UI task) {derive:.2?} (target <= 50 ms)\n  UI task: applying the result {apply:.2?}\n  peak RSS of `tdbi billing --format json`: {rss_billing}; of `tdbi usage --by-month --format json` (the largest list): {rss_usage}",
        read.as_secs_f64() / floor.as_secs_f64(),
    );
    runtime.block_on(sim.shutdown());
}

criterion_group!(benches, billing);
criterion_main!(benches);
