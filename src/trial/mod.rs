//! Trial provisioning without the screen: validation of a trial request, field by field
//! (shared with the dashboard's trial form), and batch provisioning from a JSON-lines file.
//!
//! For a form: hold a [`TrialDraft`], check a field as it is typed with
//! [`validate_field`], list every fault with [`validate_request`], map a server field
//! error back to its field with [`Field::from_api_name`], and build the request with
//! [`TrialDraft::to_request`]. Currencies to offer are in [`currencies`].

pub mod batch;
pub mod currencies;
mod draft;
mod field;
pub mod outcome;
pub mod results;
pub mod validate;

pub use draft::TrialDraft;
pub use field::Field;
pub use validate::{validate_field, validate_request};
