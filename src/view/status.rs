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

use super::{ago, fit, sync_state, without_org};

pub fn draw_prompt(frame: &mut Frame, app: &App, area: Rect) {
    let query = app.listing().query();
    let line = if matches!(app.mode(), Mode::Filter) {
        let prefix = "/ ";
        let x = area.x + (prefix.width() + query.width()) as u16;
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
        Line::from(vec![
            Span::styled(prefix, app.theme.accent()),
            Span::raw(query),
            Span::styled("   Enter keeps · Esc clears", app.theme.dim()),
        ])
    } else {
        Line::from(vec![
            Span::styled("filter: ", app.theme.accent()),
            Span::raw(query),
            Span::styled("   / edits · Esc clears", app.theme.dim()),
        ])
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// `ACTIVE 120 · [IN_TRIAL 34] · …   154 of 3000 shown`; bracketed statuses are the
/// status filter, the underlined one is under the toggle cursor.
pub fn draw_counts(frame: &mut Frame, app: &App, area: Rect) {
    let listing = app.listing();
    let bar = listing.status_bar();
    let mut spans = Vec::new();
    for (i, entry) in bar.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", app.theme.dim()));
        }
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
        spans.push(Span::styled(text, style));
    }
    let shown = if listing.status_filter().is_empty() {
        format!("   {} of {} shown", listing.rows().len(), listing.total())
    } else {
        let names: Vec<&str> = listing.status_filter().iter().map(|s| s.as_str()).collect();
        format!(
            "   {} of {} shown · status: {}",
            listing.rows().len(),
            listing.total(),
            names.join("+")
        )
    };
    spans.push(Span::styled(shown, app.theme.dim()));
    // The marker's legend, when a visible row carries it.
    let rows = usize::from(super::layout::table_rows(app.area, app));
    let visible = listing.rows().iter().skip(listing.offset()).take(rows);
    let marked = visible
        .filter_map(|r| app.account(*r))
        .any(|a| app.recent_end(&a.id).is_some());
    if marked {
        spans.push(Span::styled(
            format!("   {} trial ended (e: events)", super::table::TRIAL_ENDED),
            app.theme.warning(),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

const HINTS: &str = "? help · / filter · s status · o orgs · q quit";

pub fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let mut spans: Vec<Span> = Vec::new();
    let orgs: Vec<_> = app.current_orgs().filter_map(|o| app.org(o)).collect();
    match orgs.as_slice() {
        [org] if app.tab() != app.all_tab() => {
            spans.push(Span::styled(org.name.clone(), theme.accent()));
            let (_, word) = sync_state(org);
            let style = if word.starts_with("STALE") || word == "FAILED" {
                theme.warning()
            } else {
                Style::new()
            };
            spans.push(Span::raw(" · "));
            spans.push(Span::styled(word, style));
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
            spans.push(Span::styled("All organizations", theme.accent()));
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
    if let Some(notice) = app.notice() {
        let style = if notice.error {
            theme.warning()
        } else {
            theme.accent()
        };
        spans.push(Span::styled(format!(" · {}", notice.text), style));
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
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    let width = usize::from(area.width);
    let room_for_hints = width.saturating_sub(used) > HINTS.width() + 40 || error.is_none();
    let hints_width = if room_for_hints { HINTS.width() + 3 } else { 0 };
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
        spans.push(Span::styled(fit(&text, room), theme.warning()));
    }
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    if room_for_hints && used + hints_width <= width {
        let pad = width - used - HINTS.width();
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(HINTS, theme.dim()));
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
