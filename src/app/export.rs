//! Taking data elsewhere: `y` copies the selected account's id and `Y` its row (TSV) to
//! the clipboard through OSC 52 (crossterm's, written to the terminal by the loop: it
//! works over SSH, and in tmux with `set-clipboard on`); `x` writes the current listing
//! (filter, statuses and sort of the tab, every row) to a CSV file, escaped like
//! `tdbi accounts --format csv`.

use std::path::{Path, PathBuf};

use ratatui::crossterm::Command;
use ratatui::crossterm::clipboard::CopyToClipboard;

use crate::cli::accounts::AccountRecord;
use crate::cli::{Format, output};

use super::listing::RowRef;
use super::state::{App, Mode, Notice};

/// The OSC 52 sequence that puts `text` on the system clipboard.
pub fn osc52(text: &str) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = CopyToClipboard::to_clipboard_from(text).write_ansi(&mut out);
    out
}

/// `DIR/BASE.csv`, else `DIR/BASE-2.csv`, … : a new file, never one replaced.
fn create_new(dir: &Path, base: &str) -> std::io::Result<(PathBuf, std::fs::File)> {
    let mut n = 1;
    loop {
        let name = match n {
            1 => format!("{base}.csv"),
            n => format!("{base}-{n}.csv"),
        };
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(e),
        }
    }
}

/// A cell of a TSV line: tabs and line breaks become spaces.
fn tsv_cell(text: &str) -> String {
    text.chars()
        .map(|c| if c == '\t' || c.is_control() { ' ' } else { c })
        .collect()
}

impl App {
    /// The account under the cursor: the open account, else the table's selection.
    fn copy_target(&self) -> Option<(usize, String)> {
        match &self.mode {
            Mode::Account(view) => Some((view.org, view.id.clone())),
            _ => self
                .listing()
                .selected_id()
                .map(|(org, id)| (org, id.to_owned())),
        }
    }

    fn record(&self, row: RowRef) -> Option<AccountRecord<'_>> {
        let org = self.store.orgs.get(usize::from(row.org))?;
        let a = org.accounts.get(row.idx as usize)?;
        Some(AccountRecord {
            organization: &org.name,
            id: &a.id,
            name: &a.name,
            company_name: a.company_name.get(),
            status: a.status.as_str(),
        })
    }

    /// `y` (id) or `Y` (organization, id, name, company, status as TSV).
    pub(super) fn copy(&mut self, whole_row: bool) {
        let Some((org, id)) = self.copy_target() else {
            self.set_notice(Notice::error("No account to copy".to_owned(), self.now));
            return;
        };
        let (text, what) = if whole_row {
            let row = self
                .store
                .orgs
                .get(org)
                .and_then(|o| o.by_id.get(&id).map(|&idx| (o, idx)))
                .and_then(|(_, idx)| {
                    self.record(RowRef {
                        org: org as u16,
                        idx: idx as u32,
                    })
                })
                .map(|r| {
                    [
                        r.organization,
                        r.id,
                        r.name,
                        r.company_name.unwrap_or_default(),
                        r.status,
                    ]
                    .map(tsv_cell)
                    .join("\t")
                });
            (row.unwrap_or_else(|| id.clone()), "row")
        } else {
            (id.clone(), "id")
        };
        self.terminal_out.push(osc52(&text));
        self.set_notice(Notice::info(
            format!("Copied the {what} of {id} to the clipboard (OSC 52)"),
            self.now,
        ));
    }

    /// `x`: the current listing to a new CSV file in `dir`; the status line shows the path.
    pub(super) fn export(&mut self, dir: &Path) {
        let notice = match self.export_to(dir) {
            Ok((path, rows)) => Notice::info(
                format!("Exported {rows} row(s) to {}", path.display()),
                self.now,
            ),
            Err(e) => Notice::error(format!("Export failed: {e}"), self.now),
        };
        self.set_notice(notice);
    }

    /// Writes every row of the current tab's listing, in its order; returns the file
    /// and the number of rows.
    pub fn export_to(&mut self, dir: &Path) -> std::io::Result<(PathBuf, usize)> {
        self.refresh();
        let tab = self.tab_names().get(self.tab).cloned().unwrap_or_default();
        let slug: String = tab
            .chars()
            .map(|c| {
                if c.is_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let stamp = self.now.format("%Y%m%d-%H%M%S");
        let base = format!("tdbi-{}-{stamp}", slug.trim_matches('-'));
        let records: Vec<AccountRecord<'_>> = self
            .listing()
            .rows()
            .iter()
            .filter_map(|row| self.record(*row))
            .collect();
        let (path, file) = create_new(dir, &base)?;
        let mut out = std::io::BufWriter::new(file);
        output::write(&mut out, Format::Csv, &records)?;
        std::io::Write::flush(&mut out)?;
        Ok((path, records.len()))
    }

    /// Escape sequences for the terminal (the clipboard), written by the loop.
    pub fn take_terminal_output(&mut self) -> Vec<String> {
        std::mem::take(&mut self.terminal_out)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::app::testdata::{account, store};
    use crate::view::Theme;

    #[test]
    fn osc52_is_the_base64_payload_for_the_clipboard() {
        assert_eq!(osc52("5ea75fe7"), "\x1b]52;c;NWVhNzVmZTc=\x1b\\");
    }

    fn app() -> App {
        let accounts = vec![
            account("a1", "alpha", "Alpha, \"Inc\"", "ACTIVE"),
            account("a2", "bravo", "Bravo\tLtd", "IN_TRIAL"),
            account("a3", "alphorn", "=cmd()", "ACTIVE"),
        ];
        let (tx, _rx) = mpsc::channel();
        App::new(
            store(vec![("Acme EU", accounts)]),
            Theme::default(),
            Box::new(tx),
        )
    }

    fn key(app: &mut App, c: char) {
        app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }

    #[test]
    fn copy_sends_the_id_or_the_row_and_says_so() {
        let mut app = app();
        while app.listing().selected_id().map(|(_, id)| id) != Some("a2") {
            key(&mut app, 'j');
        }
        key(&mut app, 'y');
        assert_eq!(app.take_terminal_output(), [osc52("a2")]);
        assert!(
            app.notice
                .as_ref()
                .is_some_and(|n| n.text.contains("Copied the id of a2"))
        );
        key(&mut app, 'Y');
        assert_eq!(
            app.take_terminal_output(),
            [osc52("Acme EU\ta2\tbravo\tBravo Ltd\tIN_TRIAL")]
        );
    }

    #[test]
    fn export_writes_the_filtered_rows_escaped_like_format_csv() {
        let mut app = app();
        key(&mut app, '/');
        for c in "alph".chars() {
            key(&mut app, c);
        }
        app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        let dir = tempfile::tempdir().unwrap();
        let (path, rows) = app.export_to(dir.path()).unwrap();
        assert_eq!(rows, 2);
        assert!(
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("tdbi-acme-eu-")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let mut expected = Vec::new();
        let records: Vec<AccountRecord<'_>> = ["a1", "a3"]
            .iter()
            .map(|id| AccountRecord {
                organization: "Acme EU",
                id,
                name: if *id == "a1" { "alpha" } else { "alphorn" },
                company_name: Some(if *id == "a1" {
                    "Alpha, \"Inc\""
                } else {
                    "=cmd()"
                }),
                status: "ACTIVE",
            })
            .collect();
        output::write(&mut expected, Format::Csv, &records).unwrap();
        assert_eq!(text, String::from_utf8(expected).unwrap());
        assert!(
            text.starts_with("organization,id,name,company_name,status\n"),
            "{text}"
        );
        assert!(text.contains("\"Alpha, \"\"Inc\"\"\""), "{text}");
        assert!(!text.contains("bravo"), "filtered out: {text}");
        assert!(!text.contains(",=cmd()"), "a formula is defused: {text}");
        let (again, _) = app.export_to(dir.path()).unwrap();
        assert_ne!(
            again, path,
            "a second export in the same second gets its own file"
        );
    }
}
