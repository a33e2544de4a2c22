//! Contract action requests without the screen: the three types by name, the quantity
//! rule and the exact request shown before sending. Shared by `tdbi contracts --create`
//! and the dashboard's action form, so both refuse the same inputs with the same words.

use crate::api::model::{ActionType, NewContractAction};

/// Most licences one action may ask for (the reference gives int32 and no bound; 10,000
/// matches the provisioning limit).
pub const MAX_QUANTITY: i32 = 10_000;

/// The types a user can create, in the order the form offers them.
pub const TYPES: [ActionType; 3] = [ActionType::New, ActionType::Amend, ActionType::Cancel];

/// The two inputs of a contract action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionField {
    Type,
    Quantity,
}

impl ActionField {
    /// The command-line flag that sets it.
    pub fn flag(self) -> &'static str {
        match self {
            Self::Type => "--create",
            Self::Quantity => "--quantity",
        }
    }

    /// The API's field name.
    pub fn api_name(self) -> &'static str {
        match self {
            Self::Type => "action_type",
            Self::Quantity => "quantity",
        }
    }

    /// The field of an API field name (a server validation error).
    pub fn from_api_name(name: &str) -> Option<Self> {
        [Self::Type, Self::Quantity]
            .into_iter()
            .find(|f| f.api_name() == name)
    }
}

/// One input that cannot be sent, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionFault {
    pub field: ActionField,
    pub why: String,
}

/// Whether `kind` must carry a quantity (a cancellation may omit it, as the reference
/// allows).
pub fn needs_quantity(kind: &ActionType) -> bool {
    !matches!(kind, ActionType::Cancel)
}

/// `NEWTDE`, `AMENDTDE` or `CANCELTDE` (any case).
pub fn parse_type(text: &str) -> Result<ActionType, String> {
    let upper = text.trim().to_ascii_uppercase();
    TYPES
        .into_iter()
        .find(|t| t.as_str() == upper)
        .ok_or_else(|| {
            format!(
                "expected one of NEWTDE (new subscription), AMENDTDE (amendment), CANCELTDE (cancellation), got \"{}\"",
                crate::api::error::one_line(text, 40)
            )
        })
}

/// The quantity for `kind` from `text` (empty: none, allowed for a cancellation only).
pub fn parse_quantity(kind: &ActionType, text: &str) -> Result<Option<i32>, String> {
    let text = text.trim();
    if text.is_empty() {
        return if needs_quantity(kind) {
            Err(format!("required for {} ({})", kind.as_str(), kind.label()))
        } else {
            Ok(None)
        };
    }
    let range = || {
        format!(
            "expected a whole number of licences from 1 to {MAX_QUANTITY}, got \"{}\"",
            crate::api::error::one_line(text, 20)
        )
    };
    let n: i32 = text
        .parse()
        .ok()
        .filter(|_| text.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(range)?;
    if (1..=MAX_QUANTITY).contains(&n) {
        Ok(Some(n))
    } else {
        Err(range())
    }
}

/// The request for a type and a quantity as typed; every fault when it cannot be sent.
pub fn build(kind: &str, quantity: Option<&str>) -> Result<NewContractAction, Vec<ActionFault>> {
    let kind = parse_type(kind).map_err(|why| {
        vec![ActionFault {
            field: ActionField::Type,
            why,
        }]
    })?;
    request(kind, quantity.unwrap_or(""))
}

/// The request for a known type and a quantity as typed.
pub fn request(kind: ActionType, quantity: &str) -> Result<NewContractAction, Vec<ActionFault>> {
    match parse_quantity(&kind, quantity) {
        Ok(quantity) => Ok(NewContractAction {
            action_type: kind,
            quantity,
        }),
        Err(why) => Err(vec![ActionFault {
            field: ActionField::Quantity,
            why,
        }]),
    }
}

/// The path the request goes to, relative to the API base URL.
pub fn path(account_id: &str) -> String {
    format!("/express/accounts/{account_id}/contracts/actions")
}

/// The JSON body exactly as sent.
pub fn body(action: &NewContractAction) -> String {
    serde_json::to_string(action).unwrap_or_else(|_| "{}".to_owned())
}

/// `POST /express/accounts/ID/contracts/actions {"action_type":…}`: the request in one line.
pub fn request_line(account_id: &str, action: &NewContractAction) -> String {
    format!("POST {} {}", path(account_id), body(action))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_by_code_any_case() {
        assert_eq!(parse_type("newtde"), Ok(ActionType::New));
        assert_eq!(parse_type(" AMENDTDE "), Ok(ActionType::Amend));
        let err = parse_type("RENEW").unwrap_err();
        assert!(err.contains("NEWTDE") && err.contains("\"RENEW\""), "{err}");
    }

    #[test]
    fn quantity_rules() {
        assert_eq!(parse_quantity(&ActionType::New, "12"), Ok(Some(12)));
        assert_eq!(parse_quantity(&ActionType::New, "10000"), Ok(Some(10_000)));
        assert_eq!(parse_quantity(&ActionType::Cancel, ""), Ok(None));
        assert_eq!(parse_quantity(&ActionType::Cancel, "3"), Ok(Some(3)));
        for bad in ["0", "10001", "-1", "+5", "1.5", "ten", "99999999999"] {
            assert!(parse_quantity(&ActionType::Amend, bad).is_err(), "{bad}");
        }
        let missing = parse_quantity(&ActionType::Amend, " ").unwrap_err();
        assert_eq!(missing, "required for AMENDTDE (Amendment)");
    }

    #[test]
    fn faults_name_their_field() {
        let faults = build("NEWTDE", Some("0")).unwrap_err();
        assert_eq!(faults[0].field.flag(), "--quantity");
        let faults = build("X", Some("3")).unwrap_err();
        assert_eq!(faults[0].field.flag(), "--create");
    }

    #[test]
    fn the_request_line_is_what_is_sent() {
        let cancel = build("CANCELTDE", None).unwrap();
        assert_eq!(
            request_line("abc", &cancel),
            r#"POST /express/accounts/abc/contracts/actions {"action_type":"CANCELTDE"}"#
        );
        let new = build("NEWTDE", Some("5")).unwrap();
        assert_eq!(body(&new), r#"{"action_type":"NEWTDE","quantity":5}"#);
    }
}
