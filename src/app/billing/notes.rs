//! One line per billing list that did not come in whole: refused (the scope is named),
//! failed with the last good rows still shown (stale), or failed with nothing to show.

use chrono::{DateTime, Utc};

use crate::billing::{BillingList, ListProblem};
use crate::view::without_org;

/// A list's problem as the section it feeds says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// e.g. `client lacks express-accounts-invoices:read: no invoices`.
    pub text: String,
    /// The list is shown from an earlier read, made at this time (stale).
    pub last_good: Option<DateTime<Utc>>,
}

/// The note of `list` (called `what`, e.g. "invoices"), prefixed with `org` when given
/// (a tab covering several organizations); `None` when its last read succeeded.
pub fn list_note<T>(list: &BillingList<T>, what: &str, org: Option<&str>) -> Option<Note> {
    let problem = list.problem.as_ref()?;
    let prefix = org.map_or_else(String::new, |o| format!("{o}: "));
    let error = |e: &str| without_org(org.unwrap_or(""), e).to_owned();
    let (text, last_good) = match problem {
        ListProblem::Denied { .. } => (format!("{}: no {what}", problem.line()), None),
        ListProblem::Failed(e) if list.is_stale() => {
            (format!("{what} STALE: {}", error(e)), list.read_at)
        }
        ListProblem::Failed(e) => (format!("cannot read {what}: {}", error(e)), None),
    };
    Some(Note {
        text: format!("{prefix}{}", one_line(&text)),
        last_good,
    })
}

/// Newlines and runs of blanks become one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn refused_stale_and_failed_lists() {
        let at = Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap();
        let empty: BillingList<u8> = BillingList::default();
        assert_eq!(list_note(&empty, "invoices", None), None);
        let denied = empty.after(
            Err(ListProblem::Denied {
                scope: "express-accounts-invoices:read",
                error: "403".into(),
            }),
            at,
        );
        assert_eq!(
            list_note(&denied, "invoices", Some("Acme")).map(|n| n.text),
            Some("Acme: client lacks express-accounts-invoices:read: no invoices".into())
        );
        let read = empty.after(Ok(vec![1, 2]), at);
        let stale = read.after(Err(ListProblem::Failed("Acme: 503\nbusy".into())), at);
        let note = list_note(&stale, "usage", Some("Acme")).unwrap();
        assert_eq!(note.text, "Acme: usage STALE: 503 busy");
        assert_eq!(note.last_good, Some(at));
        let failed = empty.after(Err(ListProblem::Failed("timeout".into())), at);
        assert_eq!(
            list_note(&failed, "usage", None).map(|n| n.text),
            Some("cannot read usage: timeout".into())
        );
    }
}
