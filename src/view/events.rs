//! The events timeline: newest first, each event matched to its organization and
//! account by `account_id`. Only the visible lines are built.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::App;
use crate::events::{EventKind, StoredEvent};
use crate::store::event_time;

use super::{fit, local_time};

const HEAD: [(&str, usize); 7] = [
    ("TIME", 26),
    ("TYPE", 19),
    ("ORGANIZATION", 16),
    ("ACCOUNT", 44),
    ("REASON", 16),
    ("BY", 7),
    ("SIGNATURE", 10),
];

pub fn draw(frame: &mut Frame, app: &App, scroll: u16, area: Rect) {
    let theme = &app.theme;
    let info = app.events_info();
    let events = &app.store().events;
    let mut title = vec![Span::styled(
        format!(" Events ({}) ", events.len()),
        theme.accent(),
    )];
    match (&info.url, &info.error) {
        (Some(url), _) => title.push(Span::raw(format!("listening on {url} "))),
        (None, Some(error)) => title.push(Span::styled(
            format!("receiver not running: {error} "),
            theme.warning(),
        )),
        (None, None) => title.push(Span::styled(
            "no [events] in the configuration: journal only ",
            theme.dim(),
        )),
    }
    title.push(Span::styled("· Esc back ", theme.dim()));
    let block = Block::new().borders(Borders::TOP).title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = vec![Line::styled(
        row(HEAD.map(|(h, _)| h.to_owned())),
        theme.dim(),
    )];
    if events.is_empty() {
        lines.push(Line::raw(
            "  No events yet. Trial events (app.trial_started, app.trial_extended, app.trial_ended) appear here as they arrive.",
        ));
    }
    let rows = usize::from(inner.height.saturating_sub(1));
    let skip = usize::from(scroll).min(events.len().saturating_sub(rows.max(1)));
    for stored in events.newest_first().skip(skip).take(rows) {
        let cells = cells(app, stored);
        let style = match (&stored.event.kind, stored.verified) {
            (_, false) => theme.warning(),
            (EventKind::TrialEnded(_), _) => theme.accent(),
            _ => ratatui::style::Style::new(),
        };
        lines.push(Line::styled(row(cells), style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The cells of one event: time, type, organization, account, reason, by, signature.
pub fn cells(app: &App, stored: &StoredEvent) -> [String; 7] {
    let event = &stored.event;
    let store = app.store();
    let account_id = event.account_id().unwrap_or("");
    let mut orgs = store.orgs_of_account(account_id);
    let org = orgs.next();
    let org_name = org
        .and_then(|o| app.org(o))
        .map_or("-".to_owned(), |o| o.name.clone());
    let account = match org
        .and_then(|o| app.org(o))
        .and_then(|o| o.account(account_id))
    {
        Some(a) => format!("{} ({})", a.name, a.id),
        None if account_id.is_empty() => "-".to_owned(),
        None => account_id.to_owned(),
    };
    let (reason, by) = match &event.kind {
        EventKind::TrialEnded(d) => (
            d.ended_reason
                .as_ref()
                .map_or("-", |r| r.as_str())
                .to_owned(),
            d.ended_by.as_ref().map_or("-", |b| b.as_str()).to_owned(),
        ),
        _ => ("-".to_owned(), "-".to_owned()),
    };
    let signature = if stored.verified {
        "verified"
    } else {
        "UNVERIFIED"
    };
    [
        local_time(Some(event_time(stored)), app.now),
        event.event_type.clone(),
        org_name,
        account,
        reason,
        by,
        signature.to_owned(),
    ]
}

fn row(cells: [String; 7]) -> String {
    let mut out = String::from("  ");
    for (cell, (_, width)) in cells.iter().zip(HEAD) {
        let text = fit(cell, width);
        let pad = width.saturating_sub(unicode_width::UnicodeWidthStr::width(text.as_str()));
        out.push_str(&text);
        out.push_str(&" ".repeat(pad + 1));
    }
    out.trim_end().to_owned()
}
