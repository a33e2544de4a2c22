//! `[[views]]`: saved views, shown as tabs after "All organizations" and printed by
//! `tdbi accounts --view NAME`. Each names its organizations (or all), statuses, text
//! query, sort and, optionally, columns.

use serde::Deserialize;

use crate::api::model::AccountStatus;
use crate::app::{Column, Sort};

use super::Organization;

/// One `[[views]]` entry as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewEntry {
    pub name: String,
    /// Organization names; left out (or empty): every organization.
    #[serde(default)]
    pub organizations: Vec<String>,
    /// Statuses shown (raw API names); left out: all.
    #[serde(default)]
    pub statuses: Vec<String>,
    /// The tab's text filter, as typed after `/`.
    #[serde(default)]
    pub query: String,
    /// The sort column's name (default `name`).
    pub sort: Option<String>,
    #[serde(default)]
    pub descending: bool,
    /// Column names, left to right; left out: the tab's usual columns.
    pub columns: Option<Vec<String>>,
}

/// A saved view, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedView {
    pub name: String,
    /// Indices of the organizations it covers, in configuration order; `None`: all.
    pub organizations: Option<Vec<usize>>,
    /// Known statuses only; empty: all.
    pub statuses: Vec<AccountStatus>,
    pub query: String,
    pub sort: Sort,
    /// `None`: the usual columns of a tab over these organizations.
    pub columns: Option<Vec<Column>>,
}

/// Checks every entry against the organizations; the first problem is one line naming
/// `views[N].key`.
pub fn validate(entries: Vec<ViewEntry>, orgs: &[Organization]) -> Result<Vec<SavedView>, String> {
    let mut views: Vec<SavedView> = Vec::with_capacity(entries.len());
    for (index, entry) in entries.into_iter().enumerate() {
        let view = validate_one(index, entry, orgs)?;
        if let Some(first) = views
            .iter()
            .position(|v| v.name.eq_ignore_ascii_case(&view.name))
        {
            return Err(format!(
                "views[{index}].name: \"{}\" is already used by views[{first}]; names must be unique",
                view.name
            ));
        }
        if let Some(org) = orgs
            .iter()
            .find(|o| o.name.eq_ignore_ascii_case(&view.name))
        {
            return Err(format!(
                "views[{index}].name: \"{}\" is also an organization's name; tabs must be told apart",
                org.name
            ));
        }
        views.push(view);
    }
    Ok(views)
}

fn validate_one(index: usize, e: ViewEntry, orgs: &[Organization]) -> Result<SavedView, String> {
    let key = format!("views[{index}]");
    let name = e.name.trim().to_owned();
    if name.is_empty() {
        return Err(format!("{key}.name: must not be empty"));
    }
    let mut organizations = Vec::with_capacity(e.organizations.len());
    for wanted in &e.organizations {
        let Some(at) = orgs
            .iter()
            .position(|o| o.name.eq_ignore_ascii_case(wanted.trim()))
        else {
            let known: Vec<&str> = orgs.iter().map(|o| o.name.as_str()).collect();
            return Err(format!(
                "{key}.organizations: \"{wanted}\" is not a configured organization (configured: {})",
                known.join(", ")
            ));
        };
        if !organizations.contains(&at) {
            organizations.push(at);
        }
    }
    organizations.sort_unstable();
    let mut statuses = Vec::with_capacity(e.statuses.len());
    for raw in &e.statuses {
        let status = AccountStatus::from_raw(&raw.trim().to_ascii_uppercase());
        if !AccountStatus::KNOWN.contains(&status) {
            let known: Vec<&str> = AccountStatus::KNOWN.iter().map(|s| s.as_str()).collect();
            return Err(format!(
                "{key}.statuses: \"{raw}\" is not an account status (expected one of {})",
                known.join(", ")
            ));
        }
        if !statuses.contains(&status) {
            statuses.push(status);
        }
    }
    let columns = match e.columns {
        None => None,
        Some(names) => Some(columns(&key, &names)?),
    };
    let column = match e.sort.as_deref() {
        None => Column::Name,
        Some(raw) => column(&format!("{key}.sort"), raw)?,
    };
    if column == Column::Contract {
        return Err(format!(
            "{key}.sort: a view cannot sort by contract (contract actions are read one account at a time); use organization, id, name, company, status or mrr"
        ));
    }
    if let Some(cols) = columns.as_ref().filter(|c| !c.contains(&column)) {
        let shown: Vec<&str> = cols.iter().map(|c| c.key()).collect();
        return Err(format!(
            "{key}.sort: \"{}\" is not among the view's columns ({})",
            column.key(),
            shown.join(", ")
        ));
    }
    Ok(SavedView {
        name,
        organizations: (!organizations.is_empty()).then_some(organizations),
        statuses,
        query: e.query.trim().to_owned(),
        sort: Sort {
            column,
            descending: e.descending,
        },
        columns,
    })
}

fn columns(key: &str, names: &[String]) -> Result<Vec<Column>, String> {
    if names.is_empty() {
        return Err(format!(
            "{key}.columns: must name at least one column (leave it out for the usual ones)"
        ));
    }
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let c = column(&format!("{key}.columns"), name)?;
        if out.contains(&c) {
            return Err(format!("{key}.columns: \"{name}\" is named twice"));
        }
        out.push(c);
    }
    Ok(out)
}

fn column(key: &str, raw: &str) -> Result<Column, String> {
    Column::from_key(raw).ok_or_else(|| {
        let known: Vec<&str> = Column::ALL.iter().map(|c| c.key()).collect();
        format!(
            "{key}: \"{raw}\" is not a column (expected one of {})",
            known.join(", ")
        )
    })
}

#[cfg(test)]
mod tests;
