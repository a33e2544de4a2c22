//! The account view's billing part: MRR, subscriptions, the latest invoice lines, and
//! usage per type over the last 12 months (a sparkline each, painted over its line).
//! Figures come before free text on each row, so a narrow terminal cuts text first.

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::app::billing::account::INVOICE_LINES;
use crate::app::billing::{AccountBilling, MONTHS, Note};
use crate::app::{AccountView, App};

use super::{ago, fit};

/// A sparkline to paint over line `y` of the account view, from column `x`.
pub struct Spark {
    pub y: u16,
    pub x: u16,
    pub heights: Vec<u64>,
}

/// Appends the billing lines of the account of `view` to `out`; the sparklines to
/// paint over them go to `sparks`.
pub fn lines<'a>(app: &App, view: &AccountView, out: &mut Vec<Line<'a>>, sparks: &mut Vec<Spark>) {
    let theme = &app.theme;
    let Some(b) = app.account_billing(view.org, &view.id) else {
        return;
    };
    let mut head = vec![Span::styled("Billing", theme.accent())];
    if !b.mrr.is_empty() {
        head.push(Span::raw(format!("  MRR {}", b.mrr.join(" + "))));
    }
    out.push(Line::from(head));
    if !b.read {
        out.push(Line::raw("  loading billing…"));
        out.push(Line::default());
        return;
    }
    subscriptions(app, b, out);
    invoices(app, b, out);
    usage(app, b, out, sparks);
    out.push(Line::default());
}

fn notes(app: &App, notes: &[Note], out: &mut Vec<Line<'_>>) {
    for note in notes {
        let mut text = format!("  ! {}", note.text);
        if note.last_good.is_some() {
            text.push_str(&format!(" (last good {})", ago(note.last_good, app.now)));
        }
        out.push(Line::styled(text, app.theme.warning()));
    }
}

/// The widest of `cells` (at least `title`'s width).
fn widest<'a>(title: &str, cells: impl Iterator<Item = &'a String>) -> usize {
    cells
        .map(|c| c.width())
        .max()
        .unwrap_or(0)
        .max(title.width())
}

fn subscriptions(app: &App, b: &AccountBilling, out: &mut Vec<Line<'_>>) {
    out.push(Line::from(vec![
        Span::styled("  Subscriptions", app.theme.accent()),
        Span::raw(format!(" ({})", b.subscriptions.len())),
    ]));
    notes(app, &b.notes.subscriptions, out);
    if b.subscriptions.is_empty() {
        if b.notes.subscriptions.is_empty() {
            out.push(Line::raw("    none"));
        }
        return;
    }
    let rows = &b.subscriptions;
    let qty = widest("QTY", rows.iter().map(|r| &r.quantity));
    let price = widest("UNIT PRICE", rows.iter().map(|r| &r.unit_price));
    let mrr = widest("MRR", rows.iter().map(|r| &r.mrr));
    let period = widest("PERIOD", rows.iter().map(|r| &r.period));
    out.push(Line::styled(
        format!(
            "    {:<8} {:<period$} {:>qty$} {:>price$} {:>mrr$} {:<10} {:<4} PRODUCT",
            "STATE", "PERIOD", "QTY", "UNIT PRICE", "MRR", "END", "AUTO"
        ),
        app.theme.dim(),
    ));
    for r in rows {
        let state = if r.active { "active" } else { "inactive" };
        out.push(Line::raw(format!(
            "    {state:<8} {:<period$} {:>qty$} {:>price$} {:>mrr$} {:<10} {:<4} {}",
            r.period, r.quantity, r.unit_price, r.mrr, r.end, r.auto_renewal, r.product
        )));
    }
}

fn invoices(app: &App, b: &AccountBilling, out: &mut Vec<Line<'_>>) {
    let count = if b.invoice_lines > INVOICE_LINES {
        format!(" (latest {INVOICE_LINES} of {})", b.invoice_lines)
    } else {
        format!(" ({})", b.invoice_lines)
    };
    out.push(Line::from(vec![
        Span::styled("  Invoice lines", app.theme.accent()),
        Span::raw(count),
    ]));
    notes(app, &b.notes.invoices, out);
    if b.invoices.is_empty() {
        if b.notes.invoices.is_empty() {
            out.push(Line::raw("    none"));
        }
        return;
    }
    let rows = &b.invoices;
    let number = widest("NUMBER", rows.iter().map(|r| &r.number)).min(20);
    let amount = widest("AMOUNT", rows.iter().map(|r| &r.amount));
    out.push(Line::styled(
        format!(
            "    {:<10} {:<number$} {:>amount$} DESCRIPTION",
            "DATE", "NUMBER", "AMOUNT"
        ),
        app.theme.dim(),
    ));
    for r in rows {
        out.push(Line::raw(format!(
            "    {:<10} {:<number$} {:>amount$} {}",
            r.date,
            fit(&r.number, number),
            r.amount,
            r.description
        )));
    }
}

fn usage(app: &App, b: &AccountBilling, out: &mut Vec<Line<'_>>, sparks: &mut Vec<Spark>) {
    out.push(Line::from(vec![
        Span::styled("  Usage", app.theme.accent()),
        Span::styled(
            format!(" last {MONTHS} months, quantity per type · this month"),
            app.theme.dim(),
        ),
    ]));
    notes(app, &b.notes.usage, out);
    if b.usage.is_empty() {
        if b.notes.usage.is_empty() {
            out.push(Line::raw("    none"));
        }
        return;
    }
    let label = b
        .usage
        .iter()
        .map(|u| u.kind.width() + 1 + u.currency.width())
        .max()
        .unwrap_or(0)
        .min(30);
    let last = MONTHS as usize - 1;
    for u in &b.usage {
        let name = fit(&format!("{} {}", u.kind, u.currency), label);
        let pad = label.saturating_sub(name.width());
        let quantity = u.quantity.get(last).map_or("", String::as_str);
        let amount = u.amount.get(last).map_or("", String::as_str);
        sparks.push(Spark {
            y: out.len() as u16,
            x: (4 + label + 1) as u16,
            heights: u.heights.clone(),
        });
        out.push(Line::raw(format!(
            "    {name}{} {} {quantity} · {amount}",
            " ".repeat(pad),
            " ".repeat(MONTHS as usize)
        )));
    }
}
