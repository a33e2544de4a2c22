//! `tdbi accounts`: every account of every organization, read concurrently.

use std::borrow::Cow;
use std::io::Write;

use serde::Serialize;

use crate::api::model::Account;
use crate::config::Config;

use super::args::AccountsArgs;
use super::error::CliError;
use super::{orgs, output};

/// One line of the listing, borrowed from the accounts read. `status` is the raw
/// API string.
#[derive(Serialize)]
pub struct AccountRecord<'a> {
    pub organization: &'a str,
    pub id: &'a str,
    pub name: &'a str,
    /// `None` when the API sent null: null in JSON, empty in CSV and the table.
    pub company_name: Option<&'a str>,
    pub status: &'a str,
}

impl output::Record for AccountRecord<'_> {
    const HEADERS: &'static [&'static str] = &["ORGANIZATION", "ID", "NAME", "COMPANY", "STATUS"];
    fn cells(&self) -> Vec<Cow<'_, str>> {
        vec![
            self.organization.into(),
            self.id.into(),
            self.name.into(),
            self.company_name.unwrap_or_default().into(),
            self.status.into(),
        ]
    }
}

pub async fn run(
    config: &Config,
    args: &AccountsArgs,
    out: &mut impl Write,
) -> Result<(), CliError> {
    if let Some(view) = &args.view {
        return super::view::run(config, view, args.format, out).await;
    }
    let selected = orgs::select(config, args.org.as_deref())?;
    let clients = selected
        .iter()
        .map(|org| orgs::client(config, org))
        .collect::<Result<Vec<_>, _>>()?;
    let results = futures::future::join_all(clients.iter().map(|c| c.accounts())).await;

    let mut failed = 0;
    let mut listed: Vec<(&str, Vec<Account>)> = Vec::with_capacity(results.len());
    for (org, result) in selected.iter().zip(results) {
        match result {
            Ok(accounts) => listed.push((org.name.as_str(), accounts)),
            Err(e) => {
                failed += 1;
                eprintln!("tdbi: {}: {e}", org.name);
            }
        }
    }
    // When every organization failed there is nothing to list, not even a header.
    if !listed.is_empty() || failed == 0 {
        output::write_each(out, args.format, || records(&listed, &args.status))?;
    }
    out.flush()?;
    match failed {
        0 => Ok(()),
        n => Err(CliError::Partial(n)),
    }
}

/// The rows to print, in configuration order, keeping accounts whose raw status matches
/// one of `statuses` (case-insensitive; all when empty). Borrowed and lazy: nothing
/// is copied before it is written.
fn records<'a>(
    listed: &'a [(&'a str, Vec<Account>)],
    statuses: &'a [String],
) -> impl Iterator<Item = AccountRecord<'a>> + 'a {
    listed
        .iter()
        .flat_map(|(org, accounts)| accounts.iter().map(move |a| (*org, a)))
        .map(|(organization, a)| AccountRecord {
            organization,
            id: &a.id,
            name: &a.name,
            company_name: a.company_name.get(),
            status: a.status.as_str(),
        })
        .filter(move |r| {
            statuses.is_empty()
                || statuses
                    .iter()
                    .any(|s| s.trim().eq_ignore_ascii_case(r.status))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Format;

    #[test]
    fn a_null_company_is_null_in_json_and_empty_in_csv() {
        let accounts: Vec<Account> = serde_json::from_str(
            r#"[{"id": "a1", "name": "acme", "company_name": null, "status": "ACTIVE"},
                {"id": "a2", "name": "beta", "company_name": "Beta Ltd", "status": "ACTIVE"}]"#,
        )
        .unwrap();
        let listed = [("Org", accounts)];
        let rows: Vec<AccountRecord<'_>> = records(&listed, &[]).collect();
        let mut json = Vec::new();
        output::write(&mut json, Format::Json, &rows).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert!(json[0]["company_name"].is_null(), "{json}");
        assert_eq!(json[1]["company_name"], "Beta Ltd");
        let mut csv = Vec::new();
        output::write(&mut csv, Format::Csv, &rows).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        assert!(csv.contains("Org,a1,acme,,ACTIVE"), "{csv}");
    }
}
