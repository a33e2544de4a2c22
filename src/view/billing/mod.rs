//! The Billing view of a tab: tiles per currency, invoiced and usage per month, top
//! accounts by MRR and the trial funnel, stacked and scrolled as one page. Everything
//! shown comes formatted from [`crate::app::billing::BillingSummary`]; only the load
//! progress is read live from the store.
//!
//! Sections never cut a number: a tile that does not fit the width is left out whole,
//! and a line drops its optional parts before its figure.

mod charts;
mod funnel;
mod tiles;
mod top;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::app::App;
use crate::app::billing::{BillingView, Note};
use crate::store::LoadState;

use super::{ago, scrolled};

/// One part of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Loading,
    Tiles,
    Invoiced,
    Usage,
    Top,
    Funnel,
}

/// Where each part goes on the page (y from the page's top) and how tall the page is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub parts: Vec<(Part, u16, u16)>,
    pub total: u16,
    /// y of the first top-account row.
    top_rows: Option<u16>,
}

impl Layout {
    /// y of top account `i` on the page.
    pub fn top_row(&self, i: usize) -> Option<u16> {
        self.top_rows.map(|y| y.saturating_add(i as u16))
    }
}

/// The page's viewport in a terminal of `area` (the body below the title line).
pub fn viewport(area: Rect, app: &App) -> Rect {
    let body = super::layout::regions(area, app).map_or(Rect::default(), |r| r.body);
    Rect {
        y: body.y + 1,
        height: body.height.saturating_sub(1),
        ..body
    }
}

/// The page of the current tab for `view`, `width` columns wide.
pub fn layout(app: &App, view: &BillingView, width: u16) -> Layout {
    let mut parts = Vec::new();
    let loading = loading_lines(app);
    if !loading.is_empty() {
        parts.push((Part::Loading, loading.len() as u16 + 1));
    }
    let mut top_offset = None;
    if let Some(s) = app.billing_summary().filter(|s| s.any_read) {
        parts.push((Part::Tiles, tiles::height(app, s, width)));
        parts.push((Part::Invoiced, charts::invoiced_height(app, s, view)));
        parts.push((Part::Usage, charts::usage_height(app, s, view)));
        top_offset = Some(top::first_row(app, s));
        parts.push((Part::Top, top::height(app, s)));
    }
    parts.push((Part::Funnel, funnel::HEIGHT));
    let mut y = 0u16;
    let mut placed = Vec::with_capacity(parts.len());
    let mut top_rows = None;
    for (part, height) in parts {
        if part == Part::Top {
            top_rows = top_offset.map(|o| y + o);
        }
        placed.push((part, y, height));
        y = y.saturating_add(height);
    }
    Layout {
        parts: placed,
        total: y,
        top_rows,
    }
}

pub fn draw(frame: &mut Frame, app: &App, view: &BillingView, area: Rect) {
    let theme = &app.theme;
    let tab = app.tab_title(app.tab());
    let title = Line::from(vec![
        Span::styled(format!(" Billing · {tab} "), theme.accent()),
        Span::styled(
            "Esc back · ↑↓ top accounts · Enter open · ←→ month · c currency · PgUp/PgDn scroll ",
            theme.dim(),
        ),
    ]);
    let block = Block::new().borders(Borders::TOP).title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let page = layout(app, view, inner.width);
    let summary = app.billing_summary();
    scrolled::render(frame, inner, page.total, view.scroll, |buf, content| {
        for (part, y, height) in &page.parts {
            let rect = Rect {
                y: content.y + y,
                height: *height,
                ..content
            };
            match (part, summary) {
                (Part::Loading, _) => Paragraph::new(loading_lines(app)).render(rect, buf),
                (Part::Tiles, Some(s)) => tiles::draw(buf, app, s, rect),
                (Part::Invoiced, Some(s)) => charts::draw_invoiced(buf, app, s, view, rect),
                (Part::Usage, Some(s)) => charts::draw_usage(buf, app, s, view, rect),
                (Part::Top, Some(s)) => top::draw(buf, app, s, view, rect),
                (Part::Funnel, _) => funnel::draw(buf, app, summary, rect),
                _ => {}
            }
        }
    });
}

/// Organizations of the tab whose billing was never read: "loading billing… 3/40".
fn loading_lines(app: &App) -> Vec<Line<'static>> {
    let orgs: Vec<_> = app.current_orgs().filter_map(|o| app.org(o)).collect();
    let several = orgs.len() > 1;
    orgs.iter()
        .filter(|o| o.billing.is_empty())
        .map(|o| {
            let progress = match o.billing_load {
                LoadState::Syncing { done, total } if total > 0 => format!(" {done}/{total}"),
                _ => String::new(),
            };
            let prefix = if several {
                format!("{}: ", o.name)
            } else {
                String::new()
            };
            Line::from(format!("{prefix}loading billing…{progress}"))
        })
        .collect()
}

/// A section's heading and its lists' problems, one line each.
fn heading<'a>(app: &App, title: Vec<Span<'a>>, notes: &[Note]) -> Vec<Line<'a>> {
    let mut out = vec![Line::from(title)];
    for note in notes {
        let mut text = format!("  ! {}", note.text);
        if note.last_good.is_some() {
            text.push_str(&format!(" (last good {})", ago(note.last_good, app.now)));
        }
        out.push(Line::styled(text, app.theme.warning()));
    }
    out
}

/// Draws `lines` at the top of `area`; returns the rest of it.
fn lines_at(buf: &mut Buffer, lines: Vec<Line>, area: Rect) -> Rect {
    let height = (lines.len() as u16).min(area.height);
    Paragraph::new(lines).render(Rect { height, ..area }, buf);
    Rect {
        y: area.y + height,
        height: area.height - height,
        ..area
    }
}
