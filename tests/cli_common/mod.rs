//! Running the `tdbi` binary in tests: a standalone simulator process and commands against it.

#![allow(dead_code)]

pub mod billing;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_tdbi");

/// `tdbi sim` running as a child process; killed on drop.
pub struct SimProcess {
    child: Child,
    /// The configuration it printed.
    pub config: String,
    /// `http://127.0.0.1:PORT`
    pub base_url: String,
}

impl SimProcess {
    /// Starts `tdbi sim --port 0 --orgs ORGS <extra>` and reads its configuration.
    pub fn start(orgs: usize, extra: &[&str]) -> SimProcess {
        let mut child = Command::new(BIN)
            .args([
                "sim",
                "--port",
                "0",
                "--pace",
                "0",
                "--orgs",
                &orgs.to_string(),
            ])
            .args(extra)
            .arg("--log-file")
            .arg(std::env::temp_dir().join("tdbi-test-sim.log"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("tdbi sim starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut config = String::new();
        let mut token_urls = 0;
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("sim stdout");
            config.push_str(&line);
            config.push('\n');
            if line.starts_with("token_url") {
                token_urls += 1;
                if token_urls == orgs {
                    break;
                }
            }
        }
        assert_eq!(
            token_urls, orgs,
            "the simulator printed a config for every organization:\n{config}"
        );
        let base_url = config
            .lines()
            .find_map(|l| l.strip_prefix("api_base_url = \""))
            .and_then(|rest| rest.strip_suffix('"'))
            .expect("api_base_url in the printed config")
            .to_owned();
        SimProcess {
            child,
            config,
            base_url,
        }
    }

    /// Every account of organization `index`, from the simulator's control endpoint.
    pub fn accounts(&self, index: usize) -> Vec<serde_json::Value> {
        let url = format!("{}/_sim/organizations/{index}/accounts", self.base_url);
        let body = http_get(&url);
        serde_json::from_str(&body).expect("control endpoint answers JSON")
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A GET over loopback with a plain reqwest client (not the crate's API client, which
/// would make these tests less black-box); the body of a 200 answer.
pub fn http_get(url: &str) -> String {
    tdbi::api::install_crypto_provider();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let answer = reqwest::get(url).await.expect("the simulator answers");
        assert_eq!(answer.status(), reqwest::StatusCode::OK, "GET {url}");
        answer.text().await.expect("a text body")
    })
}

/// Writes `text` to a temporary `.toml` file.
pub fn config_file(text: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new()
        .suffix(".toml")
        .tempfile()
        .expect("temp file");
    file.write_all(text.as_bytes()).expect("write config");
    file
}

/// Runs `tdbi --config CONFIG ARGS…` with its log in a temporary place.
pub fn tdbi(config: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--config")
        .arg(config)
        .arg("--log-file")
        .arg(std::env::temp_dir().join("tdbi-test.log"))
        .args(args)
        .env_remove("TDBI_CONFIG")
        .output()
        .expect("tdbi runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
