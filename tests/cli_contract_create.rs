//! `tdbi contracts ID --create …` end to end: the binary against an in-process simulator
//! whose counters and recorded bodies prove what was (or was not) sent; and read-only
//! refusals of every write command.

use std::process::Output;

use serde_json::{Value, json};

mod trial_support;

use trial_support::Sim;

async fn start() -> Sim {
    trial_support::start_with(30).await
}

impl Sim {
    /// `tdbi --config CONFIG ARGS…` with this simulator's configuration.
    async fn tdbi(&self, args: &[&str]) -> Output {
        self.run_with(&self.config, args).await
    }

    /// `contracts ID --org ORG EXTRA…`
    async fn contracts(&self, id: &str, extra: &[&str]) -> Output {
        let mut args = vec!["contracts", id, "--org", &self.org];
        args.extend_from_slice(extra);
        self.tdbi(&args).await
    }

    /// An account with the given status.
    fn account(&self, status: &str) -> String {
        self.handle
            .accounts(0)
            .into_iter()
            .find(|a| a.status == status)
            .map(|a| a.id)
            .unwrap_or_else(|| panic!("the seeded world has a {status} account"))
    }

    /// Nothing at all reached the simulator: no token, no API request.
    fn nothing_sent(&self) {
        let stats = self.handle.stats();
        assert_eq!(
            (stats.tokens_issued, stats.api_requests, stats.action_posts),
            (0, 0, 0),
            "nothing sent"
        );
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test]
async fn the_body_carries_a_string_type_and_an_integer_quantity() {
    let sim = start().await;
    let id = sim.account("ACTIVE");
    let out = sim
        .contracts(
            &id,
            &[
                "--create",
                "amendtde",
                "--quantity",
                "12",
                "--yes",
                "--format",
                "json",
            ],
        )
        .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        sim.handle.action_bodies(),
        [json!({"action_type": "AMENDTDE", "quantity": 12})]
    );
    let body = &sim.handle.action_bodies()[0];
    assert!(body["action_type"].is_string() && body["quantity"].is_i64());
    let printed: Vec<Value> = serde_json::from_slice(&out.stdout).expect("a JSON array");
    assert_eq!(printed.len(), 1);
    let action = &printed[0];
    assert_eq!(action["action_type"], "AMENDTDE");
    assert_eq!(action["action"], "Amendment");
    assert_eq!(action["quantity"], 12);
    assert_eq!(action["status"], "CREATED");
    assert_eq!(action["account_id"], id.as_str());
    assert_eq!(sim.handle.stats().action_posts, 1);
}

#[tokio::test]
async fn a_cancellation_may_leave_the_quantity_out() {
    let sim = start().await;
    let id = sim.account("ACTIVE");
    let out = sim
        .contracts(&id, &["--create", "CANCELTDE", "--yes"])
        .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        sim.handle.action_bodies(),
        [json!({"action_type": "CANCELTDE"})]
    );
    let table = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(table.contains("CANCELTDE  Cancellation"), "{table}");
    assert!(table.contains("CREATED"), "{table}");
}

#[tokio::test]
async fn a_conflict_and_an_unknown_account_exit_1_with_the_server_message() {
    let sim = start().await;
    let id = sim.account("ACTIVE");
    let first = sim
        .contracts(&id, &["--create", "NEWTDE", "--quantity", "3", "--yes"])
        .await;
    assert!(first.status.success(), "{}", stderr(&first));
    let again = sim
        .contracts(&id, &["--create", "AMENDTDE", "--quantity", "4", "--yes"])
        .await;
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    let err = stderr(&again);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("409 Conflict"), "{err}");
    assert!(err.contains("Contract action already pending"), "{err}");
    assert!(err.contains("wait until it completes or fails"), "{err}");

    let missing = sim
        .contracts(
            "000000000000000000000000",
            &["--create", "NEWTDE", "--quantity", "3", "--yes"],
        )
        .await;
    assert_eq!(missing.status.code(), Some(1));
    let err = stderr(&missing);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("404 Not Found") && err.contains("Account not found"),
        "{err}"
    );
    assert_eq!(sim.handle.stats().action_posts, 3);
}

#[tokio::test]
async fn a_withheld_scope_is_a_403_naming_it() {
    let sim = start().await;
    sim.handle
        .withhold_scopes(0, &["express-accounts-contracts-actions:write"]);
    let id = sim.account("ACTIVE");
    let out = sim
        .contracts(&id, &["--create", "NEWTDE", "--quantity", "3", "--yes"])
        .await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("403"), "{err}");
    assert!(
        err.contains("express-accounts-contracts-actions:write"),
        "{err}"
    );
}

#[tokio::test]
async fn without_a_terminal_yes_is_required_and_nothing_is_sent() {
    let sim = start().await;
    let id = sim.account("ACTIVE");
    let out = sim
        .contracts(&id, &["--create", "NEWTDE", "--quantity", "3"])
        .await;
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("--yes") && err.contains("nothing was sent"),
        "{err}"
    );
    sim.nothing_sent();
}

#[tokio::test]
async fn a_bad_type_or_quantity_exits_2_naming_the_flag_and_nothing_is_sent() {
    let sim = start().await;
    let id = sim.account("ACTIVE");
    for (args, flag) in [
        (
            vec!["--create", "RENEW", "--quantity", "3", "--yes"],
            "--create:",
        ),
        (
            vec!["--create", "NEWTDE", "--quantity", "0", "--yes"],
            "--quantity:",
        ),
        (
            vec!["--create", "NEWTDE", "--quantity", "10001", "--yes"],
            "--quantity:",
        ),
        (
            vec!["--create", "AMENDTDE", "--quantity", "2.5", "--yes"],
            "--quantity:",
        ),
        (
            vec!["--create", "AMENDTDE", "--yes"],
            "--quantity: required",
        ),
    ] {
        let out = sim.contracts(&id, &args).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(flag), "{args:?}: {err}");
    }
    sim.nothing_sent();
}

#[tokio::test]
async fn read_only_refuses_every_write_before_anything_is_sent() {
    let sim = start().await;
    let id = sim.account("ACTIVE");
    // --read-only, for every organization
    let out = sim
        .contracts(
            &id,
            &[
                "--read-only",
                "--create",
                "NEWTDE",
                "--quantity",
                "3",
                "--yes",
            ],
        )
        .await;
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{} is read-only (--read-only)", sim.org))
            && err.contains("nothing was sent"),
        "{err}"
    );
    // read_only = true in its entry
    let config = sim.dir.path().join("read-only.toml");
    let text = sim.handle.config_toml().replace(
        "[[organizations]]\n",
        "[[organizations]]\nread_only = true\n",
    );
    std::fs::write(&config, text).expect("write config");
    let org = sim.org.clone();
    let created = [
        "contracts",
        &id,
        "--org",
        &org,
        "--create",
        "CANCELTDE",
        "--yes",
    ];
    let out = sim.run_with(&config, &created).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("organizations[0].read_only = true"),
        "{}",
        stderr(&out)
    );
    let trial = [
        "trial",
        "create",
        "--org",
        &org,
        "--accept-trial-agreement",
        "--account-name",
        "ReadOnlyTrial",
        "--admin-email",
        "a@example.com",
        "--admin-name",
        "A B",
        "--company-name",
        "C",
        "--currency",
        "USD",
        "--licenses",
        "3",
        "--phone",
        "+351489489948",
        "--website",
        "https://example.com",
    ];
    let out = sim.run_with(&config, &trial).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is read-only"), "{}", stderr(&out));
    let batch = sim.dir.path().join("trials.jsonl");
    std::fs::write(&batch, "{\"account_name\": \"X\"}\n").expect("write batch");
    let batch = batch.to_string_lossy().into_owned();
    let args = [
        "--read-only",
        "trial",
        "create",
        "--org",
        &org,
        "--file",
        &batch,
        "--accept-trial-agreement",
    ];
    let out = sim.tdbi(&args).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is read-only"), "{}", stderr(&out));
    sim.nothing_sent();
    assert_eq!(sim.handle.stats().provisioning_posts, 0);

    // check names it
    let out = sim.run_with(&config, &["check"]).await;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains("writes:         READ-ONLY (organizations[0].read_only = true)"),
        "{text}"
    );
    let out = sim.tdbi(&["check"]).await;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("writes:         allowed"), "{text}");
}
