//! The dashboard at 100,000 accounts, each figure printed beside its goal, in one run:
//!
//! - **resync stall**: what the UI task does when a resync of 100k accounts arrives
//!   with 1, 100 or 10,000 of them changed (`App::apply` of the list prepared off the
//!   UI task + the next draw; goal ≤ 16 ms), beside the prepare step's own time;
//! - **headless peak RSS** of `tdbi accounts --format json` against an in-process
//!   simulator (GNU time's `%M`, else the child's rusage; goal < 32 MB), and the page
//!   requests it made;
//! - **dashboard RSS** after 20 resyncs against after the first load (VmRSS of a
//!   child process of this bench that does only that, each list resolved as the
//!   dashboard does; goal ≤ 1.2×), and beside it the same without
//!   [`tdbi::memory::give_back_freed`];
//! - **filter keystrokes** at 100k (extend "ac" → "acm", backspace, a key that leaves
//!   no match; goal ≤ 2 ms);
//! - **`x` export** of the 100k rows to CSV: the UI task's part (snapshot, file
//!   created) beside the whole export (rows written on a blocking thread);
//! - **idle redraws**: ten simulated minutes of a still world at 1,780 accounts (a
//!   clock tick every second, an unchanged resync every minute), draws counted from
//!   the app's dirty flag and priced at the measured draw time (goal ≤ 0.02 s/min);
//! - **idle CPU** of the real dashboard (its setup, sync and billing tasks, cache and
//!   loop, drawing into a `TestBackend`) over 60 s of a still 1,780-account world
//!   served from a child process (goal ≤ 0.02 s).
//!
//! Timings never fail. `cargo bench --bench scale` (no criterion: figures only).

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::Event;
use tdbi::api::model::{Account, AccountStatus};
use tdbi::app::{Action, App, prepare_off_ui};
use tdbi::sim::{SimConfig, Simulator};
use tdbi::store::{AccountsSource, Store, Update};
use tdbi::sync::SyncCommand;
use tdbi::view::Theme;

const BIG: usize = 100_000;
const IDLE: usize = 1_780;
const PER_PAGE: u32 = 100;

fn accounts(n: usize) -> Vec<Account> {
    const WORDS: [&str; 12] = [
        "acme",
        "globex",
        "initech",
        "umbrella",
        "hooli",
        "stark",
        "wayne",
        "zurich",
        "tyrell",
        "cyberdyne",
        "soylent",
        "wonka",
    ];
    const STATUSES: [&str; 5] = ["ACTIVE", "ACTIVE", "IN_TRIAL", "CHURNED", "INACTIVE"];
    (0..n)
        .map(|i| {
            let w = WORDS[(i * 7919) % WORDS.len()];
            let k = WORDS[(i * 31 + 5) % WORDS.len()];
            Account {
                id: format!("{:024x}", 0x5ea7_5fe7_u128 * 1_000_003 + i as u128 * 7_919).into(),
                name: format!("{w}{k}{i}").into(),
                company_name: format!("{} {k} Ltd", w.to_uppercase()).into(),
                status: AccountStatus::from_raw(STATUSES[i % STATUSES.len()]),
            }
        })
        .collect()
}

/// `base` with `k` accounts spread over the list changed (status and name).
fn changed(base: &[Account], k: usize, round: usize) -> Vec<Account> {
    let mut list = base.to_vec();
    let step = (list.len() / k.max(1)).max(1);
    for (n, a) in list.iter_mut().step_by(step).take(k).enumerate() {
        a.status = AccountStatus::from_raw(if (n + round) % 2 == 0 {
            "CHURNED"
        } else {
            "ACTIVE"
        });
        a.name = format!("{}-r{round}", a.name).into();
    }
    list
}

fn t0() -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000, 0)
        .single()
        .unwrap_or_default()
}

fn synced(accounts: Vec<Account>, at: DateTime<Utc>) -> Update {
    Update::AccountsSynced {
        org: 0,
        accounts,
        at,
    }
}

fn app(accounts: Vec<Account>) -> App {
    let mut store = Store::new(["Bench Org".to_owned()]);
    store.apply(synced(accounts, t0()));
    let (tx, _rx) = mpsc::channel::<(usize, SyncCommand)>();
    let mut app = App::new(store, Theme::default(), Box::new(tx));
    app.tick(t0());
    app
}

fn terminal() -> Terminal<TestBackend> {
    match Terminal::new(TestBackend::new(200, 50)) {
        Ok(t) => t,
        Err(never) => match never {},
    }
}

fn draw(app: &mut App, term: &mut Terminal<TestBackend>) {
    if let Err(never) = app.draw(term) {
        match never {}
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// For resyncs changing `k` of the accounts, medians of 7: the UI task's part (apply
/// the prepared list + the next draw) and the prepare step the dashboard runs on a
/// blocking thread (resolving the list against the slots, keys of what changed).
fn stall(
    app: &mut App,
    term: &mut Terminal<TestBackend>,
    base: &[Account],
    k: usize,
) -> (Duration, Duration) {
    let (mut ui, mut off) = (Vec::new(), Vec::new());
    for round in 0..7 {
        let list = changed(base, k, round);
        let at = t0() + TimeDelta::minutes(round as i64 + 1);
        let t = Instant::now();
        let prepared = Box::new(prepare_off_ui(app.store().orgs[0].base(), list));
        off.push(t.elapsed());
        let update = Update::AccountsPrepared {
            org: 0,
            prepared,
            source: AccountsSource::Synced { at },
        };
        let t = Instant::now();
        app.apply(update);
        draw(app, term);
        ui.push(t.elapsed());
    }
    (median(ui), median(off))
}

/// Medians of 3 `x` exports of the whole unfiltered tab into a temporary directory:
/// the UI task's part (snapshot of the rows, file created) and the whole export until
/// its result is back (rows written on a blocking thread).
fn export_time(app: &mut App) -> (Duration, Duration) {
    app.update(Action::OpenFilter);
    app.update(Action::Back);
    let dir = std::env::temp_dir().join(format!("tdbi-scale-export-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    app.set_export_dir(dir.clone());
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => panic!("runtime: {e}"),
    };
    let (mut ui, mut whole) = (Vec::new(), Vec::new());
    runtime.block_on(async {
        let (tx, mut rx) = tokio::sync::mpsc::channel(8);
        app.connect(Vec::new(), &tx);
        for _ in 0..3 {
            let t = Instant::now();
            app.update(Action::Export);
            ui.push(t.elapsed());
            if let Some(update) = rx.recv().await {
                whole.push(t.elapsed());
                app.apply(update);
            }
        }
    });
    let _ = std::fs::remove_dir_all(&dir);
    (median(ui), median(whole))
}

fn type_query(app: &mut App, query: &str) {
    app.update(Action::OpenFilter);
    app.update(Action::ClearInput);
    for c in query.chars() {
        app.update(Action::Input(c));
    }
}

/// Median time of `key` typed after `before` (set up untimed).
fn keystroke(app: &mut App, before: &str, key: Action) -> Duration {
    let runs = (0..21).map(|_| {
        type_query(app, before);
        let t = Instant::now();
        app.update(key);
        t.elapsed()
    });
    median(runs.collect())
}

/// One organization of `accounts` that never changes, served at the shipped `per_page`.
fn still_sim(accounts: usize) -> SimConfig {
    SimConfig {
        orgs: 1,
        accounts,
        max_per_page: PER_PAGE,
        tick: None,
        ..SimConfig::default()
    }
}

/// Child mode: a still simulator of `IDLE` accounts on a free port; writes its
/// configuration to `path` once listening, then serves until killed.
fn idle_sim_child(path: &str) {
    let Ok(runtime) = tokio::runtime::Runtime::new() else {
        return;
    };
    runtime.block_on(async {
        let config = still_sim(IDLE);
        let Ok(sim) = Simulator::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
        else {
            return;
        };
        let ready = format!("{path}.part");
        if std::fs::write(&ready, sim.config_toml()).is_ok() {
            let _ = std::fs::rename(&ready, path);
        }
        std::future::pending::<()>().await;
    });
}

/// CPU time (user + system) of this process, from `getrusage`.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    Duration::from_micros(micros(usage.ru_utime) + micros(usage.ru_stime))
}

/// The real dashboard idle: `dashboard_app` (sync task, billing reads, cache in a
/// temporary dir) and `run_loop` drawing into a 200x50 `TestBackend`, against a still
/// simulator in a child process, so this process's CPU time is the dashboard's alone.
/// After `WARM_UP` (first sync and billing read), the CPU time used over `IDLE_FOR`.
fn idle_cpu() -> Option<Duration> {
    const WARM_UP: Duration = Duration::from_secs(15);
    const IDLE_FOR: Duration = Duration::from_secs(60);
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("config.toml");
    let mut sim = std::process::Command::new(std::env::current_exe().ok()?)
        .arg("idle-sim")
        .arg(&path)
        .spawn()
        .ok()?;
    let deadline = Instant::now() + Duration::from_secs(30);
    while !path.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let measured = (|| {
        let mut config = tdbi::config::Config::load_from(&path, []).ok()?;
        config.cache.dir = Some(dir.path().join("cache"));
        let runtime = tokio::runtime::Runtime::new().ok()?;
        runtime.block_on(async {
            let (app, updates) =
                tdbi::app::dashboard_app(&config, Theme::default(), tdbi::app::EventsSetup::Off);
            let mut term = terminal();
            let events = futures::stream::pending::<std::io::Result<Event>>();
            let dashboard = tdbi::app::run_loop(&mut term, app, updates, events);
            let watch = async {
                tokio::time::sleep(WARM_UP).await;
                let before = cpu_time();
                tokio::time::sleep(IDLE_FOR).await;
                cpu_time() - before
            };
            tokio::select! {
                used = watch => Some(used),
                _ = dashboard => None,
            }
        })
    })();
    let _ = sim.kill();
    let _ = sim.wait();
    measured
}

/// Draws per simulated minute of a still world, and the median draw time.
fn idle_draws() -> (f64, Duration) {
    let base = accounts(IDLE);
    let mut app = app(base.clone());
    let mut term = terminal();
    draw(&mut app, &mut term);
    let (mut draws, mut times) = (0usize, Vec::new());
    let minutes = 10;
    for s in 1..=minutes * 60 {
        let now = t0() + TimeDelta::seconds(s);
        let mut updates = vec![];
        if s % 60 == 30 {
            // a resync of unchanged data: started, 18 pages, done
            updates.push(Update::SyncStarted { org: 0 });
            updates.extend((1..=18).map(|done| Update::SyncProgress {
                org: 0,
                done,
                total: 18,
            }));
            updates.push(synced(base.clone(), now));
        }
        for update in updates {
            app.apply(update);
            if app.take_dirty() {
                let t = Instant::now();
                draw(&mut app, &mut term);
                times.push(t.elapsed());
                draws += 1;
            }
        }
        app.tick(now);
        if app.take_dirty() {
            let t = Instant::now();
            draw(&mut app, &mut term);
            times.push(t.elapsed());
            draws += 1;
        }
    }
    (draws as f64 / minutes as f64, median(times))
}

fn vm_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
    kib.unwrap_or(0.0) / 1024.0
}

/// Child mode: load 100k into an App, draw, then 20 resyncs of 100 changes each, each
/// list resolved as the dashboard's blocking thread does; `untuned` (the baseline)
/// leaves out giving the freed memory back.
fn dashboard_rss_child(untuned: bool) {
    let base = accounts(BIG);
    let mut app = app(base.clone());
    let mut term = terminal();
    draw(&mut app, &mut term);
    let first = vm_rss_mib();
    for round in 0..20 {
        let list = changed(&base, 100, round);
        let at = t0() + TimeDelta::minutes(round as i64 + 1);
        let base = app.store().orgs[0].base();
        let prepared = Box::new(if untuned {
            base.prepare(list)
        } else {
            prepare_off_ui(base, list)
        });
        app.apply(Update::AccountsPrepared {
            org: 0,
            prepared,
            source: AccountsSource::Synced { at },
        });
        draw(&mut app, &mut term);
    }
    println!("{first:.1} {:.1}", vm_rss_mib());
}

fn dashboard_rss(untuned: bool) -> Option<(f64, f64)> {
    let exe = std::env::current_exe().ok()?;
    let out = std::process::Command::new(exe)
        .arg("rss-child")
        .args(untuned.then_some("untuned"))
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let mut it = text.split_whitespace().map(|v| v.parse::<f64>().ok());
    Some((it.next()??, it.next()??))
}

/// Peak RSS (MiB) of `tdbi accounts --format json` over 100k accounts, and the API
/// requests it made.
fn headless() -> Option<(f64, u64)> {
    let runtime = tokio::runtime::Runtime::new().ok()?;
    let config = still_sim(BIG);
    let sim = runtime
        .block_on(Simulator::start(
            config,
            SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        ))
        .ok()?;
    let dir = tempfile::tempdir().ok()?;
    let config = dir.path().join("config.toml");
    std::fs::write(&config, sim.config_toml()).ok()?;
    // GNU time forks tdbi from its own small process: the peak is tdbi's alone. A
    // child spawned from this process directly would inherit this process's peak
    // (the simulator's 100k accounts) at exec, as rusage counts it.
    let gnu_time = std::path::Path::new("/usr/bin/time").exists();
    let mut command = if gnu_time {
        let mut c = std::process::Command::new("/usr/bin/time");
        c.args(["-f", "%M"]).arg(env!("CARGO_BIN_EXE_tdbi"));
        c
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_tdbi"))
    };
    command
        .arg("--config")
        .arg(&config)
        .arg("--log-file")
        .arg(dir.path().join("tdbi.log"))
        .args(["accounts", "--format", "json"])
        .stdout(std::process::Stdio::null());
    let before = sim.stats().api_requests;
    let out = command.stderr(std::process::Stdio::piped()).output().ok()?;
    let requests = sim.stats().api_requests - before;
    runtime.block_on(sim.shutdown());
    if !out.status.success() {
        eprintln!("tdbi accounts exited with {}", out.status);
        return None;
    }
    if gnu_time {
        let text = String::from_utf8_lossy(&out.stderr);
        let kib: f64 = text.lines().last()?.trim().parse().ok()?;
        return Some((kib / 1024.0, requests));
    }
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } == 0;
    ok.then(|| (usage.ru_maxrss as f64 / 1024.0, requests))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|a| a == "idle-sim") {
        idle_sim_child(args.get(at + 1).map_or("", String::as_str));
        return;
    }
    if args.iter().any(|a| a == "rss-child") {
        dashboard_rss_child(args.iter().any(|a| a == "untuned"));
        return;
    }
    println!("scale at {BIG} accounts (one organization, 200x50 frame)");
    let base = accounts(BIG);
    let mut big = app(base.clone());
    let mut term = terminal();
    draw(&mut big, &mut term);
    for k in [1, 100, 10_000] {
        let (ui, off) = stall(&mut big, &mut term, &base, k);
        println!(
            "  resync stall, {k:>6} changed: UI task apply + draw {} (goal <= 16 ms); prepared off the UI task in {}",
            ms(ui),
            ms(off)
        );
    }

    let extend = keystroke(&mut big, "ac", Action::Input('m'));
    let backspace = keystroke(&mut big, "acm", Action::DeleteChar);
    let none = keystroke(&mut big, "acm", Action::Input('#'));
    println!(
        "  filter keystroke: \"ac\" -> \"acm\" {}, backspace \"acm\" -> \"ac\" {}, no match \"acm#\" {} (goal <= 2 ms)",
        ms(extend),
        ms(backspace),
        ms(none)
    );
    let (export_ui, export_whole) = export_time(&mut big);
    println!(
        "  x export of {BIG} rows to CSV: UI task {} (frame budget 16 ms); written off the UI task, done after {}",
        ms(export_ui),
        ms(export_whole)
    );
    drop(big);

    match headless() {
        Some((rss, requests)) => {
            println!(
                "  headless `tdbi accounts --format json`: peak RSS {rss:.1} MiB (goal < 32 MB)"
            );
            println!(
                "  requests per sync: {requests} API requests for {BIG} accounts at per_page {PER_PAGE} ({} pages)",
                BIG.div_ceil(PER_PAGE as usize)
            );
        }
        None => println!("  headless run failed: no RSS figure"),
    }
    match (dashboard_rss(false), dashboard_rss(true)) {
        (Some((first, after)), Some((base_first, base_after))) => println!(
            "  dashboard RSS: {first:.1} MiB after the first load, {after:.1} MiB after 20 resyncs: {:.2}x (goal <= 1.2x); without giving freed memory back: {base_first:.1} -> {base_after:.1} MiB, {:.2}x",
            after / first,
            base_after / base_first
        ),
        _ => println!("  dashboard RSS child failed"),
    }
    let (per_minute, draw_time) = idle_draws();
    println!(
        "  idle at {IDLE} accounts, ten simulated minutes: {per_minute:.1} draws per minute x {} = {:.4} s per minute (goal <= 0.02 s)",
        ms(draw_time),
        per_minute * draw_time.as_secs_f64()
    );
    match idle_cpu() {
        Some(used) => println!(
            "  idle at {IDLE} accounts, the real dashboard against a still simulator: {:.4} s of CPU over 60 s (goal <= 0.02 s)",
            used.as_secs_f64()
        ),
        None => println!("  idle dashboard run failed: no CPU figure"),
    }
}
