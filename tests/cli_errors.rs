//! Configuration and usage errors of the binary: exit code 2 and one line naming the fault.

mod cli_common;

use std::process::Command;

use cli_common::{BIN, config_file, stderr, tdbi};

const ORG: &str = r#"
[[organizations]]
name = "Acme EU"
region = "uk"
account = "acme"
client_id = "cid"
client_secret_env = "ACME_EU_SECRET"
"#;

#[test]
fn wrong_region_exits_2_naming_the_key() {
    let config = config_file(ORG);
    let out = tdbi(config.path(), &["accounts"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(&config.path().display().to_string()), "{err}");
    assert!(
        err.contains(r#"organizations[0].region: expected one of us, eu, ca, got "uk""#),
        "{err}"
    );
}

#[test]
fn missing_config_file_exits_2_naming_the_file() {
    let out = tdbi(
        std::path::Path::new("/nonexistent/dir/tdbi.toml"),
        &["accounts"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("/nonexistent/dir/tdbi.toml"), "{err}");
    assert!(err.contains("tdbi demo"), "says how to start: {err}");
}

#[test]
fn missing_secret_exits_2_naming_the_variable() {
    let config = config_file(
        &ORG.replace("\"uk\"", "\"eu\"")
            .replace("ACME_EU_SECRET", "TDBI_TEST_UNSET_SECRET_VAR"),
    );
    let out = tdbi(config.path(), &["accounts"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("TDBI_TEST_UNSET_SECRET_VAR is not set"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = Command::new(BIN)
        .args(["accounts", "--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(BIN).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "no command prints help and exits 2"
    );
}

#[test]
fn every_command_has_help() {
    for cmd in ["demo", "accounts", "contracts", "check", "sim"] {
        let out = Command::new(BIN).args([cmd, "--help"]).output().unwrap();
        assert!(out.status.success(), "{cmd} --help");
        assert!(out.stdout.len() > 200, "{cmd} --help explains it");
    }
}
