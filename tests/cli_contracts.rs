//! `tdbi contracts` end to end against `tdbi sim`.

mod cli_common;

use cli_common::{SimProcess, config_file, stderr, stdout, tdbi};

fn first_org_name(sim: &SimProcess) -> String {
    sim.config
        .lines()
        .find_map(|l| l.strip_prefix("name = \""))
        .map(|n| n.trim_end_matches('"').to_owned())
        .expect("an organization")
}

#[test]
fn churned_account_ends_with_a_completed_cancellation() {
    let sim = SimProcess::start(2, &["--accounts", "120"]);
    let config = config_file(&sim.config);
    let org = first_org_name(&sim);
    let churned = sim
        .accounts(0)
        .into_iter()
        .find(|a| a["status"] == "CHURNED")
        .expect("the seeded world has a churned account");
    let id = churned["id"].as_str().unwrap();
    let out = tdbi(
        config.path(),
        &["contracts", id, "--org", &org, "--format", "json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let actions: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(!actions.is_empty());
    let last = actions
        .iter()
        .max_by_key(|a| a["created_at"].as_str().unwrap_or_default().to_owned())
        .unwrap();
    assert_eq!(last["action_type"], "CANCELTDE", "{actions:?}");
    assert_eq!(last["action"], "Cancellation");
    assert_eq!(last["status"], "COMPLETED");
    assert!(
        actions
            .iter()
            .all(|a| a["organization"] == org.as_str() && a["account_id"] == id)
    );

    let table = tdbi(config.path(), &["contracts", id, "--org", &org]);
    let text = stdout(&table);
    assert!(text.starts_with("ID "), "{text}");
    assert!(text.contains("CANCELTDE  Cancellation"), "{text}");
}

#[test]
fn unknown_account_is_one_line_and_exit_1() {
    let sim = SimProcess::start(2, &["--accounts", "20"]);
    let config = config_file(&sim.config);
    let org = first_org_name(&sim);
    let out = tdbi(
        config.path(),
        &["contracts", "000000000000000000000000", "--org", &org],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("404"), "{err}");

    let out = tdbi(config.path(), &["contracts", "abc"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "several organizations: --org is needed"
    );
    assert!(stderr(&out).contains("--org"), "{}", stderr(&out));
}
