//! Invoiced amount per month (a bar chart with compact labels and the selected month's
//! exact figure) and usage per month by type (one sparkline per type), for the
//! currency the `c` key selects.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Sparkline, Widget};
use unicode_width::UnicodeWidthStr;

use crate::app::App;
use crate::app::billing::summary::MonthBar;
use crate::app::billing::{BillingSummary, BillingView, MONTHS};

use super::{heading, lines_at};

/// Lines of the bar chart: bars, their values and the month labels.
const CHART_HEIGHT: u16 = 8;
/// Widest bar.
const BAR_MAX: u16 = 8;

fn title<'a>(app: &App, s: &BillingSummary, view: &BillingView, what: &str) -> Vec<Span<'a>> {
    let mut spans = vec![Span::styled(what.to_owned(), app.theme.accent())];
    if let Some(currency) = view.currency(s) {
        spans.push(Span::styled(format!(" · {currency}"), app.theme.accent()));
    }
    if s.currencies.len() > 1 {
        spans.push(Span::styled(
            format!("  ({} currencies: c switches)", s.currencies.len()),
            app.theme.dim(),
        ));
    }
    spans
}

fn invoiced_head<'a>(app: &App, s: &BillingSummary, view: &BillingView) -> Vec<Line<'a>> {
    let mut lines = heading(
        app,
        title(app, s, view, "Invoiced per month"),
        &s.notes.invoices,
    );
    let series = view.currency(s).and_then(|c| s.invoiced_of(c));
    if series.is_none() && s.notes.invoices.is_empty() {
        lines.push(Line::raw("  no invoice lines in the last 12 months"));
    }
    lines
}

pub(super) fn invoiced_height(app: &App, s: &BillingSummary, view: &BillingView) -> u16 {
    let head = invoiced_head(app, s, view).len() as u16;
    let chart = match view.currency(s).and_then(|c| s.invoiced_of(c)) {
        Some(_) => CHART_HEIGHT + 1,
        None => 0,
    };
    head + chart + 1
}

pub(super) fn draw_invoiced(
    buf: &mut Buffer,
    app: &App,
    s: &BillingSummary,
    view: &BillingView,
    area: Rect,
) {
    let rest = lines_at(buf, invoiced_head(app, s, view), area);
    let Some(series) = view.currency(s).and_then(|c| s.invoiced_of(c)) else {
        return;
    };
    let selected = view.month_index();
    let bars: Vec<Bar> = series
        .months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let bar = Bar::default()
                .value(m.height)
                .text_value(m.compact.clone())
                .label(Line::from(m.month.short_name()));
            if i == selected {
                bar.style(app.theme.accent())
            } else {
                bar
            }
        })
        .collect();
    let width = ((rest.width + 1) / MONTHS as u16)
        .saturating_sub(1)
        .clamp(1, BAR_MAX);
    let chart = BarChart::default()
        .data(BarGroup::default().bars(&bars))
        .bar_width(width)
        .bar_gap(1)
        .max(1000);
    let chart_area = Rect {
        height: CHART_HEIGHT.min(rest.height),
        ..rest
    };
    chart.render(chart_area, buf);
    if let Some(month) = series.months.get(selected) {
        let detail = Rect {
            y: chart_area.bottom(),
            height: 1,
            ..rest
        };
        if detail.bottom() <= rest.bottom() {
            lines_at(buf, vec![month_line(app, month, rest.width)], detail);
        }
    }
}

/// `2024-03  12,345.67 USD · 4 invoices · 9 lines`, dropping the counts before the figure.
fn month_line(app: &App, m: &MonthBar, width: u16) -> Line<'static> {
    let head = format!("  {}  ", m.month);
    let parts = [
        format!(" · {} invoices", m.invoices),
        format!(" · {} lines", m.lines),
    ];
    let mut spans = vec![
        Span::raw(head.clone()),
        Span::styled(m.exact.clone(), app.theme.accent()),
    ];
    let mut used = head.width() + m.exact.width();
    for part in parts {
        if used + part.width() > usize::from(width) {
            break;
        }
        used += part.width();
        spans.push(Span::raw(part));
    }
    Line::from(spans)
}

fn usage_head<'a>(app: &App, s: &BillingSummary, view: &BillingView) -> Vec<Line<'a>> {
    let mut lines = heading(app, title(app, s, view, "Usage per month"), &s.notes.usage);
    let any = view
        .currency(s)
        .is_some_and(|c| s.usage_of(c).next().is_some());
    if !any && s.notes.usage.is_empty() {
        lines.push(Line::raw("  no usage in the last 12 months"));
    }
    lines
}

pub(super) fn usage_height(app: &App, s: &BillingSummary, view: &BillingView) -> u16 {
    let rows = view.currency(s).map_or(0, |c| s.usage_of(c).count()) as u16;
    usage_head(app, s, view).len() as u16 + rows + 1
}

pub(super) fn draw_usage(
    buf: &mut Buffer,
    app: &App,
    s: &BillingSummary,
    view: &BillingView,
    area: Rect,
) {
    let rest = lines_at(buf, usage_head(app, s, view), area);
    let Some(currency) = view.currency(s) else {
        return;
    };
    let month = view.month_index();
    let kind_width = s
        .usage_of(currency)
        .map(|u| u.kind.width())
        .max()
        .unwrap_or(0)
        .min(24) as u16;
    for (row, series) in s.usage_of(currency).enumerate() {
        let y = rest.y + row as u16;
        if y >= rest.bottom() {
            break;
        }
        let line = Rect {
            y,
            height: 1,
            ..rest
        };
        let kind = super::super::fit(&series.kind, usize::from(kind_width));
        lines_at(buf, vec![Line::raw(format!("  {kind}"))], line);
        let spark = Rect {
            x: line.x + 3 + kind_width,
            width: (MONTHS as u16).min(line.width.saturating_sub(3 + kind_width)),
            ..line
        };
        Sparkline::default()
            .data(series.heights.iter().copied())
            .max(1000)
            .style(app.theme.accent())
            .render(spark, buf);
        let text = Rect {
            x: spark.right() + 1,
            width: line.right().saturating_sub(spark.right() + 1),
            ..line
        };
        let quantity = series.quantity.get(month).cloned().unwrap_or_default();
        let amount = series.amount.get(month).cloned().unwrap_or_default();
        let full = format!("{quantity} · {amount}");
        let shown = if full.width() <= usize::from(text.width) {
            full
        } else if quantity.width() <= usize::from(text.width) {
            quantity
        } else {
            String::new()
        };
        lines_at(buf, vec![Line::raw(shown)], text);
    }
}
