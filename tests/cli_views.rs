//! `tdbi accounts --view NAME`: a saved view's rows headless, against `tdbi sim`.

mod cli_common;

use cli_common::{SimProcess, config_file, stderr, tdbi};

fn rows(out: &std::process::Output) -> Vec<serde_json::Value> {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("a JSON array")
}

fn org_names(sim: &SimProcess) -> Vec<String> {
    let path = std::path::Path::new("sim.toml");
    tdbi::config::Config::from_toml(path, &sim.config)
        .expect("the simulator's configuration")
        .organizations
        .into_iter()
        .map(|o| o.name)
        .collect()
}

#[test]
fn a_view_prints_its_organizations_statuses_and_sort() {
    let sim = SimProcess::start(3, &["--accounts", "150"]);
    let orgs = org_names(&sim);
    let text = format!(
        "{}\n[[views]]\nname = \"Late trials\"\norganizations = [\"{}\", \"{}\"]\n\
         statuses = [\"IN_TRIAL\", \"TRIAL_LOST\"]\nsort = \"id\"\ndescending = true\n\
         \n[[views]]\nname = \"Top MRR\"\nstatuses = [\"ACTIVE\"]\nsort = \"mrr\"\ndescending = true\n",
        sim.config, orgs[2], orgs[0]
    );
    let config = config_file(&text);

    let got = rows(&tdbi(
        config.path(),
        &["accounts", "--view", "late TRIALS", "--format", "json"],
    ));
    let mut want: Vec<(String, String)> = [0, 2]
        .into_iter()
        .flat_map(|i| {
            let org = orgs[i].clone();
            sim.accounts(i).into_iter().map(move |a| (org.clone(), a))
        })
        .filter(|(_, a)| a["status"] == "IN_TRIAL" || a["status"] == "TRIAL_LOST")
        .map(|(org, a)| (org, a["id"].as_str().unwrap().to_owned()))
        .collect();
    assert!(!want.is_empty(), "the simulator has trials");
    want.sort_by_key(|w| std::cmp::Reverse(w.1.to_lowercase()));
    let got_ids: Vec<(String, String)> = got
        .iter()
        .map(|r| {
            let org = r["organization"].as_str().unwrap().to_owned();
            (org, r["id"].as_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(
        got_ids, want,
        "the view's organizations and statuses, by id descending"
    );

    let top = rows(&tdbi(
        config.path(),
        &["accounts", "--view", "Top MRR", "--format", "json"],
    ));
    let active: usize = (0..3)
        .map(|i| {
            sim.accounts(i)
                .iter()
                .filter(|a| a["status"] == "ACTIVE")
                .count()
        })
        .sum();
    assert_eq!(
        top.len(),
        active,
        "every ACTIVE account of every organization"
    );
    assert!(top.iter().all(|r| r["status"] == "ACTIVE"));
}

#[test]
fn an_unknown_view_or_a_mixed_flag_exits_2() {
    let sim = SimProcess::start(1, &["--accounts", "20"]);
    let text = format!(
        "{}\n[[views]]\nname = \"Trials\"\nstatuses = [\"IN_TRIAL\"]\n",
        sim.config
    );
    let config = config_file(&text);
    let out = tdbi(config.path(), &["accounts", "--view", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    let line = stderr(&out);
    assert!(
        line.contains("no saved view named \"nope\"") && line.contains("configured: Trials"),
        "{line}"
    );
    assert!(out.stdout.is_empty());
    let out = tdbi(
        config.path(),
        &["accounts", "--view", "Trials", "--status", "ACTIVE"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));

    let bad = format!(
        "{}\n[[views]]\nname = \"X\"\norganizations = [\"Nowhere\"]\n",
        sim.config
    );
    let config = config_file(&bad);
    let out = tdbi(config.path(), &["accounts"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("views[0].organizations: \"Nowhere\" is not a configured organization"),
        "{}",
        stderr(&out)
    );
}
