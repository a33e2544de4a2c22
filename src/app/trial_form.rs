//! The trial form's state: what was typed, the focus, the Trial Agreement checkbox, the
//! faults to show, and the request in flight. Validation is [`crate::trial`]'s; this
//! only decides what to show and when sending is allowed.

use crate::api::model::TrialRequest;
use crate::store::TrialFailure;
use crate::trial::currencies::{self, Currency};
use crate::trial::{Field, TrialDraft, validate_field};

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
        }
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

    pub fn input(&mut self, c: char) {
        self.edit(|text| text.push(c));
    }

    pub fn delete(&mut self) {
        self.edit(|text| {
            text.pop();
        });
    }

    pub fn clear(&mut self) {
        self.edit(String::clear);
    }

    fn edit(&mut self, change: impl FnOnce(&mut String)) {
        let Focus::Field(field) = self.focus else {
            return;
        };
        change(self.draft.get_mut(field));
        self.touch(field);
        self.server_errors.retain(|(f, _)| *f != field);
        if field == Field::CurrencyIsoCode {
            self.suggestion = 0;
        }
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
    }

    /// Space: ticks or unticks the agreement when it has the focus; a space in a field.
    pub fn space(&mut self) {
        match self.focus {
            Focus::Agreement => self.agreement = !self.agreement,
            Focus::Field(_) => self.input(' '),
            Focus::Submit => {}
        }
    }

    /// Moves the highlighted currency suggestion.
    pub fn suggest(&mut self, delta: isize) {
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
            self.edit(|text| {
                text.clear();
                text.push_str(code);
            });
        }
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
}
