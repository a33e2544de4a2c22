//! `tdbi trial create --file`: batches against the simulator over loopback.

mod trial_support;

use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use trial_support::{body, results, start, stderr, stdout};

/// The outcomes a results file records, without the `sending` records of attempts.
fn settled(records: Vec<Value>) -> Vec<Value> {
    records
        .into_iter()
        .filter(|r| r["status"] != "sending")
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_ten_stays_within_two_per_second_without_a_failure() {
    let sim = start().await;
    let names: Vec<String> = (0..10).map(|i| format!("Burst{i}")).collect();
    let lines: Vec<String> = names.iter().map(|n| body(n).to_string()).collect();
    let file = sim.file("burst.jsonl", &lines);
    let started = Instant::now();
    let out = sim
        .run(&["--file", &file, "--accept-trial-agreement"])
        .await;
    let elapsed = started.elapsed();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let outcomes = results(&stdout(&out));
    assert_eq!(outcomes.len(), 10);
    assert!(
        outcomes.iter().all(|o| o["status"] == "created"),
        "{outcomes:?}"
    );
    let stats = sim.handle.stats();
    assert_eq!(stats.throttled, 0, "the server had to throttle");
    assert!(elapsed >= Duration::from_millis(4500), "{elapsed:?}");
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    assert_eq!(sim.accounts_named(&names).len(), 10);
    sim.handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_lines_are_reported_the_rest_provisioned_and_a_rerun_creates_nothing_twice() {
    let sim = start().await;
    let taken = sim.handle.accounts(0)[0].name.clone();
    let mut invalid = body("Invalidline");
    invalid["phone_number"] = "+0351".into();
    let lines = vec![
        "# trials for March".to_owned(),
        body("Firsttrial").to_string(),
        invalid.to_string(),
        String::new(),
        body(&taken).to_string(),
        body("Lasttrial").to_string(),
    ];
    let file = sim.file("batch.jsonl", &lines);
    let results_file = sim.path("results.jsonl");
    let run = [
        "--file",
        &file,
        "--accept-trial-agreement",
        "--results",
        &results_file,
    ];

    let out = sim.run(&run).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&results_file)
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "the results file is private: {mode:o}");
    let outcomes = results(&stdout(&out));
    let seen: Vec<(u64, &str)> = outcomes
        .iter()
        .map(|o| {
            (
                o["line"].as_u64().unwrap_or(0),
                o["status"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (2, "created"),
            (3, "invalid"),
            (5, "rejected"),
            (6, "created")
        ]
    );
    assert_eq!(outcomes[1]["fields"][0]["name"], "phone_number");
    assert_eq!(outcomes[2]["account_name"], taken.as_str());
    assert!(outcomes[2]["error"].as_str().unwrap_or("").contains("409"));
    let created = sim.accounts_named(&["Firsttrial", "Lasttrial", "Invalidline"]);
    assert_eq!(created.len(), 2);
    for o in [&outcomes[0], &outcomes[3]] {
        assert!(created.iter().any(|a| o["id"] == a.id.as_str()), "{o}");
    }
    let recorded = std::fs::read_to_string(&results_file).expect("results file");
    assert_eq!(
        settled(results(&recorded)),
        outcomes,
        "the file records what was printed"
    );

    let before = sim.handle.stats();
    let again = sim.run(&run).await;
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    let outcomes = results(&stdout(&again));
    let statuses: Vec<&str> = outcomes
        .iter()
        .map(|o| o["status"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(statuses, ["skipped", "invalid", "rejected", "skipped"]);
    // Right after the first run the server may still throttle once (a new process
    // knows nothing of the last one's requests); the client then waits and retries.
    let after = sim.handle.stats();
    assert_eq!(
        (after.api_requests - after.throttled) - (before.api_requests - before.throttled),
        1,
        "only the rejected line was sent again"
    );
    assert_eq!(sim.accounts_named(&["Firsttrial", "Lasttrial"]).len(), 2);
    sim.handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_batch_resumes_without_creating_a_trial_twice() {
    let sim = start().await;
    let names: Vec<String> = (0..6).map(|i| format!("Resume{i}")).collect();
    let lines: Vec<String> = names.iter().map(|n| body(n).to_string()).collect();
    let file = sim.file("resume.jsonl", &lines);
    let results_file = sim.path("results.jsonl");
    let run = [
        "--file",
        &file,
        "--accept-trial-agreement",
        "--results",
        &results_file,
    ];

    let mut child = sim.spawn(&run);
    let stdout_pipe = child.stdout.take().expect("piped stdout");
    let mut printed = BufReader::new(stdout_pipe).lines();
    let first = printed
        .next_line()
        .await
        .expect("read")
        .expect("a first result");
    assert!(first.contains("\"created\""), "{first}");
    let pid = child.id().expect("running").to_string();
    let kill = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    while printed.next_line().await.expect("read").is_some() {}
    let out = child.wait_with_output().await.expect("tdbi ends");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("interrupted") && err.contains("stopped before line"),
        "{err}"
    );

    let recorded = settled(results(
        &std::fs::read_to_string(&results_file).expect("results file"),
    ));
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let provisioned = sim.accounts_named(&names);
    assert!(recorded.len() < 6, "stopped early: {recorded:?}");
    assert_eq!(
        provisioned.len(),
        recorded.len(),
        "every trial created is recorded"
    );

    let out = sim.run(&run).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let outcomes = results(&stdout(&out));
    let skipped = outcomes.iter().filter(|o| o["status"] == "skipped").count();
    assert_eq!(skipped, recorded.len());
    assert_eq!(outcomes.len(), 6);
    assert_eq!(
        sim.accounts_named(&names).len(),
        6,
        "each trial created once"
    );
    sim.handle.shutdown().await;
}
