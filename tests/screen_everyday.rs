//! Everyday use at 80x24 and 60x12 against the simulator: a filter typed with cursor
//! moves narrows the rows and every count shown is the data's; the trial form's
//! focused field and the terminal cursor stay on screen at every step; the events view
//! counts what the tab holds.

mod screen_support;

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use tdbi::app::driver::Driver;
use tdbi::app::search::{FIELD_SEP, filter_labels};
use tdbi::app::{App, Focus};
use tdbi::sim::{SimConfig, SimHandle, Simulator};
use tdbi::trial::Field;

use screen_support::{WAIT, all_ready, driver_for_all, pairs};

const SIZES: [(u16, u16); 2] = [(80, 24), (60, 12)];

async fn simulator() -> SimHandle {
    let config = SimConfig {
        seed: 11,
        orgs: 3,
        accounts: 250,
        ..SimConfig::default()
    };
    Simulator::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .expect("simulator starts")
}

async fn driver(sim: &SimHandle, width: u16, height: u16) -> Driver {
    let mut d = driver_for_all(sim, width, height);
    d.pump_until(WAIT, all_ready)
        .await
        .expect("every organization synced");
    d
}

/// Per status, the accounts of organization `org` the filter `query` matches, and how
/// many accounts it has.
fn expected(app: &App, org: usize, query: &str) -> (BTreeMap<String, usize>, usize) {
    let accounts = &app.store().orgs[org].accounts;
    let labels: Vec<String> = accounts
        .iter()
        .map(|a| {
            format!(
                "{}{FIELD_SEP}{}{FIELD_SEP}{}",
                a.id,
                a.name,
                a.company_name.as_str()
            )
        })
        .collect();
    let mut counts = BTreeMap::new();
    for i in filter_labels(query, labels.iter().map(String::as_str)) {
        *counts
            .entry(accounts[i].status.as_str().to_owned())
            .or_insert(0) += 1;
    }
    (counts, accounts.len())
}

#[tokio::test]
async fn a_filter_typed_with_cursor_moves_counts_what_the_data_holds() {
    let sim = simulator().await;
    for (width, height) in SIZES {
        let mut d = driver(&sim, width, height).await;
        // a query from a real name: its start typed last, after Home
        let name = d.app.store().orgs[0].accounts[0].name.to_ascii_lowercase();
        let query: String = name
            .chars()
            .filter(|c| c.is_alphanumeric())
            .take(3)
            .collect();
        d.key(KeyCode::Char('/'));
        d.keys(&query[1..]);
        d.key(KeyCode::Home);
        d.keys(&query[..1]);
        assert_eq!(d.app.listing().query(), query, "{width}x{height}");
        let (counts, total) = expected(&d.app, 0, &query);
        let matched: usize = counts.values().sum();
        assert!(
            matched > 0 && matched < total,
            "{query}: {matched} of {total}"
        );
        let screen = d.screen();
        let lines: Vec<&str> = screen.lines().collect();
        let bar = lines[usize::from(height) - 2];
        assert!(
            bar.contains(&format!("   {matched} of {total} shown")),
            "{width}x{height}: {bar}"
        );
        let shown = pairs(bar);
        assert!(!shown.is_empty(), "{width}x{height}: {bar}");
        for (status, n) in shown {
            // a status with no match shows 0
            let want = counts.get(&status).copied().unwrap_or(0);
            assert_eq!(n, want.to_string(), "{width}x{height}: {status} in {bar}");
        }
        // the prompt shows the query and the cursor sits after its first char
        let row = lines
            .iter()
            .position(|l| l.starts_with(&format!("/ {query}")))
            .expect("the prompt");
        let cursor = d.terminal.get_cursor_position().expect("cursor");
        assert_eq!((cursor.x, cursor.y), (3, row as u16), "{width}x{height}");
        d.key(KeyCode::Esc);
        let bar = d
            .screen()
            .lines()
            .nth(usize::from(height) - 2)
            .map(str::to_owned);
        assert!(
            bar.is_some_and(|b| b.contains(&format!("{total} of {total} shown"))),
            "{width}x{height}"
        );
    }
}

#[tokio::test]
async fn the_focused_field_and_its_cursor_stay_on_screen_at_every_step() {
    let sim = simulator().await;
    for (width, height) in SIZES {
        let mut d = driver(&sim, width, height).await;
        d.key(KeyCode::Char('n'));
        for step in 0..(Field::ALL.len() + 2) {
            d.keys("ab");
            d.key(KeyCode::Home);
            let screen = d.screen();
            let lines: Vec<&str> = screen.lines().collect();
            let focused: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].starts_with("› "))
                .collect();
            assert_eq!(
                focused.len(),
                1,
                "step {step} at {width}x{height}:\n{screen}"
            );
            let focus = d.app.trial_form().map(|f| f.focus);
            if let Some(Focus::Field(field)) = focus {
                let cursor = d.terminal.get_cursor_position().expect("cursor");
                assert_eq!(
                    usize::from(cursor.y),
                    focused[0],
                    "step {step} ({field:?}) at {width}x{height}:\n{screen}"
                );
                assert!(cursor.x < width, "{cursor:?}");
                // Home put the cursor before the text: its box starts right there
                let line = lines[focused[0]];
                let open = line.find('[').map(|i| line[..i].chars().count());
                assert_eq!(open.map(|c| c as u16 + 1), Some(cursor.x), "{line}");
            }
            d.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL);
            d.key(KeyCode::Tab);
        }
    }
}

#[tokio::test]
async fn the_events_view_fits_and_counts_per_tab() {
    let sim = simulator().await;
    for (width, height) in SIZES {
        let mut d = driver(&sim, width, height).await;
        d.key(KeyCode::Char('e'));
        let screen = d.screen();
        assert!(screen.contains("Events (0)"), "{width}x{height}:\n{screen}");
        let status = screen.lines().last().unwrap_or_default().to_owned();
        assert!(
            !status.contains("s status"),
            "the table's keys are not the events view's: {status}"
        );
        d.key(KeyCode::Char('/'));
        d.keys("trial");
        assert!(d.screen().contains("/ trial"), "{width}x{height}");
        d.key(KeyCode::Esc);
        d.key(KeyCode::Esc);
        assert!(d.screen().contains(" of "), "back on the table");
    }
}
