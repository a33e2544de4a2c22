//! `x`: the current tab's rows (its filter, statuses and sort; every row, not only those
//! on screen) written to a CSV file, with the escaping of `--format csv`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::billing::money;
use crate::plain::csv_cell;

use super::row_text::cell;
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
        let notice = match create_new(&dir, &stem) {
            Err(e) => Notice::error(format!("cannot export to {}: {e}", dir.display()), self.now),
            Ok((path, file)) => {
                let mut out = std::io::BufWriter::new(file);
                match write_csv(self, &mut out).and_then(|n| out.flush().map(|()| n)) {
                    Ok(n) => {
                        Notice::info(format!("exported {n} rows to {}", path.display()), self.now)
                    }
                    Err(e) => {
                        Notice::error(format!("cannot write {}: {e}", path.display()), self.now)
                    }
                }
            }
        };
        self.set_notice(notice);
    }
}

/// The current tab's rows as CSV: a header of column keys, then one record per row.
/// Returns the number of rows.
pub fn write_csv(app: &App, out: &mut impl Write) -> std::io::Result<usize> {
    let columns = app.listing().columns();
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(columns.iter().map(|c| c.key()))?;
    for &r in app.listing().rows() {
        for &c in columns {
            csv.write_field(csv_cell(&exported(app, r, c)).as_bytes())?;
        }
        csv.write_record(None::<&[u8]>)?;
    }
    csv.flush()?;
    Ok(app.listing().rows().len())
}

/// A cell as exported: as shown, except MRR, which lists every currency of the
/// account exactly (`1234.50 USD; 99.00 EUR`), without thousands separators.
fn exported(app: &App, r: RowRef, column: Column) -> String {
    if column != Column::Mrr {
        return cell(app, r, column);
    }
    let (Some(org), Some(account)) = (app.org(usize::from(r.org)), app.account(r)) else {
        return String::new();
    };
    let Some(list) = org.billing.derived.account_mrr.get(account.id.as_str()) else {
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
