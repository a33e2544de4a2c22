//! What the status line said, kept for the `L` overlay (notices and organization
//! errors, with their times), and the hint after a key that does nothing.

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::keys::Context;
use super::state::{App, Notice};

/// Messages kept; the oldest go first.
pub const HISTORY_LEN: usize = 200;

#[derive(Debug, Default)]
pub struct Messages {
    /// Oldest first, at most [`HISTORY_LEN`].
    history: Vec<Notice>,
    /// The history overlay and its scroll, when open.
    pub(crate) open: Option<u16>,
    /// Shown on the status line after an unbound key, until the next key.
    hint: Option<String>,
    /// Per organization, the time of the last error put in the history.
    seen_errors: Vec<Option<DateTime<Utc>>>,
}

impl Messages {
    fn push(&mut self, notice: Notice) {
        if self.history.len() >= HISTORY_LEN {
            self.history.remove(0);
        }
        self.history.push(notice);
    }
}

impl App {
    /// Shows `notice` on the status line and keeps it in the history.
    pub fn set_notice(&mut self, notice: Notice) {
        self.messages.push(notice.clone());
        self.notice = Some(notice);
        self.dirty = true;
    }

    /// Every message kept, oldest first.
    pub fn history(&self) -> &[Notice] {
        &self.messages.history
    }

    /// The history overlay's scroll, when open.
    pub fn history_open(&self) -> Option<u16> {
        self.messages.open
    }

    /// What to say about the last key, when it did nothing.
    pub fn key_hint(&self) -> Option<&str> {
        self.messages.hint.as_deref()
    }

    /// Keeps organization errors that are new since the last call.
    pub(super) fn note_org_errors(&mut self) {
        let orgs = self.store.orgs.len();
        self.messages.seen_errors.resize(orgs, None);
        for (i, org) in self.store.orgs.iter().enumerate() {
            let Some((error, at)) = &org.last_error else {
                continue;
            };
            if self.messages.seen_errors[i] == Some(*at) {
                continue;
            }
            self.messages.seen_errors[i] = Some(*at);
            let text = format!(
                "{}: {}",
                org.name,
                crate::view::without_org(&org.name, error)
            );
            self.messages.push(Notice::error(text, *at));
        }
    }

    /// A key press with no binding here: says so, and how to find the keys.
    pub(super) fn unbound_key(&mut self, key: &KeyEvent) {
        if key.kind != KeyEventKind::Press || matches!(key.code, KeyCode::Modifier(_)) {
            return;
        }
        let name = key_name(key);
        let browsing = self.contexts().contains(&Context::Browse);
        let help = if browsing {
            "? for help"
        } else {
            "Esc goes back"
        };
        self.messages.hint = Some(format!("{name}: no action here · {help}"));
        self.dirty = true;
    }

    /// A key was bound: the hint goes.
    pub(super) fn clear_key_hint(&mut self) {
        self.messages.hint = None;
    }
}

/// `x`, `Ctrl-x`, `Alt-x`, `F5`, `Insert`.
fn key_name(key: &KeyEvent) -> String {
    let mut name = String::new();
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        name.push_str("Ctrl-");
    }
    if key.modifiers.contains(KeyModifiers::ALT) {
        name.push_str("Alt-");
    }
    match key.code {
        KeyCode::Char(c) => name.push(c),
        other => name.push_str(&other.to_string()),
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names() {
        let k = |code, m| key_name(&KeyEvent::new(code, m));
        assert_eq!(k(KeyCode::Char('x'), KeyModifiers::NONE), "x");
        assert_eq!(k(KeyCode::Char('x'), KeyModifiers::CONTROL), "Ctrl-x");
        assert_eq!(k(KeyCode::F(5), KeyModifiers::NONE), "F5");
    }
}
