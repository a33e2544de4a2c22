//! Screen tests of the trial form: the real app and sync engine with the simulator
//! behind them over loopback, drawn into a TestBackend; waits are on the update
//! channel with deadlines.

mod screen_support;

use screen_support::WAIT;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use tdbi::app::driver::Driver;
use tdbi::app::{App, Focus, Mode};
use tdbi::sim::SimHandle;
use tdbi::trial::Field;

async fn start() -> (SimHandle, Driver) {
    screen_support::start(5, 12, 160, 45).await
}

fn line_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen.lines().find(|l| l.contains(needle)).unwrap_or("")
}

fn form(app: &App) -> &tdbi::app::TrialForm {
    app.trial_form().expect("the form is open")
}

/// Types `text` into the focused field, then Tab.
fn field(d: &mut Driver, text: &str) {
    d.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL);
    d.keys(text);
    d.key(KeyCode::Tab);
}

/// Fills every field validly (account name `name`, currency `currency`), focus ends on
/// the agreement.
fn fill(d: &mut Driver, name: &str, currency: &str) {
    while form(&d.app).focus != Focus::Field(Field::AccountName) {
        d.key(KeyCode::Tab);
    }
    field(d, name);
    field(d, "john.doe@example.com");
    field(d, "John Doe");
    field(d, "Joseph Pinetree");
    field(d, currency);
    field(d, "10");
    field(d, "+351489489948");
    field(d, "https://www.example.com");
    field(d, "EXPRESS");
    field(d, "Salesforce_id:2142141");
    assert_eq!(form(&d.app).focus, Focus::Agreement);
}

#[tokio::test]
async fn validation_as_you_type_and_submit_blocked_until_the_agreement_is_ticked() {
    let (sim, mut d) = start().await;
    let before = sim.accounts(0).len();
    d.key(KeyCode::Char('n'));
    let s = d.screen();
    let org = sim.organizations()[0].name.clone();
    assert!(s.contains(&format!("New trial in {org}")), "{s}");
    assert!(
        s.contains("The customer must accept the Talkdesk Services Trial Agreement"),
        "{s}"
    );
    assert!(
        line_with(&s, "accepted the Trial Agreement").contains("[ ]"),
        "starts unchecked:\n{s}"
    );

    // messages beside the fields, as typed
    d.keys("1abc");
    let s = d.screen();
    assert!(
        line_with(&s, "Account name").contains("must start with a letter"),
        "{s}"
    );
    d.key(KeyCode::Tab);
    d.keys("john");
    let s = d.screen();
    assert!(line_with(&s, "Admin e-mail").contains("✗"), "{s}");
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.keys("eu");
    let s = d.screen();
    assert!(s.contains("EUR Euro"), "currency suggestions:\n{s}");
    d.key(KeyCode::Right);
    assert_eq!(form(&d.app).draft.currency_iso_code, "EUR");
    d.key(KeyCode::Tab);
    d.keys("0");
    let s = d.screen();
    assert!(line_with(&s, "Licenses").contains("✗"), "{s}");

    // every field valid, agreement unticked: submit stays disabled
    fill(&mut d, "ScreenTrialOne", "USD");
    let s = d.screen();
    assert!(line_with(&s, "[ Submit ]").contains("disabled"), "{s}");
    d.key_with(KeyCode::Char('s'), KeyModifiers::CONTROL);
    let s = d.screen();
    assert!(!form(&d.app).confirming);
    assert!(s.contains("Submit is disabled"), "{s}");
    assert!(!s.contains("Send this trial request?"), "{s}");

    // Space ticks it; the confirmation summarises the request
    d.key(KeyCode::Char(' '));
    let s = d.screen();
    assert!(
        line_with(&s, "accepted the Trial Agreement").contains("[x]"),
        "{s}"
    );
    assert!(!line_with(&s, "[ Submit ]").contains("disabled"), "{s}");
    d.key_with(KeyCode::Char('s'), KeyModifiers::CONTROL);
    let s = d.screen();
    assert!(s.contains("Send this trial request?"), "{s}");
    assert!(
        line_with(&s, "Account name").contains("ScreenTrialOne"),
        "{s}"
    );
    assert!(
        s.contains("+351489489948") && s.contains("Salesforce_id:2142141"),
        "{s}"
    );

    // back out: nothing was sent; Esc keeps the draft for n
    d.key(KeyCode::Esc);
    d.key(KeyCode::Esc);
    assert_eq!(d.app.mode(), &Mode::Table);
    assert!(d.screen().contains("draft kept"));
    d.key(KeyCode::Char('n'));
    assert_eq!(form(&d.app).draft.account_name, "ScreenTrialOne");
    assert!(form(&d.app).agreement);
    assert_eq!(sim.accounts(0).len(), before, "nothing sent");
}

#[tokio::test]
async fn a_server_field_error_shows_beside_its_field_and_the_input_is_kept() {
    let (sim, mut d) = start().await;
    let before = sim.accounts(0).len();
    d.key(KeyCode::Char('n'));
    // MAD is ISO 4217 (the form's list) but the simulator refuses it
    fill(&mut d, "ScreenTrialMad", "MAD");
    d.key(KeyCode::Char(' '));
    d.key_with(KeyCode::Char('s'), KeyModifiers::CONTROL);
    d.key(KeyCode::Enter);
    assert!(form(&d.app).pending.is_some());
    d.pump_until(WAIT, |app| {
        app.trial_form().is_some_and(|f| f.pending.is_none())
    })
    .await
    .unwrap();
    let s = d.screen();
    let currency = line_with(&s, "Currency");
    assert!(
        currency.contains("MAD") && currency.contains("✗ server:"),
        "{s}"
    );
    assert_eq!(form(&d.app).focus, Focus::Field(Field::CurrencyIsoCode));
    let kept = &form(&d.app).draft;
    assert_eq!(kept.account_name, "ScreenTrialMad");
    assert_eq!(kept.external_data, "Salesforce_id:2142141");
    assert!(form(&d.app).agreement);
    assert!(line_with(&s, "[ Submit ]").contains("disabled"), "{s}");

    // fixing the field clears the server's message; a taken name lands beside the name
    d.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL);
    d.keys("EUR");
    let taken = sim.accounts(0)[0].name.clone();
    while form(&d.app).focus != Focus::Field(Field::AccountName) {
        d.key(KeyCode::BackTab);
    }
    d.key_with(KeyCode::Char('u'), KeyModifiers::CONTROL);
    d.keys(&taken);
    d.key_with(KeyCode::Char('s'), KeyModifiers::CONTROL);
    d.key(KeyCode::Char('y'));
    d.pump_until(WAIT, |app| {
        app.trial_form().is_some_and(|f| f.pending.is_none())
    })
    .await
    .unwrap();
    let s = d.screen();
    assert!(line_with(&s, "Account name").contains("✗ server:"), "{s}");
    assert!(line_with(&s, "Account name").contains(&taken), "{s}");
    assert_eq!(sim.accounts(0).len(), before);
}

#[tokio::test]
async fn success_shows_the_account_in_trial_at_once_and_sends_once() {
    let (sim, mut d) = start().await;
    let before = sim.accounts(0).len();
    d.key(KeyCode::Char('n'));
    fill(&mut d, "ScreenTrialOk", "usd");
    d.key(KeyCode::Char(' '));
    d.key_with(KeyCode::Char('s'), KeyModifiers::CONTROL);
    d.key(KeyCode::Enter);
    // a second submit while the first is in flight sends nothing
    d.key_with(KeyCode::Char('s'), KeyModifiers::CONTROL);
    d.key(KeyCode::Enter);
    d.key(KeyCode::Char('y'));
    assert!(d.screen().contains("one request at a time"));
    d.pump_until(WAIT, |app| app.mode() == &Mode::Table)
        .await
        .unwrap();
    let org = &d.app.store().orgs[0];
    let created = org
        .accounts
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case("ScreenTrialOk"))
        .expect("the new account is listed at once");
    assert_eq!(created.status.as_str(), "IN_TRIAL");
    let id = created.id.clone();
    let s = d.screen();
    assert!(
        s.contains(&format!("id {id}")),
        "the id on the status line:\n{s}"
    );
    assert_eq!(sim.accounts(0).len(), before + 1, "created once");
    // the refresh it asked for confirms it
    d.pump_until(WAIT, |app| {
        app.store().orgs[0]
            .account(&id)
            .is_some_and(|a| a.name == "screentrialok")
    })
    .await
    .unwrap();
    d.key(KeyCode::Char('/'));
    d.keys("screentrialok");
    let s = d.screen();
    assert!(line_with(&s, &id).contains("IN_TRIAL"), "{s}");
}

/// Ctrl-C quits from the confirmation step too (as everywhere), sending nothing.
#[tokio::test]
async fn ctrl_c_in_the_confirmation_quits_without_sending() {
    let (sim, mut d) = start().await;
    d.key(KeyCode::Char('n'));
    fill(&mut d, "QuitAtConfirm", "USD");
    d.key(KeyCode::Char(' '));
    d.key_with(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(form(&d.app).confirming, "{}", d.screen());
    d.key_with(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(d.app.should_quit());
    assert_eq!(sim.stats().provisioning_posts, 0);
}
