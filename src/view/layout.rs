//! Where each part of the screen goes. Shared by drawing and by mouse hit-testing,
//! so a click lands on what was drawn there.

use ratatui::layout::{Constraint, Layout, Rect};
use unicode_width::UnicodeWidthStr;

use crate::app::{App, Mode};

/// Below this the layout does not fit; a short message is drawn instead.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Regions {
    /// Organization tabs (one line).
    pub header: Rect,
    /// The table (column titles on its first line) or the account view.
    pub body: Rect,
    /// The filter prompt, when open or a text filter is kept.
    pub prompt: Option<Rect>,
    /// Status counts (the status filter).
    pub counts: Rect,
    /// Organization, sync state, last error, hints.
    pub status: Rect,
}

/// The regions of `area`, or `None` when it is too small.
pub fn regions(area: Rect, app: &App) -> Option<Regions> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let prompt = match app.mode() {
        Mode::Filter => true,
        Mode::Events(view) => view.filtering || !view.filter.text().is_empty(),
        _ => !app.listing().query().is_empty(),
    };
    let [header, body, prompt_area, counts, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(u16::from(prompt)),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Some(Regions {
        header,
        body,
        prompt: prompt.then_some(prompt_area),
        counts,
        status,
    })
}

/// The area of table rows (the body below the column titles).
pub fn table_area(area: Rect, app: &App) -> Option<Rect> {
    let body = regions(area, app)?.body;
    Some(Rect {
        y: body.y + 1,
        height: body.height.saturating_sub(1),
        ..body
    })
}

/// The events view's rows (the body below its title and column titles).
pub fn events_area(area: Rect, app: &App) -> Option<Rect> {
    let body = regions(area, app)?.body;
    Some(Rect {
        y: body.y + 2,
        height: body.height.saturating_sub(2),
        ..body
    })
}

/// How many table rows fit.
pub fn table_rows(area: Rect, app: &App) -> u16 {
    table_area(area, app).map_or(1, |r| r.height)
}

/// One tab of the header: its columns on screen and label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabSpan {
    pub tab: usize,
    pub x: u16,
    pub width: u16,
    pub label: String,
}

/// The tab labels that fit in `width`, scrolled so the current tab shows.
pub fn tabs(app: &App, width: u16) -> Vec<TabSpan> {
    tab_strip(app, width).tabs
}

/// The tabs shown and whether some are hidden to the left (`‹`) or right (`›`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabStrip {
    pub tabs: Vec<TabSpan>,
    pub more_left: bool,
    pub more_right: bool,
}

/// Columns of an overflow marker (`‹ ` or ` ›`).
pub const MARKER: u16 = 2;

/// The tab strip of `width` columns: the current tab always shows (cut if it alone is
/// too wide), with markers where tabs are left out.
pub fn tab_strip(app: &App, width: u16) -> TabStrip {
    let labels = super::header::labels(app);
    let widths: Vec<u16> = labels.iter().map(|l| l.width() as u16 + 1).collect();
    let last = labels.len().saturating_sub(1);
    let current = app.tab().min(last);
    let marks = |from: usize, to: usize| MARKER * (u16::from(from > 0) + u16::from(to < last));
    // First tab shown: the earliest from which the current tab still fits.
    let mut first = 0;
    while first < current
        && widths[first..=current].iter().sum::<u16>() + marks(first, current) > width
    {
        first += 1;
    }
    let more_left = first > 0;
    let mut x = if more_left { MARKER } else { 0 };
    let mut out = Vec::new();
    for (tab, label) in labels.into_iter().enumerate().skip(first) {
        let w = widths[tab];
        let right = if tab < last { MARKER } else { 0 };
        if x + w + right > width && !out.is_empty() {
            break;
        }
        out.push(TabSpan {
            tab,
            x,
            width: w.min(width.saturating_sub(x)),
            label,
        });
        x += w;
        if x >= width {
            break;
        }
    }
    let more_right = out.last().is_some_and(|t| t.tab < last);
    TabStrip {
        tabs: out,
        more_left,
        more_right,
    }
}
