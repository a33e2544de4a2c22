//! Narrow terminals (80x24, 60x12): every number shown is the data's, cut text ends
//! with `…`, the focused form field shows, hidden tabs are marked.

use std::collections::BTreeMap;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::api::model::Account;
use crate::app::testdata::{account, at, store};
use crate::app::{App, Notice};
use crate::store::Update;
use crate::view::Theme;

fn app(orgs: Vec<(&str, Vec<Account>)>) -> App {
    let (tx, _rx) = std::sync::mpsc::channel();
    let mut app = App::new(store(orgs), Theme::default(), Box::new(tx));
    app.tick(at(12));
    app
}

fn screen(app: &mut App, w: u16, h: u16) -> Vec<String> {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    app.draw(&mut term).unwrap();
    let text = crate::app::driver::buffer_text(term.backend().buffer());
    text.lines().map(str::to_owned).collect()
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// Eight statuses with counts of 1 to 3 digits: their bar is wider than 80 columns.
fn many_statuses() -> Vec<Account> {
    let counts = [
        ("ACTIVE", 120),
        ("IN_TRIAL", 45),
        ("TRIAL_LOST", 38),
        ("CHURNED", 17),
        ("INACTIVE", 9),
        ("PROSPECT", 104),
        ("OTHER", 3),
        ("SUSPENDED", 21),
    ];
    let mut out = Vec::new();
    for (status, n) in counts {
        for i in 0..n {
            let id = format!("{status}-{i:05}");
            out.push(account(&id, &format!("{status} name {i}"), "Co", status));
        }
    }
    out
}

fn counts_of(accounts: &[Account]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for a in accounts {
        *counts.entry(a.status.as_str().to_owned()).or_insert(0) += 1;
    }
    counts
}

/// Every `STATUS N` pair on `line` (brackets of the status filter dropped).
fn status_pairs(line: &str) -> Vec<(String, String)> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == '[' || c == ']')
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .filter(|w| w[0].len() > 1 && w[0].chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .map(|w| (w[0].to_owned(), w[1].to_owned()))
        .collect()
}

#[test]
fn status_counts_are_whole_or_absent() {
    let accounts = many_statuses();
    let expected = counts_of(&accounts);
    let total = accounts.len();
    for (w, h) in [(80, 24), (60, 12), (100, 15)] {
        let mut app = app(vec![("Acme", accounts.clone())]);
        let lines = screen(&mut app, w, h);
        let counts = &lines[usize::from(h) - 2];
        assert!(
            counts.contains(&format!("{total} of {total} shown")),
            "{w}x{h}: {counts}"
        );
        let pairs = status_pairs(counts);
        assert!(!pairs.is_empty(), "{w}x{h}: some statuses show: {counts}");
        for (status, n) in pairs {
            assert_eq!(
                n,
                expected[&status].to_string(),
                "{w}x{h}: {status} count: {counts}"
            );
        }
        assert!(
            counts.contains('›'),
            "{w}x{h}: hidden statuses marked: {counts}"
        );
    }
}

#[test]
fn the_status_cursor_keeps_its_entry_visible() {
    let accounts = many_statuses();
    let mut app = app(vec![("Acme", accounts.clone())]);
    for _ in 0..7 {
        key(&mut app, KeyCode::Right);
    }
    let lines = screen(&mut app, 60, 12);
    let counts = &lines[10];
    assert!(counts.contains("SUSPENDED 21"), "{counts}");
    assert!(counts.contains('‹'), "{counts}");
}

#[test]
fn status_line_numbers_are_the_data() {
    let accounts = many_statuses();
    let mut app = app(vec![
        ("Acme Europe Limited", accounts.clone()),
        ("Globex Corporation", accounts),
    ]);
    key(&mut app, KeyCode::Char('3'));
    for (w, h) in [(80, 24), (60, 12)] {
        let lines = screen(&mut app, w, h);
        let status = &lines[usize::from(h) - 1];
        assert!(status.starts_with("All organizations"), "{status}");
        if status.contains("ready") {
            assert!(status.contains("· 2/2 ready"), "{w}x{h}: {status}");
        }
        if status.contains("updated") {
            assert!(status.contains("updated <1m ago"), "{w}x{h}: {status}");
        }
        let header = &lines[0];
        assert!(
            header.contains("All organizations 714"),
            "{w}x{h}: {header}"
        );
    }
}

#[test]
fn a_long_error_is_cut_with_an_ellipsis_never_inside_a_number() {
    let mut app = app(vec![("Acme", many_statuses())]);
    app.apply(Update::SyncFailed {
        org: 0,
        error: "Acme: the server answered HTTP 503 Service Unavailable after 123456 ms of waiting"
            .to_owned(),
        at: at(10),
    });
    let lines = screen(&mut app, 60, 12);
    let status = &lines[11];
    for cut in ["12…", "1234…", "50…", "5…"] {
        assert!(!status.contains(cut), "{status}");
    }
}

#[test]
fn the_id_column_drops_first_and_cut_names_end_with_an_ellipsis() {
    let long = "An account name longer than sixteen columns";
    let accounts = vec![
        account(
            "0123456789abcdef01234567",
            long,
            "Initech Holdings International",
            "ACTIVE",
        ),
        account("0123456789abcdef01234568", "Short", "Co", "IN_TRIAL"),
    ];
    let mut app = app(vec![("Acme", accounts)]);
    let lines = screen(&mut app, 80, 24);
    let titles = &lines[1];
    assert!(
        titles.contains("NAME") && titles.contains("STATUS"),
        "{titles}"
    );
    assert!(!titles.contains("ID "), "the id drops first: {titles}");
    let row = lines.iter().find(|l| l.contains("An account")).unwrap();
    assert!(row.contains('…'), "a cut name ends with …: {row}");
    assert!(row.contains("ACTIVE"), "{row}");
    // wide enough, the id comes back
    let lines = screen(&mut app, 220, 24);
    assert!(lines[1].contains("ID "), "{}", lines[1]);
    assert!(
        lines.iter().any(|l| l.contains(long)),
        "not cut when it fits"
    );
}

#[test]
fn hidden_tabs_are_marked_and_the_current_tab_shows() {
    let names = [
        "Acme Europe Limited",
        "Globex Corporation",
        "Initech Holdings",
        "Umbrella Pharmaceuticals",
        "Hooli Incorporated",
    ];
    let orgs = names
        .iter()
        .map(|n| (*n, vec![account("1", "A", "Co", "ACTIVE")]))
        .collect();
    let mut app = app(orgs);
    let header = screen(&mut app, 60, 12).remove(0);
    assert!(header.contains("1 Acme Europe Limited"), "{header}");
    assert!(header.trim_end().ends_with('›'), "{header}");
    assert!(!header.contains('‹'), "{header}");
    key(&mut app, KeyCode::Char('3'));
    let header = screen(&mut app, 60, 12).remove(0);
    assert!(header.contains("3 Initech Holdings"), "{header}");
    assert!(header.starts_with('‹') && header.contains('›'), "{header}");
    key(&mut app, KeyCode::Char('6'));
    let header = screen(&mut app, 80, 24).remove(0);
    assert!(header.contains("All organizations 5"), "{header}");
    assert!(header.starts_with('‹') && !header.contains('›'), "{header}");
}

#[test]
fn the_focused_form_field_stays_on_screen() {
    let mut app = app(vec![("Acme", vec![account("1", "A", "Co", "ACTIVE")])]);
    key(&mut app, KeyCode::Char('n'));
    // every field, the agreement, then Submit
    for step in 0..14 {
        for (w, h) in [(60, 12), (80, 24)] {
            let lines = screen(&mut app, w, h);
            let focused = lines.iter().filter(|l| l.starts_with("› ")).count();
            assert_eq!(focused, 1, "step {step} at {w}x{h}:\n{}", lines.join("\n"));
        }
        key(&mut app, KeyCode::Tab);
    }
}

#[test]
fn an_unbound_key_says_how_to_get_help_until_the_next_key() {
    let mut app = app(vec![("Acme", vec![account("1", "A", "Co", "ACTIVE")])]);
    key(&mut app, KeyCode::Char('z'));
    let status = screen(&mut app, 80, 24).remove(23);
    assert!(
        status.contains("z: no action here · ? for help"),
        "{status}"
    );
    key(&mut app, KeyCode::Char('j'));
    let status = screen(&mut app, 80, 24).remove(23);
    assert!(!status.contains("? for help ·"), "{status}");
    assert!(!status.contains("no action"), "{status}");
}

#[test]
fn the_history_keeps_overwritten_messages_and_errors() {
    let mut app = app(vec![("Acme", vec![account("1", "A", "Co", "ACTIVE")])]);
    app.set_notice(Notice::info("trial 1 created".to_owned(), at(5)));
    app.set_notice(Notice::info("trial 2 created".to_owned(), at(6)));
    app.apply(Update::SyncFailed {
        org: 0,
        error: "Acme: HTTP 503".to_owned(),
        at: at(7),
    });
    // the same error again is one entry
    app.apply(Update::SyncProgress {
        org: 0,
        done: 1,
        total: 2,
    });
    assert_eq!(app.history().len(), 3);
    assert!(app.history()[2].error);
    key(&mut app, KeyCode::Char('L'));
    let text = screen(&mut app, 80, 24).join("\n");
    for message in [
        "trial 1 created",
        "trial 2 created",
        "Acme: HTTP 503",
        "Messages",
    ] {
        assert!(text.contains(message), "{message}:\n{text}");
    }
    key(&mut app, KeyCode::Esc);
    assert!(app.history_open().is_none());
}
