//! The cache on disk at 100,000 accounts (read from the simulator):
//! (a) encode and decode of the same accounts in postcard (the format used), bincode 2
//! and serde_json (the baseline), with sizes;
//! (b) the cache's save (encode + atomic write with fsync) of the accounts, and of the
//! billing lists of a 10,000-account organization;
//! (c) start to first full frame from the 100k cache (goal: at most 100 ms): the load
//! as the dashboard does it (`cache::load` on a blocking thread, first update received),
//! then `App::apply` and the first draw into a 200x50 TestBackend; beside it the binary's
//! own startup (`tdbi --version`, spawn to exit), and their sum.
//!
//! Prints medians. `cargo bench --bench cache`

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tdbi::api::model::Account;
use tdbi::api::{Client, ClientOptions};
use tdbi::app::App;
use tdbi::billing::{BillingList, OrgBilling};
use tdbi::cache::records::{Owned, Rows};
use tdbi::cache::{Cache, CacheSetup, Identity};
use tdbi::sim::{SimConfig, SimHandle, Simulator};
use tdbi::store::Store;
use tdbi::sync::SyncCommand;
use tdbi::view::Theme;
use tokio::runtime::Runtime;

const GOAL: Duration = Duration::from_millis(100);
const RUNS: usize = 9;

fn median(mut f: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS).map(|_| f()).collect();
    times.sort();
    times[RUNS / 2]
}

fn ms(d: Duration) -> String {
    format!("{:8.1} ms", d.as_secs_f64() * 1e3)
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed())
}

async fn sim(accounts: usize) -> SimHandle {
    let config = SimConfig {
        orgs: 1,
        accounts,
        max_per_page: 1000,
        ..SimConfig::default()
    };
    Simulator::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .expect("simulator starts")
}

fn client(sim: &SimHandle) -> (Client, Identity) {
    let org = sim.organizations().remove(0);
    let endpoint = sim.endpoint(&org);
    let identity = Identity::of_endpoint(&endpoint);
    let options = ClientOptions {
        per_page: 1000,
        ..ClientOptions::default()
    };
    (Client::new(endpoint, options).expect("client"), identity)
}

fn list<T>(items: Vec<T>) -> BillingList<T> {
    BillingList {
        items: Some(items.into()),
        read_at: Some(Utc::now()),
        problem: None,
    }
}

fn formats(accounts: &[Account]) {
    println!("\n(a) {} accounts, median of {RUNS}:", accounts.len());
    println!("  format       encode      decode      size");
    let row = |name: &str, enc: Duration, dec: Duration, len: usize| {
        println!(
            "  {name:<10}{}{}{:8.1} MB",
            ms(enc),
            ms(dec),
            len as f64 / 1e6
        )
    };
    let bytes = postcard::to_allocvec(&Rows(accounts)).expect("postcard");
    let enc = median(|| timed(|| postcard::to_allocvec(&Rows(accounts))).1);
    let dec =
        median(|| timed(|| postcard::from_bytes::<Owned<Account>>(&bytes).map(|o| o.0.len())).1);
    assert_eq!(
        postcard::from_bytes::<Owned<Account>>(&bytes)
            .map(|o| o.0)
            .ok()
            .as_deref(),
        Some(accounts)
    );
    row("postcard", enc, dec, bytes.len());

    let config = bincode::config::standard();
    let bytes = bincode::serde::encode_to_vec(Rows(accounts), config).expect("bincode");
    let enc = median(|| timed(|| bincode::serde::encode_to_vec(Rows(accounts), config)).1);
    let dec = median(|| {
        timed(|| {
            bincode::serde::decode_from_slice::<Owned<Account>, _>(&bytes, config).map(|o| o.1)
        })
        .1
    });
    row("bincode 2", enc, dec, bytes.len());

    let bytes = serde_json::to_vec(&Rows(accounts)).expect("json");
    let enc = median(|| timed(|| serde_json::to_vec(&Rows(accounts))).1);
    let dec =
        median(|| timed(|| serde_json::from_slice::<Owned<Account>>(&bytes).map(|o| o.0.len())).1);
    row("serde_json", enc, dec, bytes.len());
}

/// Medians of: the load, the load + apply, the load + apply + first draw.
fn first_frame(
    rt: &Runtime,
    setup: &Arc<CacheSetup>,
    name: &str,
) -> (Duration, Duration, Duration) {
    let mut load = Vec::new();
    let mut applied = Vec::new();
    let mut total = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let (tx, mut rx) = tokio::sync::mpsc::channel(4);
        tdbi::cache::load(setup.clone(), tx);
        let update = rt.block_on(rx.recv()).expect("cached accounts");
        load.push(start.elapsed());
        let (commands, _) = std::sync::mpsc::channel::<(usize, SyncCommand)>();
        let mut app = App::new(
            Store::new([name.to_owned()]),
            Theme::default(),
            Box::new(commands),
        );
        app.apply(update);
        applied.push(start.elapsed());
        let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
        app.draw(&mut terminal).expect("draw");
        total.push(start.elapsed());
        assert_eq!(app.store().orgs[0].accounts.len(), 100_000);
        drop(app);
        rt.block_on(async { while rx.recv().await.is_some() {} });
    }
    load.sort();
    applied.sort();
    total.sort();
    (load[RUNS / 2], applied[RUNS / 2], total[RUNS / 2])
}

fn startup() -> Duration {
    median(|| {
        let t = Instant::now();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tdbi"))
            .arg("--version")
            .output()
            .expect("tdbi runs");
        assert!(out.status.success());
        t.elapsed()
    })
}

fn main() {
    let rt = Runtime::new().expect("runtime");
    let _inside = rt.enter();
    let big = rt.block_on(sim(100_000));
    let (c, identity) = client(&big);
    let accounts = rt.block_on(c.accounts()).expect("accounts");
    let small = rt.block_on(sim(10_000));
    let (c, billing_identity) = client(&small);
    let billing = rt.block_on(async {
        OrgBilling {
            subscriptions: list(c.subscriptions().await.expect("subscriptions")),
            invoices: list(c.invoices().await.expect("invoices")),
            usage: list(c.monthly_usage().await.expect("usage")),
            products: list(c.products().await.expect("products")),
            derived: Default::default(),
        }
    });
    formats(&accounts);

    let dir = tempfile::tempdir().expect("temp dir");
    let cache = Cache::new(dir.path().to_owned());
    let save = median(|| {
        timed(|| {
            cache
                .save_accounts(&identity, &accounts, Utc::now())
                .expect("save")
        })
        .1
    });
    let rows = billing.subscriptions.slice().len()
        + billing.invoices.slice().len()
        + billing.usage.slice().len()
        + billing.products.slice().len();
    let save_billing = median(|| {
        timed(|| {
            cache
                .save_billing(&billing_identity, &billing, Utc::now())
                .expect("save")
        })
        .1
    });
    let setup = Arc::new(CacheSetup {
        cache: cache.clone(),
        identities: vec![billing_identity.clone()],
    });
    let load_billing =
        median(|| timed(|| tdbi::cache::cached_billing(&setup, 0).expect("billing")).1);
    let size = |p: std::path::PathBuf| std::fs::metadata(p).map_or(0, |m| m.len()) as f64 / 1e6;
    println!("\n(b) the cache's own files, median of {RUNS}:");
    println!(
        "  save 100,000 accounts (encode + write + fsync + rename){}   {:.1} MB",
        ms(save),
        size(cache.accounts_path(&identity))
    );
    println!(
        "  save billing, {rows} rows of 10,000 accounts          {}   {:.1} MB",
        ms(save_billing),
        size(cache.billing_path(&billing_identity))
    );
    println!(
        "  load + derive that billing (sent after the accounts)  {}",
        ms(load_billing)
    );

    let setup = Arc::new(CacheSetup {
        cache,
        identities: vec![identity.clone()],
    });
    let (load, applied, frame) = first_frame(&rt, &setup, &identity.name);
    let boot = startup();
    println!("\n(c) start to first full frame from the 100k cache, median of {RUNS}:");
    println!("  load (spawn_blocking read + decode)      {}", ms(load));
    println!(
        "  + App::apply (store index, counts)     {}",
        ms(applied - load)
    );
    println!(
        "  + first 200x50 draw (builds listing)   {}",
        ms(frame - applied)
    );
    println!("  = in-process                             {}", ms(frame));
    println!("  binary startup (tdbi --version)          {}", ms(boot));
    println!(
        "  sum                                      {}   goal {}  {}",
        ms(frame + boot),
        ms(GOAL),
        if frame + boot <= GOAL {
            "met"
        } else {
            "MISSED"
        }
    );
    rt.block_on(big.shutdown());
    rt.block_on(small.shutdown());
}
