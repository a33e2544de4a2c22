//! The app driven by keys and mouse over hand-built stores, drawn into a TestBackend.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::testdata::{account, at, generated, resync, store};
use super::*;
use crate::api::model::{AccountStatus, ActionStatus, ActionType, ContractAction};
use crate::store::{ActionsEntry, Update};
use crate::sync::SyncCommand;
use crate::view::Theme;

struct Harness {
    app: App,
    term: Terminal<TestBackend>,
    commands: mpsc::Receiver<(usize, SyncCommand)>,
}

impl Harness {
    fn new(store: crate::store::Store) -> Self {
        Self::sized(store, 120, 30)
    }

    fn sized(store: crate::store::Store, w: u16, h: u16) -> Self {
        let (tx, rx) = mpsc::channel();
        let mut app = App::new(store, Theme::default(), Box::new(tx));
        app.tick(at(12));
        Harness {
            app,
            term: Terminal::new(TestBackend::new(w, h)).unwrap(),
            commands: rx,
        }
    }

    fn key(&mut self, code: KeyCode) {
        self.app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    }

    fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn screen(&mut self) -> String {
        self.app.draw(&mut self.term).unwrap();
        crate::app::driver::buffer_text(self.term.backend().buffer())
    }

    fn sent(&self) -> Vec<(usize, SyncCommand)> {
        self.commands.try_iter().collect()
    }

    fn click(&mut self, x: u16, y: u16, when: Instant) {
        self.app.handle_mouse(
            MouseEvent {
                kind: MouseEventKind::Down(MouseButton::Left),
                column: x,
                row: y,
                modifiers: KeyModifiers::NONE,
            },
            when,
        );
    }

    fn selected_name(&self) -> String {
        let row = self.app.listing().selected_row().unwrap();
        self.app.account(row).unwrap().name.to_string()
    }
}

fn two_orgs() -> crate::store::Store {
    store(vec![
        (
            "Acme EU",
            vec![
                account("a1", "alpha", "Acme Corp", "ACTIVE"),
                account("a2", "bravo", "Bravo Ltd", "IN_TRIAL"),
                account("a3", "charlie", "Charlie AG", "CHURNED"),
            ],
        ),
        (
            "Globex US",
            vec![
                account("g1", "golf", "Golf Inc", "ACTIVE"),
                account("g2", "hotel", "Hotel Co", "MYSTERY"),
            ],
        ),
    ])
}

fn line_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen.lines().find(|l| l.contains(needle)).unwrap_or("")
}

#[test]
fn first_screen_shows_tabs_rows_counts_and_status_line() {
    let mut h = Harness::new(two_orgs());
    let s = h.screen();
    let tabs = s.lines().next().unwrap();
    assert!(tabs.contains("1 Acme EU 3 ✓"), "{s}");
    assert!(tabs.contains("2 Globex US 2 ✓"), "{s}");
    assert!(tabs.contains("3 All organizations 5"), "{s}");
    assert!(s.contains("NAME ▲"), "{s}");
    assert!(line_with(&s, "alpha").contains("ACTIVE"));
    assert!(line_with(&s, "bravo").contains("IN_TRIAL"));
    assert!(!s.contains("golf"));
    assert!(s.contains("ACTIVE 1 · CHURNED 1 · IN_TRIAL 1"), "{s}");
    assert!(s.contains("3 of 3 shown"));
    assert!(s.contains("Acme EU · ready · updated <1m ago"), "{s}");
    assert!(s.contains("? help"));
}

#[test]
fn text_filter_narrows_live_and_esc_clears() {
    let mut h = Harness::new(two_orgs());
    h.key(KeyCode::Char('/'));
    h.keys("brv");
    let s = h.screen();
    assert!(s.contains("/ brv"));
    assert!(s.contains("bravo") && !s.contains("alpha"), "{s}");
    assert!(s.contains("ACTIVE 0 · CHURNED 0 · IN_TRIAL 1"), "{s}");
    assert!(s.contains("1 of 3 shown"));
    h.key(KeyCode::Enter); // keep it
    let s = h.screen();
    assert!(s.contains("filter: brv") && !s.contains("alpha"));
    // q in the table quits again; Esc in the table clears the filter, never quits
    h.key(KeyCode::Esc);
    assert!(!h.app.should_quit());
    let s = h.screen();
    assert!(s.contains("alpha") && !s.contains("filter:"));
    // Esc in the prompt clears and closes
    h.key(KeyCode::Char('/'));
    h.keys("char");
    h.key(KeyCode::Esc);
    assert_eq!(*h.app.mode(), Mode::Table);
    assert!(h.screen().contains("3 of 3 shown"));
    h.key(KeyCode::Esc);
    assert!(!h.app.should_quit());
}

#[test]
fn status_keys_filter_rows() {
    let mut h = Harness::new(two_orgs());
    h.key(KeyCode::Char('s'));
    let s = h.screen();
    assert!(
        s.contains("[ACTIVE 1]") && s.contains("status: ACTIVE"),
        "{s}"
    );
    assert!(s.contains("alpha") && !s.contains("bravo"));
    h.key(KeyCode::Right);
    h.key(KeyCode::Right);
    h.key(KeyCode::Char('t'));
    let s = h.screen();
    assert!(s.contains("status: ACTIVE+IN_TRIAL"), "{s}");
    assert!(s.contains("bravo") && !s.contains("charlie"));
}

#[test]
fn enter_opens_the_account_and_esc_returns_to_the_same_row() {
    let mut store = two_orgs();
    let now = at(0);
    let action = |id: &str, t: &str, q: i64, st: &str| ContractAction {
        id: id.to_owned(),
        action_type: ActionType::from_raw(t),
        quantity: Some(q),
        status: ActionStatus::from_raw(st),
        status_message: format!("{st} message"),
        created_at: Some(now),
        updated_at: Some(now),
    };
    store.orgs[0].actions.insert(
        "a2".to_owned(),
        ActionsEntry {
            actions: Some(vec![
                action("x1", "NEWTDE", 10, "COMPLETED"),
                action("x2", "AMENDTDE", 12, "FAILED"),
            ]),
            fetched_at: Some(now),
            error: None,
        },
    );
    store.orgs[0].contracts.insert(
        "a2".to_owned(),
        Err("client lacks express-accounts-contracts:read".to_owned()),
    );
    let mut h = Harness::new(store);
    h.key(KeyCode::Char('/'));
    h.keys("a");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Down);
    assert_eq!(h.selected_name(), "bravo");
    h.key(KeyCode::Enter);
    assert_eq!(
        h.sent().last(),
        Some(&(
            0,
            SyncCommand::OpenAccount {
                account_id: "a2".to_owned()
            }
        ))
    );
    let s = h.screen();
    assert!(s.contains("New subscription (NEWTDE)"), "{s}");
    assert!(s.contains("Amendment (AMENDTDE)"));
    assert!(line_with(&s, "AMENDTDE").contains("FAILED"));
    assert!(line_with(&s, "AMENDTDE").contains("<1m ago"));
    assert!(s.contains("not available: client lacks express-accounts-contracts:read"));
    h.key(KeyCode::Esc);
    assert_eq!(*h.app.mode(), Mode::Table);
    assert_eq!(h.selected_name(), "bravo");
    assert_eq!(h.app.listing().query(), "a");
    // the contract summary column
    assert!(line_with(&h.screen(), "bravo").contains("10 lic · Amendment FAILED"));
}

#[test]
fn tabs_switch_with_keys_wrapping_and_the_picker() {
    let mut h = Harness::new(two_orgs());
    h.key(KeyCode::Char(']'));
    assert!(h.screen().contains("golf"));
    h.key(KeyCode::Tab);
    let s = h.screen();
    assert!(s.contains("golf") && s.contains("alpha") && s.contains("ORGANIZATION"));
    h.key(KeyCode::Tab); // wraps
    assert_eq!(h.app.tab(), 0);
    h.key(KeyCode::BackTab); // wraps back
    assert_eq!(h.app.tab(), 2);
    h.key(KeyCode::Char('2'));
    assert_eq!(h.app.tab(), 1);
    h.key(KeyCode::Char('9')); // no such tab
    assert_eq!(h.app.tab(), 1);
    h.key(KeyCode::Char('o'));
    h.keys("acm");
    let s = h.screen();
    assert!(s.contains("> acm"), "{s}");
    h.key(KeyCode::Enter);
    assert_eq!(h.app.tab(), 0);
    h.key(KeyCode::Char('o'));
    h.key(KeyCode::Esc);
    assert_eq!((h.app.tab(), h.app.mode()), (0, &Mode::Table));
}

#[test]
fn refresh_keys_send_commands() {
    let mut h = Harness::new(two_orgs());
    h.key(KeyCode::Char('r'));
    assert_eq!(h.sent(), [(0, SyncCommand::Refresh)]);
    h.key(KeyCode::Char('R'));
    assert_eq!(
        h.sent(),
        [(0, SyncCommand::Refresh), (1, SyncCommand::Refresh)]
    );
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('r'));
    assert_eq!(
        h.sent(),
        [(0, SyncCommand::Refresh), (1, SyncCommand::Refresh)]
    );
}

#[test]
fn prefetch_follows_the_settled_selection() {
    let mut h = Harness::new(store(vec![("Big", generated(50, 0))]));
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    let due = h.app.next_deadline().unwrap();
    h.app.fire_timers(due - Duration::from_millis(1));
    assert!(h.sent().is_empty());
    h.app.fire_timers(due);
    let sent = h.sent();
    let [(0, SyncCommand::Prefetch { account_ids })] = sent.as_slice() else {
        panic!("{sent:?}");
    };
    assert_eq!(account_ids.len(), 2 + 1 + state::PREFETCH_AROUND);
    assert_eq!(h.app.next_deadline(), None);
}

#[test]
fn failing_organization_shows_its_error_in_its_own_view() {
    let mut store = crate::store::Store::new(["Acme EU".to_owned(), "Globex US".to_owned()]);
    resync(&mut store, 0, two_orgs().orgs[0].accounts.to_vec(), at(0));
    store.apply(Update::SyncFailed {
        org: 1,
        error: "Globex US: 403 forbidden — client lacks express-accounts:read".to_owned(),
        at: at(5),
    });
    let mut h = Harness::new(store);
    h.key(KeyCode::Char('2'));
    let s = h.screen();
    assert!(s.contains("Cannot load the accounts of Globex US:"), "{s}");
    assert!(s.contains("403 forbidden — client lacks express-accounts:read"));
    assert!(s.lines().next().unwrap().contains("Globex US 0 ✗FAILED"));
    h.key(KeyCode::Char('1'));
    let s = h.screen();
    assert!(s.contains("alpha") && !s.contains("Cannot load"));
    h.key(KeyCode::Char('3'));
    let s = h.screen();
    assert!(s.contains("alpha") && s.contains("1 failing"), "{s}");
}

#[test]
fn a_failed_sync_keeps_the_rows_marked_stale() {
    let mut store = two_orgs();
    store.apply(Update::SyncFailed {
        org: 0,
        error: "503 Service Unavailable".to_owned(),
        at: at(10),
    });
    let mut h = Harness::new(store);
    let s = h.screen();
    assert!(s.contains("alpha"));
    assert!(
        s.contains("Acme EU · STALE · last good <1m ago · 503 Service Unavailable (<1m ago)"),
        "{s}"
    );
    assert!(s.lines().next().unwrap().contains("Acme EU 3 !STALE"));
}

#[test]
fn recent_status_changes_are_marked() {
    let mut store = two_orgs();
    let mut accounts = store.orgs[0].accounts.to_vec();
    accounts[2].status = AccountStatus::TrialLost;
    resync(&mut store, 0, accounts, at(2));
    let mut h = Harness::new(store);
    let s = h.screen();
    assert!(line_with(&s, "charlie").starts_with('●'), "{s}");
    assert!(line_with(&s, "alpha").starts_with(' '));
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    let s = h.screen();
    assert!(s.contains("● CHURNED → TRIAL_LOST <1m ago"), "{s}");
    h.app.tick(at(2 + 11 * 60));
    assert!(line_with(&h.screen(), "charlie").starts_with(' '));
}

#[test]
fn too_small_and_help() {
    let mut h = Harness::sized(two_orgs(), 40, 10);
    assert!(h.screen().contains("terminal too small (need 60x12)"));
    h.app.resize(60, 12);
    let mut h = Harness::sized(two_orgs(), 110, 150);
    h.key(KeyCode::Char('?'));
    let s = h.screen();
    for b in keys::BINDINGS {
        assert!(s.contains(b.help), "help lacks {:?}\n{s}", b.help);
    }
    h.key(KeyCode::Char('?'));
    assert!(!h.screen().contains("Keys (Esc closes"));
    h.key(KeyCode::Char('q'));
    assert!(h.app.should_quit());
}

#[test]
fn mouse_selects_opens_and_switches_tabs() {
    let mut h = Harness::new(two_orgs());
    h.screen();
    let t0 = Instant::now();
    // rows start below the tabs and the column titles
    h.click(10, 4, t0);
    assert_eq!(h.selected_name(), "charlie");
    h.click(10, 3, t0);
    assert_eq!(h.selected_name(), "bravo");
    h.click(10, 3, t0 + Duration::from_millis(800));
    assert_eq!(*h.app.mode(), Mode::Table);
    h.click(10, 3, t0 + Duration::from_millis(900));
    assert!(matches!(h.app.mode(), Mode::Account(v) if v.id == "a2"));
    h.key(KeyCode::Esc);
    let s = h.screen();
    let x = s.lines().next().unwrap().find("Globex").unwrap();
    let col = s.lines().next().unwrap()[..x].chars().count() as u16;
    h.click(col, 0, t0);
    assert_eq!(h.app.tab(), 1);
    h.app.handle_mouse(
        MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: 5,
            row: 5,
            modifiers: KeyModifiers::NONE,
        },
        t0,
    );
    assert_eq!(h.selected_name(), "hotel");
}

#[test]
fn no_color_keeps_status_text_and_a_visible_selection() {
    let (tx, _rx) = mpsc::channel();
    let mut app = App::new(
        two_orgs(),
        Theme::default().with_no_color(true),
        Box::new(tx),
    );
    let mut term = Terminal::new(TestBackend::new(100, 20)).unwrap();
    app.draw(&mut term).unwrap();
    let buf = term.backend().buffer();
    assert!(
        buf.content
            .iter()
            .all(|c| c.fg == ratatui::style::Color::Reset)
    );
    let selected_row = 2;
    assert!(
        buf[(5, selected_row)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
}

#[test]
fn redraws_only_when_something_changed() {
    let mut h = Harness::new(two_orgs());
    h.screen();
    assert!(!h.app.take_dirty());
    h.app.tick(at(12) + chrono::Duration::milliseconds(300));
    assert!(!h.app.take_dirty(), "same second: nothing to redraw");
    h.app.tick(at(13));
    assert!(
        !h.app.take_dirty(),
        "ages within the first minute read \"<1m ago\""
    );
    h.app.tick(at(60));
    assert!(h.app.take_dirty(), "the age text changed");
    // idle: at most a redraw per wall minute and one per age minute
    let dirty = (61..661).filter(|&s| {
        h.app.tick(at(s));
        h.app.take_dirty()
    });
    assert!(dirty.count() <= 20);
    h.key(KeyCode::Down);
    assert!(h.app.take_dirty());
}

/// The clock states (see `clock_signature`) an app goes through from `start` for ten
/// minutes, ticked at each time `next` gives; and the number of ticks.
fn clock_states(
    app: &mut App,
    start: chrono::DateTime<chrono::Utc>,
    mut next: impl FnMut(&App) -> Duration,
) -> (Vec<String>, usize) {
    let end = start + chrono::Duration::minutes(10);
    app.tick(start);
    app.take_dirty();
    let (mut states, mut ticks, mut now) = (vec![app.clock.clone()], 0, start);
    loop {
        now += chrono::Duration::from_std(next(app)).unwrap();
        if now > end {
            break;
        }
        app.tick(now);
        ticks += 1;
        if app.take_dirty() {
            states.push(app.clock.clone());
        }
    }
    (states, ticks)
}

#[test]
fn the_clock_wakes_only_when_a_shown_time_can_change_and_misses_none() {
    let mut store = two_orgs();
    // syncs at different seconds, neither on the wall clock's minute
    resync(&mut store, 1, generated(2, 1), at(17));
    let mut every = App::new(store.clone(), Theme::default(), Box::new(mpsc::channel().0));
    let mut sparse = App::new(store, Theme::default(), Box::new(mpsc::channel().0));
    for app in [&mut every, &mut sparse] {
        app.update(Action::JumpTab(2)); // All organizations: both ages shown
    }
    let start = at(3) + chrono::Duration::milliseconds(250);
    let (expected, fine_ticks) = clock_states(&mut every, start, |_| Duration::from_millis(50));
    let (seen, ticks) = clock_states(&mut sparse, start, App::until_clock_change);
    assert_eq!(seen, expected, "every change a 50 ms tick sees, in order");
    assert!(
        expected.len() > 20,
        "ages and the wall clock moved: {expected:?}"
    );
    // the wall clock's minute and two ages: three wakes a minute at most
    assert!(
        ticks <= 31,
        "{ticks} wakes in ten minutes ({fine_ticks} at 50 ms)"
    );
}

#[test]
fn a_narrow_terminal_keeps_name_and_status_and_drops_the_contract_column() {
    let mut h = Harness::sized(two_orgs(), 60, 12);
    let s = h.screen();
    assert!(line_with(&s, "alpha").contains("ACTIVE"), "{s}");
    assert!(s.contains("NAME") && s.contains("STATUS"), "{s}");
    assert!(!s.contains("CONTRACT"), "{s}");
    let mut wide = Harness::sized(two_orgs(), 160, 12);
    let s = wide.screen();
    assert!(s.contains("ID") && s.contains("CONTRACT"), "{s}");
}

#[test]
fn trial_form_targets_the_tab_the_row_or_asks() {
    let mut h = Harness::new(two_orgs());
    h.key(KeyCode::Char('2'));
    h.key(KeyCode::Char('n'));
    assert_eq!(h.app.trial_form().map(|f| f.org), Some(1));
    h.keys("Draft");
    h.key(KeyCode::Esc);
    assert_eq!(h.app.mode(), &Mode::Table);
    // All tab: the selected row's organization
    h.key(KeyCode::Char('3'));
    let row_org = h.app.listing().selected_id().map(|(o, _)| o);
    h.key(KeyCode::Char('n'));
    assert_eq!(h.app.trial_form().map(|f| f.org), row_org);
    h.key(KeyCode::Esc);
    // no row selected: the picker asks, and the pick reopens that organization's draft
    h.key(KeyCode::Char('/'));
    h.keys("zzzzqqq");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('n'));
    assert!(matches!(h.app.mode(), Mode::Picker(p) if p.for_trial));
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    let form = h.app.trial_form().expect("form");
    assert_eq!((form.org, form.draft.account_name.as_str()), (1, "Draft"));
}

#[tokio::test]
async fn a_sync_is_prepared_off_the_task_and_later_updates_wait_for_it() {
    let mut h = Harness::new(store(vec![("One", generated(3, 1))]));
    let (tx, mut rx) = tokio::sync::mpsc::channel(8);
    h.app.connect(Vec::new(), &tx);
    let mut list = generated(3, 1);
    list[0].name = "renamed".into();
    h.app.apply(Update::AccountsSynced {
        org: 0,
        accounts: list,
        at: at(60),
    });
    h.app.apply(Update::SyncFailed {
        org: 0,
        error: "later".into(),
        at: at(61),
    });
    // neither applied yet: the list is being prepared, the failure waits behind it
    assert_ne!(h.app.store.orgs[0].accounts[0].name, "renamed");
    assert!(h.app.store.orgs[0].last_error.is_none());
    let prepared = rx.recv().await.unwrap();
    assert!(matches!(prepared, Update::AccountsPrepared { .. }));
    h.app.apply(prepared);
    let org = &h.app.store.orgs[0];
    assert_eq!(org.accounts[0].name, "renamed");
    assert_eq!(org.last_error.as_ref().map(|e| e.0.as_str()), Some("later"));
    assert!(h.app.held.is_empty() && !h.app.preparing);
}
