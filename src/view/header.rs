//! The header: one tab per organization (name, account count, sync state), then
//! "All organizations".

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::App;

use super::{layout, sync_state};

/// Every tab's label, e.g. `1 Acme EU 120 ✓ready`.
pub fn labels(app: &App) -> Vec<String> {
    let store = app.store();
    let digit = |i: usize| {
        if i < 9 {
            format!("{} ", i + 1)
        } else {
            String::new()
        }
    };
    let mut out: Vec<String> = store
        .orgs
        .iter()
        .enumerate()
        .map(|(i, org)| {
            let (glyph, word) = sync_state(org);
            let state = match word.as_str() {
                "ready" => glyph.to_owned(),
                _ => format!("{glyph}{word}"),
            };
            format!(" {}{} {} {state} ", digit(i), org.name, org.accounts.len())
        })
        .collect();
    let all = app.all_tab();
    let total: usize = store.orgs.iter().map(|o| o.accounts.len()).sum();
    out.push(format!(" {}All organizations {total} ", digit(all)));
    out
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let mut spans = Vec::new();
    for tab in layout::tabs(app, area.width) {
        let style = if tab.tab == app.tab() {
            theme.accent().patch(theme.selected())
        } else {
            ratatui::style::Style::new()
        };
        spans.push(Span::styled(tab.label, style));
        spans.push(Span::styled("│", theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
