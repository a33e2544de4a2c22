//! `tdbi contracts ACCOUNT_ID`: one account's contract actions (`--create`: see
//! [`super::contract_create`]).

use std::borrow::Cow;
use std::io::Write;

use chrono::{DateTime, Local, Utc};
use serde::Serialize;

use crate::api::model::ContractAction;
use crate::config::Config;

use super::args::ContractsArgs;
use super::error::CliError;
use super::{orgs, output};

/// One contract action as printed. Codes are the raw API strings; times are UTC RFC 3339
/// in JSON/CSV and local time in the table.
#[derive(Serialize)]
pub struct ActionRecord<'a> {
    pub organization: &'a str,
    pub account_id: &'a str,
    pub id: &'a str,
    pub action_type: &'a str,
    pub action: &'a str,
    pub quantity: Option<i64>,
    pub status: &'a str,
    pub status_message: &'a str,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl<'a> ActionRecord<'a> {
    pub fn new(organization: &'a str, account_id: &'a str, a: &'a ContractAction) -> Self {
        Self {
            organization,
            account_id,
            id: &a.id,
            action_type: a.action_type.as_str(),
            action: a.action_type.label(),
            quantity: a.quantity,
            status: a.status.as_str(),
            status_message: &a.status_message,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

impl output::Record for ActionRecord<'_> {
    const HEADERS: &'static [&'static str] = &[
        "ID", "TYPE", "ACTION", "QTY", "STATUS", "CREATED", "UPDATED", "MESSAGE",
    ];
    fn cells(&self) -> Vec<Cow<'_, str>> {
        vec![
            self.id.into(),
            self.action_type.into(),
            self.action.into(),
            self.quantity
                .map_or(Cow::Borrowed("-"), |q| q.to_string().into()),
            self.status.into(),
            local_time(self.created_at).into(),
            local_time(self.updated_at).into(),
            self.status_message.into(),
        ]
    }
}

/// `2022-03-10 16:15` in the local time zone, or `-`.
fn local_time(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(
        || "-".to_string(),
        |t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
    )
}

pub async fn run(
    config: &Config,
    args: &ContractsArgs,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let org = orgs::select_one(config, args.org.as_deref())?;
    let account_id = args.account_id.trim();
    if account_id.is_empty() {
        return Err(CliError::Usage("ACCOUNT_ID must not be empty".into()));
    }
    if let Some(kind) = &args.create {
        return super::contract_create::run(config, org, account_id, kind, args, out).await;
    }
    let client = orgs::client(config, org)?;
    let actions = client
        .contract_actions(account_id)
        .await
        .map_err(|e| CliError::Remote(format!("{}: account {account_id}: {e}", org.name)))?;
    let records: Vec<ActionRecord<'_>> = actions
        .iter()
        .map(|a| ActionRecord::new(&org.name, account_id, a))
        .collect();
    output::write(out, args.format, &records)?;
    Ok(())
}
