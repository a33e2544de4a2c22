//! One-line text editing for the filter prompts and the trial form's fields: a text
//! and its cursor (chars before it), changed by `tui-input` requests or a paste.

use tui_input::{Input, InputRequest};

/// Longest paste taken, in characters (the rest is dropped).
pub const MAX_PASTE: usize = 4096;

/// A text being edited and its cursor, in chars (`0..=chars`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    cursor: usize,
}

impl TextInput {
    /// `text` with the cursor at its end.
    pub fn new(text: &str) -> Self {
        TextInput {
            text: text.to_owned(),
            cursor: text.chars().count(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Chars before the cursor.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Replaces the text, the cursor at its end.
    pub fn set(&mut self, text: &str) {
        *self = TextInput::new(text);
    }

    /// Carries out `request` (see [`apply`]); whether the text changed.
    pub fn handle(&mut self, request: InputRequest) -> bool {
        apply(&mut self.text, &mut self.cursor, request)
    }

    /// Inserts `pasted` at the cursor (see [`paste`]); whether the text changed.
    pub fn paste(&mut self, pasted: &str) -> bool {
        paste(&mut self.text, &mut self.cursor, pasted)
    }
}

/// Carries out `request` on `text` with its `cursor` (chars before it, clamped);
/// returns whether the text changed.
pub fn apply(text: &mut String, cursor: &mut usize, request: InputRequest) -> bool {
    let mut input = Input::new(std::mem::take(text)).with_cursor(*cursor);
    let changed = input.handle(request).is_some_and(|c| c.value);
    *cursor = input.cursor();
    *text = input.value().to_owned();
    changed
}

/// Inserts `pasted` at the cursor, on one line: line breaks and tabs become spaces,
/// other control characters are dropped, and at most [`MAX_PASTE`] chars are taken.
pub fn paste(text: &mut String, cursor: &mut usize, pasted: &str) -> bool {
    let clean: String = pasted
        .replace("\r\n", " ")
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .filter(|c| !c.is_control())
        .take(MAX_PASTE)
        .collect();
    if clean.is_empty() {
        return false;
    }
    *cursor = (*cursor).min(text.chars().count());
    let at = text
        .char_indices()
        .nth(*cursor)
        .map_or(text.len(), |(i, _)| i);
    text.insert_str(at, &clean);
    *cursor += clean.chars().count();
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use InputRequest as R;

    fn typed(input: &mut TextInput, text: &str) {
        for c in text.chars() {
            input.handle(R::InsertChar(c));
        }
    }

    #[test]
    fn home_then_typing_inserts_at_the_start() {
        let mut input = TextInput::new("www.uxtest.com");
        input.handle(R::GoToStart);
        typed(&mut input, "https://");
        assert_eq!(input.text(), "https://www.uxtest.com");
        assert_eq!(input.cursor(), 8);
        input.handle(R::GoToEnd);
        typed(&mut input, "/");
        assert_eq!(input.text(), "https://www.uxtest.com/");
    }

    #[test]
    fn word_moves_and_deletes() {
        let mut input = TextInput::new("Ada Lovelace Ltd");
        assert!(input.handle(R::DeletePrevWord));
        assert_eq!(input.text(), "Ada Lovelace ");
        input.handle(R::GoToPrevWord);
        assert_eq!(input.cursor(), 4);
        input.handle(R::DeleteNextChar);
        assert_eq!(input.text(), "Ada ovelace ");
        input.handle(R::GoToNextWord);
        input.handle(R::GoToStart);
        input.handle(R::GoToNextWord);
        assert_eq!(input.cursor(), 4);
        input.handle(R::DeleteTillEnd);
        assert_eq!(input.text(), "Ada ");
        assert!(input.handle(R::DeleteLine));
        assert_eq!((input.text(), input.cursor()), ("", 0));
        assert!(!input.handle(R::DeletePrevChar), "nothing to delete");
    }

    #[test]
    fn paste_goes_in_at_the_cursor_on_one_line() {
        let mut input = TextInput::new("ab");
        input.handle(R::GoToPrevChar);
        assert!(input.paste("x\r\ny\tz\u{7}"));
        assert_eq!(input.text(), "ax y zb");
        assert_eq!(input.cursor(), 6);
        assert!(!input.paste("\u{1b}"));
        let mut long = TextInput::default();
        long.paste(&"é".repeat(MAX_PASTE + 10));
        assert_eq!(long.text().chars().count(), MAX_PASTE);
    }

    #[test]
    fn unicode_cursor_counts_chars() {
        let mut text = "Zürich".to_owned();
        let mut cursor = 2;
        apply(&mut text, &mut cursor, R::InsertChar('_'));
        assert_eq!(text, "Zü_rich");
        assert_eq!(cursor, 3);
        let mut far = 99;
        apply(&mut text, &mut far, R::InsertChar('!'));
        assert_eq!(text, "Zü_rich!");
    }
}
