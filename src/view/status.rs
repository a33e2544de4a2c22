//! The bottom lines: the filter prompt, the status counts (the status filter) and the
//! status line (organization, sync state, age, last error, key hints).

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::app::{App, Mode};
use crate::store::{LoadState, OrgData};

use super::{ago, segments, sync_state, without_org};

/// The filter prompt: `/ text` with the cursor while it is typed into, `filter: text`
/// while kept. In the events view it is the events' filter.
pub fn draw_prompt(frame: &mut Frame, app: &App, area: Rect) {
    let (text, cursor, typing) = match app.mode() {
        Mode::Events(view) => (view.filter.text(), view.filter.cursor(), view.filtering),
        Mode::Filter => (app.listing().query(), app.filter_cursor, true),
        _ => (app.listing().query(), 0, false),
    };
    let line = if typing {
        let prefix = "/ ";
        let tail = "   Enter keeps · Esc clears";
        let room = usize::from(area.width)
            .saturating_sub(prefix.width() + tail.width())
            .max(8);
        let (shown, col) = super::text_box::window(text, cursor, room);
        let x = area.x + (prefix.width() + col) as u16;
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
        Line::from(vec![
            Span::styled(prefix, app.theme.accent()),
            Span::raw(shown),
            Span::styled(tail, app.theme.dim()),
        ])
    } else {
        Line::from(vec![
            Span::styled("filter: ", app.theme.accent()),
            Span::raw(text.to_owned()),
            Span::styled("   / edits · Esc clears", app.theme.dim()),
        ])
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// `ACTIVE 120 · [IN_TRIAL 34] · …   154 of 3000 shown`; bracketed statuses are the
/// status filter, the underlined one is under the toggle cursor. The total always
/// shows; statuses that do not fit are dropped whole, marked `‹ ›`, keeping the cursor's.
pub fn draw_counts(frame: &mut Frame, app: &App, area: Rect) {
    let listing = app.listing();
    let bar = listing.status_bar();
    let entries: Vec<Span> = bar
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let text = if entry.selected {
                format!("[{} {}]", entry.status.as_str(), entry.count)
            } else {
                format!("{} {}", entry.status.as_str(), entry.count)
            };
            let mut style = app.theme.status(&entry.status);
            if entry.selected {
                style = style.add_modifier(Modifier::BOLD);
            }
            if i == listing.status_cursor() && matches!(app.mode(), Mode::Table) {
                style = style.add_modifier(Modifier::UNDERLINED);
            }
            Span::styled(text, style)
        })
        .collect();
    let shown = Span::styled(
        format!("   {} of {} shown", listing.rows().len(), listing.total()),
        app.theme.dim(),
    );
    let width = usize::from(area.width);
    let room = width.saturating_sub(shown.content.width());
    let mut spans = fit_statuses(app, entries, listing.status_cursor(), room);
    spans.push(shown);
    let mut extras = Vec::new();
    if !listing.status_filter().is_empty() {
        let names: Vec<&str> = listing.status_filter().iter().map(|s| s.as_str()).collect();
        extras.push(Span::styled(
            format!(" · status: {}", names.join("+")),
            app.theme.dim(),
        ));
    }
    // The marker's legend, when a visible row carries it.
    let rows = usize::from(super::layout::table_rows(app.area, app));
    let visible = listing.rows().iter().skip(listing.offset()).take(rows);
    let marked = visible
        .filter_map(|r| app.account(*r))
        .any(|a| app.recent_end(&a.id).is_some());
    if marked {
        extras.push(Span::styled(
            format!("   {} trial ended (e: events)", super::table::TRIAL_ENDED),
            app.theme.warning(),
        ));
    }
    let room = width.saturating_sub(segments::width(&spans));
    spans.extend(segments::keep_fitting(extras, room));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The status entries that fit in `room`, joined by ` · `: a run that includes the
/// cursor's, with `‹ ` / ` ›` where entries are left out.
fn fit_statuses<'a>(
    app: &App,
    entries: Vec<Span<'a>>,
    cursor: usize,
    room: usize,
) -> Vec<Span<'a>> {
    let len = entries.len();
    let widths: Vec<usize> = entries.iter().map(|e| e.content.width()).collect();
    let run = |from: usize, to: usize| {
        let marks = 2 * (usize::from(from > 0) + usize::from(to < len));
        widths[from..to].iter().sum::<usize>() + 3 * (to - from).saturating_sub(1) + marks
    };
    let cursor = cursor.min(len.saturating_sub(1));
    let mut from = 0;
    while from < cursor && run(from, cursor + 1) > room {
        from += 1;
    }
    let mut to = from;
    while to < len && run(from, to + 1) <= room {
        to += 1;
    }
    let mut out = Vec::new();
    if from > 0 {
        out.push(Span::styled("‹ ", app.theme.dim()));
    }
    for (i, entry) in entries.into_iter().enumerate().take(to).skip(from) {
        if i > from {
            out.push(Span::styled(" · ", app.theme.dim()));
        }
        out.push(entry);
    }
    if to < len && to > from {
        out.push(Span::styled(" ›", app.theme.dim()));
    }
    out
}

/// The keys that work in the current view, for the status line's end.
fn hints(app: &App) -> &'static str {
    match app.mode() {
        Mode::Events(_) => "Enter account · / filter · Esc back",
        Mode::Account(_) => "Esc back · ↑↓ scroll · ? help · q quit",
        Mode::Billing(_) => "←→ month · c currency · Enter open · Esc back · ? help",
        Mode::Trial(_) => "Tab next · Ctrl-S review · Esc close (draft kept)",
        _ => "? help · / filter · s status · o orgs · q quit",
    }
}

pub fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let mut spans: Vec<Span> = Vec::new();
    let orgs: Vec<_> = app.current_orgs().filter_map(|o| app.org(o)).collect();
    match orgs.as_slice() {
        [org] if app.tab() != app.all_tab() => {
            if app.tab() > app.all_tab() {
                let view = app.tab_title(app.tab());
                spans.push(Span::styled(format!("{view} · "), theme.accent()));
            }
            spans.push(Span::styled(org.name.clone(), theme.accent()));
            let (_, word) = sync_state(org);
            let style = if word.starts_with("STALE") || word == "FAILED" {
                theme.warning()
            } else {
                Style::new()
            };
            spans.push(Span::styled(format!(" · {word}"), style));
            if let Some(at) = org.last_good_at {
                let label = if org.cached_at.is_some() {
                    "cached"
                } else if org.is_stale() {
                    "last good"
                } else {
                    "updated"
                };
                spans.push(Span::raw(format!(" · {label} {}", ago(Some(at), app.now))));
            }
        }
        _ => {
            // "All organizations" or a saved view's name
            let title = app.tab_title(app.tab()).to_owned();
            spans.push(Span::styled(title, theme.accent()));
            let ready = orgs
                .iter()
                .filter(|o| matches!(o.load, LoadState::Ready { .. }))
                .count();
            let failing = orgs
                .iter()
                .filter(|o| matches!(o.load, LoadState::Failed { .. }))
                .count();
            spans.push(Span::raw(format!(" · {ready}/{} ready", orgs.len())));
            if failing > 0 {
                spans.push(Span::styled(
                    format!(" · {failing} failing"),
                    theme.warning(),
                ));
            }
            let oldest = orgs.iter().filter_map(|o| o.last_good_at).min();
            if oldest.is_some() {
                spans.push(Span::raw(format!(" · updated {}", ago(oldest, app.now))));
            }
        }
    }
    // Writes are refused here (--read-only or read_only = true).
    if app.writes_refused() {
        spans.push(Span::styled(" · read-only", theme.warning()));
    }
    // Billing reads running: "billing 3/40" (per organization on a tab of several).
    let billing: Vec<String> = orgs
        .iter()
        .filter_map(|o| billing_progress(o).map(|p| (o, p)))
        .map(|(o, p)| {
            if orgs.len() > 1 {
                format!("{} {p}", o.name)
            } else {
                p
            }
        })
        .collect();
    if !billing.is_empty() {
        spans.push(Span::raw(format!(" · billing {}", billing.join(", "))));
    }
    // The selected account's recent status change, old → new.
    if matches!(app.mode(), Mode::Table | Mode::Filter) {
        let change = app
            .listing()
            .selected_id()
            .and_then(|(org, id)| app.recent_change(org, id));
        if let Some(c) = change {
            spans.push(Span::styled(
                format!(
                    " · ● {} → {} {}",
                    c.old.as_str(),
                    c.new.as_str(),
                    ago(Some(c.at), app.now)
                ),
                theme.accent(),
            ));
        }
    }
    // The selected account's recent trial end.
    if matches!(app.mode(), Mode::Table | Mode::Filter) {
        let end = app
            .listing()
            .selected_id()
            .and_then(|(_, id)| app.recent_end(id));
        if let Some(stored) = end {
            let cells = super::events::cells(app, stored);
            spans.push(Span::styled(
                format!(
                    " · {} trial ended: {} by {}",
                    super::table::TRIAL_ENDED,
                    cells[4],
                    cells[5]
                ),
                theme.warning(),
            ));
        }
    }
    // Segments are shown whole or dropped; the name, cut with `…` when it must be.
    let width = usize::from(area.width);
    let mut rest = spans.split_off(1.min(spans.len()));
    if let Some(name) = spans.first_mut() {
        name.content = segments::fit_text(&name.content, width).into();
    }
    if let Some(hint) = app.key_hint() {
        rest.insert(0, Span::styled(format!(" · {hint}"), theme.dim()));
    }
    let room = width.saturating_sub(segments::width(&spans));
    spans.extend(segments::keep_fitting(rest, room));
    if let Some(notice) = app.notice() {
        let style = if notice.error {
            theme.warning()
        } else {
            theme.accent()
        };
        let room = width.saturating_sub(segments::width(&spans));
        let text = segments::fit_text(&format!(" · {}", notice.text), room);
        if text.width() > 4 {
            spans.push(Span::styled(text, style));
        }
    }
    // The newest error of the organizations shown, in one line.
    let error = orgs
        .iter()
        .filter_map(|o| {
            o.last_error
                .as_ref()
                .map(|(e, at)| (o.name.as_str(), e, *at))
        })
        .max_by_key(|(_, _, at)| *at);
    let hints = hints(app);
    let used = segments::width(&spans);
    let room_for_hints = width.saturating_sub(used) > hints.width() + 40 || error.is_none();
    let hints_width = if room_for_hints { hints.width() + 3 } else { 0 };
    if let Some((name, e, at)) = error {
        let prefix = if orgs.len() > 1 {
            format!("{name}: ")
        } else {
            String::new()
        };
        let text = format!(
            " · {prefix}{} ({})",
            one_line(without_org(name, e)),
            ago(Some(at), app.now)
        );
        let room = width.saturating_sub(used + hints_width);
        let text = segments::fit_text(&text, room);
        if text.width() > 4 {
            spans.push(Span::styled(text, theme.warning()));
        }
    }
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    if room_for_hints && used + hints_width <= width {
        let pad = width - used - hints.width();
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(hints, theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// `3/40` while the organization's billing read runs (`…` before its first page).
fn billing_progress(org: &OrgData) -> Option<String> {
    match org.billing_load {
        LoadState::Syncing { done, total } if total > 0 => Some(format!("{done}/{total}")),
        LoadState::Syncing { .. } => Some("…".to_owned()),
        _ => None,
    }
}

/// Newlines and tabs become spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
