//! The accounts with the largest MRR, per currency: organization (on a tab of several),
//! account name, and MRR right-aligned. A narrow page drops the organization column,
//! then shortens names; the MRR is never cut.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::app::App;
use crate::app::billing::summary::TopRow;
use crate::app::billing::{BillingSummary, BillingView};

use super::super::fit;
use super::{heading, lines_at};

/// Widest organization column.
const ORG_MAX: usize = 20;
/// Least room left for names before the organization column is dropped.
const NAME_MIN: usize = 12;

fn head<'a>(app: &App, s: &BillingSummary) -> Vec<Line<'a>> {
    let mut lines = heading(
        app,
        vec![
            Span::styled("Top accounts by MRR", app.theme.accent()),
            Span::styled("  ↑↓ select · Enter opens", app.theme.dim()),
        ],
        &s.notes.subscriptions,
    );
    if s.top.is_empty() && s.notes.subscriptions.is_empty() {
        lines.push(Line::raw("  no account with MRR"));
    }
    lines
}

/// Offset of the first row from the section's top.
pub(super) fn first_row(app: &App, s: &BillingSummary) -> u16 {
    head(app, s).len() as u16
}

pub(super) fn height(app: &App, s: &BillingSummary) -> u16 {
    first_row(app, s) + s.top.len() as u16 + 1
}

pub(super) fn draw(
    buf: &mut Buffer,
    app: &App,
    s: &BillingSummary,
    view: &BillingView,
    area: Rect,
) {
    let rest = lines_at(buf, head(app, s), area);
    let width = usize::from(rest.width);
    let mrr_width = s.top.iter().map(|r| r.mrr.width()).max().unwrap_or(0);
    let org_width = if s.orgs.len() > 1 {
        s.top
            .iter()
            .map(|r| r.org_name.width())
            .max()
            .unwrap_or(0)
            .min(ORG_MAX)
    } else {
        0
    };
    // "  " + org + " " + name + " " + mrr
    let fixed = 2 + mrr_width + 1;
    let show_org = org_width > 0 && width >= fixed + org_width + 1 + NAME_MIN;
    let names = s.top.iter().map(|r| r.name.width()).max().unwrap_or(0);
    let room = width.saturating_sub(fixed + if show_org { org_width + 1 } else { 0 });
    let name_width = names.max(NAME_MIN).min(room);
    let selected = view.selected.min(s.top.len().saturating_sub(1));
    let lines: Vec<Line> = s
        .top
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let line = row(r, show_org.then_some(org_width), name_width, mrr_width);
            if i == selected {
                line.style(app.theme.selected())
            } else {
                line
            }
        })
        .collect();
    lines_at(buf, lines, rest);
}

fn row(r: &TopRow, org_width: Option<usize>, name_width: usize, mrr_width: usize) -> Line<'static> {
    let mut text = String::from("  ");
    if let Some(w) = org_width {
        text.push_str(&pad(&fit(&r.org_name, w), w));
        text.push(' ');
    }
    text.push_str(&pad(&fit(&r.name, name_width), name_width));
    text.push(' ');
    text.push_str(&format!("{:>mrr_width$}", r.mrr));
    Line::raw(text)
}

/// `text` padded with spaces to `width` columns.
fn pad(text: &str, width: usize) -> String {
    let gap = width.saturating_sub(text.width());
    format!("{text}{}", " ".repeat(gap))
}
