//! Shared by the write-command tests (`tdbi trial`, `tdbi contracts --create`): an
//! in-process simulator (so its counters can be read), a configuration file pointing at
//! it, and the binary run against it.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use serde_json::{Value, json};
use tdbi::sim::{SimConfig, SimHandle, Simulator};
use tokio::process::{Child, Command};

pub const BIN: &str = env!("CARGO_BIN_EXE_tdbi");

/// A simulator with one small frozen organization, and a configuration file for it.
pub struct Sim {
    pub handle: SimHandle,
    pub config: PathBuf,
    pub org: String,
    pub dir: tempfile::TempDir,
}

pub async fn start() -> Sim {
    start_with(20).await
}

/// [`start`] with `accounts` accounts in the organization.
pub async fn start_with(accounts: usize) -> Sim {
    let addr: SocketAddr = "127.0.0.1:0".parse().expect("literal address");
    let config = SimConfig {
        orgs: 1,
        accounts,
        ..SimConfig::default()
    };
    let handle = Simulator::start(config, addr)
        .await
        .expect("simulator starts");
    let org = handle.organizations()[0].name.clone();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("config.toml");
    std::fs::write(&path, handle.config_toml()).expect("write config");
    Sim {
        handle,
        config: path,
        org,
        dir,
    }
}

impl Sim {
    /// `tdbi --config … trial create --org ORG ARGS…`, not yet waited for.
    pub fn spawn(&self, args: &[&str]) -> Child {
        let mut all = vec!["trial", "create", "--org", &self.org];
        all.extend_from_slice(args);
        self.spawn_with(&self.config, &all)
    }

    /// `tdbi --config CONFIG ARGS…` with standard input not a terminal, not yet waited for.
    pub fn spawn_with(&self, config: &Path, args: &[&str]) -> Child {
        Command::new(BIN)
            .arg("--config")
            .arg(config)
            .arg("--log-file")
            .arg(self.dir.path().join("tdbi.log"))
            .args(args)
            .env_remove("TDBI_CONFIG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("tdbi runs")
    }

    pub async fn run(&self, args: &[&str]) -> Output {
        self.spawn(args)
            .wait_with_output()
            .await
            .expect("tdbi ends")
    }

    /// `tdbi --config CONFIG ARGS…`, waited for.
    pub async fn run_with(&self, config: &Path, args: &[&str]) -> Output {
        self.spawn_with(config, args)
            .wait_with_output()
            .await
            .expect("tdbi ends")
    }

    /// Accounts of the organization whose (lower-cased) name is one of `names`.
    pub fn accounts_named(&self, names: &[&str]) -> Vec<tdbi::sim::SimAccount> {
        self.handle
            .accounts(0)
            .into_iter()
            .filter(|a| names.iter().any(|n| n.eq_ignore_ascii_case(&a.name)))
            .collect()
    }

    /// Writes `lines` to a file in the test's directory and returns its path.
    pub fn file(&self, name: &str, lines: &[String]) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, lines.join("\n") + "\n").expect("write file");
        path.to_string_lossy().into_owned()
    }

    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_string_lossy().into_owned()
    }
}

/// The flags of a valid request for `name`.
pub fn flags(name: &str) -> Vec<String> {
    [
        "--account-name",
        name,
        "--admin-email",
        "john.doe@josephpinetrees.com",
        "--admin-name",
        "John Doe",
        "--company-name",
        "Joseph Pinetree",
        "--currency",
        "usd",
        "--licenses",
        "10",
        "--phone",
        "+351489489948",
        "--website",
        "https://www.josephpinetrees.com",
        "--external-data",
        "Salesforce_id:2142141",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// A batch line: a valid request body for `name`.
pub fn body(name: &str) -> Value {
    json!({
        "account_name": name,
        "admin_email": "john.doe@josephpinetrees.com",
        "admin_name": "John Doe",
        "company_name": "Joseph Pinetree",
        "currency_iso_code": "USD",
        "num_licenses": 10,
        "phone_number": "+351489489948",
        "website_url": "https://www.josephpinetrees.com",
        "edition": "EXPRESS",
    })
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The JSON result lines of a batch.
pub fn results(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("a JSON result line"))
        .collect()
}
