//! The dashboard: state, keys, and the event loop that ties sync, store and views together.

pub mod listing;
pub mod search;
pub mod summary;
#[cfg(test)]
mod testdata;
