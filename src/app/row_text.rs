//! A row's cells as plain text, as the table shows them uncut: what `Y` copies and `x`
//! exports. The cells are read through [`RowSource`]: the app itself, or an export's
//! snapshot of it written off the UI task.

use crate::api::model::{Account, ActionStatus};
use crate::billing::{AccountMrr, money};

use super::summary::summarize;
use super::{App, Column, RowRef};

/// What a row's text is read from.
pub trait RowSource {
    /// The configured name of organization `org`.
    fn org_name(&self, org: usize) -> Option<&str>;
    /// The account a row points at.
    fn account(&self, r: RowRef) -> Option<&Account>;
    /// Account `id`'s active MRR per currency, the shown one first.
    fn account_mrr(&self, org: usize, id: &str) -> Option<&[AccountMrr]>;
    /// The contract column's text (see [`contract`]); `None` when not known.
    fn contract(&self, org: usize, id: &str) -> Option<String>;
}

impl RowSource for App {
    fn org_name(&self, org: usize) -> Option<&str> {
        self.org(org).map(|o| o.name.as_str())
    }

    fn account(&self, r: RowRef) -> Option<&Account> {
        App::account(self, r)
    }

    fn account_mrr(&self, org: usize, id: &str) -> Option<&[AccountMrr]> {
        let list = self.org(org)?.billing.derived.account_mrr.get(id)?;
        Some(list.as_slice())
    }

    fn contract(&self, org: usize, id: &str) -> Option<String> {
        contract(self, org, id)
    }
}

/// The text of column `column` for row `r` (empty when unknown).
pub fn cell(source: &(impl RowSource + ?Sized), r: RowRef, column: Column) -> String {
    let org = usize::from(r.org);
    let Some(account) = source.account(r) else {
        return String::new();
    };
    match column {
        Column::Org => source.org_name(org).unwrap_or_default().to_owned(),
        Column::Id => account.id.to_string(),
        Column::Name => account.name.to_string(),
        Column::Company => account.company_name.as_str().to_owned(),
        Column::Status => account.status.as_str().to_owned(),
        Column::Mrr => mrr(source, r).unwrap_or_default(),
        Column::Contract => source.contract(org, &account.id).unwrap_or_default(),
    }
}

/// `1,234.50 USD`, with `+` when the account has MRR in other currencies too (the
/// account view lists them); `None` without billing data or MRR.
pub fn mrr(source: &(impl RowSource + ?Sized), r: RowRef) -> Option<String> {
    let list = source.account_mrr(usize::from(r.org), &source.account(r)?.id)?;
    let first = list.first()?;
    let plus = if list.len() > 1 { "+" } else { "" };
    Some(format!(
        "{}{plus}",
        money::display(first.mrr, &first.currency)
    ))
}

/// `25 lic · Amendment IN_PROGRESS`; `None` when the contract actions are not known.
pub fn contract(app: &App, org: usize, id: &str) -> Option<String> {
    Some(match contract_parts(app, org, id)? {
        (head, Some(status)) => format!("{head} {}", status.as_str()),
        (head, None) => head,
    })
}

/// The contract column's text before the status (`25 lic · Amendment`) and the last
/// action's status; `("no contract actions", None)` for an account without any, `None`
/// when they are not known.
pub fn contract_parts<'a>(
    app: &'a App,
    org: usize,
    id: &str,
) -> Option<(String, Option<&'a ActionStatus>)> {
    let actions = app.org(org)?.actions.get(id)?.actions.as_deref()?;
    let summary = summarize(actions);
    let Some(last) = summary.last else {
        return Some(("no contract actions".to_owned(), None));
    };
    let licenses = match summary.licenses {
        Some(n) => format!("{n} lic"),
        None => "– lic".to_owned(),
    };
    let head = format!("{licenses} · {}", last.action_type.label());
    Some((head, Some(&last.status)))
}

impl App {
    /// The row of account `id` of organization `org`, whether shown or not.
    pub fn row_of(&self, org: usize, id: &str) -> Option<RowRef> {
        let idx = *self.org(org)?.by_id.get(id)?;
        Some(RowRef {
            org: u16::try_from(org).ok()?,
            idx: u32::try_from(idx).ok()?,
        })
    }
}
