//! The dashboard: state, keys, and the event loop that ties sync, store and views together.
//!
//! Data flows one way: sync tasks send [`crate::store::Update`]s, the loop applies them
//! to the [`App`]'s store; keys become [`Action`]s (the [`keys`] table), which
//! [`App::update`] carries out (possibly sending sync commands); [`crate::view::draw`]
//! reads the state and draws.

mod action;
pub mod action_form;
pub mod billing;
mod clock;
mod columns;
mod desktop;
pub mod driver;
mod events;
mod events_view;
mod export;
mod input;
pub mod keys;
pub mod listing;
pub mod messages;
pub mod row_text;
mod run;
pub mod search;
mod select;
mod signals;
pub use signals::install_panic_exit_hook;
mod state;
pub mod summary;
#[cfg(test)]
pub(crate) mod testdata;
pub mod text_input;
mod trial;
pub mod trial_form;
mod widths;
mod write;

pub use action_form::{ActionFocus, ActionForm};
pub use billing::BillingView;
pub use desktop::{Desktop, SystemDesktop, osc52};
pub use events::{EventsInfo, EventsSetup, start_events};
pub use events_view::EventsView;
pub use keys::Action;
pub use listing::{Column, RowRef, Sort};
pub use run::{Ended, UPDATES, dashboard_app, run_dashboard, run_dashboard_with, run_loop};
pub use state::prepare::prepare_off_ui;
pub use state::{AccountView, App, Commands, Mode, Notice, OpenedFrom, Picker};
pub use trial_form::{Focus, TrialForm};
#[cfg(test)]
mod desktop_tests;
#[cfg(test)]
mod everyday_tests;
#[cfg(test)]
mod state_tests;
#[cfg(test)]
mod view_tab_tests;
