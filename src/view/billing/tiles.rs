//! One tile per currency: MRR, ARR, paying accounts, subscriptions, renewals due.
//! Tiles share one width and wrap into rows; one wider than the page is left out whole.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use crate::app::App;
use crate::app::billing::BillingSummary;
use crate::app::billing::summary::Tile;

use super::{heading, lines_at};

/// Borders and one space of padding on each side.
const FRAME: usize = 4;

/// (width of a tile, label column, value column), in columns.
fn tile_width(tiles: &[Tile]) -> (u16, usize, usize) {
    let rows = || tiles.iter().flat_map(|t| &t.rows);
    let label = rows().map(|(l, _)| l.width()).max().unwrap_or(0);
    let value = rows().map(|(_, v)| v.width()).max().unwrap_or(0);
    ((label + 1 + value + FRAME) as u16, label, value)
}

/// Tiles per row at `width`.
fn per_row(tiles: &[Tile], width: u16) -> usize {
    let (w, _, _) = tile_width(tiles);
    usize::from((width + 1) / (w + 1))
}

fn tile_height(tiles: &[Tile]) -> u16 {
    tiles.first().map_or(0, |t| t.rows.len() as u16 + 2)
}

/// Lines above the tiles: heading, catalogue note, subscription problems, or "none".
fn head_lines(app: &App, s: &BillingSummary, width: u16) -> Vec<Line<'static>> {
    let mut lines = heading(
        app,
        vec![Span::styled("Recurring revenue", app.theme.accent())],
        &s.notes.subscriptions,
    );
    if !s.no_catalogue.is_empty() {
        let mut text = "  MRR by billing period (no product catalogue)".to_owned();
        if s.orgs.len() > 1 {
            text.push_str(&format!(": {}", s.no_catalogue.join(", ")));
        }
        lines.push(Line::styled(text, app.theme.warning()));
    }
    if s.tiles.is_empty() && s.notes.subscriptions.is_empty() {
        lines.push(Line::raw("  no active subscriptions"));
    } else if !s.tiles.is_empty() && per_row(&s.tiles, width) == 0 {
        let (w, _, _) = tile_width(&s.tiles);
        lines.push(Line::raw(format!("  (the tiles need {w} columns)")));
    }
    lines
}

pub(super) fn height(app: &App, s: &BillingSummary, width: u16) -> u16 {
    let head = head_lines(app, s, width).len() as u16;
    let grid = match per_row(&s.tiles, width) {
        0 => 0,
        n => s.tiles.len().div_ceil(n) as u16 * tile_height(&s.tiles),
    };
    head + grid + 1
}

pub(super) fn draw(buf: &mut Buffer, app: &App, s: &BillingSummary, area: Rect) {
    let rest = lines_at(buf, head_lines(app, s, area.width), area);
    let n = per_row(&s.tiles, area.width);
    if n == 0 {
        return;
    }
    let (w, label, value) = tile_width(&s.tiles);
    let h = tile_height(&s.tiles);
    for (i, tile) in s.tiles.iter().enumerate() {
        let rect = Rect {
            x: rest.x + (i % n) as u16 * (w + 1),
            y: rest.y + (i / n) as u16 * h,
            width: w,
            height: h,
        };
        if rect.bottom() > rest.bottom() {
            break;
        }
        let lines: Vec<Line> = tile
            .rows
            .iter()
            .map(|(l, v)| {
                let bold = *l == "MRR";
                let text = format!("{l:<label$} {v:>value$}");
                if bold {
                    Line::styled(text, app.theme.accent())
                } else {
                    Line::raw(text)
                }
            })
            .collect();
        let block = Block::bordered()
            .title(Line::styled(
                format!(" {} ", tile.currency),
                app.theme.accent(),
            ))
            .padding(ratatui::widgets::Padding::horizontal(1));
        Paragraph::new(lines).block(block).render(rect, buf);
    }
}
