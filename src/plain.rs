//! Remote text made safe to show or hand on: one line without control characters, and
//! CSV cells a spreadsheet will not run as formulas.

use std::borrow::Cow;

/// Control characters (ESC, BEL, CR, tab, newlines, …) become spaces, so remote text
/// cannot drive a terminal or break a row.
pub fn one_line(text: &str) -> Cow<'_, str> {
    if text.contains(char::is_control) {
        Cow::Owned(text.replace(char::is_control, " "))
    } else {
        Cow::Borrowed(text)
    }
}

/// A CSV cell as written: [`one_line`], and a cell that a spreadsheet would run as a
/// formula (starting with `=`, `+`, `-` or `@`, OWASP's list once tab and CR are gone)
/// gets a leading `'`. Numbers such as `-12.50` stay as they are.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let text = one_line(text);
    let risky = text.starts_with(['=', '+', '-', '@']);
    if risky && text.parse::<rust_decimal::Decimal>().is_err() {
        Cow::Owned(format!("'{text}"))
    } else {
        text
    }
}
