//! Everyday use, driven by keys, paste and mouse over hand-built stores: text inputs
//! with a cursor, the events view (selection, filter, Enter), match highlighting,
//! steady column widths, the new trial selected, the currency from the region.

use std::sync::mpsc;
use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::style::Modifier;

use super::testdata::{account, at, event, store};
use super::*;
use crate::config::Region;
use crate::store::{Store, Update};
use crate::sync::SyncCommand;
use crate::view::Theme;

struct Harness {
    app: App,
    term: Terminal<TestBackend>,
    commands: mpsc::Receiver<(usize, SyncCommand)>,
}

impl Harness {
    fn new(store: Store) -> Self {
        let (tx, rx) = mpsc::channel();
        let mut app = App::new(store, Theme::default(), Box::new(tx));
        app.tick(at(12));
        Harness {
            app,
            term: Terminal::new(TestBackend::new(120, 30)).unwrap_or_else(|e| panic!("{e}")),
            commands: rx,
        }
    }

    fn key(&mut self, code: KeyCode) {
        self.app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    }

    fn ctrl(&mut self, c: char) {
        self.app
            .handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    }

    fn keys(&mut self, text: &str) {
        text.chars().for_each(|c| self.key(KeyCode::Char(c)));
    }

    fn screen(&mut self) -> String {
        self.app
            .draw(&mut self.term)
            .unwrap_or_else(|e| panic!("{e}"));
        crate::app::driver::buffer_text(self.term.backend().buffer())
    }

    fn cursor(&mut self) -> (u16, u16) {
        let p = self
            .term
            .get_cursor_position()
            .unwrap_or_else(|e| panic!("{e}"));
        (p.x, p.y)
    }

    fn opened(&self) -> Vec<String> {
        self.commands
            .try_iter()
            .filter_map(|(_, c)| match c {
                SyncCommand::OpenAccount { account_id } => Some(account_id),
                _ => None,
            })
            .collect()
    }
}

fn two_orgs() -> Store {
    store(vec![
        (
            "Acme EU",
            vec![
                account("a1", "alpha", "Acme Corp", "ACTIVE"),
                account("a2", "bravo", "Bravo Ltd", "IN_TRIAL"),
            ],
        ),
        (
            "Globex US",
            vec![
                account("g1", "golf", "Globex Inc", "IN_TRIAL"),
                account("g2", "hotel", "Hotel Group", "TRIAL_LOST"),
            ],
        ),
    ])
}

fn with_events(mut store: Store) -> Store {
    for (i, (kind, id)) in [
        ("app.trial_started", "a2"),
        ("app.trial_started", "g1"),
        ("app.trial_extended", "g1"),
        ("app.trial_started", "ghost"),
    ]
    .into_iter()
    .enumerate()
    {
        store.apply(Update::Event(Box::new(event(
            &format!("ev{i}"),
            kind,
            id,
            i as i64,
        ))));
    }
    store
}

fn line_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen.lines().find(|l| l.contains(needle)).unwrap_or("")
}

/// The screen column of `needle` in `line` (every char there is one column wide).
fn column(line: &str, needle: &str) -> u16 {
    line.find(needle).map_or(0, |i| line[..i].chars().count()) as u16
}

#[test]
fn filter_prompt_edits_at_the_cursor_and_takes_a_paste() {
    let mut h = Harness::new(two_orgs());
    h.key(KeyCode::Char('/'));
    h.keys("ravo");
    h.key(KeyCode::Home);
    h.keys("b");
    assert_eq!(h.app.listing().query(), "bravo");
    let s = h.screen();
    assert!(s.contains("/ bravo"), "{s}");
    // the cursor sits after the `b` typed at the start
    let prompt_row = s
        .lines()
        .position(|l| l.starts_with("/ bravo"))
        .unwrap_or(0) as u16;
    assert_eq!(h.cursor(), (3, prompt_row));
    h.ctrl('e');
    h.ctrl('w');
    assert_eq!(h.app.listing().query(), "");
    h.app.handle_event(Event::Paste("golf\nhotel".to_owned()));
    assert_eq!(h.app.listing().query(), "golf hotel");
    h.ctrl('u');
    h.app.handle_event(Event::Paste("glf".to_owned()));
    assert_eq!(h.app.listing().rows().len(), 0, "the first tab has no glf");
    h.key(KeyCode::Esc);
    assert_eq!(h.app.listing().query(), "");
}

#[test]
fn matched_characters_are_marked_and_widths_stay_put() {
    let mut h = Harness::new(two_orgs());
    h.key(KeyCode::Char(']'));
    h.key(KeyCode::Char(']'));
    let s = h.screen();
    let header = line_with(&s, "NAME").to_owned();
    h.key(KeyCode::Char('/'));
    h.keys("htl");
    let s = h.screen();
    assert_eq!(line_with(&s, "NAME"), header, "column widths moved:\n{s}");
    let row = s.lines().position(|l| l.contains("hotel")).unwrap_or(0) as u16;
    let x = column(line_with(&s, "hotel"), "hotel");
    let buf = h.term.backend().buffer().clone();
    let marked = |dx: u16| {
        buf[(x + dx, row)]
            .style()
            .add_modifier
            .contains(Modifier::UNDERLINED)
    };
    // h, t and l of "hotel" are marked, o and e are not
    assert_eq!(
        (0..5).map(marked).collect::<Vec<_>>(),
        vec![true, false, true, false, true],
        "{s}"
    );
}

#[test]
fn events_follow_the_tab_select_filter_and_open() {
    let mut h = Harness::new(with_events(two_orgs()));
    h.key(KeyCode::Char('e'));
    let s = h.screen();
    assert!(s.contains("Events (1 of 4)"), "Acme EU has one:\n{s}");
    assert!(s.contains("↑↓ select · Enter account"), "title keys:\n{s}");
    let footer = s.lines().last().unwrap_or_default();
    assert!(
        footer.ends_with("Enter account · / filter · Esc back"),
        "{footer}"
    );
    h.key(KeyCode::Char(']'));
    assert!(matches!(h.app.mode(), Mode::Events(_)), "stays on events");
    assert!(h.screen().contains("Events (2 of 4)"));
    h.key(KeyCode::Char(']'));
    let s = h.screen();
    assert!(s.contains("Events (4) "), "All shows every event:\n{s}");
    // newest first: the ghost's event, then g1's extension
    h.key(KeyCode::Down);
    let s = h.screen();
    assert!(line_with(&s, "app.trial_extended").contains("golf"), "{s}");
    // Enter opens the account, on its organization's tab when that is not All
    h.key(KeyCode::Enter);
    assert!(
        matches!(h.app.mode(), Mode::Account(v) if v.id == "g1" && v.org == 1),
        "{:?}",
        h.app.mode()
    );
    assert_eq!(h.opened(), vec!["g1".to_owned()]);
    assert_eq!(h.app.listing().selected_id(), Some((1, "g1")));

    // Esc returns to the events view, on the same event
    h.key(KeyCode::Esc);
    let s = h.screen();
    assert!(s.contains("Events (4) "), "{s}");
    assert!(
        matches!(h.app.mode(), Mode::Events(v) if h.app.event_rows()[v.selected].event.id == "ev2"),
        "{:?}",
        h.app.mode()
    );

    // from an organization's tab: the other organization's tab opens
    h.key(KeyCode::Char('1'));
    h.key(KeyCode::Char('/'));
    h.keys("bravo");
    h.key(KeyCode::Enter);
    let s = h.screen();
    assert!(
        s.contains("Events (1 of 4)") && s.contains("filter: bravo"),
        "{s}"
    );
    h.key(KeyCode::Enter);
    assert!(matches!(h.app.mode(), Mode::Account(v) if v.id == "a2"));

    // an account no organization lists: said on the status line
    h.key(KeyCode::Esc);
    assert!(matches!(h.app.mode(), Mode::Events(v) if v.filter.text() == "bravo"));
    h.key(KeyCode::Esc); // clears the kept filter
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Home);
    h.key(KeyCode::Enter);
    assert!(matches!(h.app.mode(), Mode::Events(_)));
    let s = h.screen();
    assert!(
        s.contains("Account ghost is in no organization's list"),
        "{s}"
    );

    // Esc clears a kept filter first, then leaves
    h.key(KeyCode::Char('/'));
    h.keys("zzz");
    h.key(KeyCode::Enter);
    assert!(h.screen().contains("No event of this tab matches"));
    h.key(KeyCode::Esc);
    assert!(matches!(h.app.mode(), Mode::Events(v) if v.filter.text().is_empty()));
    h.key(KeyCode::Esc);
    assert!(matches!(h.app.mode(), Mode::Table));
}

#[test]
fn events_rows_take_clicks_and_the_wheel() {
    let mut h = Harness::new(with_events(two_orgs()));
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('e'));
    let s = h.screen();
    let row = s
        .lines()
        .position(|l| l.contains("app.trial_extended"))
        .unwrap_or(0) as u16;
    let click = |h: &mut Harness, when: Instant| {
        h.app.handle_mouse(
            MouseEvent {
                kind: MouseEventKind::Down(MouseButton::Left),
                column: 10,
                row,
                modifiers: KeyModifiers::NONE,
            },
            when,
        )
    };
    let now = Instant::now();
    click(&mut h, now);
    assert!(matches!(h.app.mode(), Mode::Events(v) if v.selected == 1));
    click(&mut h, now);
    assert!(matches!(h.app.mode(), Mode::Account(v) if v.id == "g1"));
    h.key(KeyCode::Esc);
    assert!(matches!(h.app.mode(), Mode::Events(v) if v.selected == 1));
    h.app.handle_mouse(
        MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: 10,
            row,
            modifiers: KeyModifiers::NONE,
        },
        now,
    );
    assert!(matches!(h.app.mode(), Mode::Events(v) if v.selected == 3));
}

/// An arriving event leaves a selection below the top on the same event; at the top
/// the selection stays on the newest row.
#[test]
fn an_arriving_event_keeps_the_selected_event() {
    let mut h = Harness::new(with_events(two_orgs()));
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('e'));
    h.key(KeyCode::Down);
    let selected_id = |h: &Harness| match h.app.mode() {
        Mode::Events(v) => h.app.event_rows()[v.selected].event.id.clone(),
        _ => String::new(),
    };
    assert_eq!(selected_id(&h), "ev2");
    h.app.apply(Update::Event(Box::new(event(
        "ev4",
        "app.trial_ended",
        "a2",
        9,
    ))));
    assert!(matches!(h.app.mode(), Mode::Events(v) if v.selected == 2));
    assert_eq!(selected_id(&h), "ev2");
    h.key(KeyCode::Home);
    h.app.apply(Update::Event(Box::new(event(
        "ev5",
        "app.trial_ended",
        "g1",
        10,
    ))));
    assert_eq!(selected_id(&h), "ev5");
}

#[test]
fn a_created_trial_is_selected_and_the_currency_follows_the_region() {
    let mut h = Harness::new(two_orgs());
    h.app.set_regions(vec![Region::Eu, Region::Ca]);
    h.key(KeyCode::Char('n'));
    let form = h.app.trial_form().cloned();
    assert_eq!(
        form.map(|f| f.draft.currency_iso_code),
        Some("EUR".to_owned())
    );
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char(']'));
    h.key(KeyCode::Char('n'));
    let s = h.screen();
    assert!(line_with(&s, "Currency").contains("[CAD"), "{s}");
    // the form's request went out as number 1; the account is then listed
    if let Mode::Trial(form) = &mut h.app.mode {
        form.pending = Some(1);
    }
    h.app.apply(Update::TrialProvisioned {
        org: 1,
        request: 1,
        result: Ok(account("g9", "aaanew", "New Co", "IN_TRIAL")),
    });
    h.screen();
    assert!(matches!(h.app.mode(), Mode::Table));
    assert_eq!(h.app.listing().selected_id(), Some((1, "g9")));
}

#[test]
fn the_focused_form_field_shows_its_cursor_where_typing_goes() {
    let mut h = Harness::new(two_orgs());
    h.key(KeyCode::Char('n'));
    h.keys("Acme");
    h.key(KeyCode::Home);
    h.keys("X");
    let s = h.screen();
    let row = s
        .lines()
        .position(|l| l.contains("› Account name"))
        .unwrap_or(0) as u16;
    let col = column(line_with(&s, "› Account name"), "[XAcme");
    assert_eq!(h.cursor(), (col + 2, row), "{s}");
    assert_eq!(
        h.app.trial_form().map(|f| f.draft.account_name.clone()),
        Some("XAcme".into())
    );
}
