//! Drawing. Every function here reads the app state and writes a frame: no I/O, no
//! awaiting, and only the visible rows are built.

mod account;
mod account_billing;
mod action;
pub mod billing;
mod confirm;
pub(crate) mod events;
mod header;
mod highlight;
pub mod layout;
#[cfg(test)]
mod narrow_tests;
mod overlay;
mod scrolled;
mod segments;
mod status;
pub(crate) mod table;
mod text_box;
pub mod theme;
mod trial;

use chrono::{DateTime, Local, Utc};
use ratatui::Frame;
use ratatui::layout::Alignment;
use ratatui::widgets::{Paragraph, Wrap};

pub use theme::Theme;

use crate::app::{App, Mode};
use crate::store::{LoadState, OrgData};

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let Some(regions) = layout::regions(area, app) else {
        let text = format!(
            "terminal too small (need {}x{})",
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        );
        frame.render_widget(
            Paragraph::new(text)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    };
    header::draw(frame, app, regions.header);
    match app.mode() {
        Mode::Account(view) => account::draw(frame, app, view, regions.body),
        Mode::Trial(form) => trial::draw(frame, app, form, regions.body),
        Mode::Action(form) => action::draw(frame, app, form, regions.body),
        Mode::Events(view) => events::draw(frame, app, view, regions.body),
        Mode::Billing(view) => billing::draw(frame, app, view, regions.body),
        _ => table::draw(frame, app, regions.body),
    }
    if let Some(prompt) = regions.prompt {
        status::draw_prompt(frame, app, prompt);
    }
    status::draw_counts(frame, app, regions.counts);
    status::draw_status(frame, app, regions.status);
    if let Mode::Picker(picker) = app.mode() {
        overlay::draw_picker(frame, app, picker, area);
    }
    if let Some(scroll) = app.history_open() {
        overlay::draw_history(frame, app, scroll, area);
    }
    if let Some(scroll) = app.help {
        overlay::draw_help(frame, app, scroll, area);
    }
}

/// "<1m ago", "3m ago", "5h ago", "2d ago"; "in 3h" for a future time; "" for none.
/// Whole minutes at least, so the text (and the screen) changes once a minute, not
/// every second: the first minute is "<1m ago" ("in <1m" ahead).
pub fn ago(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    let Some(at) = at else {
        return String::new();
    };
    let secs = (now - at).num_seconds();
    let span = |s: i64| match s {
        s if s < 3_600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3_600),
        s => format!("{}d", s / 86_400),
    };
    match secs {
        0..60 => "<1m ago".to_owned(),
        -59..0 => "in <1m".to_owned(),
        s if s >= 0 => format!("{} ago", span(s)),
        s => format!("in {}", span(-s)),
    }
}

/// Local date and time with the relative age: `2024-03-01 14:05 (3h ago)`.
pub fn local_time(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    match at {
        Some(t) => format!(
            "{} ({})",
            t.with_timezone(&Local).format("%Y-%m-%d %H:%M"),
            ago(Some(t), now)
        ),
        None => "-".to_owned(),
    }
}

/// A glyph and a word for an organization's sync state (the word is what matters).
pub fn sync_state(org: &OrgData) -> (&'static str, String) {
    match &org.load {
        LoadState::Idle if org.cached_at.is_some() => ("·", "cached".to_owned()),
        LoadState::Idle => ("·", "waiting".to_owned()),
        LoadState::Syncing { done, total } => {
            let progress = match total {
                0 => "syncing".to_owned(),
                _ => format!("syncing {done}/{total}"),
            };
            // a retry after a failure: the rows shown are still the stale ones
            let stale = if org.is_stale() { "STALE, " } else { "" };
            ("⟳", format!("{stale}{progress}"))
        }
        LoadState::Ready { .. } => ("✓", "ready".to_owned()),
        LoadState::Failed { .. } if org.last_good_at.is_some() => ("!", "STALE".to_owned()),
        LoadState::Failed { .. } => ("✗", "FAILED".to_owned()),
    }
}

/// `error` without a leading `"{org}: "` (the sync tasks name the organization; the
/// screen already does).
pub fn without_org<'a>(org: &str, error: &'a str) -> &'a str {
    error
        .strip_prefix(org)
        .and_then(|rest| rest.strip_prefix(": "))
        .unwrap_or(error)
}

/// Truncates `text` to `width` columns, ending with `…` when cut.
pub fn fit(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    if unicode_width::UnicodeWidthStr::width(text) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn relative_ages() {
        let now = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
        let t = |s: i64| Some(now - chrono::Duration::seconds(s));
        assert_eq!(ago(t(12), now), "<1m ago");
        assert_eq!(ago(t(-30), now), "in <1m");
        assert_eq!(ago(t(3 * 60 + 5), now), "3m ago");
        assert_eq!(ago(t(3 * 3600), now), "3h ago");
        assert_eq!(ago(t(2 * 86_400 + 5), now), "2d ago");
        assert_eq!(ago(t(-7200), now), "in 2h");
        assert_eq!(ago(None, now), "");
    }

    #[test]
    fn relative_time_changes_only_at_minute_steps() {
        let at = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
        let text = |s: i64| ago(Some(at), at + chrono::Duration::seconds(s));
        let mut last = text(0);
        for s in 1..3 * 86_400 {
            let now = text(s);
            if now != last {
                assert_eq!(s % 60, 0, "{last:?} -> {now:?} at {s}s");
                last = now;
            }
        }
    }

    #[test]
    fn fitting_text() {
        assert_eq!(fit("hello", 10), "hello");
        assert_eq!(fit("hello world", 6), "hello…");
        assert_eq!(fit("東京東京", 5), "東京…");
    }
}
