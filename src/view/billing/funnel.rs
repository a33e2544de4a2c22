//! The trial funnel over 30 and 90 days, as a small table, and the trials running now.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::billing::BillingSummary;
use crate::app::billing::summary::count;
use crate::billing::Funnel;

use super::lines_at;

/// Heading, column titles, six figures, the accounts now.
pub(super) const HEIGHT: u16 = 9;

/// One row's figure of a funnel, as text.
type Figure = fn(&Funnel) -> String;

/// Width of a figure column.
const COLUMN: usize = 10;

pub(super) fn draw(buf: &mut Buffer, app: &App, summary: Option<&BillingSummary>, area: Rect) {
    let mut lines = vec![Line::from(vec![
        Span::styled("Trial funnel", app.theme.accent()),
        Span::styled("  from app.trial_ended events", app.theme.dim()),
    ])];
    let funnels = summary.map_or(&[][..], |s| s.funnels.as_slice());
    let Some(first) = funnels.first() else {
        lines.push(Line::raw("  computing…"));
        lines_at(buf, lines, area);
        return;
    };
    let mut titles = format!("  {:<12}", "");
    for f in funnels {
        titles.push_str(&format!("{:>COLUMN$}", format!("{} days", f.days)));
    }
    lines.push(Line::styled(titles, app.theme.dim()));
    let rows: [(&str, Figure); 6] = [
        ("converted", |f| count(f.converted)),
        ("expired", |f| count(f.expired)),
        ("uninstalled", |f| count(f.uninstalled)),
        ("other", |f| count(f.other)),
        ("ended", |f| count(f.ended())),
        ("conversion", Funnel::rate_text),
    ];
    for (label, value) in rows {
        let mut text = format!("  {label:<12}");
        for f in funnels {
            text.push_str(&format!("{:>COLUMN$}", value(f)));
        }
        lines.push(Line::raw(text));
    }
    lines.push(Line::raw(format!(
        "  now: IN_TRIAL {} · TRIAL_LOST {}",
        count(first.in_trial),
        count(first.trial_lost)
    )));
    lines_at(buf, lines, area);
}
