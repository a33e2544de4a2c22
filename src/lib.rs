//! tdbi: a terminal dashboard for Talkdesk partners.
//!
//! The crate is split by job:
//! - [`api`] speaks the Talkdesk Express / Billing Insights API (OAuth, paging, retries).
//! - [`billing`] defines every money figure (MRR, invoiced per month, funnel) as pure functions.
//! - [`sim`] is a faithful simulator of that API, served over loopback HTTP.
//! - [`config`] loads and validates the user's configuration.
//! - [`events`] receives, verifies and journals Talkdesk Events API webhooks.
//! - [`store`] holds what the dashboard shows; [`sync`] keeps it fresh; [`cache`] saves it
//!   to disk so the next start shows it at once.
//! - [`trial`] validates trial requests and provisions them in batches; [`contract`] checks
//!   contract action requests.
//! - [`app`] runs the dashboard; [`view`] draws it.
//! - [`cli`] holds the command-line interface and the headless commands; [`memory`] tunes
//!   the allocator to give freed memory back.

pub mod api;
pub mod app;
pub mod billing;
pub mod cache;
pub mod cli;
pub mod config;
pub mod contract;
pub mod events;
pub mod memory;
pub mod plain;
mod private_fs;
pub mod sim;
pub mod store;
pub mod sync;
pub mod trial;
pub mod view;
