//! Pop-ups over the screen: the help (from the key table itself) and the
//! organization picker.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::app::keys::{BINDINGS, Context};
use crate::app::{App, Picker};

use super::header;

pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// The help text: every binding of [`BINDINGS`], grouped by context.
pub fn help_lines(app: &App) -> Vec<Line<'static>> {
    let order = [
        Context::Any,
        Context::Browse,
        Context::Table,
        Context::Account,
        Context::Filter,
        Context::Picker,
        Context::Form,
        Context::Text,
        Context::Confirm,
        Context::ActionForm,
        Context::ActionConfirm,
        Context::Events,
        Context::Billing,
        Context::History,
        Context::Help,
    ];
    let mut out = Vec::new();
    if app.writes_refused() {
        out.push(Line::styled(
            "Read-only here: n (new trial) and a (contract action) are off; nothing is sent.",
            app.theme.warning(),
        ));
        out.push(Line::default());
    }
    for ctx in order {
        let bindings: Vec<_> = BINDINGS
            .iter()
            .filter(|b| b.context == ctx && !app.hides(b.action))
            .collect();
        if bindings.is_empty() {
            continue;
        }
        if out.last().is_some_and(|l| l.width() > 0) {
            out.push(Line::default());
        }
        out.push(Line::styled(ctx.title(), app.theme.accent()));
        for b in bindings {
            out.push(Line::from(vec![
                Span::raw(format!("  {:<14}", b.label)),
                Span::raw(b.help),
            ]));
        }
    }
    out.push(Line::default());
    out.push(Line::raw(
        "Mouse: wheel scrolls, click selects, double click opens, click a tab to switch.",
    ));
    out.push(Line::raw(
        "● marks an account whose status changed in the last 10 minutes.",
    ));
    out.push(Line::raw(
        "◆ marks an account whose trial ended (app.trial_ended) in the last 24 hours.",
    ));
    out
}

pub fn draw_help(frame: &mut Frame, app: &App, scroll: u16, area: Rect) {
    let lines = help_lines(app);
    let width = lines.iter().map(|l| l.width()).max().unwrap_or(40) as u16 + 4;
    let popup = centered(area, width, lines.len() as u16 + 2);
    let max_scroll = (lines.len() as u16).saturating_sub(popup.height.saturating_sub(2));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll.min(max_scroll), 0))
            .block(Block::new().borders(Borders::ALL).title(Line::styled(
                " Keys (Esc closes, ↑↓ scroll) ",
                app.theme.accent(),
            ))),
        popup,
    );
}

pub fn draw_picker(frame: &mut Frame, app: &App, picker: &Picker, area: Rect) {
    let labels = header::labels(app);
    let width = labels.iter().map(|l| l.width()).max().unwrap_or(20).max(30) as u16 + 4;
    let popup = centered(area, width, (labels.len() as u16 + 3).max(6));
    frame.render_widget(Clear, popup);
    let block = Block::new()
        .borders(Borders::ALL)
        .title(Line::styled(" Organization ", app.theme.accent()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [input, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(format!("> {}", picker.query)), input);
    frame.set_cursor_position(Position::new(
        (input.x + 2 + picker.query.width() as u16).min(input.right().saturating_sub(1)),
        input.y,
    ));
    let items: Vec<ListItem> = picker
        .matches
        .iter()
        .filter_map(|&t| labels.get(t))
        .map(|l| ListItem::new(l.trim().to_owned()))
        .collect();
    let empty = items.is_empty();
    let mut state = ListState::default();
    if !empty {
        state.select(Some(picker.selected));
    }
    frame.render_stateful_widget(
        List::new(items).highlight_style(app.theme.selected()),
        list,
        &mut state,
    );
    if empty {
        frame.render_widget(Paragraph::new("  no organization matches"), list);
    }
}

/// The message history (`L`): newest first, each with its local time.
pub fn draw_history(frame: &mut Frame, app: &App, scroll: u16, area: Rect) {
    let mut lines: Vec<Line> = app
        .history()
        .iter()
        .rev()
        .map(|n| {
            let time = n.at.with_timezone(&chrono::Local).format("%H:%M:%S");
            let style = if n.error {
                app.theme.warning()
            } else {
                ratatui::style::Style::new()
            };
            Line::from(vec![
                Span::styled(format!("{time}  "), app.theme.dim()),
                Span::styled(n.text.clone(), style),
            ])
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled("No messages yet.", app.theme.dim()));
    }
    let width = lines.iter().map(|l| l.width()).max().unwrap_or(40) as u16 + 4;
    let popup = centered(area, width.max(40), lines.len() as u16 + 2);
    let max_scroll = (lines.len() as u16).saturating_sub(popup.height.saturating_sub(2));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll.min(max_scroll), 0))
            .block(Block::new().borders(Borders::ALL).title(Line::styled(
                " Messages, newest first (Esc closes, ↑↓ scroll) ",
                app.theme.accent(),
            ))),
        popup,
    );
}
