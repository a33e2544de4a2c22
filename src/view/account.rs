//! The account view: details, reseller contract information, contract actions,
//! billing and trial events.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Sparkline, Widget};
use unicode_width::UnicodeWidthStr;

use crate::api::model::{ContractAction, ResellerContract};
use crate::app::billing::MONTHS;
use crate::app::{AccountView, App, OpenedFrom};

use super::account_billing::Spark;
use super::{ago, local_time, scrolled, without_org};

pub fn draw(frame: &mut Frame, app: &App, view: &AccountView, area: Rect) {
    let mut sparks = Vec::new();
    let lines = lines(app, view, &mut sparks);
    let back = match view.from {
        OpenedFrom::Billing(_) => "Esc back to billing",
        OpenedFrom::Events { .. } => "Esc back to events",
        OpenedFrom::Table => "Esc back",
    };
    let write = match app.read_only(view.org) {
        Some(_) => "read-only",
        None => "a contract action",
    };
    let title = Line::from(vec![
        Span::styled(" Account ", app.theme.accent()),
        Span::styled(format!("{back} · ↑↓ scroll · {write} "), app.theme.dim()),
    ]);
    let block = Block::new().borders(Borders::TOP).title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let total = lines.len() as u16;
    scrolled::render(frame, inner, total, view.scroll, |buf, content| {
        Paragraph::new(lines).render(content, buf);
        for spark in sparks {
            let at = Rect {
                x: content.x + spark.x,
                y: content.y + spark.y,
                width: (MONTHS as u16).min(content.width.saturating_sub(spark.x)),
                height: 1,
            };
            Sparkline::default()
                .data(spark.heights)
                .max(1000)
                .style(app.theme.accent())
                .render(at, buf);
        }
    });
}

fn field<'a>(app: &App, name: &'a str, value: impl Into<Span<'a>>) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{name:<14}"), app.theme.accent()),
        value.into(),
    ])
}

fn lines<'a>(app: &'a App, view: &'a AccountView, sparks: &mut Vec<Spark>) -> Vec<Line<'a>> {
    let theme = &app.theme;
    let org = app.org(view.org);
    let account = org.and_then(|o| {
        o.by_id
            .get(view.id.as_str())
            .and_then(|&i| o.accounts.get(i))
    });
    let mut out = Vec::new();
    match account {
        Some(a) => {
            out.push(field(app, "Name", a.name.as_str()));
            out.push(field(app, "Company", a.company_name.as_str()));
            out.push(field(app, "ID", a.id.as_str()));
            let mut status = vec![
                Span::styled(format!("{:<14}", "Status"), theme.accent()),
                Span::styled(a.status.as_str(), theme.status(&a.status)),
            ];
            if let Some(change) = app.recent_change(view.org, &a.id) {
                status.push(Span::raw(format!(
                    "   ● changed {} → {} {}",
                    change.old.as_str(),
                    change.new.as_str(),
                    ago(Some(change.at), app.now)
                )));
            }
            out.push(Line::from(status));
        }
        None => {
            out.push(field(app, "ID", view.id.as_str()));
            out.push(Line::styled(
                "This account is no longer listed by the organization.",
                theme.warning(),
            ));
        }
    }
    out.push(field(
        app,
        "Organization",
        org.map_or("", |o| o.name.as_str()),
    ));
    out.push(Line::default());
    out.push(Line::styled("Reseller contract", theme.accent()));
    out.push(contract_line(
        app,
        org.map_or("", |o| o.name.as_str()),
        org.and_then(|o| o.contracts.get(&view.id)),
    ));
    out.push(Line::default());
    let entry = org.and_then(|o| o.actions.get(&view.id));
    let mut heading = vec![Span::styled("Contract actions", theme.accent())];
    if let Some(e) = entry {
        if let Some(actions) = &e.actions {
            heading.push(Span::raw(format!(" ({})", actions.len())));
        }
        if e.fetched_at.is_some() {
            heading.push(Span::styled(
                format!(" · read {}", ago(e.fetched_at, app.now)),
                theme.dim(),
            ));
        }
    }
    out.push(Line::from(heading));
    match entry {
        None => out.push(Line::raw("  loading…")),
        Some(e) => {
            if let Some(error) = &e.error {
                out.push(Line::styled(
                    format!(
                        "  cannot read: {}",
                        without_org(org.map_or("", |o| o.name.as_str()), error)
                    ),
                    theme.warning(),
                ));
            }
            match e.actions.as_deref() {
                Some([]) => out.push(Line::raw("  none")),
                Some(actions) => {
                    out.push(Line::styled(
                        format!(
                            "  {:<30} {:>6}  {:<12} {:<28} {:<28} MESSAGE",
                            "TYPE", "QTY", "STATUS", "CREATED", "UPDATED"
                        ),
                        theme.dim(),
                    ));
                    let mut sorted: Vec<&ContractAction> = actions.iter().collect();
                    sorted.sort_by_key(|a| std::cmp::Reverse((a.created_at, a.updated_at)));
                    out.extend(sorted.into_iter().map(|a| action_line(app, a)));
                }
                None if e.error.is_none() => out.push(Line::raw("  loading…")),
                None => {}
            }
        }
    }
    out.push(Line::default());
    super::account_billing::lines(app, view, &mut out, sparks);
    let events: Vec<_> = app.store().events.for_account(&view.id).collect();
    out.push(Line::from(vec![
        Span::styled("Trial events", theme.accent()),
        Span::raw(format!(" ({})", events.len())),
    ]));
    if events.is_empty() {
        out.push(Line::raw("  none received"));
    }
    for stored in events {
        let [time, kind, _, _, reason, by, signature] = super::events::cells(app, stored);
        let detail = match stored.event.kind {
            crate::events::EventKind::TrialEnded(_) => format!("  {reason} by {by}"),
            _ => String::new(),
        };
        out.push(Line::raw(format!(
            "  {time:<26} {kind:<19}{detail}  {signature}"
        )));
    }
    out
}

fn contract_line<'a>(
    app: &App,
    org_name: &str,
    contract: Option<&'a Result<ResellerContract, String>>,
) -> Line<'a> {
    match contract {
        None => Line::raw("  loading…"),
        Some(Err(reason)) => Line::styled(
            format!("  not available: {}", without_org(org_name, reason)),
            app.theme.warning(),
        ),
        Some(Ok(c)) => {
            let mut text = format!(
                "  {} · trial {} · licenses {}",
                c.account_status.as_str(),
                match c.trial {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "-",
                },
                c.license_number.map_or("-".to_owned(), |n| n.to_string()),
            );
            if c.transition_date.is_some() || c.transition_status.is_some() {
                text.push_str(&format!(
                    " · next: {} on {}",
                    c.transition_status.as_ref().map_or("-", |s| s.as_str()),
                    local_time(c.transition_date, app.now)
                ));
            }
            Line::raw(text)
        }
    }
}

fn action_line<'a>(app: &App, a: &'a ContractAction) -> Line<'a> {
    let kind = format!("{} ({})", a.action_type.label(), a.action_type.as_str());
    let pad = 30usize.saturating_sub(kind.width());
    Line::from(vec![
        Span::raw(format!("  {kind}{} ", " ".repeat(pad))),
        Span::raw(format!(
            "{:>6}  ",
            a.quantity.map_or("-".to_owned(), |q| q.to_string())
        )),
        Span::styled(
            format!("{:<12}", a.status.as_str()),
            app.theme.action(&a.status),
        ),
        Span::raw(format!(
            " {:<28} {:<28} ",
            local_time(a.created_at, app.now),
            local_time(a.updated_at, app.now)
        )),
        Span::styled(a.status_message.as_str(), Style::new()),
    ])
}
