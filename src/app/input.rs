//! Terminal events other than keys: mouse, paste and resize.

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
            Event::Paste(text) => self.paste(&text),
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

    /// A bracketed paste goes into the text being typed, at its cursor; elsewhere it
    /// is ignored (it is not taken as keys).
    pub fn paste(&mut self, text: &str) {
        self.refresh();
        if self.help.is_some() || self.messages.open.is_some() {
            return;
        }
        match &mut self.mode {
            Mode::Trial(form) if !form.confirming => form.paste(text),
            Mode::Events(view) if view.filtering => {
                view.filter.paste(text);
                self.clamp_events();
            }
            Mode::Filter | Mode::Picker(_) => self.paste_text(text),
            _ => return,
        }
        self.dirty = true;
    }

    fn wheel(&mut self, rows: isize) {
        if self.help.is_some() {
            let action = if rows > 0 { Action::Down } else { Action::Up };
            for _ in 0..rows.unsigned_abs() {
                self.update(action);
            }
        } else if matches!(
            self.mode,
            Mode::Table | Mode::Account(_) | Mode::Billing(_) | Mode::Events(_)
        ) {
            self.scroll_rows(rows);
        }
    }

    fn click(&mut self, at: Position, now: Instant) {
        let browsing = matches!(
            self.mode,
            Mode::Table | Mode::Account(_) | Mode::Billing(_) | Mode::Events(_)
        );
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
        if let Mode::Events(view) = &self.mode {
            let Some(rows) = layout::events_area(self.area, self).filter(|r| r.contains(at)) else {
                return;
            };
            let index = view.offset + usize::from(at.y - rows.y);
            if index < self.event_rows().len() {
                let double = self.double_click(index, now);
                self.select_event(index, double);
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
        let double = self.double_click(index, now);
        self.select_row(index);
        if double {
            self.open_selected();
        }
    }

    /// Whether a click on row `index` at `now` is the second of a double click (then
    /// forgotten, else remembered).
    fn double_click(&mut self, index: usize, now: Instant) -> bool {
        let double = self
            .last_click
            .is_some_and(|(t, i)| i == index && now.duration_since(t) <= DOUBLE_CLICK);
        self.last_click = if double { None } else { Some((now, index)) };
        double
    }
}
