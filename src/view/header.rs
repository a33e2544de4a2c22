//! The header: one tab per organization (name, account count, sync state), then
//! "All organizations", then the saved views; `‹` / `›` mark tabs that do not fit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

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
    for (i, name) in app.view_names().iter().enumerate() {
        out.push(format!(" {}{name} ", digit(all + 1 + i)));
    }
    out
}

/// The tabs that fit, with `‹` / `›` where tabs are left out.
pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let strip = layout::tab_strip(app, area.width);
    let mut spans = Vec::new();
    if strip.more_left {
        spans.push(Span::styled("‹ ", theme.accent()));
    }
    let mut used = if strip.more_left { layout::MARKER } else { 0 };
    for tab in strip.tabs {
        let style = if tab.tab == app.tab() {
            theme.accent().patch(theme.selected())
        } else {
            ratatui::style::Style::new()
        };
        used += tab.label.width() as u16 + 1;
        spans.push(Span::styled(tab.label, style));
        spans.push(Span::styled("│", theme.dim()));
    }
    if strip.more_right {
        let pad = area.width.saturating_sub(used + 1);
        spans.push(Span::raw(" ".repeat(usize::from(pad))));
        spans.push(Span::styled("›", theme.accent()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
