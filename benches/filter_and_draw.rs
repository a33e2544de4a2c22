//! The dashboard's hot paths at 100,000 accounts in one organization:
//! (a) drawing one 200x50 frame of the accounts table, beside the same frame at 100
//! accounts (target: at most 1.5x); (b) re-filtering after one keystroke ("ac" ->
//! "acm", and a fresh one-letter query; target: under 16 ms), through the real key
//! path (`App::update(Action::Input)`). For scale only, when fzf is installed: the
//! wall time of a `fzf --filter` process that reads and scores the same 100k lines
//! from a pipe, which is not like for like with an in-memory incremental filter.
//!
//! Besides criterion's figures it prints medians and the ratio measured in the same run.
//! `cargo bench --bench filter_and_draw`

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tdbi::api::model::{Account, AccountStatus};
use tdbi::app::{Action, App};
use tdbi::store::{Store, Update};
use tdbi::sync::SyncCommand;
use tdbi::view::Theme;

const BIG: usize = 100_000;
const SMALL: usize = 100;

/// Accounts with names like the simulator's: brand word + line of business.
fn accounts(n: usize) -> Vec<Account> {
    let brands: Vec<&str> = words(include_str!("../assets/company_words.txt"));
    let kinds: Vec<&str> = words(include_str!("../assets/company_kinds.txt"));
    let statuses = [
        "ACTIVE",
        "ACTIVE",
        "IN_TRIAL",
        "CHURNED",
        "TRIAL_LOST",
        "INACTIVE",
    ];
    (0..n)
        .map(|i| {
            let w = brands[(i * 7919) % brands.len()];
            let k = kinds[(i * 104_729 / 7) % kinds.len()];
            Account {
                id: format!(
                    "{:024x}",
                    0x5ea7_5fe7_aa22_4700_0000_0000u128 + i as u128 * 7_919
                )
                .into(),
                name: format!("{}{}{i}", w.to_ascii_lowercase(), k.to_ascii_lowercase()).into(),
                company_name: format!("{w} {k}").into(),
                status: AccountStatus::from_raw(statuses[i % statuses.len()]),
            }
        })
        .collect()
}

fn words(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

fn app(n: usize) -> App {
    let mut store = Store::new(["Bench Org".to_owned()]);
    store.apply(Update::AccountsSynced {
        org: 0,
        accounts: accounts(n),
        at: Utc::now(),
    });
    let (tx, _rx) = mpsc::channel::<(usize, SyncCommand)>();
    let mut app = App::new(store, Theme::default(), Box::new(tx));
    app.tick(Utc::now());
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

fn type_query(app: &mut App, query: &str) {
    app.update(Action::OpenFilter);
    app.update(Action::ClearInput);
    for c in query.chars() {
        app.update(Action::Input(c));
    }
}

/// Time of one keystroke `key` typed after `before` (which is set up untimed).
fn keystroke(app: &mut App, before: &str, key: char) -> Duration {
    type_query(app, before);
    let started = Instant::now();
    app.update(Action::Input(key));
    started.elapsed()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn benches(c: &mut Criterion) {
    let mut big = app(BIG);
    let mut small = app(SMALL);
    let mut term = terminal();

    let mut group = c.benchmark_group("draw_200x50");
    group.bench_function("100k_accounts", |b| b.iter(|| draw(&mut big, &mut term)));
    group.bench_function("100_accounts", |b| b.iter(|| draw(&mut small, &mut term)));
    group.finish();

    let mut group = c.benchmark_group("refilter_100k");
    group.bench_function("ac_to_acm", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| keystroke(&mut big, "ac", 'm')).sum())
    });
    group.bench_function("fresh_a", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| keystroke(&mut big, "", 'a')).sum())
    });
    group.finish();
    type_query(&mut big, "");

    summary(&mut big, &mut small, &mut term);
}

/// Medians measured here, interleaved, so the ratio compares like with like.
fn summary(big: &mut App, small: &mut App, term: &mut Terminal<TestBackend>) {
    let (mut b, mut s) = (Vec::new(), Vec::new());
    for _ in 0..200 {
        let t = Instant::now();
        draw(big, term);
        b.push(t.elapsed());
        let t = Instant::now();
        draw(small, term);
        s.push(t.elapsed());
    }
    let (b, s) = (median(b), median(s));
    println!(
        "draw 200x50: {BIG} accounts {b:?}, {SMALL} accounts {s:?}, ratio {:.2} (target <= 1.5)",
        b.as_secs_f64() / s.as_secs_f64()
    );
    let narrow = median((0..30).map(|_| keystroke(big, "ac", 'm')).collect());
    let fresh = median((0..30).map(|_| keystroke(big, "", 'a')).collect());
    println!(
        "refilter at {BIG}: \"ac\" -> \"acm\" {narrow:?}, fresh \"a\" {fresh:?} (target < 16 ms)"
    );
    match fzf(big, "acm") {
        Some(t) => println!(
            "for scale, not like for like: a `fzf --filter acm` process reading and scoring the same {BIG} lines from a pipe {t:?}, against tdbi's in-memory incremental filter above"
        ),
        None => println!("fzf not found: no fzf comparison"),
    }
}

/// Wall time of `fzf --filter QUERY` over the accounts' `id name company` lines.
fn fzf(app: &App, query: &str) -> Option<Duration> {
    let lines: String = app.store().orgs[0]
        .accounts
        .iter()
        .map(|a| format!("{} {} {}\n", a.id, a.name, a.company_name))
        .collect();
    let mut runs = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let mut child = Command::new("fzf")
            .args(["--filter", query])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .ok()?;
        child.stdin.take()?.write_all(lines.as_bytes()).ok()?;
        child.wait().ok()?;
        runs.push(started.elapsed());
    }
    Some(median(runs))
}

criterion_group! {
    name = filter_and_draw;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(filter_and_draw);
