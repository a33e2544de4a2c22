//! The contract action form over the account view, and its confirmation step showing
//! the exact request.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::app::{ActionFocus, ActionForm, App};
use crate::contract;

use super::confirm::{LABEL, field};
use super::overlay::centered;

/// Columns of the quantity's input box.
const INPUT: usize = 8;
/// Widest the form gets.
const WIDTH: u16 = 84;

pub fn draw(frame: &mut Frame, app: &App, form: &ActionForm, area: Rect) {
    super::account::draw(frame, app, &form.view, area);
    let theme = &app.theme;
    let org = app.org(form.org()).map_or("?", |o| o.name.as_str());
    let mut lines = vec![
        field(app, "Organization", org.to_owned()),
        field(app, "Account", account_label(app, form)),
        Line::default(),
    ];
    let mark = |focus| if form.focus == focus { "› " } else { "  " };
    let focused = |focus| {
        if form.focus == focus {
            theme.selected()
        } else {
            Style::new()
        }
    };
    let kind = form.kind();
    lines.push(Line::from(vec![
        Span::styled(mark(ActionFocus::Type), theme.accent()),
        Span::styled(format!("{:<w$}", "Type", w = LABEL - 2), theme.accent()),
        Span::styled(
            format!("‹ {} ({}) ›", kind.label(), kind.as_str()),
            focused(ActionFocus::Type),
        ),
        Span::styled("  ←→ change", theme.dim()),
    ]));
    let quantity_row = lines.len() as u16;
    let mut quantity = vec![
        Span::styled(mark(ActionFocus::Quantity), theme.accent()),
        Span::styled(format!("{:<w$}", "Quantity", w = LABEL - 2), theme.accent()),
        Span::raw("["),
        Span::styled(
            format!("{:<INPUT$}", form.quantity),
            focused(ActionFocus::Quantity),
        ),
        Span::raw("] "),
    ];
    match form.fault() {
        Some(why) => quantity.push(Span::styled(format!("✗ {why}"), theme.warning())),
        None if contract::needs_quantity(kind) => {
            quantity.push(Span::styled("licences, 1 to 10,000", theme.dim()))
        }
        None => quantity.push(Span::styled(
            "licences, may be left empty for a cancellation",
            theme.dim(),
        )),
    }
    lines.push(Line::from(quantity));
    let blocked = form.request().err();
    let mut button = match blocked {
        Some(_) => theme.dim().add_modifier(Modifier::CROSSED_OUT),
        None => theme.accent().add_modifier(Modifier::BOLD),
    };
    button = button.patch(focused(ActionFocus::Submit));
    lines.push(Line::from(vec![
        Span::styled(mark(ActionFocus::Submit), theme.accent()),
        Span::styled("[ Review ]", button),
        Span::styled(
            "  Enter/Ctrl-S shows the request before it is sent",
            theme.dim(),
        ),
    ]));
    if let Some(status) = &form.status {
        lines.push(Line::default());
        let style = if status.error {
            theme.warning()
        } else {
            theme.accent()
        };
        lines.push(Line::styled(status.text.clone(), style));
    }
    let width = WIDTH.min(area.width);
    let inner_width = usize::from(width.saturating_sub(2)).max(1);
    let height: usize = lines.iter().map(|l| rows(l, inner_width)).sum();
    let popup = centered(area, width, height as u16 + 2);
    frame.render_widget(Clear, popup);
    let block = Block::new().borders(Borders::ALL).title(Line::from(vec![
        Span::styled(" New contract action ", theme.accent()),
        Span::styled("Tab/↑↓ move · Esc closes ", theme.dim()),
    ]));
    let inner = block.inner(popup);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        popup,
    );
    if form.focus == ActionFocus::Quantity && !form.confirming {
        let col = (LABEL + 1 + form.quantity.width().min(INPUT)) as u16;
        if quantity_row < inner.height {
            frame.set_cursor_position(Position::new(
                (inner.x + col).min(inner.right().saturating_sub(1)),
                inner.y + quantity_row,
            ));
        }
    }
    if form.confirming {
        draw_confirmation(frame, app, form, area);
    }
}

/// Rows `line` takes when word-wrapped to `width` columns (greedy, like the paragraph).
fn rows(line: &Line, width: usize) -> usize {
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let (mut rows, mut used) = (1, 0);
    for word in text.split(' ') {
        let w = word.width();
        let need = if used == 0 { w } else { used + 1 + w };
        if need <= width {
            used = need;
        } else {
            rows += 1 + w.saturating_sub(1) / width;
            used = w % width;
        }
    }
    rows
}

/// `name (company) · id`, or the id alone when the account is not listed.
fn account_label(app: &App, form: &ActionForm) -> String {
    let id = form.account_id();
    let account = app
        .org(form.org())
        .and_then(|o| o.by_id.get(id).and_then(|&i| o.accounts.get(i)));
    match account {
        Some(a) if !a.company_name.is_empty() => {
            format!("{} ({}) · {id}", a.name, a.company_name)
        }
        Some(a) => format!("{} · {id}", a.name),
        None => id.to_owned(),
    }
}

/// The exact request: method, path, JSON body, and the account it acts on.
fn draw_confirmation(frame: &mut Frame, app: &App, form: &ActionForm, area: Rect) {
    let Ok(request) = form.request() else {
        return;
    };
    let org = app.org(form.org()).map_or("?", |o| o.name.as_str());
    let quantity = request
        .quantity
        .map_or("no quantity".to_owned(), |q| format!("{q} licences"));
    let lines = vec![
        field(app, "Organization", org.to_owned()),
        field(app, "Account", account_label(app, form)),
        field(
            app,
            "Action",
            format!(
                "{} ({}) · {quantity}",
                request.action_type.label(),
                request.action_type.as_str()
            ),
        ),
        Line::default(),
        field(
            app,
            "Request",
            format!("POST {}", contract::path(form.account_id())),
        ),
        field(app, "Body", contract::body(&request)),
        Line::default(),
    ];
    super::confirm::popup(frame, app, area, "Send this contract action?", lines);
}
