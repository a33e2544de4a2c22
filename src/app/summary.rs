//! What an account's contract actions add up to, for the table's contract column.

use crate::api::model::{ActionStatus, ActionType, ContractAction};

/// Licenses and last action of one account, from its known contract actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractSummary<'a> {
    /// Quantity of the newest completed action (0 after a completed cancellation);
    /// `None` when no action completed (e.g. a trial).
    pub licenses: Option<i64>,
    /// The newest action of any status.
    pub last: Option<&'a ContractAction>,
}

/// Newest first by creation time (then update time); actions without times count as oldest.
fn newest<'a>(actions: impl Iterator<Item = &'a ContractAction>) -> Option<&'a ContractAction> {
    actions.max_by_key(|a| (a.created_at, a.updated_at))
}

pub fn summarize(actions: &[ContractAction]) -> ContractSummary<'_> {
    let completed = newest(
        actions
            .iter()
            .filter(|a| a.status == ActionStatus::Completed),
    );
    let licenses = completed.and_then(|a| match a.action_type {
        ActionType::Cancel => Some(0),
        _ => a.quantity,
    });
    ContractSummary {
        licenses,
        last: newest(actions.iter()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn action(t: &str, q: i64, s: &str, day: u32) -> ContractAction {
        ContractAction {
            id: format!("{t}{day}"),
            action_type: ActionType::from_raw(t),
            quantity: Some(q),
            status: ActionStatus::from_raw(s),
            status_message: String::new(),
            created_at: Utc.with_ymd_and_hms(2024, 1, day, 0, 0, 0).single(),
            updated_at: None,
        }
    }

    #[test]
    fn licenses_follow_the_newest_completed_action() {
        let a = [
            action("NEWTDE", 10, "COMPLETED", 1),
            action("AMENDTDE", 25, "COMPLETED", 5),
            action("AMENDTDE", 30, "IN_PROGRESS", 9),
        ];
        let s = summarize(&a);
        assert_eq!(s.licenses, Some(25));
        assert_eq!(s.last.map(|l| l.id.as_str()), Some("AMENDTDE9"));

        let cancelled = [
            action("NEWTDE", 10, "COMPLETED", 1),
            action("CANCELTDE", 10, "COMPLETED", 3),
        ];
        assert_eq!(summarize(&cancelled).licenses, Some(0));

        let trial = [action("NEWTDE", 5, "CREATED", 2)];
        assert_eq!(summarize(&trial).licenses, None);
        assert_eq!(summarize(&[]).last, None);
    }
}
