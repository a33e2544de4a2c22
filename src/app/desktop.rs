//! What leaves the terminal: `O` opens an account in the browser, `y` / `Y` copy to the
//! clipboard through OSC 52 (works over SSH, and in tmux with `set-clipboard on`).

use std::io::Write;

use crossterm::Command;
use crossterm::clipboard::CopyToClipboard;

use crate::config::AccountUrl;

use super::{App, Mode, Notice};

/// The browser and the clipboard; replaced in tests.
pub trait Desktop: Send {
    fn open(&mut self, url: &str) -> std::io::Result<()>;
    fn copy(&mut self, text: &str) -> std::io::Result<()>;
}

/// The platform's opener (`xdg-open`, `open`, `start`, detached) and OSC 52 on stdout.
pub struct SystemDesktop;

impl Desktop for SystemDesktop {
    fn open(&mut self, url: &str) -> std::io::Result<()> {
        open::that_detached(url)
    }

    fn copy(&mut self, text: &str) -> std::io::Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(osc52(text).as_bytes())?;
        out.flush()
    }
}

/// The OSC 52 sequence that sets the system clipboard to `text` (base64 inside).
pub fn osc52(text: &str) -> String {
    let mut out = String::new();
    // writing into a String cannot fail
    let _ = CopyToClipboard::to_clipboard_from(text.as_bytes()).write_ansi(&mut out);
    out
}

impl App {
    /// Each organization's URL template, in configuration order.
    pub fn set_account_urls(&mut self, urls: Vec<AccountUrl>) {
        self.account_urls = urls;
    }

    pub fn set_desktop(&mut self, desktop: Box<dyn Desktop>) {
        self.desktop = Some(desktop);
    }

    /// The account under the cursor: the account view's, else the selected row's.
    fn target_account(&self) -> Option<(usize, String)> {
        match &self.mode {
            Mode::Account(view) => Some((view.org, view.id.clone())),
            _ => self
                .listing()
                .selected_id()
                .map(|(org, id)| (org, id.to_owned())),
        }
    }

    pub(super) fn open_in_browser(&mut self) {
        let Some((org, id)) = self.target_account() else {
            return self.set_notice(Notice::error(
                "no account selected to open".into(),
                self.now,
            ));
        };
        let name = self
            .org(org)
            .and_then(|o| o.account(&id))
            .map(|a| a.name.clone());
        let text = match (self.account_urls.get(org), name) {
            (None, _) => Err("no account URL is configured for this organization".into()),
            (_, None) => Err(format!("account {id} is not listed (any more)")),
            (Some(template), Some(name)) => match template.fill(&name, &id) {
                Err(e) => Err(format!("cannot open account {id}: {e}")),
                Ok(url) => match self.desktop.as_mut().map(|d| d.open(url.as_str())) {
                    Some(Ok(())) => Ok(format!("opened {url}")),
                    Some(Err(e)) => Err(format!("cannot open {url}: {e}")),
                    None => Err(format!("no browser here; the URL is {url}")),
                },
            },
        };
        self.report(text);
    }

    /// `y`: the account's id; `Y`: its row as the table shows it, tab-separated.
    pub(super) fn copy_account(&mut self, whole_row: bool) {
        let Some((org, id)) = self.target_account() else {
            return self.set_notice(Notice::error(
                "no account selected to copy".into(),
                self.now,
            ));
        };
        let (text, what) = match whole_row {
            false => (id.clone(), format!("account id {id}")),
            true => {
                let Some(row) = self.row_of(org, &id) else {
                    return self.report(Err(format!("account {id} is not listed (any more)")));
                };
                let cells: Vec<String> = self
                    .listing()
                    .columns()
                    .iter()
                    .map(|c| super::row_text::cell(self, row, *c).replace('\t', " "))
                    .collect();
                (
                    cells.join("\t"),
                    format!("the row of {id} ({} cells, TSV)", cells.len()),
                )
            }
        };
        let result = match self.desktop.as_mut().map(|d| d.copy(&text)) {
            Some(Ok(())) => Ok(format!("copied {what} to the clipboard (OSC 52)")),
            Some(Err(e)) => Err(format!("cannot copy to the clipboard: {e}")),
            None => Err("no clipboard here".to_owned()),
        };
        self.report(result);
    }

    pub(super) fn report(&mut self, result: Result<String, String>) {
        let notice = match result {
            Ok(text) => Notice::info(text, self.now),
            Err(text) => Notice::error(text, self.now),
        };
        self.set_notice(notice);
    }
}
