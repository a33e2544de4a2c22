//! `tdbi trial create` with flags, end to end against the simulator over loopback.

mod trial_support;

use trial_support::{flags, start, stderr, stdout};

fn args(list: &[String]) -> Vec<&str> {
    list.iter().map(String::as_str).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_created_trial_prints_its_id_and_is_listed_as_in_trial() {
    let sim = start().await;
    let mut list = flags("JosephPinetrees");
    list.extend(["--accept-trial-agreement", "--format", "json"].map(str::to_owned));
    let out = sim.run(&args(&list)).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(created["organization"], sim.org.as_str());
    assert_eq!(created["name"], "JosephPinetrees");
    let id = created["id"].as_str().expect("an id");
    let listed = sim.accounts_named(&["JosephPinetrees"]);
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].id.as_str(), listed[0].status.as_str()),
        (id, "IN_TRIAL")
    );

    let mut list = flags("Secondtrial");
    list.push("--accept-trial-agreement".into());
    let out = sim.run(&args(&list)).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    let id = &sim.accounts_named(&["Secondtrial"])[0].id;
    assert!(
        table.starts_with("ID ") && table.contains(id.as_str()),
        "{table}"
    );
    sim.handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_agreement_nothing_is_sent() {
    let sim = start().await;
    let out = sim.run(&args(&flags("JosephPinetrees"))).await;
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("Talkdesk Services Trial Agreement"), "{err}");
    assert!(out.stdout.is_empty());

    let file = sim.file("t.jsonl", &[trial_support::body("Batchtrial").to_string()]);
    let out = sim.run(&["--file", &file]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Talkdesk Services Trial Agreement"));

    let stats = sim.handle.stats();
    assert_eq!(
        (stats.tokens_issued, stats.api_requests),
        (0, 0),
        "nothing sent"
    );
    sim.handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_field_exits_2_naming_it_and_nothing_is_sent() {
    let sim = start().await;
    let mut list = flags("JosephPinetrees");
    let at = list
        .iter()
        .position(|a| a == "--admin-email")
        .expect("flag")
        + 1;
    list[at] = "john.doe-at-example.com".into();
    let phone = list.iter().position(|a| a == "--phone").expect("flag") + 1;
    list[phone] = "351489489948".into();
    list.push("--accept-trial-agreement".into());
    let out = sim.run(&args(&list)).await;
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("--admin-email: must be an e-mail address"),
        "{err}"
    );
    assert!(err.contains("--phone: must start with +"), "{err}");
    assert!(!err.contains("--account-name"), "{err}");

    let out = sim
        .run(&["--account-name", "Abc", "--accept-trial-agreement"])
        .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--licenses: is required"),
        "{}",
        stderr(&out)
    );

    let stats = sim.handle.stats();
    assert_eq!(
        (stats.tokens_issued, stats.api_requests),
        (0, 0),
        "nothing sent"
    );
    sim.handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_field_error_exits_1_naming_the_field_and_its_description() {
    let sim = start().await;
    // VND is ISO 4217, so it passes here; the simulator supports fewer currencies.
    let mut list = flags("JosephPinetrees");
    let at = list.iter().position(|a| a == "--currency").expect("flag") + 1;
    list[at] = "vnd".into();
    list.push("--accept-trial-agreement".into());
    let out = sim.run(&args(&list)).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(&sim.org), "{err}");
    assert!(
        err.contains("--currency (currency_iso_code): must be a supported ISO 4217 currency code"),
        "{err}"
    );
    assert!(sim.accounts_named(&["JosephPinetrees"]).is_empty());

    // A name already taken is refused too, with the server's reason.
    let taken = sim.handle.accounts(0)[0].name.clone();
    let mut list = flags(&taken);
    list.push("--accept-trial-agreement".into());
    let out = sim.run(&args(&list)).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("409"), "{}", stderr(&out));
    sim.handle.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_at_the_edges_of_the_rules_are_accepted_by_the_simulator_too() {
    let sim = start().await;
    let mut edges = Vec::new();
    let mut add = |name: String, field: &str, value: serde_json::Value| {
        let mut line = trial_support::body(&name);
        line[field] = value;
        edges.push(line.to_string());
    };
    add(
        format!("L{}", "o".repeat(62)),
        "num_licenses",
        10_000.into(),
    );
    add("Abc".into(), "phone_number", "+12345678".into());
    add("Fifteen".into(), "phone_number", "+123456789012345".into());
    add("Lower".into(), "edition", "elite".into());
    add("Names".into(), "company_name", "é".repeat(127).into());
    add(
        "Mail".into(),
        "admin_email",
        "a.b+c@mail.example.co.uk".into(),
    );
    let file = sim.file("edges.jsonl", &edges);
    let out = sim
        .run(&["--file", &file, "--accept-trial-agreement"])
        .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    assert_eq!(stdout(&out).lines().count(), edges.len());
}
