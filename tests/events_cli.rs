//! `tdbi events listen` as a process: one JSON line per new event; exit codes.

mod events_support;

use std::path::Path;
use std::process::Stdio;

use events_support::*;
use reqwest::StatusCode;
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStderr, ChildStdout, Command};

const BIN: &str = env!("CARGO_BIN_EXE_tdbi");

/// A configuration with one organization and, when given, `events` as its `[events]`.
fn write_config(dir: &Path, events: Option<&str>) -> std::path::PathBuf {
    let mut text = String::from(
        "[[organizations]]\nname = \"Acme\"\nregion = \"eu\"\naccount = \"acme\"\n\
         client_id = \"id\"\nclient_secret_env = \"TDBI_TEST_UNUSED_SECRET\"\n",
    );
    if let Some(events) = events {
        text.push_str(events);
    }
    let path = dir.join("config.toml");
    std::fs::write(&path, text).expect("config written");
    path
}

fn events_section(dir: &Path, listen: &str, pem: &str) -> String {
    format!(
        "\n[events]\nlisten = \"{listen}\"\njournal = {:?}\n\n[[events.keys]]\nid = \"k1\"\npublic_key = '''\n{pem}'''\n",
        dir.join("events.jsonl").display().to_string()
    )
}

fn listen(config: &Path, dir: &Path) -> Child {
    Command::new(BIN)
        .arg("--config")
        .arg(config)
        .arg("--log-file")
        .arg(dir.join("tdbi.log"))
        .args(["events", "listen"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("tdbi starts")
}

async fn line<R: tokio::io::AsyncBufRead + Unpin>(lines: &mut Lines<R>) -> String {
    tokio::time::timeout(DEADLINE, lines.next_line())
        .await
        .expect("a line in time")
        .expect("readable")
        .expect("a line before the end")
}

/// The URL the listener printed on stderr.
async fn listening_url(stderr: &mut Lines<BufReader<ChildStderr>>) -> String {
    loop {
        let l = line(stderr).await;
        if let Some(rest) = l.strip_prefix("tdbi: listening for events on ") {
            return rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
        }
    }
}

#[tokio::test]
async fn prints_one_json_line_per_new_event() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = signing_key(3);
    let config = write_config(
        dir.path(),
        Some(&events_section(
            dir.path(),
            "127.0.0.1:0",
            &public_pem(&key),
        )),
    );
    let mut child = listen(&config, dir.path());
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let mut stdout: Lines<BufReader<ChildStdout>> =
        BufReader::new(child.stdout.take().expect("stdout")).lines();
    let url = listening_url(&mut stderr).await;

    for id in ["cli-1", "cli-1", "cli-2"] {
        let body = trial_ended(id);
        let (status, _) = post(&url, body.clone(), Some(&sign_der(&key, &body)), Some("k1")).await;
        assert_eq!(status, StatusCode::OK);
    }
    let unsigned = post(&url, trial_ended("cli-3"), None, None).await;
    assert_eq!(unsigned.0, StatusCode::UNAUTHORIZED);
    let first: serde_json::Value = serde_json::from_str(&line(&mut stdout).await).expect("JSON");
    assert_eq!(first["event"]["id"], "cli-1");
    assert_eq!(first["event"]["type"], "app.trial_ended");
    assert_eq!(first["event"]["data"]["ended_reason"], "trial_expired");
    assert_eq!(
        (first["verified"].as_bool(), first["key_id"].as_str()),
        (Some(true), Some("k1"))
    );
    // The duplicate is not printed: the next line is the next new event.
    let second: serde_json::Value = serde_json::from_str(&line(&mut stdout).await).expect("JSON");
    assert_eq!(second["event"]["id"], "cli-2");
    child.kill().await.expect("stopped");
}

#[tokio::test]
async fn without_events_section_exits_2_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), None);
    let out = listen(&config, dir.path())
        .wait_with_output()
        .await
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("[events]"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[tokio::test]
async fn a_taken_port_is_one_line_and_exit_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let pem = public_pem(&signing_key(3));
    let config = write_config(dir.path(), Some(&events_section(dir.path(), &addr, &pem)));
    let out = listen(&config, dir.path())
        .wait_with_output()
        .await
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&addr), "{stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.contains("warning")).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(out.stdout.is_empty());
}
