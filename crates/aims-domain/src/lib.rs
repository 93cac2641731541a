//! Pure types and rules of aims: the records an AI management system keeps, the closed vocabularies they use,
//! and the validation that every write goes through. Nothing here does I/O, so the same rules hold for the CLI,
//! the API and the web pages.

pub mod classification;
pub mod context;
pub mod controls;
pub mod error;
pub mod ids;
pub mod impact;
pub mod inventory;
pub mod risk;
pub mod soa;
pub mod text;
pub mod users;
pub mod vocab;

pub use error::{FieldError, ValidationError};
pub use ids::{OrgId, RecordId, new_id, parse_id};
