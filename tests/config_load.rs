//! Loading the configuration: defaults, overrides and one-line errors naming the key.

use std::io::Write;

use tdbi::config::{Config, ConfigError, Region, env_overrides};

fn write_config(text: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    file.write_all(text.as_bytes()).unwrap();
    file
}

const ORG: &str = r#"
[[organizations]]
name = "Acme EU"
region = "eu"
account = "acme"
client_id = "cid"
client_secret_env = "TDBI_TEST_ACME_SECRET"
"#;

fn load(text: &str) -> Result<Config, ConfigError> {
    let file = write_config(text);
    Config::load_from(file.path(), Vec::new())
}

fn error_line(text: &str) -> String {
    load(text).unwrap_err().to_string()
}

#[test]
fn minimal_file_gets_defaults_and_region_urls() {
    let config = load(ORG).unwrap();
    assert_eq!(config.sync.per_page, 100);
    assert_eq!(config.sync.max_concurrency, 4);
    assert_eq!(config.sync.interval.as_secs(), 60);
    assert_eq!(config.sync.billing_interval.as_secs(), 3600);
    let org = &config.organizations[0];
    assert_eq!(org.region, Region::Eu);
    assert_eq!(org.api_base.as_str(), "https://api.talkdeskapp.eu/");
    assert_eq!(
        org.token_url.as_str(),
        "https://acme.talkdeskid.eu/oauth/token"
    );
    assert!(config.warnings.is_empty());
}

#[test]
fn wrong_region_names_key_and_value() {
    let line = error_line(&ORG.replace("\"eu\"", "\"uk\""));
    assert!(
        line.ends_with(r#"organizations[0].region: expected one of us, eu, ca, got "uk""#),
        "{line}"
    );
}

#[test]
fn missing_file_names_the_file() {
    let err =
        Config::load_from(std::path::Path::new("/nonexistent/tdbi.toml"), Vec::new()).unwrap_err();
    assert!(matches!(err, ConfigError::Missing { .. }));
    assert!(err.to_string().contains("/nonexistent/tdbi.toml"), "{err}");
}

#[test]
fn duplicate_names_are_rejected() {
    let text = format!("{ORG}{}", ORG.replace("Acme EU", "acme eu"));
    let line = error_line(&text);
    assert!(line.contains("organizations[1].name"), "{line}");
    assert!(line.contains("unique"), "{line}");
}

#[test]
fn plain_http_only_to_loopback() {
    let ok = format!(
        "{ORG}api_base_url = \"http://127.0.0.1:8080\"\ntoken_url = \"http://localhost:8080/oauth/token\"\n"
    );
    load(&ok).unwrap();
    let bad = format!("{ORG}api_base_url = \"http://api.example.com\"\n");
    let line = error_line(&bad);
    assert!(line.contains("organizations[0].api_base_url"), "{line}");
    assert!(line.contains("loopback"), "{line}");
}

#[test]
fn values_of_the_wrong_type_are_refused_not_coerced() {
    let cases = [
        (
            "[sync]\nper_page = \"50\"\n",
            "sync.per_page: expected a whole number, got string \"50\"",
        ),
        (
            "[sync]\nper_page = 2.5\n",
            "sync.per_page: expected a whole number, got number 2.5",
        ),
        (
            "[sync]\ninterval_secs = 60.9\n",
            "sync.interval_secs: expected a whole number, got number 60.9",
        ),
        (
            "[sync]\nmax_retries = 3.7\n",
            "sync.max_retries: expected a whole number, got number 3.7",
        ),
        (
            "[sync]\ninterval_secs = true\n",
            "sync.interval_secs: expected a whole number, got boolean true",
        ),
        (
            "[events]\nlisten = \"127.0.0.1:8787\"\nverify = \"false\"\n",
            "events.verify: expected true or false, got string \"false\"",
        ),
    ];
    for (section, want) in cases {
        let line = error_line(&format!("{section}{ORG}"));
        assert!(line.contains(want), "{section}: {line}");
        assert!(line.contains(".toml: "), "the file is named: {line}");
    }
    let line = error_line(&ORG.replace("client_id = \"cid\"", "client_id = 123"));
    assert!(
        line.contains("organizations[0].client_id: expected a string, got number 123"),
        "{line}"
    );
    let line = error_line(&ORG.replace("client_id = \"cid\"", ""));
    assert!(
        line.contains("organizations[0].client_id: missing"),
        "{line}"
    );
    // From the environment: named too.
    let file = write_config(ORG);
    let vars = vec![("TDBI_SYNC__PER_PAGE".to_string(), "many".to_string())];
    let line = Config::load_from(file.path(), env_overrides(vars))
        .unwrap_err()
        .to_string();
    assert!(line.contains("sync.per_page: expected a whole number, got string \"many\" (from the environment variable TDBI_SYNC__PER_PAGE)"), "{line}");
}

#[test]
fn urls_with_credentials_are_a_config_error_without_the_password() {
    let text = format!("{ORG}api_base_url = \"http://user:pw@127.0.0.1:8080\"\n");
    let line = error_line(&text);
    assert!(
        line.contains("organizations[0].api_base_url: the URL must not carry credentials"),
        "{line}"
    );
    assert!(line.contains(".toml: ") && !line.contains("pw@"), "{line}");
}

#[test]
fn unknown_key_and_wrong_type_are_named() {
    let line = error_line(&format!("{ORG}clientid = \"x\"\n"));
    assert!(line.contains("clientid"), "{line}");
    let line = error_line(&format!("[sync]\nper_page = \"many\"\n{ORG}"));
    assert!(line.contains("per_page"), "{line}");
    let line = error_line("[sync\n");
    assert!(!line.is_empty());
}

#[test]
fn out_of_range_setting_is_named() {
    let line = error_line(&format!("[sync]\nper_page = 0\n{ORG}"));
    assert!(
        line.contains("sync.per_page: expected a whole number from 1 to 1000, got 0"),
        "{line}"
    );
}

#[test]
fn secret_origin_must_be_exactly_one() {
    let both = format!("{ORG}client_secret_command = \"echo x\"\n");
    assert!(error_line(&both).contains("exactly one"));
    let none = ORG.replace("client_secret_env = \"TDBI_TEST_ACME_SECRET\"\n", "");
    assert!(error_line(&none).contains("no client secret"));
}

#[test]
fn inline_secret_warns_and_never_shows() {
    let text = ORG.replace(
        "client_secret_env = \"TDBI_TEST_ACME_SECRET\"",
        "client_secret = \"hunter2-very-secret\"",
    );
    let config = load(&text).unwrap();
    assert_eq!(config.warnings.len(), 1);
    assert!(config.warnings[0].contains("organizations[0].client_secret"));
    let dump = format!("{config:?}");
    assert!(!dump.contains("hunter2"), "{dump}");
}

#[test]
fn missing_secret_names_the_variable_or_command() {
    let config = load(&ORG.replace("TDBI_TEST_ACME_SECRET", "TDBI_TEST_SURELY_UNSET_VAR")).unwrap();
    let line = config.organizations[0].endpoint().unwrap_err().to_string();
    assert!(
        line.contains("TDBI_TEST_SURELY_UNSET_VAR is not set"),
        "{line}"
    );

    let text = ORG.replace(
        "client_secret_env = \"TDBI_TEST_ACME_SECRET\"",
        "client_secret_command = \"true\"",
    );
    let line = load(&text).unwrap().organizations[0]
        .endpoint()
        .unwrap_err()
        .to_string();
    assert!(
        line.contains("organizations[0].client_secret_command: the command printed nothing"),
        "{line}"
    );
    assert!(line.contains(".toml: "), "the file is named: {line}");

    // A failing command: neither its text nor its output is repeated.
    let text = ORG.replace(
        "client_secret_env = \"TDBI_TEST_ACME_SECRET\"",
        "client_secret_command = \"printf %s TOPSECRET; exit 3\"",
    );
    let config = load(&text).unwrap();
    let line = config.organizations[0].endpoint().unwrap_err().to_string();
    assert!(
        !line.contains("TOPSECRET") && !line.contains("printf"),
        "{line}"
    );
    assert!(line.contains("the command failed"), "{line}");
    assert!(!format!("{:?}", config.organizations[0]).contains("TOPSECRET"));

    let text = ORG.replace(
        "client_secret_env = \"TDBI_TEST_ACME_SECRET\"",
        "client_secret_command = \"printf %s s3cret\"",
    );
    let endpoint = load(&text).unwrap().organizations[0].endpoint().unwrap();
    use secrecy::ExposeSecret;
    assert_eq!(endpoint.client_secret.expose_secret(), "s3cret");
}

#[test]
fn a_hanging_secret_command_is_stopped_at_its_timeout() {
    let text = ORG.replace(
        "client_secret_env = \"TDBI_TEST_ACME_SECRET\"",
        "client_secret_command = \"sleep 1000\"\nclient_secret_command_timeout_secs = 1",
    );
    let config = load(&text).unwrap();
    let started = std::time::Instant::now();
    let line = config.organizations[0].endpoint().unwrap_err().to_string();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(
        line.contains("client_secret_command: the command did not finish within 1s"),
        "{line}"
    );
    assert!(!line.contains("sleep"), "{line}");
    let zero = text.replace("timeout_secs = 1", "timeout_secs = 0");
    assert!(error_line(&zero).contains(
        "client_secret_command_timeout_secs: expected a whole number from 1 to 3600, got 0"
    ));
}

#[test]
fn environment_overrides_scalar_settings() {
    let file = write_config(ORG);
    let vars = vec![
        ("TDBI_SYNC__PER_PAGE".to_string(), "100".to_string()),
        ("TDBI_SYNC__INTERVAL_SECS".to_string(), "30".to_string()),
        (
            "TDBI_SYNC__BILLING_INTERVAL_SECS".to_string(),
            "900".to_string(),
        ),
        ("TDBI_CONFIG".to_string(), "/elsewhere.toml".to_string()),
        ("HOME".to_string(), "/root".to_string()),
    ];
    let config = Config::load_from(file.path(), env_overrides(vars)).unwrap();
    assert_eq!(config.sync.per_page, 100);
    assert_eq!(config.sync.interval.as_secs(), 30);
    assert_eq!(config.sync.billing_interval.as_secs(), 900);
}

#[test]
fn billing_interval_is_range_checked() {
    let line = error_line(&format!("[sync]\nbilling_interval_secs = 59\n{ORG}"));
    assert!(
        line.ends_with(
            "sync.billing_interval_secs: expected a whole number from 60 to 86400, got 59"
        ),
        "{line}"
    );
    let config = load(&format!("[sync]\nbilling_interval_secs = 86400\n{ORG}")).unwrap();
    assert_eq!(config.sync.billing_interval.as_secs(), 86_400);
}

#[test]
fn organization_lookup_is_case_insensitive_and_lists_names() {
    let config = load(ORG).unwrap();
    assert_eq!(config.organization("acme eu").unwrap().name, "Acme EU");
    let line = config.organization("Nope").unwrap_err();
    assert!(line.contains("configured: Acme EU"), "{line}");
}

#[test]
fn the_shipped_example_is_valid() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let config = Config::load_from(&path, Vec::new()).unwrap();
    assert_eq!(config.organizations[0].name, "Acme EU");
    assert!(config.warnings.is_empty());
}

#[test]
fn theme_overrides_are_checked() {
    let config = load(&format!(
        "[theme]\nactive = \"lightgreen\"\naccent = \"#ff8800\"\n{ORG}"
    ))
    .unwrap();
    assert_eq!(config.theme.colors.len(), 2);
    assert_eq!(
        config.theme.colors["accent"],
        ratatui::style::Color::Rgb(0xff, 0x88, 0x00)
    );
    let line = error_line(&format!("[theme]\nactve = \"red\"\n{ORG}"));
    assert!(line.contains("theme.actve: unknown key"), "{line}");
    let line = error_line(&format!("[theme]\nactive = \"grn\"\n{ORG}"));
    assert!(
        line.contains("theme.active: \"grn\" is not a colour"),
        "{line}"
    );
}

fn public_key_pem() -> String {
    use p256::ecdsa::SigningKey;
    use p256::pkcs8::{EncodePublicKey, LineEnding};
    let signing = SigningKey::from_slice(&[7u8; 32]).unwrap();
    signing
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap()
}

#[test]
fn events_section_is_validated() {
    let pem = public_key_pem();
    let text = format!(
        "[events]\nlisten = \"127.0.0.1:8787\"\njournal = \"/tmp/j.jsonl\"\n[[events.keys]]\nid = \"k1\"\npublic_key = '''\n{pem}'''\n{ORG}"
    );
    let events = load(&text).unwrap().events.unwrap();
    assert_eq!(events.path, "/talkdesk/events");
    assert!(events.verify);
    assert_eq!(events.keys[0].id, "k1");

    let line = error_line(&format!("[events]\nlisten = \"127.0.0.1:8787\"\n{ORG}"));
    assert!(line.contains("no [[events.keys]]"), "{line}");
    let line = error_line(&format!(
        "[events]\nlisten = \"localhost\"\nverify = false\n{ORG}"
    ));
    assert!(line.contains("events.listen"), "{line}");
    let line = error_line(&format!(
        "[events]\nlisten = \"127.0.0.1:1\"\n[[events.keys]]\nid = \"k\"\npublic_key = \"nope\"\n{ORG}"
    ));
    assert!(
        line.contains("events.keys[0]: not a P-256 public key"),
        "{line}"
    );
    let config = load(&format!(
        "[events]\nlisten = \"127.0.0.1:8787\"\nverify = false\n{ORG}"
    ))
    .unwrap();
    assert!(config.warnings.iter().any(|w| w.contains("unverified")));
}

#[test]
fn read_only_is_a_boolean_per_organization() {
    let config = load(ORG).unwrap();
    assert_eq!(config.organizations[0].read_only, None);
    assert_eq!(config.organizations[0].read_only_reason(), None);
    let mut config = load(&format!("{ORG}read_only = true\n")).unwrap();
    assert_eq!(
        config.organizations[0].read_only_reason().as_deref(),
        Some("Acme EU is read-only (organizations[0].read_only = true)")
    );
    config.set_read_only();
    assert_eq!(
        config.organizations[0].read_only,
        Some(tdbi::config::ReadOnly::Flag)
    );
    let line = error_line(&format!("{ORG}read_only = \"yes\"\n"));
    assert!(line.contains("organizations[0].read_only"), "{line}");
    assert_eq!(line.lines().count(), 1, "{line}");
}
