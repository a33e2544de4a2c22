//! The trial form's state: what was typed, the focus, the Trial Agreement checkbox, the
//! faults to show, and the request in flight. Validation is [`crate::trial`]'s; this
//! only decides what to show and when sending is allowed.

use tui_input::InputRequest;

use crate::api::model::TrialRequest;
use crate::store::TrialFailure;
use crate::trial::currencies::{self, Currency};
use crate::trial::validate::EDITIONS;
use crate::trial::{Field, TrialDraft, validate_field};

use super::text_input;

/// The text the form shows above its checkbox.
pub const AGREEMENT_TEXT: &str = "The customer must accept the Talkdesk Services Trial Agreement";
/// Currency suggestions shown at once.
pub const SUGGESTIONS: usize = 5;

/// What has the form's focus: a field, the agreement checkbox or the submit button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Field(Field),
    Agreement,
    Submit,
}

impl Focus {
    /// Every stop, in order.
    fn all() -> impl Iterator<Item = Focus> {
        Field::ALL
            .into_iter()
            .map(Focus::Field)
            .chain([Focus::Agreement, Focus::Submit])
    }
}

/// The form's one-line message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormStatus {
    pub text: String,
    pub error: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrialForm {
    /// The organization the trial is created under.
    pub org: usize,
    pub draft: TrialDraft,
    pub focus: Focus,
    /// The customer accepted the Trial Agreement; starts unchecked.
    pub agreement: bool,
    /// Fields typed into or left: their faults are shown.
    touched: Vec<Field>,
    /// Faults the server reported, beside their fields, until the field is edited.
    server_errors: Vec<(Field, String)>,
    pub status: Option<FormStatus>,
    /// The request in flight (its number), if any: at most one.
    pub pending: Option<u64>,
    /// The confirmation step is showing.
    pub confirming: bool,
    /// Highlighted currency suggestion.
    pub suggestion: usize,
    /// The cursor in the focused field (chars before it).
    pub cursor: usize,
}

impl TrialForm {
    pub fn new(org: usize) -> Self {
        TrialForm {
            org,
            draft: TrialDraft::default(),
            focus: Focus::Field(Field::ALL[0]),
            agreement: false,
            touched: Vec::new(),
            server_errors: Vec::new(),
            status: None,
            pending: None,
            confirming: false,
            suggestion: 0,
            cursor: 0,
        }
    }

    /// The form with the currency field pre-filled (e.g. from the organization's region).
    pub fn with_currency(mut self, code: &str) -> Self {
        self.draft.currency_iso_code = code.to_owned();
        self
    }

    /// The fault to show beside `field`: the server's, else the check's once the field
    /// was typed into or left.
    pub fn fault(&self, field: Field) -> Option<String> {
        if let Some((_, why)) = self.server_errors.iter().find(|(f, _)| *f == field) {
            return Some(why.clone());
        }
        if !self.touched.contains(&field) {
            return None;
        }
        validate_field(field, self.draft.get(field)).err()
    }

    /// Whether a fault beside `field` came from the server.
    pub fn is_server_fault(&self, field: Field) -> bool {
        self.server_errors.iter().any(|(f, _)| *f == field)
    }

    /// Every field passes the checks (server faults included).
    pub fn is_valid(&self) -> bool {
        self.server_errors.is_empty() && self.draft.validate().is_empty()
    }

    /// Why submit is disabled, or `None` when it is enabled.
    pub fn blocked(&self) -> Option<String> {
        if self.pending.is_some() {
            return Some("sending… (one request at a time)".to_owned());
        }
        let faults: Vec<&'static str> = Field::ALL
            .into_iter()
            .filter(|f| self.is_server_fault(*f) || validate_field(*f, self.draft.get(*f)).is_err())
            .map(Field::label)
            .collect();
        if !faults.is_empty() {
            return Some(format!("fix: {}", faults.join(", ")));
        }
        if !self.agreement {
            return Some(
                "the customer must accept the Trial Agreement (Space ticks it)".to_owned(),
            );
        }
        None
    }

    /// Currencies matching the currency field, best first.
    pub fn suggestions(&self) -> Vec<&'static Currency> {
        currencies::search(self.draft.get(Field::CurrencyIsoCode))
    }

    // ---- editing ----

    /// Types `c` at the cursor.
    pub fn input(&mut self, c: char) {
        self.edit_text(InputRequest::InsertChar(c));
    }

    /// Backspace.
    pub fn delete(&mut self) {
        self.edit_text(InputRequest::DeletePrevChar);
    }

    /// Empties the focused field.
    pub fn clear(&mut self) {
        self.edit_text(InputRequest::DeleteLine);
    }

    /// Carries out an editing request (cursor move or change) on the focused field.
    pub fn edit_text(&mut self, request: InputRequest) {
        self.edit(|text, cursor| text_input::apply(text, cursor, request));
    }

    /// Inserts pasted text at the cursor of the focused field.
    pub fn paste(&mut self, pasted: &str) {
        self.edit(|text, cursor| text_input::paste(text, cursor, pasted));
    }

    /// Applies `change` to the focused field and its cursor; a change of the text marks
    /// the field as touched and drops its server fault.
    fn edit(&mut self, change: impl FnOnce(&mut String, &mut usize) -> bool) {
        let Focus::Field(field) = self.focus else {
            return;
        };
        if !change(self.draft.get_mut(field), &mut self.cursor) {
            return;
        }
        self.touch(field);
        self.server_errors.retain(|(f, _)| *f != field);
        if field == Field::CurrencyIsoCode {
            self.suggestion = 0;
        }
    }

    /// Replaces the focused field's text, the cursor at its end.
    fn replace(&mut self, value: &str) {
        self.edit(|text, cursor| {
            let changed = text != value;
            *text = value.to_owned();
            *cursor = text.chars().count();
            changed
        });
    }

    fn touch(&mut self, field: Field) {
        if !self.touched.contains(&field) {
            self.touched.push(field);
        }
    }

    /// Moves the focus by `delta` stops (wrapping), marking the field left as touched.
    pub fn move_focus(&mut self, delta: isize) {
        if let Focus::Field(f) = self.focus {
            self.touch(f);
        }
        let stops: Vec<Focus> = Focus::all().collect();
        let at = stops.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = stops.len() as isize;
        self.focus = stops[((at as isize + delta).rem_euclid(n)) as usize];
        if let Focus::Field(f) = self.focus {
            self.cursor = self.draft.get(f).chars().count();
        }
    }

    /// Space: ticks or unticks the agreement when it has the focus; a space in a field.
    pub fn space(&mut self) {
        match self.focus {
            Focus::Agreement => self.agreement = !self.agreement,
            Focus::Field(_) => self.input(' '),
            Focus::Submit => {}
        }
    }

    /// Ctrl-N / Ctrl-P: the next or previous currency suggestion, or edition.
    pub fn suggest(&mut self, delta: isize) {
        if self.focus == Focus::Field(Field::Edition) {
            self.cycle_edition(delta);
            return;
        }
        let n = self.suggestions().len().min(SUGGESTIONS);
        if n > 0 {
            self.suggestion = (self.suggestion as isize + delta).rem_euclid(n as isize) as usize;
        }
    }

    /// Takes the highlighted currency suggestion (on the currency field).
    pub fn complete(&mut self) {
        if self.focus != Focus::Field(Field::CurrencyIsoCode) {
            return;
        }
        let pick = self.suggestions().get(self.suggestion).map(|c| c.code);
        if let Some(code) = pick {
            self.replace(code);
        }
    }

    /// `→` / `←`: on the edition, its next / previous known value (while the text is
    /// blank or a known value); on the currency at the end of the text, `→` takes the
    /// suggestion; elsewhere the cursor moves.
    pub fn arrow(&mut self, delta: isize) {
        let at_end = self.cursor >= self.draft.get(Field::CurrencyIsoCode).chars().count();
        match self.focus {
            Focus::Field(Field::Edition) if self.edition_index().is_some() => {
                self.cycle_edition(delta)
            }
            Focus::Field(Field::CurrencyIsoCode) if delta > 0 && at_end => self.complete(),
            _ if delta > 0 => self.edit_text(InputRequest::GoToNextChar),
            _ => self.edit_text(InputRequest::GoToPrevChar),
        }
    }

    /// The edition's index in [`EDITIONS`] (blank is `EXPRESS`); `None` for other text.
    pub fn edition_index(&self) -> Option<usize> {
        let text = self.draft.edition.trim();
        if text.is_empty() {
            return Some(0);
        }
        EDITIONS.iter().position(|e| e.eq_ignore_ascii_case(text))
    }

    /// Moves the edition to the known value `delta` steps away (from `EXPRESS` when
    /// the text is not one), wrapping.
    fn cycle_edition(&mut self, delta: isize) {
        if self.focus != Focus::Field(Field::Edition) {
            return;
        }
        let at = self
            .edition_index()
            .map_or(if delta > 0 { -1 } else { 0 }, |i| i as isize);
        let next = (at + delta).rem_euclid(EDITIONS.len() as isize) as usize;
        self.replace(EDITIONS[next]);
    }

    /// Opens the confirmation step when submit is enabled; else says why not. Every
    /// field counts as touched from now on, so each fault shows.
    pub fn review(&mut self) {
        for f in Field::ALL {
            self.touch(f);
        }
        match self.blocked() {
            None => {
                self.confirming = true;
                self.status = None;
            }
            Some(why) => {
                self.status = Some(FormStatus {
                    text: format!("Submit is disabled: {why}"),
                    error: true,
                })
            }
        }
    }

    /// The request to send, when submit is enabled.
    pub fn request(&self) -> Option<TrialRequest> {
        if self.blocked().is_some() {
            return None;
        }
        self.draft.to_request(self.agreement).ok()
    }

    /// The request failed: its field faults go beside their fields, the rest on the
    /// status line; what was typed stays.
    pub fn failed(&mut self, failure: TrialFailure) {
        self.pending = None;
        self.confirming = false;
        let mut unplaced = Vec::new();
        for fault in failure.fields {
            match Field::from_api_name(&fault.name) {
                Some(field) => {
                    self.server_errors.retain(|(f, _)| *f != field);
                    self.server_errors.push((field, fault.description));
                    self.touch(field);
                }
                None => unplaced.push(format!("{}: {}", fault.name, fault.description)),
            }
        }
        let mut text = failure.message;
        if !unplaced.is_empty() {
            text = format!("{text} ({})", unplaced.join("; "));
        }
        if let Some((field, _)) = self.server_errors.first() {
            self.focus = Focus::Field(*field);
            self.cursor = self.draft.get(*field).chars().count();
        }
        self.status = Some(FormStatus { text, error: true });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::FieldError;

    fn filled() -> TrialForm {
        let mut form = TrialForm::new(0);
        form.draft = TrialDraft {
            account_name: "JosephPinetrees".into(),
            admin_email: "john@example.com".into(),
            admin_name: "John Doe".into(),
            company_name: "Joseph Pinetree".into(),
            currency_iso_code: "USD".into(),
            num_licenses: "10".into(),
            phone_number: "+351489489948".into(),
            website_url: "https://example.com".into(),
            ..TrialDraft::default()
        };
        form
    }

    #[test]
    fn faults_show_once_a_field_is_typed_into_or_left() {
        let mut form = TrialForm::new(0);
        assert_eq!(form.fault(Field::AccountName), None);
        form.input('1');
        assert!(
            form.fault(Field::AccountName)
                .is_some_and(|f| f.contains("start with a letter"))
        );
        form.move_focus(1);
        assert_eq!(form.focus, Focus::Field(Field::AdminEmail));
        assert!(form.fault(Field::AccountName).is_some());
        assert_eq!(form.fault(Field::AdminEmail), None);
        form.move_focus(-2);
        assert_eq!(form.focus, Focus::Submit, "wraps");
    }

    #[test]
    fn submit_waits_for_valid_fields_and_the_agreement() {
        let mut form = filled();
        assert!(
            form.blocked()
                .is_some_and(|b| b.contains("Trial Agreement"))
        );
        form.review();
        assert!(!form.confirming);
        form.focus = Focus::Agreement;
        form.space();
        assert!(form.agreement);
        assert_eq!(form.blocked(), None);
        assert!(form.request().is_some_and(|r| r.trial_agreement_accepted));
        form.review();
        assert!(form.confirming);
        form.pending = Some(1);
        assert!(form.request().is_none(), "one request in flight at most");
    }

    #[test]
    fn server_faults_sit_beside_their_fields_until_edited() {
        let mut form = filled();
        form.agreement = true;
        form.failed(TrialFailure {
            message: "Validation failed".into(),
            fields: vec![
                FieldError::new("currency_iso_code", "not supported"),
                FieldError::new("mystery", "odd"),
            ],
        });
        assert_eq!(
            form.fault(Field::CurrencyIsoCode).as_deref(),
            Some("not supported")
        );
        assert_eq!(form.focus, Focus::Field(Field::CurrencyIsoCode));
        let status = form.status.clone().unwrap();
        assert!(
            status.error && status.text.contains("mystery: odd"),
            "{status:?}"
        );
        assert_eq!(form.draft.currency_iso_code, "USD", "the input is kept");
        assert!(form.blocked().is_some());
        form.delete();
        form.input('D');
        assert_eq!(form.fault(Field::CurrencyIsoCode), None);
    }

    #[test]
    fn currency_completion_from_the_list() {
        let mut form = TrialForm::new(0);
        form.focus = Focus::Field(Field::CurrencyIsoCode);
        for c in "eu".chars() {
            form.input(c);
        }
        assert_eq!(form.suggestions().first().map(|c| c.code), Some("EUR"));
        form.complete();
        assert_eq!(form.draft.currency_iso_code, "EUR");
        form.clear();
        form.input('d');
        form.suggest(1);
        let second = form.suggestions()[1].code;
        form.complete();
        assert_eq!(form.draft.currency_iso_code, second);
    }

    #[test]
    fn home_then_typing_inserts_at_the_start_of_the_field() {
        let mut form = TrialForm::new(0);
        form.focus = Focus::Field(Field::WebsiteUrl);
        form.paste("www.uxtest.com");
        form.edit_text(InputRequest::GoToStart);
        for c in "https://".chars() {
            form.input(c);
        }
        assert_eq!(form.draft.website_url, "https://www.uxtest.com");
        form.edit_text(InputRequest::GoToEnd);
        form.edit_text(InputRequest::DeletePrevWord);
        assert_eq!(
            form.draft.website_url, "https://",
            "a host name is one word"
        );
        form.clear();
        assert_eq!(form.draft.website_url, "");
    }

    #[test]
    fn moving_focus_puts_the_cursor_at_the_end_of_the_field() {
        let mut form = filled();
        form.focus = Focus::Field(Field::AdminName);
        form.move_focus(1);
        assert_eq!(form.cursor, "Joseph Pinetree".chars().count());
        form.edit_text(InputRequest::GoToPrevWord);
        form.paste("X ");
        assert_eq!(form.draft.company_name, "Joseph X Pinetree");
    }

    #[test]
    fn edition_cycles_through_its_known_values_and_stays_free_text() {
        let mut form = TrialForm::new(0);
        form.focus = Focus::Field(Field::Edition);
        assert_eq!(form.draft.edition, "EXPRESS");
        form.arrow(1);
        assert_eq!(form.draft.edition, "ESSENTIALS");
        form.arrow(-1);
        form.arrow(-1);
        assert_eq!(form.draft.edition, "ELITE", "wraps");
        form.suggest(1);
        assert_eq!(form.draft.edition, "EXPRESS");
        form.clear();
        form.input('e');
        assert_eq!(form.edition_index(), None, "typed text is kept as typed");
        form.arrow(-1);
        assert_eq!((form.draft.edition.as_str(), form.cursor), ("e", 0));
        form.suggest(1);
        assert_eq!(form.draft.edition, "EXPRESS");
    }

    #[test]
    fn right_takes_the_currency_suggestion_only_at_the_end() {
        let mut form = TrialForm::new(0).with_currency("EU");
        form.focus = Focus::Field(Field::CurrencyIsoCode);
        form.cursor = 0;
        form.arrow(1);
        assert_eq!(
            (form.draft.currency_iso_code.as_str(), form.cursor),
            ("EU", 1)
        );
        form.arrow(1);
        form.arrow(1);
        assert_eq!(form.draft.currency_iso_code, "EUR");
    }
}
