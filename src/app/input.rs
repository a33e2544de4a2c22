//! Terminal events other than keys: mouse and resize.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{Event, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Position;

use crate::view::layout;

use super::keys::Action;
use super::state::{App, Mode};

/// Two clicks on the same row within this open it.
pub const DOUBLE_CLICK: Duration = Duration::from_millis(400);
/// Rows per wheel notch.
const WHEEL_ROWS: isize = 3;

impl App {
    /// Takes one terminal event.
    pub fn handle_event(&mut self, event: Event) {
        match event {
            Event::Key(key) => self.handle_key(key),
            Event::Mouse(mouse) => self.handle_mouse(mouse, Instant::now()),
            Event::Resize(w, h) => self.resize(w, h),
            _ => {}
        }
    }

    /// Wheel scrolls, a click selects a row or switches tab, a double click opens.
    pub fn handle_mouse(&mut self, mouse: MouseEvent, now: Instant) {
        self.refresh();
        match mouse.kind {
            MouseEventKind::ScrollDown => self.wheel(WHEEL_ROWS),
            MouseEventKind::ScrollUp => self.wheel(-WHEEL_ROWS),
            MouseEventKind::Down(MouseButton::Left) => {
                self.click(Position::new(mouse.column, mouse.row), now)
            }
            _ => {}
        }
    }

    fn wheel(&mut self, rows: isize) {
        if self.help.is_some() {
            let action = if rows > 0 { Action::Down } else { Action::Up };
            for _ in 0..rows.unsigned_abs() {
                self.update(action);
            }
        } else if matches!(self.mode, Mode::Table | Mode::Account(_) | Mode::Billing(_)) {
            self.scroll_rows(rows);
        }
    }

    fn click(&mut self, at: Position, now: Instant) {
        let browsing = matches!(self.mode, Mode::Table | Mode::Account(_) | Mode::Billing(_));
        if self.help.is_some() || !browsing {
            return;
        }
        let Some(regions) = layout::regions(self.area, self) else {
            return;
        };
        if regions.header.contains(at) {
            let x = at.x - regions.header.x;
            let hit = layout::tabs(self, regions.header.width)
                .into_iter()
                .find(|t| x >= t.x && x < t.x + t.width);
            if let Some(tab) = hit {
                self.switch_tab_to(tab.tab);
            }
            return;
        }
        if !matches!(self.mode, Mode::Table) {
            return;
        }
        let Some(rows) = layout::table_area(self.area, self).filter(|r| r.contains(at)) else {
            return;
        };
        let index = self.listing().offset() + usize::from(at.y - rows.y);
        if index >= self.listing().rows().len() {
            return;
        }
        let double = self
            .last_click
            .is_some_and(|(t, i)| i == index && now.duration_since(t) <= DOUBLE_CLICK);
        self.select_row(index);
        if double {
            self.last_click = None;
            self.open_selected();
        } else {
            self.last_click = Some((now, index));
        }
    }
}
