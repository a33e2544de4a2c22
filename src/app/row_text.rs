//! A row's cells as plain text, as the table shows them uncut: what `Y` copies and `x`
//! exports.

use crate::api::model::ActionStatus;
use crate::billing::money;

use super::columns::shown_mrr;
use super::summary::summarize;
use super::{App, Column, RowRef};

/// The text of column `column` for row `r` (empty when unknown).
pub fn cell(app: &App, r: RowRef, column: Column) -> String {
    let org = app.org(usize::from(r.org));
    let Some(account) = app.account(r) else {
        return String::new();
    };
    match column {
        Column::Org => org.map(|o| o.name.clone()).unwrap_or_default(),
        Column::Id => account.id.to_string(),
        Column::Name => account.name.to_string(),
        Column::Company => account.company_name.as_str().to_owned(),
        Column::Status => account.status.as_str().to_owned(),
        Column::Mrr => mrr(app, r).unwrap_or_default(),
        Column::Contract => contract(app, usize::from(r.org), &account.id).unwrap_or_default(),
    }
}

/// `1,234.50 USD`, with `+` when the account has MRR in other currencies too (the
/// account view lists them); `None` without billing data or MRR.
pub fn mrr(app: &App, r: RowRef) -> Option<String> {
    let org = app.org(usize::from(r.org))?;
    let (mrr, more) = shown_mrr(org, &app.account(r)?.id)?;
    let plus = if more { "+" } else { "" };
    Some(format!("{}{plus}", money::display(mrr.mrr, &mrr.currency)))
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
