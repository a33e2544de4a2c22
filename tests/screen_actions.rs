//! Screen tests of contract actions and read-only mode: the real app and sync engine
//! with the simulator behind them over loopback, drawn into a TestBackend.

mod screen_support;

use screen_support::WAIT;

use ratatui::crossterm::event::KeyCode;

use tdbi::api::model::{ActionStatus, ActionType};
use tdbi::app::driver::Driver;
use tdbi::app::{ActionFocus, Mode};
use tdbi::sim::SimHandle;

async fn start() -> (SimHandle, Driver) {
    screen_support::start(7, 12, 150, 45).await
}

fn line_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen.lines().find(|l| l.contains(needle)).unwrap_or("")
}

/// Opens the account view of the first ACTIVE account; returns its id.
async fn open_active(sim: &SimHandle, d: &mut Driver) -> String {
    let id = sim
        .accounts(0)
        .into_iter()
        .find(|a| a.status == "ACTIVE")
        .expect("an active account")
        .id;
    d.key(KeyCode::Char('/'));
    d.keys(&id);
    d.key(KeyCode::Enter);
    d.key(KeyCode::Enter);
    assert!(
        matches!(d.app.mode(), Mode::Account(v) if v.id == id),
        "{}",
        d.screen()
    );
    d.pump_until(WAIT, |app| {
        app.store().orgs[0]
            .actions
            .get(&id)
            .is_some_and(|e| e.actions.is_some())
    })
    .await
    .expect("the account's actions are read");
    id
}

#[tokio::test]
async fn the_action_form_shows_the_exact_request_sends_once_and_lists_it_at_once() {
    let (sim, mut d) = start().await;
    let id = open_active(&sim, &mut d).await;
    let s = d.screen();
    assert!(s.contains("a contract action"), "the key is offered:\n{s}");

    d.key(KeyCode::Char('a'));
    let s = d.screen();
    assert!(s.contains("New contract action"), "{s}");
    assert!(
        line_with(&s, "Type").contains("New subscription (NEWTDE)"),
        "{s}"
    );
    d.key(KeyCode::Right);
    let s = d.screen();
    assert!(
        line_with(&s, "› Type").contains("Amendment (AMENDTDE)"),
        "{s}"
    );

    // an empty or out-of-range quantity blocks the review, beside the field
    d.key(KeyCode::Enter);
    d.keys("0");
    let s = d.screen();
    assert!(line_with(&s, "Quantity").contains("✗"), "{s}");
    d.key(KeyCode::Backspace);
    d.keys("12");
    d.key(KeyCode::Enter);
    let form = d.app.action_form().expect("the form is open");
    assert_eq!(form.focus, ActionFocus::Submit);
    d.key(KeyCode::Enter);

    // the confirmation: method, path, JSON body, account
    let s = d.screen();
    assert!(s.contains("Send this contract action?"), "{s}");
    assert!(
        line_with(&s, "Request")
            .contains(&format!("POST /express/accounts/{id}/contracts/actions")),
        "{s}"
    );
    assert!(
        line_with(&s, "Body").contains(r#"{"action_type":"AMENDTDE","quantity":12}"#),
        "{s}"
    );
    assert!(line_with(&s, "Account        ").contains(&id), "{s}");
    assert!(
        line_with(&s, "Action").contains("Amendment (AMENDTDE) · 12 licences"),
        "{s}"
    );
    // at 80 columns the request wraps inside the pop-up instead of being cut
    d.terminal.backend_mut().resize(80, 24);
    let s = d.screen();
    let joined: String = s
        .lines()
        .map(|l| l.trim_matches(|c: char| c == '│' || c == ' '))
        .collect();
    assert!(
        joined.contains(&format!("/express/accounts/{id}/contracts/actions")),
        "{s}"
    );
    d.terminal.backend_mut().resize(150, 45);

    // Enter, Enter, y: one request
    d.key(KeyCode::Enter);
    d.key(KeyCode::Enter);
    d.key(KeyCode::Char('y'));
    d.pump_until(WAIT, |app| matches!(app.mode(), Mode::Account(_)))
        .await
        .expect("the form closes on success");
    assert_eq!(sim.stats().action_posts, 1, "sent once");
    let listed = d.app.store().orgs[0].actions[&id].actions.clone().unwrap();
    let new = listed
        .iter()
        .find(|a| a.status.is_pending())
        .expect("the new action is listed at once");
    assert_eq!(
        (&new.action_type, new.quantity),
        (&ActionType::Amend, Some(12))
    );
    assert_eq!(new.status, ActionStatus::Created);
    let s = d.screen();
    assert!(
        line_with(&s, "Amendment (AMENDTDE)").contains("CREATED"),
        "{s}"
    );
    assert!(d.app.is_watched(0, &id));

    // re-read until it settles
    let new_id = new.id.clone();
    for _ in 0..200 {
        sim.advance_world();
        let settled = d
            .pump_until(std::time::Duration::from_millis(50), |app| {
                !app.is_watched(0, &id)
            })
            .await;
        if settled.is_ok() {
            break;
        }
    }
    d.pump_until(WAIT, |app| !app.is_watched(0, &id))
        .await
        .expect("re-read until it leaves CREATED/IN_PROGRESS");
    let listed = d.app.store().orgs[0].actions[&id].actions.clone().unwrap();
    let settled = listed
        .iter()
        .find(|a| a.id == new_id)
        .expect("still listed");
    assert!(!settled.status.is_pending(), "{settled:?}");
}

#[tokio::test]
async fn a_conflict_is_shown_beside_the_form_which_is_kept() {
    let (sim, mut d) = start().await;
    let id = open_active(&sim, &mut d).await;
    let send = |d: &mut Driver, qty: &str| {
        d.key(KeyCode::Char('a'));
        d.keys(qty);
        d.key(KeyCode::Enter);
        d.key(KeyCode::Enter);
        d.key(KeyCode::Char('y'));
    };
    send(&mut d, "5");
    d.pump_until(WAIT, |app| matches!(app.mode(), Mode::Account(_)))
        .await
        .expect("created");
    send(&mut d, "6");
    d.pump_until(WAIT, |app| {
        app.action_form()
            .is_some_and(|f| f.pending.is_none() && f.status.is_some())
    })
    .await
    .expect("the conflict comes back");
    let s = d.screen();
    assert!(s.contains("Not created"), "{s}");
    assert!(s.contains("409 Conflict"), "{s}");
    assert!(s.contains("Contract action already pending"), "{s}");
    assert!(
        s.contains("fails."),
        "the whole message shows, wrapped:\n{s}"
    );
    let form = d.app.action_form().expect("the form is kept");
    assert_eq!(form.quantity, "6");
    assert!(!form.confirming);
    assert_eq!(sim.stats().action_posts, 2);
    assert!(d.app.store().orgs[0].actions[&id].actions.is_some());
}

#[tokio::test]
async fn read_only_hides_the_write_keys_says_why_and_sends_nothing() {
    let (sim, mut d) = start().await;
    let org = sim.organizations()[0].name.clone();
    d.app
        .set_read_only(vec![Some(format!("{org} is read-only (--read-only)"))]);
    let s = d.screen();
    assert!(
        line_with(&s, &org).contains("read-only") || s.contains("· read-only"),
        "{s}"
    );
    d.key(KeyCode::Char('?'));
    let s = d.screen();
    assert!(
        !s.contains("new trial in this organization"),
        "n is hidden:\n{s}"
    );
    assert!(s.contains("Read-only here"), "{s}");
    d.key(KeyCode::Esc);

    d.key(KeyCode::Char('n'));
    let s = d.screen();
    assert!(matches!(d.app.mode(), Mode::Table), "no form opens");
    assert!(s.contains("is read-only (--read-only)"), "says why:\n{s}");

    let _ = open_active(&sim, &mut d).await;
    let s = d.screen();
    assert!(s.contains("· read-only"), "{s}");
    d.key(KeyCode::Char('?'));
    let s = d.screen();
    assert!(!s.contains("new contract action"), "a is hidden:\n{s}");
    d.key(KeyCode::Esc);
    d.key(KeyCode::Char('a'));
    let s = d.screen();
    assert!(matches!(d.app.mode(), Mode::Account(_)), "no form opens");
    assert!(
        s.contains("trials and contract actions are not sent"),
        "{s}"
    );
    let stats = sim.stats();
    assert_eq!((stats.action_posts, stats.provisioning_posts), (0, 0));
}

#[tokio::test]
async fn a_missing_scope_is_shown_beside_the_form_naming_it() {
    let (sim, mut d) = start().await;
    let _ = open_active(&sim, &mut d).await;
    sim.withhold_scopes(0, &["express-accounts-contracts-actions:write"]);
    sim.revoke_tokens();
    d.key(KeyCode::Char('a'));
    d.key(KeyCode::Left);
    assert_eq!(
        d.app.action_form().map(|f| f.kind().clone()),
        Some(ActionType::Cancel)
    );
    d.key(KeyCode::Enter);
    d.key(KeyCode::Enter);
    d.key(KeyCode::Enter);
    let s = d.screen();
    assert!(
        line_with(&s, "Body").contains(r#"{"action_type":"CANCELTDE"}"#),
        "{s}"
    );
    d.key(KeyCode::Enter);
    d.pump_until(WAIT, |app| {
        app.action_form()
            .is_some_and(|f| f.pending.is_none() && f.status.is_some())
    })
    .await
    .expect("the refusal comes back");
    let s = d.screen();
    assert!(s.contains("403 Forbidden"), "{s}");
    assert!(
        s.contains("express-accounts-contracts-actions:write"),
        "{s}"
    );
    // the revoked token's 401 (refused before processing) is retried once with a new
    // token, which lacks the scope: 403, not retried
    assert_eq!(sim.stats().action_posts, 2);
    assert!(d.app.action_form().is_some(), "the form is kept");
}
