//! `tdbi accounts` and `tdbi check` end to end: the binary against `tdbi sim`.

mod cli_common;

use std::collections::BTreeSet;

use cli_common::{SimProcess, config_file, stderr, stdout, tdbi};

fn ids(values: &[serde_json::Value]) -> BTreeSet<String> {
    values
        .iter()
        .map(|a| a["id"].as_str().expect("id").to_owned())
        .collect()
}

#[test]
fn json_listing_is_exactly_the_simulators_accounts() {
    let sim = SimProcess::start(2, &["--accounts", "180", "--max-per-page", "40"]);
    let config = config_file(&sim.config);
    let out = tdbi(config.path(), &["accounts", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("a JSON array");
    let orgs: Vec<String> = tdbi::config::Config::from_toml(config.path(), &sim.config)
        .expect("the simulator's configuration")
        .organizations
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(orgs.len(), 2);
    for (index, org) in orgs.iter().enumerate() {
        let expected = sim.accounts(index);
        let got: Vec<serde_json::Value> = listed
            .iter()
            .filter(|a| a["organization"] == org.as_str())
            .cloned()
            .collect();
        assert_eq!(got.len(), expected.len(), "{org}: one row per account");
        assert_eq!(ids(&got), ids(&expected), "{org}");
        for want in &expected {
            let row = got.iter().find(|a| a["id"] == want["id"]).expect("listed");
            for key in ["name", "company_name", "status"] {
                assert_eq!(row[key], want[key], "{org} {key}");
            }
        }
    }
}

#[test]
fn status_filter_org_choice_and_csv() {
    let sim = SimProcess::start(2, &["--accounts", "150"]);
    let config = config_file(&sim.config);
    let first_org = sim
        .config
        .lines()
        .find_map(|l| l.strip_prefix("name = \""))
        .map(|n| n.trim_end_matches('"').to_lowercase())
        .expect("an organization");
    let out = tdbi(
        config.path(),
        &[
            "accounts", "--org", &first_org, "--status", "in_trial", "--status", "CHURNED",
            "--format", "csv",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("organization,id,name,company_name,status")
    );
    let rows: Vec<&str> = lines.collect();
    let expected = sim
        .accounts(0)
        .iter()
        .filter(|a| a["status"] == "IN_TRIAL" || a["status"] == "CHURNED")
        .count();
    assert!(
        expected > 0,
        "the seeded world has trials and churned accounts"
    );
    assert_eq!(rows.len(), expected, "{text}");
    assert!(
        rows.iter()
            .all(|r| r.ends_with(",IN_TRIAL") || r.ends_with(",CHURNED"))
    );

    let out = tdbi(config.path(), &["accounts", "--org", "No Such Org"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no organization named \"No Such Org\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_failing_organization_does_not_hide_the_others() {
    let sim = SimProcess::start(2, &["--accounts", "60"]);
    // Break the second organization's secret.
    let mut seen = 0;
    let broken: String = sim
        .config
        .lines()
        .map(|l| {
            if l.starts_with("client_secret_command") {
                seen += 1;
                if seen == 2 {
                    return "client_secret_command = \"printf %s wrong-secret-value\"".to_string();
                }
            }
            l.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n");
    let config = config_file(&broken);
    let out = tdbi(config.path(), &["accounts", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let listed: Vec<serde_json::Value> =
        serde_json::from_slice(&out.stdout).expect("JSON still printed");
    assert_eq!(
        listed.len(),
        sim.accounts(0).len(),
        "the healthy organization is listed in full"
    );
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line per failed organization: {err}");
    assert!(lines[0].starts_with("tdbi: "), "{err}");
    assert!(
        !err.contains("wrong-secret-value"),
        "the secret never appears: {err}"
    );
    assert!(
        !err.contains('{') || !err.contains("Error {"),
        "no Debug dump: {err}"
    );
}

#[test]
fn check_reports_scopes_and_counts() {
    let sim = SimProcess::start(3, &["--accounts", "40"]);
    let config = config_file(&sim.config);
    let out = tdbi(config.path(), &["check"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert_eq!(text.matches("reachable:      yes").count(), 3, "{text}");
    assert!(
        text.contains(&format!("accounts:       {}", sim.accounts(0).len())),
        "{text}"
    );
    assert!(
        text.contains("scopes missing: express-accounts-contracts:read"),
        "the third simulated client lacks a scope: {text}"
    );
}

#[test]
fn secrets_and_tokens_stay_out_of_the_log_even_at_trace() {
    let sim = SimProcess::start(1, &["--accounts", "30"]);
    let config = config_file(&sim.config);
    let secret = sim
        .config
        .split_whitespace()
        .find(|w| w.starts_with("sim-"))
        .map(|w| w.trim_matches('"').to_owned())
        .expect("the simulator's secret in its config");
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("trace.log");
    let out = std::process::Command::new(cli_common::BIN)
        .arg("--config")
        .arg(config.path())
        .arg("--log-file")
        .arg(&log)
        .args(["accounts", "--format", "json"])
        .env("RUST_LOG", "trace")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&log).expect("a log was written");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&log).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the log is private: {mode:o}");
    assert!(
        text.contains("GET") || text.lines().count() > 3,
        "the log says something: {text}"
    );
    assert!(
        !text.contains(&secret),
        "the client secret leaked into the log"
    );
    assert!(
        !text.to_ascii_lowercase().contains("bearer"),
        "a token leaked into the log"
    );
    assert!(!stderr(&out).contains(&secret));
}
