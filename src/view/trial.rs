//! The trial form and its confirmation step.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::app::trial_form::{AGREEMENT_TEXT, SUGGESTIONS};
use crate::app::{App, Focus, TrialForm};
use crate::trial::{Field, validate_field};

use super::text_box::window;
use crate::trial::validate::EDITIONS;

/// Columns of a field's input box (text longer than this shows its end).
const INPUT: usize = 32;
const LABEL: usize = 15;

pub fn draw(frame: &mut Frame, app: &App, form: &TrialForm, area: Rect) {
    let theme = &app.theme;
    let org = app.org(form.org).map_or("?", |o| o.name.as_str());
    let title = Line::from(vec![
        Span::styled(format!(" New trial in {org} "), theme.accent()),
        Span::styled(
            "Tab/↑↓ move · Ctrl-S review · Esc closes (draft kept) ",
            theme.dim(),
        ),
    ]);
    let block = Block::new().borders(Borders::TOP).title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let mut lines = vec![Line::from(vec![
        Span::styled(format!("  {:<LABEL$}", "Organization"), theme.accent()),
        Span::raw(org.to_owned()),
    ])];
    let mut cursor = None;
    // The focused line and the last line that goes with it (the currency suggestions).
    let mut focus = (0u16, 0u16);
    for field in Field::ALL {
        let focused = form.focus == Focus::Field(field);
        let text = form.draft.get(field);
        let shown = if focused {
            let (shown, col) = window(text, form.cursor, INPUT - 1);
            // after `› `, the label and `[`
            cursor = Some((lines.len() as u16, (LABEL + 3 + col) as u16));
            let extra = u16::from(matches!(field, Field::CurrencyIsoCode | Field::Edition));
            focus = (lines.len() as u16, lines.len() as u16 + extra);
            shown
        } else {
            tail(text, INPUT - 1)
        };
        let mut spans = vec![
            Span::styled(if focused { "› " } else { "  " }, theme.accent()),
            Span::styled(format!("{:<LABEL$}", field.label()), theme.accent()),
            Span::raw("["),
            Span::styled(
                format!("{shown:<w$}", w = INPUT - 1),
                if focused {
                    theme.selected()
                } else {
                    ratatui::style::Style::new()
                },
            ),
            Span::raw("] "),
        ];
        match form.fault(field) {
            Some(why) => {
                let who = if form.is_server_fault(field) {
                    "server: "
                } else {
                    ""
                };
                spans.push(Span::styled(format!("✗ {who}{why}"), theme.warning()));
            }
            None if !text.trim().is_empty() && validate_field(field, text).is_ok() => {
                spans.push(Span::styled("✓", theme.accent()))
            }
            None => spans.push(Span::styled(field.hint(), theme.dim())),
        }
        lines.push(Line::from(spans));
        if focused && field == Field::CurrencyIsoCode {
            lines.push(suggestions(app, form));
        }
        if focused && field == Field::Edition {
            lines.push(editions(app, form));
        }
    }
    lines.push(Line::default());
    lines.push(Line::styled(format!("  {AGREEMENT_TEXT}."), theme.accent()));
    let focused = form.focus == Focus::Agreement;
    let check = if form.agreement { "[x]" } else { "[ ]" };
    lines.push(Line::from(vec![
        Span::styled(if focused { "› " } else { "  " }, theme.accent()),
        Span::styled(
            format!("{check} The customer accepted the Trial Agreement"),
            if focused {
                theme.selected()
            } else {
                ratatui::style::Style::new()
            },
        ),
        Span::styled("  (Space ticks it)", theme.dim()),
    ]));
    if focused {
        cursor = Some((lines.len() as u16 - 1, 3));
        focus = (lines.len() as u16 - 1, lines.len() as u16 - 1);
    }
    let focused = form.focus == Focus::Submit;
    let blocked = form.blocked();
    let mut button = if blocked.is_some() {
        theme.dim().add_modifier(Modifier::CROSSED_OUT)
    } else {
        theme.accent().add_modifier(Modifier::BOLD)
    };
    if focused {
        button = button.patch(theme.selected());
    }
    let mut submit = vec![
        Span::styled(if focused { "› " } else { "  " }, theme.accent()),
        Span::styled("[ Submit ]", button),
    ];
    match &blocked {
        Some(why) => submit.push(Span::styled(format!("  disabled: {why}"), theme.dim())),
        None => submit.push(Span::styled("  Enter reviews the request", theme.dim())),
    }
    if focused {
        // with the reason it is disabled, or the form's last status, below it
        let below = u16::from(form.status.is_some()) * 2;
        focus = (lines.len() as u16, lines.len() as u16 + below);
    }
    lines.push(Line::from(submit));
    lines.push(Line::default());
    if let Some(status) = &form.status {
        let style = if status.error {
            theme.warning()
        } else {
            theme.accent()
        };
        lines.push(Line::styled(format!("  {}", status.text), style));
    }
    let scroll = scroll_for(focus, inner.height);
    if let Some((row, col)) = cursor {
        let row = row.saturating_sub(scroll);
        if row < inner.height && !form.confirming {
            frame.set_cursor_position(Position::new(
                (inner.x + col).min(inner.right().saturating_sub(1)),
                inner.y + row,
            ));
        }
    }
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
    if form.confirming {
        draw_confirmation(frame, app, form, area);
    }
}

/// Lines to scroll so that the focused lines `(first, last)` show in `height` rows
/// (the first wins when both cannot).
fn scroll_for((first, last): (u16, u16), height: u16) -> u16 {
    let bottom = (last + 1).saturating_sub(height);
    bottom.min(first)
}

/// `↳ EUR Euro · …` under the currency field while it has the focus.
fn suggestions<'a>(app: &App, form: &TrialForm) -> Line<'a> {
    let found = form.suggestions();
    let mut spans = vec![Span::raw(format!("  {:<LABEL$} ↳ ", ""))];
    if found.is_empty() {
        spans.push(Span::styled(
            "no ISO 4217 currency matches",
            app.theme.warning(),
        ));
        return Line::from(spans);
    }
    for (i, c) in found.iter().take(SUGGESTIONS).enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", app.theme.dim()));
        }
        let style = if i == form.suggestion {
            app.theme.selected()
        } else {
            ratatui::style::Style::new()
        };
        spans.push(Span::styled(format!("{} {}", c.code, c.name), style));
    }
    spans.push(Span::styled("   → takes · Ctrl-N/P", app.theme.dim()));
    Line::from(spans)
}

/// `↳ EXPRESS · ESSENTIALS · …` under the edition while it has the focus.
fn editions<'a>(app: &App, form: &TrialForm) -> Line<'a> {
    let mut spans = vec![Span::raw(format!("  {:<LABEL$} ↳ ", ""))];
    let current = form.edition_index();
    for (i, edition) in EDITIONS.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", app.theme.dim()));
        }
        let style = if current == Some(i) {
            app.theme.selected()
        } else {
            ratatui::style::Style::new()
        };
        spans.push(Span::styled(*edition, style));
    }
    spans.push(Span::styled("   ←/→ cycle", app.theme.dim()));
    Line::from(spans)
}

fn draw_confirmation(frame: &mut Frame, app: &App, form: &TrialForm, area: Rect) {
    let theme = &app.theme;
    let org = app.org(form.org).map_or("?", |o| o.name.as_str());
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{:<LABEL$}", "Organization"), theme.accent()),
        Span::raw(org.to_owned()),
    ])];
    match form.draft.to_request(form.agreement) {
        Ok(request) => {
            let licenses = request.num_licenses.to_string();
            let values: [(&str, &str); 10] = [
                ("Account name", &request.account_name),
                ("Admin e-mail", &request.admin_email),
                ("Admin name", &request.admin_name),
                ("Company name", &request.company_name),
                ("Currency", &request.currency_iso_code),
                ("Licenses", &licenses),
                ("Phone number", &request.phone_number),
                ("Website", &request.website_url),
                ("Edition", &request.edition),
                (
                    "External data",
                    request.external_data.as_deref().unwrap_or("—"),
                ),
            ];
            for (label, value) in values {
                lines.push(Line::from(vec![
                    Span::styled(format!("{label:<LABEL$}"), theme.accent()),
                    Span::raw(value.to_owned()),
                ]));
            }
        }
        Err(faults) => lines.push(Line::styled(
            format!("{} field(s) to fix", faults.len()),
            theme.warning(),
        )),
    }
    lines.push(Line::default());
    lines.push(Line::raw(
        "The customer accepted the Talkdesk Services Trial Agreement.",
    ));
    super::confirm::popup(frame, app, area, "Send this trial request?", lines);
}

/// The last `width` columns of `text` (a long value shows its end, where one types).
fn tail(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut out: Vec<char> = Vec::new();
    let mut used = 1;
    for c in text.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out.into_iter().rev().collect()
}
