//! `tdbi config init|path`, `tdbi completions`, `tdbi man`: the installed binary's first steps.

use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_tdbi");

fn tdbi(args: &[&str]) -> Output {
    let log = std::env::temp_dir().join("tdbi-test-setup.log");
    Command::new(BIN)
        .args(args)
        .arg("--log-file")
        .arg(log)
        .env_remove("TDBI_CONFIG")
        .output()
        .expect("tdbi runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn config_init_writes_the_example_private_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new-dir").join("config.toml");
    let p = path.to_str().unwrap();

    let out = tdbi(&["--config", p, "config", "init"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains(p), "names the path: {stdout}");
    assert!(stdout.contains("tdbi check"), "says what next: {stdout}");
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written, include_str!("../config.example.toml"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    std::fs::write(&path, "# mine\n").unwrap();
    let again = tdbi(&["--config", p, "config", "init"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        text(&again.stderr).contains("--force"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# mine\n");

    let forced = tdbi(&["--config", p, "config", "init", "--force"]);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
}

#[test]
fn the_written_example_loads_as_a_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let out = tdbi(&["--config", path.to_str().unwrap(), "config", "init"]);
    assert!(out.status.success());
    let config = tdbi::config::Config::load_from(&path, Vec::new()).expect("the example loads");
    assert_eq!(config.organizations.len(), 1);
}

#[test]
fn config_path_lists_every_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.toml");
    let out = tdbi(&["--config", path.to_str().unwrap(), "config", "path"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let first = stdout.lines().next().unwrap_or_default();
    assert!(first.starts_with("config") && first.contains(path.to_str().unwrap()));
    assert!(first.ends_with("(missing)"), "{first}");
    for name in ["cache", "log", "journal"] {
        assert!(
            stdout.lines().any(|l| l.starts_with(name)),
            "{name} listed: {stdout}"
        );
    }
}

#[test]
fn a_missing_configuration_suggests_config_init() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.toml");
    let out = tdbi(&["--config", path.to_str().unwrap(), "check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("tdbi config init"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn bash_completions_name_the_subcommands() {
    let out = tdbi(&["completions", "bash"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let script = text(&out.stdout);
    assert!(script.contains("_tdbi()"), "a bash function");
    for sub in ["accounts", "check", "demo", "config", "completions", "man"] {
        assert!(script.contains(sub), "{sub} completes");
    }
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let out = tdbi(&["completions", shell]);
        assert!(out.status.success() && !out.stdout.is_empty(), "{shell}");
    }
}

#[test]
fn man_page_is_roff() {
    let out = tdbi(&["man"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(page.lines().any(|l| l.starts_with(".TH tdbi 1")), "{page}");
    assert!(page.contains("accounts"), "lists the subcommands");
}
