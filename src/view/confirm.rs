//! The confirmation pop-up every write shows before it is sent (a trial, a contract
//! action): what will be sent, then how to send it once or go back.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::App;

use super::overlay::centered;

/// Width of the labels in the pop-up.
pub const LABEL: usize = 15;

/// `Label          value`.
pub fn field<'a>(app: &App, label: &str, value: impl Into<Span<'a>>) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{label:<LABEL$}"), app.theme.accent()),
        value.into(),
    ])
}

/// Draws `lines` and the send/back hint in a box titled `title`, centred on `area`.
pub fn popup(frame: &mut Frame, app: &App, area: Rect, title: &str, mut lines: Vec<Line>) {
    lines.push(Line::styled(
        "Enter/y sends it once · Esc/n back to the form",
        app.theme.dim(),
    ));
    let widest = lines.iter().map(Line::width).max().unwrap_or(40);
    // a line wider than the screen wraps: the request is shown whole, never cut
    let inner = widest.min(usize::from(area.width.saturating_sub(4)).max(1));
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    // word wrapping may leave a row short: one spare row when anything wraps
    let rows = rows + usize::from(rows > lines.len());
    let popup = centered(area, inner as u16 + 4, rows as u16 + 2);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::new()
                .borders(Borders::ALL)
                .title(Line::styled(format!(" {title} "), app.theme.accent())),
        ),
        popup,
    );
}
