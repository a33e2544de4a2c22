//! The accounts table: only the rows in the viewport are built.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};

use crate::app::listing::{Column, Scope};
use crate::app::{App, RowRef};
use crate::store::{LoadState, OrgData};

use super::highlight::Highlighter;
use super::{fit, sync_state, without_org};

/// Marks an account whose trial ended recently (an `app.trial_ended` event).
pub const TRIAL_ENDED: &str = "◆";

/// Width of the contract column.
const CONTRACT_WIDTH: u16 = 30;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let listing = app.listing();
    if let Some(message) = empty_message(app) {
        let style = if message.1 {
            app.theme.warning()
        } else {
            Style::new()
        };
        frame.render_widget(
            Paragraph::new(message.0)
                .style(style)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: false }),
            Rect {
                y: area.y + area.height / 3,
                height: area.height - area.height / 3,
                ..area
            },
        );
        return;
    }
    let height = usize::from(area.height.saturating_sub(1));
    let start = listing.offset().min(listing.rows().len());
    let end = (start + height).min(listing.rows().len());
    let visible = &listing.rows()[start..end];
    let fitted = fit_columns(app, listing.columns(), area.width);
    let columns: Vec<Column> = fitted.iter().map(|(c, _)| *c).collect();
    let columns = columns.as_slice();
    let widths: Vec<Constraint> = std::iter::once(Constraint::Length(1))
        .chain(fitted.iter().map(|(_, w)| Constraint::Length(*w)))
        .collect();
    let sort = listing.sort();
    let titles = std::iter::once(Cell::from(" ")).chain(columns.iter().map(|c| {
        let arrow = match (sort.column == *c, sort.descending) {
            (true, false) => " ▲",
            (true, true) => " ▼",
            _ => "",
        };
        Cell::from(format!("{}{arrow}", c.title()))
    }));
    let mut marks = Highlighter::new(listing.query());
    let rows: Vec<Row> = visible
        .iter()
        .map(|r| row(app, *r, &fitted, &mut marks))
        .collect();
    let table = Table::new(rows, widths)
        .header(Row::new(titles).style(app.theme.accent()))
        .column_spacing(1)
        .row_highlight_style(app.theme.selected());
    let mut state = TableState::default();
    if !visible.is_empty() {
        state.select(Some(listing.selected().saturating_sub(start)));
    }
    frame.render_stateful_widget(table, area, &mut state);
}

/// Why there is no table: (message, is an error).
fn empty_message(app: &App) -> Option<(String, bool)> {
    let listing = app.listing();
    if !listing.rows().is_empty() {
        return None;
    }
    let orgs: Vec<&OrgData> = app.current_orgs().filter_map(|o| app.org(o)).collect();
    if listing.total() > 0 {
        return Some((
            "No account matches the filter. Esc clears it.".to_owned(),
            false,
        ));
    }
    if let (Scope::Org(_), [org]) = (listing.scope(), orgs.as_slice()) {
        return Some(match &org.load {
            LoadState::Failed { error, .. } => (
                format!(
                    "Cannot load the accounts of {}:\n{}\n\nr retries; the other organizations keep working ([ and ] switch).",
                    org.name,
                    without_org(&org.name, error)
                ),
                true,
            ),
            LoadState::Ready { .. } => (format!("{} has no accounts.", org.name), false),
            _ => (
                format!(
                    "Loading the accounts of {} ({})…",
                    org.name,
                    sync_state(org).1
                ),
                false,
            ),
        });
    }
    let failed: Vec<String> = orgs
        .iter()
        .filter_map(|o| match &o.load {
            LoadState::Failed { error, .. } => Some(format!("{}: {error}", o.name)),
            _ => None,
        })
        .collect();
    let loading = orgs
        .iter()
        .any(|o| matches!(o.load, LoadState::Idle | LoadState::Syncing { .. }));
    let mut text = if loading {
        "Loading accounts…".to_owned()
    } else {
        "No accounts.".to_owned()
    };
    for f in &failed {
        text.push('\n');
        text.push_str(f);
    }
    Some((text, !failed.is_empty() && !loading))
}

/// Least widths of the flexible columns.
const NAME_MIN: u16 = 20;
const COMPANY_MIN: u16 = 18;

/// The columns that fit in `width`, with their widths, in table order. Columns are
/// kept by importance (name, status, company, organization, MRR, contract, id), so a
/// narrow terminal drops the id first and never the name or status; the room left
/// widens name and company (2:3). Widths come from every account of the tab, so they
/// do not change while a filter narrows the rows.
fn fit_columns(app: &App, columns: &[Column], width: u16) -> Vec<(Column, u16)> {
    const PRIORITY: [Column; 7] = [
        Column::Name,
        Column::Status,
        Column::Company,
        Column::Org,
        Column::Mrr,
        Column::Contract,
        Column::Id,
    ];
    // the marker column and its spacing
    let mut budget = width.saturating_sub(2);
    let mut kept: Vec<(Column, u16)> = Vec::new();
    for column in PRIORITY.iter().filter(|c| columns.contains(c)) {
        let least = width_of(app, *column);
        if least < budget {
            budget -= least + 1;
            kept.push((*column, least));
        } else if kept.is_empty() {
            kept.push((*column, budget));
            budget = 0;
        }
    }
    let flexible = |c: Column| matches!(c, Column::Name | Column::Company);
    let shares: u16 = kept
        .iter()
        .map(|(c, _)| match c {
            Column::Name => 2,
            Column::Company => 3,
            _ => 0,
        })
        .sum();
    if shares > 0 {
        let mut left = budget;
        let last = kept.iter().rposition(|(c, _)| flexible(*c));
        for (i, (c, w)) in kept.iter_mut().enumerate() {
            let share = match c {
                _ if Some(i) == last => left,
                Column::Name => (u32::from(budget) * 2 / u32::from(shares)) as u16,
                Column::Company => (u32::from(budget) * 3 / u32::from(shares)) as u16,
                _ => 0,
            };
            *w += share;
            left = left.saturating_sub(share);
        }
    }
    kept.sort_by_key(|(c, _)| columns.iter().position(|x| x == c));
    kept
}

/// The least width of a column: its title, or the widest text of the tab's data.
fn width_of(app: &App, column: Column) -> u16 {
    let data = app.column_widths();
    let widest = |w: usize, cap: usize| w.max(column.title().len() + 2).min(cap) as u16;
    match column {
        Column::Org => widest(data.org, 20),
        Column::Id => widest(data.id, 26),
        Column::Status => widest(data.status, 16),
        // as wide as its widest figure: a number is never cut (the column drops whole)
        Column::Mrr => widest(data.mrr, usize::MAX),
        Column::Name => NAME_MIN,
        Column::Company => COMPANY_MIN,
        Column::Contract => CONTRACT_WIDTH,
    }
}

/// One table row; text longer than its column ends with `…`, and the filter's matches
/// in the id, name and company are marked.
fn row<'a>(app: &'a App, r: RowRef, columns: &[(Column, u16)], marks: &mut Highlighter) -> Row<'a> {
    let org = usize::from(r.org);
    let Some(account) = app.account(r) else {
        return Row::default();
    };
    let mark = if app.recent_end(&account.id).is_some() {
        Cell::from(Span::styled(TRIAL_ENDED, app.theme.warning()))
    } else if app.recent_change(org, &account.id).is_some() {
        Cell::from(Span::styled("●", app.theme.accent()))
    } else {
        Cell::from(" ")
    };
    let matched = app
        .theme
        .accent()
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    let mut text = |full: &str, w: usize| {
        let shown = fit(full, w);
        if marks.is_empty() {
            Cell::from(shown)
        } else {
            Cell::from(marks.line(full, shown, Style::new(), matched))
        }
    };
    let cells: Vec<Cell> = columns
        .iter()
        .map(|(c, w)| {
            let w = usize::from(*w);
            match c {
                Column::Org => Cell::from(fit(app.org(org).map_or("", |o| o.name.as_str()), w)),
                Column::Id => text(&account.id, w),
                Column::Name => text(&account.name, w),
                Column::Company => text(&account.company_name, w),
                Column::Status => Cell::from(Span::styled(
                    fit(account.status.as_str(), w),
                    app.theme.status(&account.status),
                )),
                Column::Mrr => {
                    Cell::from(Line::from(mrr_text(app, r).unwrap_or_default()).right_aligned())
                }
                Column::Contract => Cell::from(contract_cell(app, org, &account.id)),
            }
        })
        .collect();
    Row::new(std::iter::once(mark).chain(cells))
}

use crate::app::row_text::{contract_parts, mrr as mrr_text};

/// `25 lic · Amendment IN_PROGRESS`, from the known contract actions; blank when unknown.
fn contract_cell<'a>(app: &'a App, org: usize, id: &str) -> Line<'a> {
    match contract_parts(app, org, id) {
        None => Line::default(),
        Some((head, None)) => Line::from(head),
        Some((head, Some(status))) => {
            let room = usize::from(CONTRACT_WIDTH) - 1 - status.as_str().len().min(12);
            Line::from(vec![
                Span::raw(fit(&head, room) + " "),
                Span::styled(status.as_str(), app.theme.action(status)),
            ])
        }
    }
}
