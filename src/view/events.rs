//! The events timeline: newest first, each event matched to its organization and
//! account by `account_id`, the selected one highlighted. Only the visible lines are
//! built.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::{App, EventsView};
use crate::events::{EventKind, StoredEvent};
use crate::store::event_time;

use super::{fit, local_time};
use unicode_width::UnicodeWidthStr;

const HEAD: [(&str, usize); 7] = [
    ("TIME", 26),
    ("TYPE", 19),
    ("ORGANIZATION", 16),
    ("ACCOUNT", 44),
    ("REASON", 16),
    ("BY", 7),
    ("SIGNATURE", 10),
];

/// What the events view's keys do, for its title.
const KEYS: &str = "· ↑↓ select · Enter account · / filter · Esc back ";

pub fn draw(frame: &mut Frame, app: &App, view: &EventsView, area: Rect) {
    let theme = &app.theme;
    let info = app.events_info();
    let events = &app.store().events;
    let rows = app.event_rows();
    let count = if rows.len() == events.len() {
        format!(" Events ({}) ", events.len())
    } else {
        format!(" Events ({} of {}) ", rows.len(), events.len())
    };
    let mut title = vec![Span::styled(count, theme.accent())];
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
    title.push(Span::styled(KEYS, theme.dim()));
    let block = Block::new().borders(Borders::TOP).title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let widths = column_widths(usize::from(inner.width));
    let mut lines = vec![Line::styled(
        row(&HEAD.map(|(h, _)| h.to_owned()), &widths),
        theme.dim(),
    )];
    if events.is_empty() {
        lines.push(Line::raw(
            "  No events yet. Trial events (app.trial_started, app.trial_extended, app.trial_ended) appear here as they arrive.",
        ));
    } else if rows.is_empty() {
        lines.push(Line::raw(
            "  No event of this tab matches. Esc clears the filter; the All tab shows every organization's.",
        ));
    }
    let height = usize::from(inner.height.saturating_sub(1));
    let start = view.offset.min(rows.len());
    for (i, stored) in rows.iter().enumerate().skip(start).take(height) {
        let cells = cells(app, stored);
        let mut style = match (&stored.event.kind, stored.verified) {
            (_, false) => theme.warning(),
            (EventKind::TrialEnded(_), _) => theme.accent(),
            _ => ratatui::style::Style::new(),
        };
        if i == view.selected {
            style = style.patch(theme.selected());
        }
        let mut line = row(&cells, &widths);
        if i == view.selected {
            let pad = usize::from(inner.width).saturating_sub(line.width());
            line.push_str(&" ".repeat(pad));
        }
        lines.push(Line::styled(line, style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The cells of one event: time, type, organization, account, reason, by, signature.
pub fn cells(app: &App, stored: &StoredEvent) -> [String; 7] {
    let [kind, org, account, reason, by, signature] = described(app, stored);
    [
        local_time(Some(event_time(stored)), app.now),
        kind,
        org,
        account,
        reason,
        by,
        signature,
    ]
}

/// The cells of one event but its time (what the events filter searches): type,
/// organization, account, reason, by, signature.
pub fn described(app: &App, stored: &StoredEvent) -> [String; 6] {
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
        event.event_type.clone(),
        org_name,
        account,
        reason,
        by,
        signature.to_owned(),
    ]
}

/// Columns kept, by importance, when the view is narrower than all of them: type,
/// account, time, signature, organization, reason, by. The account column takes what
/// is left; the first that does not fit ends the list.
const KEEP: [usize; 7] = [1, 3, 0, 6, 2, 4, 5];
/// The account column's least width.
const ACCOUNT_MIN: usize = 20;

fn column_widths(width: usize) -> [Option<usize>; 7] {
    let mut out = [None; 7];
    let mut room = width.saturating_sub(2);
    for i in KEEP {
        let want = if i == 3 { ACCOUNT_MIN } else { HEAD[i].1 };
        if want >= room {
            break;
        }
        out[i] = Some(want);
        room -= want + 1;
    }
    if let Some(account) = out[3].as_mut() {
        *account = (*account + room).min(HEAD[3].1);
    }
    out
}

fn row(cells: &[String; 7], widths: &[Option<usize>; 7]) -> String {
    let mut out = String::from("  ");
    for (cell, width) in cells.iter().zip(widths) {
        let Some(width) = *width else { continue };
        let text = fit(cell, width);
        let pad = width.saturating_sub(text.width());
        out.push_str(&text);
        out.push_str(&" ".repeat(pad + 1));
    }
    out.trim_end().to_owned()
}
