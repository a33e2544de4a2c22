//! The confirmation pop-up every write shows before it is sent (a trial, a contract
//! action): what will be sent, then how to send it once or go back.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

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
    let width = lines.iter().map(Line::width).max().unwrap_or(40) as u16 + 4;
    let popup = centered(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::new()
                .borders(Borders::ALL)
                .title(Line::styled(format!(" {title} "), app.theme.accent())),
        ),
        popup,
    );
}
