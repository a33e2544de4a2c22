//! `x`: the current tab's rows (its filter, statuses and sort; every row, not only those
//! on screen) written to a CSV file, with the escaping of `--format csv`. The file is
//! created on the UI task; its rows are written on a blocking thread from an
//! [`ExportRows`] snapshot (the accounts and billing shared, not copied), and the
//! result comes back as [`Update::Exported`].

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::mpsc;

use crate::api::model::Account;
use crate::billing::{AccountMrr, OrgBilling, money};
use crate::plain::csv_cell;
use crate::store::Update;

use super::row_text::{RowSource, cell, contract};
use super::{App, Column, Notice, RowRef};

impl App {
    /// Where `x` writes (the dashboard passes `[export] dir`, else the current
    /// directory); until it is set, `x` says export is not set up.
    pub fn set_export_dir(&mut self, dir: PathBuf) {
        self.export_dir = Some(dir);
    }

    pub(super) fn export_listing(&mut self) {
        let Some(dir) = self.export_dir.clone() else {
            let text = "export is not set up here".to_owned();
            return self.set_notice(Notice::error(text, self.now));
        };
        let stem = format!(
            "tdbi-{}-{}",
            slug(self.tab_title(self.tab)),
            self.now.format("%Y%m%d-%H%M%S")
        );
        let (path, file) = match create_new(&dir, &stem) {
            Ok(created) => created,
            Err(e) => {
                let text = format!("cannot export to {}: {e}", dir.display());
                return self.set_notice(Notice::error(text, self.now));
            }
        };
        let rows = ExportRows::of(self);
        let runtime = tokio::runtime::Handle::try_current().ok();
        let sender = self.updates.as_ref().and_then(mpsc::WeakSender::upgrade);
        let (Some(runtime), Some(sender)) = (runtime, sender) else {
            // No runtime or updates channel (tests): written here.
            return self.report(write_file(&rows, file, &path));
        };
        let text = format!("exporting {} rows to {}…", rows.rows.len(), path.display());
        self.set_notice(Notice::info(text, self.now));
        runtime.spawn_blocking(move || {
            let result = write_file(&rows, file, &path);
            // Fails only when the app is gone.
            let _ = sender.blocking_send(Update::Exported { result });
        });
    }
}

/// Writes `rows` to the new file at `path`; the status line's text. A file that could
/// not be written whole is removed: an export is complete or absent.
fn write_file(rows: &ExportRows, file: std::fs::File, path: &Path) -> Result<String, String> {
    let mut out = std::io::BufWriter::new(file);
    match rows
        .write_csv(&mut out)
        .and_then(|n| out.flush().map(|()| n))
    {
        Ok(n) => Ok(format!("exported {n} rows to {}", path.display())),
        Err(e) => {
            drop(out);
            let _ = std::fs::remove_file(path);
            Err(format!("cannot write {}: {e}", path.display()))
        }
    }
}

/// A tab's rows as they were when `x` was pressed, readable off the UI task.
pub struct ExportRows {
    columns: Vec<Column>,
    rows: Vec<RowRef>,
    /// Per organization index.
    orgs: Vec<OrgRows>,
}

struct OrgRows {
    name: String,
    accounts: Arc<Vec<Account>>,
    billing: Arc<OrgBilling>,
    /// The contract column's text of the accounts whose actions are known (empty when
    /// the column is not exported).
    contracts: HashMap<String, String>,
}

impl ExportRows {
    /// The current tab's columns and rows, with what their cells read.
    fn of(app: &App) -> Self {
        let columns = app.listing().columns().to_vec();
        let with_contracts = columns.contains(&Column::Contract);
        let orgs = app
            .store()
            .orgs
            .iter()
            .enumerate()
            .map(|(o, org)| OrgRows {
                name: org.name.clone(),
                accounts: Arc::clone(&org.accounts),
                billing: Arc::clone(&org.billing),
                contracts: match with_contracts {
                    false => HashMap::new(),
                    true => (org.actions.keys())
                        .filter_map(|id| Some((id.clone(), contract(app, o, id)?)))
                        .collect(),
                },
            })
            .collect();
        Self {
            columns,
            rows: app.listing().rows().to_vec(),
            orgs,
        }
    }

    /// The rows as CSV: a header of column keys, then one record per row. Returns the
    /// number of rows.
    fn write_csv(&self, out: &mut impl Write) -> std::io::Result<usize> {
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(self.columns.iter().map(|c| c.key()))?;
        for &r in &self.rows {
            for &c in &self.columns {
                csv.write_field(csv_cell(&exported(self, r, c)).as_bytes())?;
            }
            csv.write_record(None::<&[u8]>)?;
        }
        csv.flush()?;
        Ok(self.rows.len())
    }
}

impl RowSource for ExportRows {
    fn org_name(&self, org: usize) -> Option<&str> {
        Some(self.orgs.get(org)?.name.as_str())
    }

    fn account(&self, r: RowRef) -> Option<&Account> {
        self.orgs
            .get(usize::from(r.org))?
            .accounts
            .get(r.idx as usize)
    }

    fn account_mrr(&self, org: usize, id: &str) -> Option<&[AccountMrr]> {
        let list = self.orgs.get(org)?.billing.derived.account_mrr.get(id)?;
        Some(list.as_slice())
    }

    fn contract(&self, org: usize, id: &str) -> Option<String> {
        self.orgs.get(org)?.contracts.get(id).cloned()
    }
}

/// A cell as exported: as shown, except MRR, which lists every currency of the
/// account exactly (`1234.50 USD; 99.00 EUR`), without thousands separators.
fn exported(source: &ExportRows, r: RowRef, column: Column) -> String {
    if column != Column::Mrr {
        return cell(source, r, column);
    }
    let Some(account) = source.account(r) else {
        return String::new();
    };
    let Some(list) = source.account_mrr(usize::from(r.org), &account.id) else {
        return String::new();
    };
    let parts: Vec<String> = list
        .iter()
        .map(|m| format!("{} {}", money::plain(m.mrr, &m.currency), m.currency))
        .collect();
    parts.join("; ")
}

/// A file name part from a tab title: letters and digits, others as `-`.
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        match c.is_alphanumeric() {
            true => out.extend(c.to_lowercase()),
            false if !out.ends_with('-') => out.push('-'),
            false => {}
        }
    }
    out.trim_matches('-').to_owned()
}

/// `dir/stem.csv`, else `dir/stem-2.csv`, …: never replaces a file.
fn create_new(dir: &Path, stem: &str) -> std::io::Result<(PathBuf, std::fs::File)> {
    for n in 1..100 {
        let name = match n {
            1 => format!("{stem}.csv"),
            n => format!("{stem}-{n}.csv"),
        };
        let path = dir.join(name);
        match std::fs::File::create_new(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(
        "too many exports with the same name this second",
    ))
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_are_file_name_safe() {
        assert_eq!(slug("All organizations"), "all-organizations");
        assert_eq!(slug(" Acme / EU: trials "), "acme-eu-trials");
        assert_eq!(slug("Ünïcode"), "ünïcode");
    }
}
