//! Colours of statuses and accents, overridable under `[theme]` in the config.
//!
//! Colour only ever doubles text: a status is always written out, and the selection
//! is reversed and bold, so `NO_COLOR` (which drops every colour) loses nothing.

use std::collections::BTreeMap;

use ratatui::style::{Color, Modifier, Style};

use crate::api::model::{AccountStatus, ActionStatus};

/// The keys `[theme]` accepts (validated when the configuration is read).
pub use crate::config::THEME_KEYS as KEYS;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Colour per key of [`KEYS`], same order.
    colors: [Color; KEYS.len()],
    /// `NO_COLOR`: no colour at all, modifiers only.
    no_color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            colors: [
                Color::Green,        // active
                Color::Cyan,         // in_trial
                Color::LightRed,     // trial_lost
                Color::Red,          // churned
                Color::DarkGray,     // inactive
                Color::Blue,         // prospect
                Color::Magenta,      // other
                Color::Yellow,       // unknown
                Color::Blue,         // action_created
                Color::Yellow,       // action_in_progress
                Color::Green,        // action_completed
                Color::Red,          // action_failed
                Color::LightMagenta, // accent
            ],
            no_color: false,
        }
    }
}

impl Theme {
    /// The default theme with `overrides` (keys of [`KEYS`]) applied; an unknown key
    /// is an error naming it and the accepted keys.
    pub fn from_overrides(overrides: &BTreeMap<String, Color>) -> Result<Theme, String> {
        let mut theme = Theme::default();
        for (key, color) in overrides {
            let at = KEYS.iter().position(|k| k == key).ok_or_else(|| {
                format!(
                    "theme.{key}: unknown key; expected one of {}",
                    KEYS.join(", ")
                )
            })?;
            theme.colors[at] = *color;
        }
        Ok(theme)
    }

    /// Drops every colour (modifiers stay) when `on`.
    pub fn with_no_color(mut self, on: bool) -> Theme {
        self.no_color = on;
        self
    }

    /// `NO_COLOR` set to a non-empty value (see no-color.org).
    pub fn no_color_from_env() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }

    pub fn is_no_color(&self) -> bool {
        self.no_color
    }

    fn color(&self, key: &str) -> Style {
        match KEYS.iter().position(|k| *k == key) {
            Some(at) if !self.no_color => Style::new().fg(self.colors[at]),
            _ => Style::new(),
        }
    }

    pub fn status(&self, status: &AccountStatus) -> Style {
        self.color(match status {
            AccountStatus::Active => "active",
            AccountStatus::InTrial => "in_trial",
            AccountStatus::TrialLost => "trial_lost",
            AccountStatus::Churned => "churned",
            AccountStatus::Inactive => "inactive",
            AccountStatus::Prospect => "prospect",
            AccountStatus::Other => "other",
            AccountStatus::Unknown(_) => "unknown",
        })
    }

    pub fn action(&self, status: &ActionStatus) -> Style {
        match status {
            ActionStatus::Created => self.color("action_created"),
            ActionStatus::InProgress => self.color("action_in_progress"),
            ActionStatus::Completed => self.color("action_completed"),
            ActionStatus::Failed => self.color("action_failed").add_modifier(Modifier::BOLD),
            ActionStatus::Unknown(_) => self.color("unknown"),
        }
    }

    /// Titles, the active tab, headings.
    pub fn accent(&self) -> Style {
        self.color("accent").add_modifier(Modifier::BOLD)
    }

    /// The selected row: reversed and bold, visible without colour.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    /// Errors and stale marks.
    pub fn warning(&self) -> Style {
        self.color("churned").add_modifier(Modifier::BOLD)
    }

    /// Secondary text (hints).
    pub fn dim(&self) -> Style {
        if self.no_color {
            Style::new()
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_and_unknown_keys() {
        let mut map = BTreeMap::new();
        map.insert("active".to_owned(), Color::Rgb(1, 2, 3));
        let theme = Theme::from_overrides(&map).unwrap();
        assert_eq!(
            theme.status(&AccountStatus::Active).fg,
            Some(Color::Rgb(1, 2, 3))
        );
        assert_eq!(theme.status(&AccountStatus::Churned).fg, Some(Color::Red));
        map.insert("actve".to_owned(), Color::Red);
        let err = Theme::from_overrides(&map).unwrap_err();
        assert!(err.starts_with("theme.actve: unknown key"), "{err}");
    }

    #[test]
    fn no_color_drops_colours_but_keeps_the_selection_visible() {
        let theme = Theme::default().with_no_color(true);
        assert_eq!(theme.status(&AccountStatus::Active).fg, None);
        assert_eq!(theme.action(&ActionStatus::Failed).fg, None);
        assert!(theme.selected().add_modifier.contains(Modifier::REVERSED));
        assert_eq!(
            theme.status(&AccountStatus::Unknown("X".into())),
            Style::new()
        );
    }

    /// `config.example.toml` documents every `[theme]` key with its default, commented
    /// out: those values must be the built-in ones.
    #[test]
    fn the_example_documents_the_defaults() {
        let example = include_str!("../../config.example.toml");
        let section = example
            .split("[theme]")
            .nth(1)
            .and_then(|rest| rest.split("\n[").next())
            .unwrap();
        let mut documented = BTreeMap::new();
        for line in section.lines() {
            let Some((key, rest)) = line.strip_prefix("# ").and_then(|l| l.split_once(" = "))
            else {
                continue;
            };
            let value = rest.split('"').nth(1).unwrap();
            let color = value.parse::<Color>().unwrap();
            documented.insert(key.trim().to_owned(), color);
        }
        let keys: Vec<&str> = documented.keys().map(String::as_str).collect();
        let mut expected = KEYS.to_vec();
        expected.sort_unstable();
        assert_eq!(keys, expected, "every key documented once");
        assert_eq!(Theme::from_overrides(&documented), Ok(Theme::default()));
    }
}
