//! The key table: which key does what in which context. The key handler and the help
//! overlay both read [`BINDINGS`], so the help cannot drift from the behaviour.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::InputRequest;

/// What the user asked for; [`crate::app::App::update`] carries it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    ToggleHelp,
    NextTab,
    PrevTab,
    /// Tab by position (0-based).
    JumpTab(usize),
    OpenPicker,
    Refresh,
    RefreshAll,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter: open the account, keep the filter, pick the organization.
    Confirm,
    /// Esc: close, clear the filter, or go back one level. Never quits.
    Back,
    OpenFilter,
    CycleStatus,
    StatusLeft,
    StatusRight,
    ToggleStatus,
    SortNext,
    SortPrev,
    SortFlip,
    /// A character typed into the prompt or the picker.
    Input(char),
    /// A text field's cursor move or edit (filter prompts, trial form).
    Edit(InputRequest),
    DeleteChar,
    ClearInput,
    /// `n`: the trial form for the current organization.
    OpenTrialForm,
    /// `e`: the events timeline (and back).
    ToggleEvents,
    /// `b`: the Billing view of the current tab.
    OpenBilling,
    /// Billing view: the charts' previous / next month.
    PrevMonth,
    NextMonth,
    /// Billing view: the charts' next currency.
    NextCurrency,
    /// Form: the next / previous field.
    NextField,
    PrevField,
    /// Form: Enter (next field; on Submit, the confirmation step).
    FormEnter,
    /// Form: to the confirmation step from any field.
    Submit,
    /// Form: Space (ticks the agreement when it has the focus; a space elsewhere).
    Space,
    /// Form `→`: take the currency suggestion, next edition, or cursor right.
    Complete,
    /// Form `←`: previous edition, or cursor left.
    PrevChoice,
    /// Form: highlight the next / previous currency suggestion.
    SuggestNext,
    SuggestPrev,
    /// Confirmation step: send the request.
    Send,
    /// `L`: the message history (and back).
    ToggleHistory,
    /// `O`: the selected account in the browser.
    OpenInBrowser,
    /// `y`: the selected account's id to the clipboard.
    CopyId,
    /// `Y`: the selected row, tab-separated, to the clipboard.
    CopyRow,
    /// `a` in the account view: the contract action form.
    OpenActionForm,
    /// Action form: the previous (-1) or next (1) type.
    Cycle(i8),
    /// `x`: the tab's rows to a CSV file.
    Export,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Everywhere.
    Any,
    /// The accounts table and the account view.
    Browse,
    Table,
    Account,
    /// The `/` filter prompt.
    Filter,
    /// The organization picker.
    Picker,
    /// The help overlay.
    Help,
    /// The trial form.
    Form,
    /// A text field being typed into (the filter prompts, the trial form's fields).
    Text,
    /// The trial form's confirmation step.
    Confirm,
    /// The events timeline.
    Events,
    /// The Billing view.
    Billing,
    /// The message history overlay.
    History,
    /// The contract action form.
    ActionForm,
    /// The contract action form's confirmation step.
    ActionConfirm,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Any => "Everywhere",
            Context::Browse => "Table, account, events and billing views",
            Context::Table => "Accounts table",
            Context::Account => "Account view",
            Context::Filter => "Filter prompt",
            Context::Picker => "Organization picker",
            Context::Help => "Help",
            Context::Form => "Trial form",
            Context::Text => "Text fields (filter, trial form)",
            Context::Confirm => "Trial confirmation",
            Context::Events => "Events view",
            Context::Billing => "Billing view",
            Context::History => "Message history",
            Context::ActionForm => "Contract action form",
            Context::ActionConfirm => "Contract action confirmation",
        }
    }
}

/// A key pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A character, any Shift state (no Ctrl or Alt).
    Char(char),
    Ctrl(char),
    /// A character with Alt (Meta), e.g. `Alt-b`.
    Alt(char),
    Code(KeyCode),
    /// A key code with Ctrl, e.g. `Ctrl-←`.
    CtrlCode(KeyCode),
    /// A key code with Alt, e.g. `Alt-Backspace`.
    AltCode(KeyCode),
    /// `1`–`9`: the action gets the digit.
    Digit,
    /// Any printable character: the action gets it.
    Text,
}

pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    /// How the keys are written in the help.
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
}

const fn b(
    context: Context,
    keys: &'static [Key],
    label: &'static str,
    action: Action,
    help: &'static str,
) -> Binding {
    Binding {
        context,
        keys,
        label,
        action,
        help,
    }
}

use Action as A;
use Context as C;
use InputRequest as E;
use Key::{Alt, AltCode, Char, Code, Ctrl, CtrlCode};

/// Every binding, in the order the help shows them.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    b(C::Any, &[Ctrl('c')], "Ctrl-C", A::Quit, "quit"),
    b(C::Help, &[Code(KeyCode::Esc), Char('?'), Char('q')], "Esc ? q", A::ToggleHelp, "close the help"),
    b(C::Help, &[Code(KeyCode::Up), Char('k')], "↑ k", A::Up, "scroll up"),
    b(C::Help, &[Code(KeyCode::Down), Char('j')], "↓ j", A::Down, "scroll down"),
    b(C::History, &[Code(KeyCode::Esc), Char('L'), Char('q')], "Esc L q", A::ToggleHistory, "close the history"),
    b(C::History, &[Code(KeyCode::Up), Char('k')], "↑ k", A::Up, "scroll up (newer)"),
    b(C::History, &[Code(KeyCode::Down), Char('j')], "↓ j", A::Down, "scroll down (older)"),
    b(C::Browse, &[Char('q')], "q", A::Quit, "quit"),
    b(C::Browse, &[Char('?')], "?", A::ToggleHelp, "this help"),
    b(C::Browse, &[Char(']'), Code(KeyCode::Tab)], "] Tab", A::NextTab, "next organization tab"),
    b(C::Browse, &[Char('['), Code(KeyCode::BackTab)], "[ Shift-Tab", A::PrevTab, "previous organization tab"),
    b(C::Browse, &[Key::Digit], "1-9", A::JumpTab(0), "jump to tab N"),
    b(C::Browse, &[Char('o')], "o", A::OpenPicker, "pick an organization (fuzzy search)"),
    b(C::Browse, &[Char('r')], "r", A::Refresh, "refresh this organization (All tab: all)"),
    b(C::Browse, &[Char('R')], "R", A::RefreshAll, "refresh every organization"),
    b(C::Browse, &[Char('e')], "e", A::ToggleEvents, "trial events timeline"),
    b(C::Browse, &[Char('b')], "b", A::OpenBilling, "billing of this tab (All tab: merged per currency)"),
    b(C::Browse, &[Char('L')], "L", A::ToggleHistory, "message history: status-line messages and errors, with times"),
    b(C::Browse, &[Code(KeyCode::Up), Char('k')], "↑ k", A::Up, "up"),
    b(C::Browse, &[Code(KeyCode::Down), Char('j')], "↓ j", A::Down, "down"),
    b(C::Browse, &[Code(KeyCode::PageUp), Ctrl('b')], "PgUp Ctrl-B", A::PageUp, "page up"),
    b(C::Browse, &[Code(KeyCode::PageDown), Ctrl('f')], "PgDn Ctrl-F", A::PageDown, "page down"),
    b(C::Browse, &[Code(KeyCode::Home), Char('g')], "Home g", A::Top, "first row"),
    b(C::Browse, &[Code(KeyCode::End), Char('G')], "End G", A::Bottom, "last row"),
    b(C::Table, &[Code(KeyCode::Enter)], "Enter", A::Confirm, "open the account"),
    b(C::Table, &[Code(KeyCode::Esc)], "Esc", A::Back, "clear the filters (never quits)"),
    b(C::Table, &[Char('/')], "/", A::OpenFilter, "filter by name, company, id (fuzzy)"),
    b(C::Table, &[Char('s')], "s", A::CycleStatus, "show one status at a time, then all"),
    b(C::Table, &[Code(KeyCode::Left), Char('h')], "← h", A::StatusLeft, "move the status bar cursor left"),
    b(C::Table, &[Code(KeyCode::Right), Char('l')], "→ l", A::StatusRight, "move the status bar cursor right"),
    b(C::Table, &[Char('t'), Char(' ')], "t Space", A::ToggleStatus, "add/remove the status under the cursor"),
    b(C::Table, &[Char('>')], ">", A::SortNext, "sort by the next column"),
    b(C::Table, &[Char('<')], "<", A::SortPrev, "sort by the previous column"),
    b(C::Table, &[Char('S')], "S", A::SortFlip, "flip the sort direction"),
    b(C::Table, &[Char('O')], "O", A::OpenInBrowser, "open the account in the browser (account_url)"),
    b(C::Table, &[Char('y')], "y", A::CopyId, "copy the account id (OSC 52 clipboard)"),
    b(C::Table, &[Char('Y')], "Y", A::CopyRow, "copy the row, tab-separated (OSC 52 clipboard)"),
    b(C::Table, &[Char('x')], "x", A::Export, "export the tab's rows (filter, statuses, sort) to CSV"),
    b(C::Table, &[Char('n')], "n", A::OpenTrialForm, "new trial in this organization (All tab: the row's)"),
    b(C::Account, &[Code(KeyCode::Esc), Code(KeyCode::Backspace)], "Esc Backspace", A::Back, "back to where it was opened (table, Billing or events view)"),
    b(C::Account, &[Char('a')], "a", A::OpenActionForm, "new contract action: subscribe, amend or cancel"),
    b(C::Account, &[Char('O')], "O", A::OpenInBrowser, "open the account in the browser (account_url)"),
    b(C::Account, &[Char('y')], "y", A::CopyId, "copy the account id (OSC 52 clipboard)"),
    b(C::Account, &[Char('Y')], "Y", A::CopyRow, "copy the account's row, tab-separated (OSC 52 clipboard)"),
    b(C::Filter, &[Code(KeyCode::Enter)], "Enter", A::Confirm, "keep the filter, back to the list"),
    b(C::Filter, &[Code(KeyCode::Esc)], "Esc", A::Back, "clear the filter and close"),
    b(C::Filter, &[Code(KeyCode::Up)], "↑", A::Up, "move the selection up"),
    b(C::Filter, &[Code(KeyCode::Down)], "↓", A::Down, "move the selection down"),
    b(C::Filter, &[Key::Text], "text", A::Input(' '), "narrows the rows as you type (matches highlighted)"),
    b(C::Picker, &[Code(KeyCode::Enter)], "Enter", A::Confirm, "open the organization"),
    b(C::Picker, &[Code(KeyCode::Esc)], "Esc", A::Back, "close"),
    b(C::Picker, &[Code(KeyCode::Up)], "↑", A::Up, "up"),
    b(C::Picker, &[Code(KeyCode::Down)], "↓", A::Down, "down"),
    b(C::Picker, &[Code(KeyCode::Backspace)], "Backspace", A::DeleteChar, "delete a character"),
    b(C::Picker, &[Key::Text], "text", A::Input(' '), "fuzzy search"),
    b(C::Form, &[Code(KeyCode::Tab), Code(KeyCode::Down)], "Tab ↓", A::NextField, "next field"),
    b(C::Form, &[Code(KeyCode::BackTab), Code(KeyCode::Up)], "Shift-Tab ↑", A::PrevField, "previous field"),
    b(C::Form, &[Code(KeyCode::Enter)], "Enter", A::FormEnter, "next field; on Submit, review the request"),
    b(C::Form, &[Ctrl('s')], "Ctrl-S", A::Submit, "review the request (from any field)"),
    b(C::Form, &[Char(' ')], "Space", A::Space, "tick/untick the Trial Agreement (when focused)"),
    b(C::Form, &[Code(KeyCode::Right)], "→", A::Complete, "currency at the end of the text: take the suggestion; edition: next value; else cursor right"),
    b(C::Form, &[Code(KeyCode::Left)], "←", A::PrevChoice, "edition: previous value; else cursor left"),
    b(C::Form, &[Ctrl('n')], "Ctrl-N", A::SuggestNext, "currency: next suggestion; edition: next value"),
    b(C::Form, &[Ctrl('p')], "Ctrl-P", A::SuggestPrev, "currency: previous suggestion; edition: previous value"),
    b(C::Form, &[Code(KeyCode::Esc)], "Esc", A::Back, "close (the draft is kept: n reopens it)"),
    b(C::Form, &[Key::Text], "text", A::Input(' '), "types into the field (checked as you type)"),
    b(C::Text, &[Code(KeyCode::Left)], "←", A::Edit(E::GoToPrevChar), "cursor left"),
    b(C::Text, &[Code(KeyCode::Right)], "→", A::Edit(E::GoToNextChar), "cursor right"),
    b(C::Text, &[Code(KeyCode::Home), Ctrl('a')], "Home Ctrl-A", A::Edit(E::GoToStart), "cursor to the start"),
    b(C::Text, &[Code(KeyCode::End), Ctrl('e')], "End Ctrl-E", A::Edit(E::GoToEnd), "cursor to the end"),
    b(C::Text, &[Alt('b'), CtrlCode(KeyCode::Left)], "Alt-B Ctrl-←", A::Edit(E::GoToPrevWord), "previous word"),
    b(C::Text, &[Alt('f'), CtrlCode(KeyCode::Right)], "Alt-F Ctrl-→", A::Edit(E::GoToNextWord), "next word"),
    b(C::Text, &[Code(KeyCode::Backspace)], "Backspace", A::Edit(E::DeletePrevChar), "delete the character before the cursor"),
    b(C::Text, &[Code(KeyCode::Delete)], "Delete", A::Edit(E::DeleteNextChar), "delete the character at the cursor"),
    b(C::Text, &[Ctrl('w'), AltCode(KeyCode::Backspace)], "Ctrl-W Alt-Backspace", A::Edit(E::DeletePrevWord), "delete the word before the cursor"),
    b(C::Text, &[Ctrl('k')], "Ctrl-K", A::Edit(E::DeleteTillEnd), "delete to the end"),
    b(C::Text, &[Ctrl('u')], "Ctrl-U", A::Edit(E::DeleteLine), "clear the text"),
    b(C::Text, &[Key::Text], "text, paste", A::Input(' '), "type or paste at the cursor"),
    b(C::Confirm, &[Code(KeyCode::Enter), Char('y')], "Enter y", A::Send, "send the request (once)"),
    b(C::Confirm, &[Code(KeyCode::Esc), Char('n')], "Esc n", A::Back, "back to the form"),
    b(C::ActionForm, &[Code(KeyCode::Tab), Code(KeyCode::Down)], "Tab ↓", A::NextField, "next field"),
    b(C::ActionForm, &[Code(KeyCode::BackTab), Code(KeyCode::Up)], "Shift-Tab ↑", A::PrevField, "previous field"),
    b(C::ActionForm, &[Code(KeyCode::Left)], "←", A::Cycle(-1), "type: previous (New subscription, Amendment, Cancellation)"),
    b(C::ActionForm, &[Code(KeyCode::Right)], "→", A::Cycle(1), "type: next"),
    b(C::ActionForm, &[Code(KeyCode::Enter)], "Enter", A::FormEnter, "next field; on Submit, review the request"),
    b(C::ActionForm, &[Ctrl('s')], "Ctrl-S", A::Submit, "review the request (from any field)"),
    b(C::ActionForm, &[Code(KeyCode::Backspace)], "Backspace", A::DeleteChar, "quantity: delete a digit"),
    b(C::ActionForm, &[Ctrl('u')], "Ctrl-U", A::ClearInput, "quantity: clear"),
    b(C::ActionForm, &[Code(KeyCode::Esc)], "Esc", A::Back, "close, back to the account"),
    b(C::ActionForm, &[Key::Text], "text", A::Input(' '), "quantity: licences, 1 to 10,000 (a cancellation may leave it empty)"),
    b(C::ActionConfirm, &[Code(KeyCode::Enter), Char('y')], "Enter y", A::Send, "send the request (once)"),
    b(C::ActionConfirm, &[Code(KeyCode::Esc), Char('n')], "Esc n", A::Back, "back to the form"),
    b(C::Events, &[Code(KeyCode::Esc)], "Esc", A::Back, "clear the filter, else back to the table"),
    b(C::Events, &[Code(KeyCode::Enter)], "Enter", A::Confirm, "open the event's account (on its organization's tab; Esc comes back)"),
    b(C::Events, &[Char('/')], "/", A::OpenFilter, "filter by type, organization, account, reason"),
    b(C::Billing, &[Code(KeyCode::Esc), Char('b'), Char('q')], "Esc b q", A::Back, "back to the table"),
    b(C::Billing, &[Code(KeyCode::Up), Char('k')], "↑ k", A::Up, "top accounts: select the one above"),
    b(C::Billing, &[Code(KeyCode::Down), Char('j')], "↓ j", A::Down, "top accounts: select the one below"),
    b(C::Billing, &[Code(KeyCode::Enter)], "Enter", A::Confirm, "open the selected top account (Esc comes back)"),
    b(C::Billing, &[Code(KeyCode::Left), Char('h')], "← h", A::PrevMonth, "charts: previous month"),
    b(C::Billing, &[Code(KeyCode::Right), Char('l')], "→ l", A::NextMonth, "charts: next month"),
    b(C::Billing, &[Char('c')], "c", A::NextCurrency, "charts: next currency"),
];

/// The key table as Markdown (context, keys, what they do), e.g. for the README.
pub fn markdown_table() -> String {
    let mut out = String::from("| Where | Keys | What |\n|---|---|---|\n");
    for b in BINDINGS {
        out.push_str(&format!(
            "| {} | `{}` | {} |\n",
            b.context.title(),
            b.label.replace('|', "\\|"),
            b.help
        ));
    }
    out
}

/// The action of `key` in the first matching context of `contexts`; `None` for key
/// releases and repeats' siblings (only presses act) and unbound keys.
pub fn action_for(contexts: &[Context], key: &KeyEvent) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    contexts.iter().find_map(|ctx| {
        BINDINGS
            .iter()
            .filter(|b| b.context == *ctx)
            .find_map(|b| b.keys.iter().find_map(|k| matches(*k, key, b.action)))
    })
}

fn matches(pattern: Key, key: &KeyEvent, action: Action) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    let plain_char = |c: char| key.code == KeyCode::Char(c) && !ctrl && !alt;
    match pattern {
        Key::Char(c) if plain_char(c) => Some(action),
        Key::Ctrl(c) if ctrl && key.code == KeyCode::Char(c) => Some(action),
        Key::Alt(c) if alt && !ctrl && key.code == KeyCode::Char(c) => Some(action),
        Key::Code(code) if key.code == code && !ctrl && !alt => Some(action),
        Key::CtrlCode(code) if key.code == code && ctrl && !alt => Some(action),
        Key::AltCode(code) if key.code == code && alt && !ctrl => Some(action),
        Key::Digit => match key.code {
            KeyCode::Char(c @ '1'..='9') if !ctrl && !alt => {
                Some(Action::JumpTab(c as usize - '1' as usize))
            }
            _ => None,
        },
        Key::Text => match key.code {
            KeyCode::Char(c) if !ctrl && !alt && !c.is_control() => Some(Action::Input(c)),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    fn table(code: KeyCode) -> Option<Action> {
        action_for(
            &[C::Table, C::Browse, C::Any],
            &press(code, KeyModifiers::NONE),
        )
    }

    #[test]
    fn table_keys() {
        assert_eq!(table(KeyCode::Char('q')), Some(A::Quit));
        assert_eq!(table(KeyCode::Char('3')), Some(A::JumpTab(2)));
        assert_eq!(table(KeyCode::Char('0')), None);
        assert_eq!(table(KeyCode::BackTab), Some(A::PrevTab));
        assert_eq!(table(KeyCode::Esc), Some(A::Back));
        assert_eq!(table(KeyCode::Char('/')), Some(A::OpenFilter));
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(&[C::Table, C::Any], &ctrl_c), Some(A::Quit));
        assert_eq!(action_for(&[C::Filter, C::Any], &ctrl_c), Some(A::Quit));
    }

    #[test]
    fn prompt_takes_text_including_letters_bound_elsewhere() {
        let ctx = [C::Filter, C::Any];
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(action_for(&ctx, &q), Some(A::Input('q')));
        let shifted = press(KeyCode::Char('Ü'), KeyModifiers::SHIFT);
        assert_eq!(action_for(&ctx, &shifted), Some(A::Input('Ü')));
        let esc = press(KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(action_for(&ctx, &esc), Some(A::Back));
    }

    #[test]
    fn only_presses_act() {
        let mut release = press(KeyCode::Char('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(action_for(&[C::Browse], &release), None);
        let mut repeat = release;
        repeat.kind = KeyEventKind::Repeat;
        assert_eq!(action_for(&[C::Browse], &repeat), None);
    }

    #[test]
    fn markdown_lists_every_binding() {
        let md = markdown_table();
        assert_eq!(md.lines().count(), BINDINGS.len() + 2);
        assert!(md.contains("| Accounts table | `/` | filter by name, company, id (fuzzy) |"));
    }

    #[test]
    fn every_binding_is_documented() {
        for b in BINDINGS {
            assert!(!b.label.is_empty() && !b.help.is_empty());
            assert!(!b.keys.is_empty());
        }
    }
}
