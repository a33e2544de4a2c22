//! Narrow terminals against the simulator: at 80x24 and 60x12 every count on the
//! status bar is the data's (a count that does not fit is left out, never cut), and
//! tabs that do not fit are marked.

mod screen_support;

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use ratatui::crossterm::event::KeyCode;

use tdbi::sim::{SimConfig, SimHandle, Simulator};

use screen_support::{all_ready, driver_for_all as driver, pairs};

const WAIT: Duration = Duration::from_secs(20);

async fn simulator() -> SimHandle {
    let config = SimConfig {
        seed: 5,
        orgs: 3,
        accounts: 300,
        ..SimConfig::default()
    };
    Simulator::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .expect("simulator starts")
}

#[tokio::test]
async fn status_counts_and_tabs_at_80x24_and_60x12() {
    let sim = simulator().await;
    for (width, height) in [(80u16, 24u16), (60, 12)] {
        let mut d = driver(&sim, width, height);
        d.pump_until(WAIT, all_ready).await.unwrap();
        // every organization's tab, then All organizations
        for tab in 0..4usize {
            let accounts: Vec<_> = match tab {
                3 => (0..3).flat_map(|o| sim.accounts(o)).collect(),
                o => sim.accounts(o),
            };
            let mut expected: BTreeMap<String, usize> = BTreeMap::new();
            for a in &accounts {
                *expected.entry(a.status.clone()).or_default() += 1;
            }
            d.key(KeyCode::Char(char::from(b'1' + tab as u8)));
            let screen = d.screen();
            let lines: Vec<&str> = screen.lines().collect();
            let counts = lines[usize::from(height) - 2];
            let total = accounts.len();
            assert!(
                counts.contains(&format!("   {total} of {total} shown")),
                "{width}x{height} tab {tab}: {counts}"
            );
            let shown = pairs(counts);
            assert!(!shown.is_empty(), "{width}x{height}: {counts}");
            for (status, n) in shown {
                assert_eq!(
                    Some(&n),
                    expected.get(&status).map(ToString::to_string).as_ref(),
                    "{width}x{height} tab {tab}: {status} in {counts}"
                );
            }
            let header = lines[0];
            assert!(
                header.contains(&format!("{} ", tab + 1)),
                "the current tab shows: {header}"
            );
            if width == 60 {
                let marked = header.contains('‹') || header.contains('›');
                assert!(marked, "60 columns hide tabs, marked: {header}");
            }
            if tab == 3 {
                assert!(
                    header.contains(&format!("All organizations {total}")),
                    "{header}"
                );
                assert!(
                    !header.contains('›'),
                    "nothing after the last tab: {header}"
                );
            }
        }
    }
}
