//! Filter matches in the accounts table: which characters of a cell the filter's words
//! matched (nucleo-matcher's indices), computed for the rows drawn only. Filtering
//! itself is [`crate::app::search`]'s yes/no scan; this only shows where.

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::store::FIELD_SEP;

/// The filter's words, compiled once per frame.
pub struct Highlighter {
    atoms: Vec<Atom>,
    matcher: Matcher,
    buf: Vec<char>,
}

impl Highlighter {
    /// Words of `query` as the filter reads them (whitespace-separated, fuzzy,
    /// case-insensitive, accents folded).
    pub fn new(query: &str) -> Self {
        let atoms = query
            .split_whitespace()
            .map(|w| {
                Atom::new(
                    &w.replace(FIELD_SEP, ""),
                    CaseMatching::Ignore,
                    Normalization::Smart,
                    AtomKind::Fuzzy,
                    false,
                )
            })
            .collect();
        Highlighter {
            atoms,
            matcher: Matcher::new(Config::DEFAULT),
            buf: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.atoms.is_empty()
    }

    /// Char positions of `text` that some word matched within `text` alone, sorted.
    pub fn indices(&mut self, text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        if self.atoms.is_empty() {
            return out;
        }
        let haystack = Utf32Str::new(text, &mut self.buf);
        for atom in &self.atoms {
            atom.indices(haystack, &mut self.matcher, &mut out);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// `shown` (a cell's text, possibly cut with `…`) as spans: the chars at `indices`
    /// in `matched`, the rest in `base`.
    pub fn line<'a>(&mut self, full: &str, shown: String, base: Style, matched: Style) -> Line<'a> {
        let indices = self.indices(full);
        // a cut cell ends with `…`, which stands for the rest: never marked
        let kept = if shown == full {
            usize::MAX
        } else {
            shown.chars().count().saturating_sub(1)
        };
        if indices.is_empty() {
            return Line::from(Span::styled(shown, base));
        }
        let mut spans: Vec<Span> = Vec::new();
        let mut run = String::new();
        let mut run_hit = false;
        for (i, c) in shown.chars().enumerate() {
            let hit = i < kept && indices.binary_search(&(i as u32)).is_ok();
            if hit != run_hit && !run.is_empty() {
                let style = if run_hit { matched } else { base };
                spans.push(Span::styled(std::mem::take(&mut run), style));
            }
            run_hit = hit;
            run.push(c);
        }
        if !run.is_empty() {
            spans.push(Span::styled(run, if run_hit { matched } else { base }));
        }
        Line::from(spans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_per_word_within_the_text() {
        let mut h = Highlighter::new("acm corp");
        assert_eq!(h.indices("Acme Corp"), vec![0, 1, 2, 5, 6, 7, 8]);
        assert_eq!(h.indices("nothing"), Vec::<u32>::new());
        let mut z = Highlighter::new("zur");
        assert_eq!(z.indices("Bank Zürich"), vec![5, 6, 7]);
        assert!(Highlighter::new("  ").is_empty());
    }

    #[test]
    fn a_cut_cell_marks_only_what_shows() {
        let mut h = Highlighter::new("ltd");
        let base = Style::new();
        let hit = Style::new().bold();
        let line = h.line("Globex Ltd", "Globex L…".to_owned(), base, hit);
        let texts: Vec<(&str, bool)> = line
            .spans
            .iter()
            .map(|s| (s.content.as_ref(), s.style == hit))
            .collect();
        assert_eq!(texts, vec![("Globex ", false), ("L", true), ("…", false)]);
    }
}
