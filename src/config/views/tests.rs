use std::path::Path;

use crate::api::model::AccountStatus;
use crate::app::{Column, Sort};
use crate::config::Config;

const ORGS: &str = r#"
[[organizations]]
name = "Acme EU"
region = "eu"
account = "acme"
client_id = "cid"
client_secret_env = "X"

[[organizations]]
name = "Beta US"
region = "us"
account = "beta"
client_id = "cid"
client_secret_env = "X"
"#;

fn load(views: &str) -> Result<Config, String> {
    Config::from_toml(Path::new("t.toml"), &format!("{ORGS}\n{views}")).map_err(|e| e.to_string())
}

fn error(views: &str) -> String {
    let line = load(views).unwrap_err();
    assert!(!line.contains('\n'), "one line: {line}");
    line
}

#[test]
fn a_view_names_organizations_statuses_query_sort_and_columns() {
    let config = load(
        r#"
[[views]]
name = "Beta trials"
organizations = ["beta us"]
statuses = ["IN_TRIAL", "trial_lost"]
query = " acme "
sort = "MRR"
descending = true
columns = ["name", "status", "mrr"]

[[views]]
name = "Everything"
"#,
    )
    .unwrap();
    let v = &config.views[0];
    assert_eq!(v.organizations, Some(vec![1]));
    assert_eq!(
        v.statuses,
        vec![AccountStatus::InTrial, AccountStatus::TrialLost]
    );
    assert_eq!(v.query, "acme");
    assert_eq!(
        v.sort,
        Sort {
            column: Column::Mrr,
            descending: true
        }
    );
    assert_eq!(
        v.columns,
        Some(vec![Column::Name, Column::Status, Column::Mrr])
    );
    let all = &config.views[1];
    assert_eq!(
        (all.organizations.as_ref(), all.sort),
        (None, Sort::default())
    );
    assert!(all.statuses.is_empty() && all.columns.is_none());
}

#[test]
fn unknown_names_are_one_line_naming_the_key() {
    let cases = [
        (
            "organizations = [\"Gamma\"]",
            "views[0].organizations: \"Gamma\" is not a configured organization (configured: Acme EU, Beta US)",
        ),
        (
            "statuses = [\"GONE\"]",
            "views[0].statuses: \"GONE\" is not an account status",
        ),
        (
            "columns = [\"name\", \"colour\"]",
            "views[0].columns: \"colour\" is not a column",
        ),
        (
            "columns = []",
            "views[0].columns: must name at least one column",
        ),
        (
            "columns = [\"name\", \"NAME\"]",
            "views[0].columns: \"NAME\" is named twice",
        ),
        (
            "sort = \"contract\"",
            "views[0].sort: a view cannot sort by contract",
        ),
        (
            "sort = \"id\"\ncolumns = [\"name\"]",
            "views[0].sort: \"id\" is not among the view's columns (name)",
        ),
        ("shape = \"round\"", "unknown field"),
    ];
    for (body, expected) in cases {
        let line = error(&format!("[[views]]\nname = \"V\"\n{body}\n"));
        assert!(line.contains(expected), "{body}: {line}");
    }
}

#[test]
fn names_are_unique_among_views_and_organizations() {
    let twice = error("[[views]]\nname = \"V\"\n[[views]]\nname = \"v\"\n");
    assert!(
        twice.contains("views[1].name: \"v\" is already used by views[0]"),
        "{twice}"
    );
    let org = error("[[views]]\nname = \"acme eu\"\n");
    assert!(
        org.contains("views[0].name: \"Acme EU\" is also an organization's name"),
        "{org}"
    );
    let empty = error("[[views]]\nname = \" \"\n");
    assert!(
        empty.contains("views[0].name: must not be empty"),
        "{empty}"
    );
}

#[test]
fn account_url_is_checked_and_defaults_by_region() {
    let config = load("").unwrap();
    assert_eq!(
        config.organizations[0].account_url.as_str(),
        "https://{name}.mytalkdesk.eu"
    );
    assert_eq!(
        config.organizations[1].account_url.as_str(),
        "https://{name}.mytalkdesk.com"
    );
    let text = ORGS.replacen(
        "client_secret_env = \"X\"",
        "client_secret_env = \"X\"\naccount_url = \"https://example.com\"",
        1,
    );
    let line = Config::from_toml(Path::new("t.toml"), &text)
        .unwrap_err()
        .to_string();
    assert!(
        line.contains("organizations[0].account_url: \"https://example.com\" names neither"),
        "{line}"
    );
}
