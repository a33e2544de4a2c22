//! The contract action form's state: the type (by name), the quantity as typed, the
//! focus, the confirmation step and the request in flight. The rules are
//! [`crate::contract`]'s; this only decides what to show and when sending is allowed.

use crate::api::model::{ActionType, NewContractAction};
use crate::contract::{self, TYPES};

use super::state::AccountView;
use super::trial_form::FormStatus;

/// What has the form's focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionFocus {
    Type,
    Quantity,
    Submit,
}

const STOPS: [ActionFocus; 3] = [
    ActionFocus::Type,
    ActionFocus::Quantity,
    ActionFocus::Submit,
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionForm {
    /// The account view the form was opened from (drawn beneath, back on Esc).
    pub view: AccountView,
    /// Index into [`TYPES`].
    kind: usize,
    pub quantity: String,
    pub focus: ActionFocus,
    /// The quantity was typed into or left: its fault shows.
    touched: bool,
    pub status: Option<FormStatus>,
    /// The request in flight (its number), if any: at most one.
    pub pending: Option<u64>,
    /// The confirmation step is showing.
    pub confirming: bool,
}

impl ActionForm {
    pub fn new(view: AccountView) -> Self {
        ActionForm {
            view,
            kind: 0,
            quantity: String::new(),
            focus: ActionFocus::Type,
            touched: false,
            status: None,
            pending: None,
            confirming: false,
        }
    }

    pub fn org(&self) -> usize {
        self.view.org
    }

    pub fn account_id(&self) -> &str {
        &self.view.id
    }

    pub fn kind(&self) -> &ActionType {
        &TYPES[self.kind % TYPES.len()]
    }

    /// The next (or previous) type, wrapping.
    pub fn cycle_type(&mut self, delta: isize) {
        let n = TYPES.len() as isize;
        self.kind = (self.kind as isize + delta).rem_euclid(n) as usize;
    }

    /// Why the quantity cannot be sent, once it was typed into or left.
    pub fn fault(&self) -> Option<String> {
        if !self.touched {
            return None;
        }
        contract::parse_quantity(self.kind(), &self.quantity).err()
    }

    /// The request to send, or why not.
    pub fn request(&self) -> Result<NewContractAction, String> {
        if self.pending.is_some() {
            return Err("sending… (one request at a time)".to_owned());
        }
        contract::request(self.kind().clone(), &self.quantity).map_err(|faults| {
            faults
                .into_iter()
                .map(|f| f.why)
                .collect::<Vec<_>>()
                .join("; ")
        })
    }

    // ---- editing ----

    /// A typed character goes into the quantity (a digit moves the focus there).
    pub fn input(&mut self, c: char) {
        if c.is_ascii_digit() && self.focus != ActionFocus::Quantity {
            self.focus = ActionFocus::Quantity;
        }
        if self.focus == ActionFocus::Quantity {
            self.quantity.push(c);
            self.edited();
        }
    }

    pub fn delete(&mut self) {
        if self.focus == ActionFocus::Quantity {
            self.quantity.pop();
            self.edited();
        }
    }

    pub fn clear(&mut self) {
        if self.focus == ActionFocus::Quantity {
            self.quantity.clear();
            self.edited();
        }
    }

    fn edited(&mut self) {
        self.touched = true;
        if self.status.as_ref().is_some_and(|s| s.error) && self.pending.is_none() {
            self.status = None;
        }
    }

    /// Moves the focus by `delta` stops (wrapping), marking the quantity as touched when left.
    pub fn move_focus(&mut self, delta: isize) {
        if self.focus == ActionFocus::Quantity {
            self.touched = true;
        }
        let at = STOPS.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        self.focus = STOPS[(at + delta).rem_euclid(STOPS.len() as isize) as usize];
    }

    /// Opens the confirmation step when the request can be sent; else says why not.
    pub fn review(&mut self) {
        self.touched = true;
        match self.request() {
            Ok(_) => {
                self.confirming = true;
                self.status = None;
            }
            Err(why) => {
                self.status = Some(FormStatus {
                    text: format!("Cannot review: {why}"),
                    error: true,
                })
            }
        }
    }

    /// The request failed (409, 404, 403, …): the server's message beside the form,
    /// what was chosen and typed stays.
    pub fn failed(&mut self, message: String) {
        self.pending = None;
        self.confirming = false;
        self.status = Some(FormStatus {
            text: format!("Not created: {message}"),
            error: true,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ActionForm {
        ActionForm::new(AccountView {
            org: 0,
            id: "abc".into(),
            scroll: 0,
            from: Default::default(),
        })
    }

    #[test]
    fn types_cycle_by_name_and_quantity_rules_follow_the_type() {
        let mut f = form();
        assert_eq!(f.kind().label(), "New subscription");
        f.cycle_type(-1);
        assert_eq!(f.kind().label(), "Cancellation");
        assert!(f.request().is_ok(), "a cancellation may omit the quantity");
        f.cycle_type(1);
        assert_eq!(
            f.request().unwrap_err(),
            "required for NEWTDE (New subscription)"
        );
        assert_eq!(f.fault(), None, "not shown before it is touched");
        f.input('0');
        assert_eq!(
            f.focus,
            ActionFocus::Quantity,
            "a digit goes to the quantity"
        );
        assert!(f.fault().is_some_and(|w| w.contains("1 to 10000")));
        f.delete();
        f.input('7');
        let sent = f.request().unwrap();
        assert_eq!(sent.quantity, Some(7));
    }

    #[test]
    fn review_then_failure_keeps_the_input() {
        let mut f = form();
        f.review();
        assert!(!f.confirming && f.status.as_ref().is_some_and(|s| s.error));
        f.input('3');
        f.review();
        assert!(f.confirming);
        f.pending = Some(1);
        assert!(f.request().is_err(), "one request in flight at most");
        f.failed("409 Conflict: Contract action already pending".into());
        assert!(!f.confirming && f.pending.is_none());
        assert_eq!(f.quantity, "3");
        assert!(f.status.unwrap().text.contains("409 Conflict"));
    }
}
