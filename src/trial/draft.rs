//! A trial request as a form holds it (text per field) and its conversion to a
//! [`TrialRequest`].

use serde_json::{Map, Value};

use crate::api::model::{FieldError, TrialRequest};

use super::field::Field;
use super::validate::{self, EDITIONS};

/// What a person typed, field by field. Nothing is checked until
/// [`TrialDraft::to_request`] (or [`validate::validate_request`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrialDraft {
    pub account_name: String,
    pub admin_email: String,
    pub admin_name: String,
    pub company_name: String,
    pub currency_iso_code: String,
    pub num_licenses: String,
    pub phone_number: String,
    pub website_url: String,
    /// Blank means `EXPRESS`.
    pub edition: String,
    /// Optional; blank is left out of the request.
    pub external_data: String,
}

/// Empty fields, the edition pre-filled with `EXPRESS`.
impl Default for TrialDraft {
    fn default() -> Self {
        Self {
            account_name: String::new(),
            admin_email: String::new(),
            admin_name: String::new(),
            company_name: String::new(),
            currency_iso_code: String::new(),
            num_licenses: String::new(),
            phone_number: String::new(),
            website_url: String::new(),
            edition: EDITIONS[0].to_owned(),
            external_data: String::new(),
        }
    }
}

impl TrialDraft {
    /// The text of one field.
    pub fn get(&self, field: Field) -> &str {
        match field {
            Field::AccountName => &self.account_name,
            Field::AdminEmail => &self.admin_email,
            Field::AdminName => &self.admin_name,
            Field::CompanyName => &self.company_name,
            Field::CurrencyIsoCode => &self.currency_iso_code,
            Field::NumLicenses => &self.num_licenses,
            Field::PhoneNumber => &self.phone_number,
            Field::WebsiteUrl => &self.website_url,
            Field::Edition => &self.edition,
            Field::ExternalData => &self.external_data,
        }
    }

    /// The text of one field, to edit in place.
    pub fn get_mut(&mut self, field: Field) -> &mut String {
        match field {
            Field::AccountName => &mut self.account_name,
            Field::AdminEmail => &mut self.admin_email,
            Field::AdminName => &mut self.admin_name,
            Field::CompanyName => &mut self.company_name,
            Field::CurrencyIsoCode => &mut self.currency_iso_code,
            Field::NumLicenses => &mut self.num_licenses,
            Field::PhoneNumber => &mut self.phone_number,
            Field::WebsiteUrl => &mut self.website_url,
            Field::Edition => &mut self.edition,
            Field::ExternalData => &mut self.external_data,
        }
    }

    /// Every fault, as [`validate::validate_request`].
    pub fn validate(&self) -> Vec<FieldError> {
        validate::validate_request(self)
    }

    /// The request to send, with normalised values, or every fault. The Talkdesk Services
    /// Trial Agreement is not part of the draft: pass whether the user accepted it (the
    /// client refuses to send a request without it).
    pub fn to_request(
        &self,
        trial_agreement_accepted: bool,
    ) -> Result<TrialRequest, Vec<FieldError>> {
        let faults = self.validate();
        match self.build(trial_agreement_accepted) {
            Some(request) if faults.is_empty() => Ok(request),
            _ => Err(faults),
        }
    }

    /// The normalised request, when every field is valid.
    fn build(&self, trial_agreement_accepted: bool) -> Option<TrialRequest> {
        Some(TrialRequest {
            account_name: validate::account_name(&self.account_name).ok()?,
            admin_email: validate::admin_email(&self.admin_email).ok()?,
            admin_name: validate::admin_name(&self.admin_name).ok()?,
            company_name: validate::company_name(&self.company_name).ok()?,
            currency_iso_code: validate::currency_iso_code(&self.currency_iso_code)
                .ok()?
                .code
                .to_owned(),
            num_licenses: validate::num_licenses(&self.num_licenses).ok()?,
            phone_number: validate::phone_number(&self.phone_number).ok()?,
            website_url: validate::website_url(&self.website_url).ok()?,
            edition: validate::edition(&self.edition).ok()?.to_owned(),
            external_data: validate::external_data(&self.external_data).ok()?,
            trial_agreement_accepted,
        })
    }

    /// Reads one request body as the API names its fields (a line of a batch file).
    ///
    /// Strings are taken as typed and numbers as their text (so `num_licenses` may be
    /// `10` or `"10"`); a missing or null field is blank. A value of another type, a key
    /// that is not a request field, or a line that is not a JSON object is a fault.
    pub fn from_json(text: &str) -> Result<TrialDraft, Vec<FieldError>> {
        let object: Map<String, Value> = serde_json::from_str(text).map_err(|e| {
            vec![FieldError::new(
                "line",
                format!("is not a JSON object of request fields ({e})"),
            )]
        })?;
        Self::from_object(&object)
    }

    /// Like [`TrialDraft::from_json`], from a parsed object.
    pub fn from_object(object: &Map<String, Value>) -> Result<TrialDraft, Vec<FieldError>> {
        let mut draft = TrialDraft {
            edition: String::new(),
            ..TrialDraft::default()
        };
        let mut faults = Vec::new();
        for (key, value) in object {
            let Some(field) = Field::from_api_name(key) else {
                faults.push(FieldError::new(
                    key.as_str(),
                    "is not a field of a trial request",
                ));
                continue;
            };
            match value {
                Value::String(s) => *draft.get_mut(field) = s.clone(),
                Value::Number(n) => *draft.get_mut(field) = n.to_string(),
                Value::Null => {}
                _ => faults.push(FieldError::new(
                    key.as_str(),
                    "must be a string or a number",
                )),
            }
        }
        if faults.is_empty() {
            Ok(draft)
        } else {
            Err(faults)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> TrialDraft {
        TrialDraft {
            account_name: " JosephPinetrees ".into(),
            admin_email: "john.doe@josephpinetrees.com".into(),
            admin_name: "John Doe".into(),
            company_name: "Joseph Pinetree".into(),
            currency_iso_code: "usd".into(),
            num_licenses: "10".into(),
            phone_number: "+351 489 489 948".into(),
            website_url: "https://www.josephpinetrees.com".into(),
            edition: "express".into(),
            external_data: String::new(),
        }
    }

    #[test]
    fn a_good_draft_becomes_a_normalised_request() {
        let request = example().to_request(true).unwrap();
        assert_eq!(request.account_name, "JosephPinetrees");
        assert_eq!(request.currency_iso_code, "USD");
        assert_eq!(request.num_licenses, 10);
        assert_eq!(request.phone_number, "+351489489948");
        assert_eq!(request.edition, "EXPRESS");
        assert_eq!(request.external_data, None);
        assert!(request.trial_agreement_accepted);
        assert!(
            request.validate().is_empty(),
            "the client's own check agrees"
        );
        assert!(
            !example()
                .to_request(false)
                .unwrap()
                .trial_agreement_accepted
        );
    }

    #[test]
    fn every_fault_is_named_in_form_order() {
        let draft = TrialDraft {
            admin_email: "john".into(),
            num_licenses: "ten".into(),
            ..example()
        };
        let faults = draft.to_request(true).unwrap_err();
        let names: Vec<&str> = faults.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["admin_email", "num_licenses"]);
        let empty = TrialDraft::default().validate();
        let required: Vec<&str> = Field::ALL
            .iter()
            .filter(|f| f.required())
            .map(|f| f.api_name())
            .collect();
        let named: Vec<&str> = empty.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(named, required);
    }

    #[test]
    fn fields_are_reachable_by_name() {
        let mut draft = TrialDraft::default();
        for f in Field::ALL {
            *draft.get_mut(f) = f.api_name().to_owned();
        }
        for f in Field::ALL {
            assert_eq!(draft.get(f), f.api_name());
        }
    }

    #[test]
    fn json_lines_take_api_names_numbers_and_nulls() {
        let draft = TrialDraft::from_json(
            r#"{"account_name":"Abc","num_licenses":10,"external_data":null,"admin_email":"a@b.co"}"#,
        )
        .unwrap();
        assert_eq!(draft.account_name, "Abc");
        assert_eq!(draft.num_licenses, "10");
        assert_eq!(draft.external_data, "");
        assert_eq!(draft.edition, "", "a missing edition is blank, so EXPRESS");
        let faults =
            TrialDraft::from_json(r#"{"account_name":["x"],"admin_mail":"a@b.co"}"#).unwrap_err();
        let names: Vec<&str> = faults.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["account_name", "admin_mail"]);
        assert_eq!(TrialDraft::from_json("[1]").unwrap_err()[0].name, "line");
        assert_eq!(TrialDraft::from_json("{").unwrap_err()[0].name, "line");
    }
}
