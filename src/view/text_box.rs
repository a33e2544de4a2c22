//! A one-line text in a box of fixed width, scrolled sideways to keep the cursor in view.

use unicode_width::UnicodeWidthChar;

/// The part of `text` shown in `width` columns with the cursor (chars before it) in
/// view, and the cursor's column in that part. The cursor may sit after the last char,
/// so it takes a column of its own there.
pub fn window(text: &str, cursor: usize, width: usize) -> (String, usize) {
    let widths: Vec<(char, usize)> = text.chars().map(|c| (c, c.width().unwrap_or(0))).collect();
    let cursor = cursor.min(widths.len());
    let cursor_col: usize = widths[..cursor].iter().map(|(_, w)| w).sum();
    let from = (cursor_col + 1).saturating_sub(width.max(1));
    let (mut col, mut start, mut out) = (0, None, String::new());
    for (c, w) in widths {
        if col >= from {
            let first = *start.get_or_insert(col);
            if col + w - first > width {
                break;
            }
            out.push(c);
        }
        col += w;
    }
    let start = start.unwrap_or(cursor_col);
    (out, cursor_col.saturating_sub(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_shows_whole() {
        assert_eq!(window("abc", 3, 10), ("abc".to_owned(), 3));
        assert_eq!(window("abc", 0, 10), ("abc".to_owned(), 0));
        assert_eq!(window("", 0, 10), (String::new(), 0));
    }

    #[test]
    fn long_text_scrolls_to_the_cursor() {
        let text = "https://www.example.com/path";
        let (shown, col) = window(text, text.len(), 10);
        assert_eq!((shown.as_str(), col), (".com/path", 9));
        assert!(text.ends_with(&shown));
        let (shown, col) = window(text, 0, 10);
        assert_eq!((shown.as_str(), col), ("https://ww", 0));
        let (shown, col) = window(text, 12, 10);
        assert_eq!(col, 9);
        assert_eq!(shown, "ps://www.e");
    }

    #[test]
    fn wide_chars_fit() {
        let (shown, col) = window("東京東京東京", 6, 5);
        assert!(unicode_width::UnicodeWidthStr::width(shown.as_str()) <= 5);
        assert_eq!(col, 4);
    }
}
