//! `tdbi contracts ACCOUNT_ID --create TYPE [--quantity N] [--yes]`: one contract action.
//!
//! Everything that can be checked here is checked before anything is sent: the type and
//! quantity (exit 2 naming the flag), the organization not being read-only (exit 2), and
//! the user's consent: `y` at a `y/N` prompt on a terminal, else `--yes` (without it and
//! without a terminal: exit 2). Declining at the prompt exits 1.

use std::io::{IsTerminal, Write};

use crate::api::ApiError;
use crate::api::model::NewContractAction;
use crate::config::{Config, Organization};
use crate::contract::{self, ActionField};

use super::args::ContractsArgs;
use super::contracts::ActionRecord;
use super::error::CliError;
use super::{orgs, output};

pub async fn run(
    config: &Config,
    org: &Organization,
    account_id: &str,
    kind: &str,
    args: &ContractsArgs,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let action = contract::build(kind, args.quantity.as_deref()).map_err(|faults| {
        let parts: Vec<String> = faults
            .iter()
            .map(|f| format!("{}: {}", f.field.flag(), f.why))
            .collect();
        CliError::Usage(parts.join("; "))
    })?;
    orgs::writable(org, "contract action")?;
    let request = contract::request_line(account_id, &action);
    if !args.yes {
        confirm(org, account_id, &action, &request).await?;
    }
    let client = orgs::client(config, org)?;
    let created = client
        .create_contract_action(account_id, &action)
        .await
        .map_err(|e| not_created(&org.name, account_id, &e))?;
    tracing::info!(org = org.name, account_id, "contract action created");
    let record = ActionRecord::new(&org.name, account_id, &created);
    output::write(out, args.format, &[record])?;
    Ok(())
}

/// Shows the request on stderr and asks `y/N` on the terminal; no terminal: exit 2.
async fn confirm(
    org: &Organization,
    account_id: &str,
    action: &NewContractAction,
    request: &str,
) -> Result<(), CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(
            "standard input is not a terminal: pass --yes to create the contract action without asking; nothing was sent".into(),
        ));
    }
    let question = format!(
        "{} of account {account_id} in {}:\n  {request}\nSend it? [y/N] ",
        action.action_type.label(),
        org.name
    );
    let answer = tokio::task::spawn_blocking(move || {
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(question.as_bytes());
        let _ = err.flush();
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    })
    .await
    .map_err(|e| CliError::Io(format!("the prompt failed: {e}")))?
    .map_err(|e| CliError::Io(format!("cannot read the answer: {e}")))?;
    if matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
        Ok(())
    } else {
        Err(CliError::Remote("not confirmed: nothing was sent".into()))
    }
}

/// One line: the server's message (409, 404, 403 with its scope), or the refused
/// fields named by flag.
fn not_created(org: &str, account_id: &str, error: &ApiError) -> CliError {
    let fields = error.fields();
    if !fields.is_empty() {
        let parts: Vec<String> = fields
            .iter()
            .map(|f| {
                let name = crate::api::error::one_line(&f.name, 40);
                let why = crate::api::error::one_line(&f.description, 160);
                match ActionField::from_api_name(&name) {
                    Some(field) => format!("{} ({name}): {why}", field.flag()),
                    None => format!("{name}: {why}"),
                }
            })
            .collect();
        return CliError::Remote(format!(
            "{org}: account {account_id}: contract action not created: the server refused {}",
            parts.join("; ")
        ));
    }
    CliError::Remote(format!(
        "{org}: account {account_id}: contract action not created: {error}"
    ))
}
