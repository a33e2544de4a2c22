//! Lines made of segments that are shown whole or not at all, so a narrow terminal
//! never shows a cut number (`TRIAL_LOST 3` for 38).

use ratatui::text::Span;
use unicode_width::UnicodeWidthStr;

/// Total display width of `spans`.
pub fn width(spans: &[Span]) -> usize {
    spans.iter().map(|s| s.content.width()).sum()
}

/// The spans that fit in `room`, in order: each is kept whole or dropped (a later,
/// shorter one may still fit).
pub fn keep_fitting<'a>(spans: Vec<Span<'a>>, room: usize) -> Vec<Span<'a>> {
    let mut used = 0;
    spans
        .into_iter()
        .filter(|s| {
            let w = s.content.width();
            let fits = used + w <= room;
            if fits {
                used += w;
            }
            fits
        })
        .collect()
}

/// `text` cut to `room` columns with `…`, never inside a number: a cut that would
/// split digits ends before them.
pub fn fit_text(text: &str, room: usize) -> String {
    let cut = super::fit(text, room);
    let Some(kept) = cut.strip_suffix('…') else {
        return cut;
    };
    if kept.len() == text.len() {
        return cut;
    }
    let next = text[kept.len()..].chars().next();
    if !kept.ends_with(|c: char| c.is_ascii_digit()) || !next.is_some_and(|c| c.is_ascii_digit()) {
        return cut;
    }
    let trimmed = kept.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
    format!("{trimmed}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_whole_or_dropped() {
        let spans = vec![
            Span::raw("ACTIVE 12"),
            Span::raw(" · TRIAL_LOST 38"),
            Span::raw(" · x"),
        ];
        let kept = keep_fitting(spans, 14);
        let text: Vec<&str> = kept.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, ["ACTIVE 12", " · x"]);
    }

    #[test]
    fn cuts_never_split_a_number() {
        assert_eq!(
            fit_text("sync failed: HTTP 503 from the API", 20),
            "sync failed: HTTP …"
        );
        assert_eq!(fit_text("trial 123456 created", 10), "trial …");
        assert_eq!(fit_text("short", 10), "short");
        assert_eq!(fit_text("abcdefgh", 5), "abcd…");
    }
}
