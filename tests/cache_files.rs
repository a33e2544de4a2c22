//! The cache files on their own: round trips, what is ignored (with a log line, never a
//! panic), file modes, and `Cache::clear`.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use tdbi::api::model::{
    Account, AccountStatus, BillingPeriod, InvoiceLine, MonthlyUsage, Product, Subscription,
    SubscriptionStatus, UsageType,
};
use tdbi::billing::{BillingList, OrgBilling};
use tdbi::cache::{Cache, Identity};

fn identity(client_id: &str) -> Identity {
    let base = url::Url::parse("http://127.0.0.1:8080").unwrap();
    Identity::new("Acme Partners", &base, client_id)
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 30, 15).unwrap() + chrono::Duration::nanoseconds(7)
}

fn accounts() -> Vec<Account> {
    (0..500)
        .map(|i| Account {
            id: format!("{i:024x}").into(),
            name: format!("acme{i}").into(),
            // Every seventh company is the API's null, which must stay null.
            company_name: (i % 7 != 0).then(|| format!("Acme Café {i}")).into(),
            status: match i % 3 {
                0 => AccountStatus::Active,
                1 => AccountStatus::InTrial,
                _ => AccountStatus::from_raw("SOMETHING_NEW"),
            },
        })
        .collect()
}

fn list<T>(items: Vec<T>) -> BillingList<T> {
    BillingList {
        items: Some(items.into()),
        read_at: Some(at()),
        problem: None,
    }
}

fn billing() -> OrgBilling {
    let dec = |s: &str| Some(s.parse::<Decimal>().unwrap());
    let subscription = Subscription {
        id: "S1".into(),
        account_id: "A1".into(),
        contract_number: Some("C-9".into()),
        currency: Some("EUR".into()),
        billing_period: Some(BillingPeriod::Annual),
        status: Some(SubscriptionStatus::Activated),
        term: Some(12),
        start_date: Some(at()),
        end_date: None,
        edition: Some("CX".into()),
        auto_renewal: Some(true),
        renewal_uplift: dec("0.035"),
        product_id: Some("P1".into()),
        quantity: dec("3"),
        unit_price: dec("-1234567890.123456789"),
        billing_frequency: None,
    };
    let line = InvoiceLine {
        id: "L1".into(),
        account_id: "A1".into(),
        number: Some("INV-1".into()),
        date: Some(at()),
        currency: Some("USD".into()),
        total_invoice_amount: dec("99.90"),
        product_id: None,
        description: Some("seats".into()),
        quantity: dec("2"),
        rate: dec("49.95"),
        amount: dec("99.90"),
    };
    let usage = MonthlyUsage {
        id: "U1".into(),
        account_id: "A1".into(),
        product_id: Some("P1".into()),
        aggr_product_id: None,
        month: "2026-02".into(),
        usage_type: Some(UsageType::from_raw("NEW_KIND")),
        description: None,
        currency: Some("USD".into()),
        quantity: dec("10"),
        amount: None,
        total_amount: dec("0.0001"),
    };
    let product = Product {
        id: "P1".into(),
        name: "Seat".into(),
        family: Some("Licenses".into()),
        unit_of_measure: None,
        charge_type: None,
    };
    OrgBilling {
        subscriptions: list(vec![subscription]),
        invoices: list(vec![line]),
        usage: list(vec![usage]),
        products: list(vec![product]),
        derived: Default::default(),
    }
}

/// Runs `f` with log lines captured; returns its result and the log text.
fn logged<T>(f: impl FnOnce() -> T) -> (T, String) {
    let buf = Arc::new(Mutex::new(Vec::<u8>::new()));
    let sink = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || Sink(sink.clone()))
        .with_ansi(false)
        .finish();
    let value = tracing::subscriber::with_default(subscriber, f);
    let text = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
    (value, text)
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn accounts_and_billing_lists_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(dir.path().join("nested"));
    let id = identity("client-1");
    let billing = billing();
    cache.save_accounts(&id, &accounts(), at()).unwrap();
    cache.save_billing(&id, &billing, at()).unwrap();

    let (loaded, saved_at) = cache.load_accounts(&id).expect("accounts load");
    assert_eq!(loaded, accounts());
    assert_eq!(saved_at, at());
    let (back, saved_at) = cache.load_billing(&id).expect("billing loads");
    assert_eq!(saved_at, at());
    assert_eq!(back.subscriptions.slice(), billing.subscriptions.slice());
    assert_eq!(back.invoices.slice(), billing.invoices.slice());
    assert_eq!(back.usage.slice(), billing.usage.slice());
    assert_eq!(back.products.slice(), billing.products.slice());
    assert_eq!(back.invoices.read_at, Some(at()));
}

#[test]
fn a_missing_file_is_none_with_a_log_line() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(dir.path().to_owned());
    let (loaded, log) = logged(|| cache.load_accounts(&identity("c")));
    assert!(loaded.is_none());
    assert!(log.contains("cache: no "), "{log}");
}

#[test]
fn corrupt_and_truncated_files_are_ignored_with_a_log_line() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(dir.path().to_owned());
    let id = identity("client-1");
    cache.save_accounts(&id, &accounts(), at()).unwrap();
    let path = cache.accounts_path(&id);
    let good = std::fs::read(&path).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("garbage", b"this is not a cache file at all".to_vec()),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("header only", good[..14].to_vec()),
        ("trailing bytes", [good.clone(), vec![1, 2, 3]].concat()),
        ("flipped body", {
            let mut b = good.clone();
            let n = b.len();
            b[n - 40..].fill(0xff);
            b
        }),
    ];
    for (what, bytes) in cases {
        std::fs::write(&path, &bytes).unwrap();
        let (loaded, log) = logged(|| cache.load_accounts(&id));
        assert!(loaded.is_none(), "{what} was used");
        assert!(log.contains("cache: ignored"), "{what}: {log}");
    }
}

#[test]
fn a_foreign_version_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(dir.path().to_owned());
    let id = identity("client-1");
    cache.save_billing(&id, &billing(), at()).unwrap();
    let path = cache.billing_path(&id);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[8..12].copy_from_slice(&99u32.to_le_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let (loaded, log) = logged(|| cache.load_billing(&id));
    assert!(loaded.is_none());
    assert!(log.contains("format version 99"), "{log}");
}

#[test]
fn another_identity_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(dir.path().to_owned());
    let ours = identity("client-1");
    cache.save_accounts(&ours, &accounts(), at()).unwrap();
    let base = url::Url::parse("http://127.0.0.1:9999").unwrap();
    let others = [
        identity("client-2"),
        Identity::new("Acme Partners", &base, "client-1"),
    ];
    for other in others {
        // Same name, so the same file: its header tells them apart.
        assert_eq!(cache.accounts_path(&other), cache.accounts_path(&ours));
        let (loaded, log) = logged(|| cache.load_accounts(&other));
        assert!(loaded.is_none());
        assert!(
            log.contains("another organization or configuration"),
            "{log}"
        );
    }
    // A file of one kind is not read as the other.
    std::fs::copy(cache.accounts_path(&ours), cache.billing_path(&ours)).unwrap();
    assert!(cache.load_billing(&ours).is_none());
}

#[cfg(unix)]
#[test]
fn files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(dir.path().join("cache"));
    let id = identity("client-1");
    cache.save_accounts(&id, &accounts(), at()).unwrap();
    cache.save_billing(&id, &billing(), at()).unwrap();
    for path in [cache.accounts_path(&id), cache.billing_path(&id)] {
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", path.display());
    }
    let mode = std::fs::metadata(cache.dir()).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700);
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(cache.dir()).unwrap().count(), 2);
}

#[test]
fn clear_removes_only_cache_files() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::new(dir.path().to_owned());
    let id = identity("client-1");
    cache.save_accounts(&id, &accounts(), at()).unwrap();
    cache.save_billing(&id, &billing(), at()).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    assert_eq!(cache.clear().unwrap(), 2);
    assert!(cache.load_accounts(&id).is_none());
    assert!(dir.path().join("notes.txt").exists());
    assert_eq!(Cache::new(dir.path().join("absent")).clear().unwrap(), 0);
}

const CONFIG: &str = r#"
[[organizations]]
name = "Acme Partners"
region = "eu"
account = "acme"
client_id = "client-1"
client_secret_env = "TDBI_TEST_UNUSED_SECRET"
"#;

#[test]
fn cache_clear_and_path_commands() {
    let dir = tempfile::tempdir().unwrap();
    let cache_dir = dir.path().join("my cache");
    let file = dir.path().join("config.toml");
    std::fs::write(
        &file,
        format!("{CONFIG}\n[cache]\ndir = '{}'\n", cache_dir.display()),
    )
    .unwrap();
    let tdbi = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tdbi"))
            .arg("--config")
            .arg(&file)
            .arg("--log-file")
            .arg(dir.path().join("tdbi.log"))
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(
        tdbi(&["cache", "path"]).trim_end(),
        cache_dir.display().to_string()
    );

    let config = tdbi::config::Config::load_from(&file, Vec::new()).unwrap();
    let id = Identity::of_org(&config.organizations[0]);
    let cache = Cache::new(cache_dir.clone());
    cache.save_accounts(&id, &accounts(), at()).unwrap();
    cache.save_billing(&id, &billing(), at()).unwrap();
    let said = tdbi(&["cache", "clear"]);
    assert!(said.starts_with("removed 2 cache files"), "{said}");
    assert!(!cache.accounts_path(&id).exists() && !cache.billing_path(&id).exists());
    assert!(tdbi(&["cache", "clear"]).starts_with("removed 0 cache files"));
}

#[test]
fn the_cache_section_is_read_strictly() {
    let dir = tempfile::tempdir().unwrap();
    let load = |section: &str| {
        let file = dir.path().join("config.toml");
        std::fs::write(&file, format!("{CONFIG}\n[cache]\n{section}\n")).unwrap();
        tdbi::config::Config::load_from(&file, Vec::new())
    };
    let config = load("").unwrap();
    assert!(config.cache.enabled);
    assert_eq!(config.cache.dir, tdbi::cache::default_dir());
    let config = load("enabled = false\ndir = '/tmp/x'").unwrap();
    assert!(!config.cache.enabled);
    assert_eq!(
        config.cache.dir.as_deref(),
        Some(std::path::Path::new("/tmp/x"))
    );
    for bad in ["enabled = \"no\"", "enabled = 1", "dir = ''", "size = 3"] {
        let e = load(bad).expect_err(bad).to_string();
        assert!(e.contains("cache"), "{bad}: {e}");
    }
}
