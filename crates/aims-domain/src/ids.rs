//! Record identifiers: UUIDv7, sortable by creation time and safe to show to users.

use crate::ValidationError;
use uuid::Uuid;

/// A fresh UUIDv7 in its hyphenated text form, the form stored in both databases.
pub fn new_id() -> String {
    Uuid::now_v7().hyphenated().to_string()
}

/// Gives a nested entry (a dataset of a system, a requirement of a party) a fresh id when it has none yet, so
/// that later records can point at it; an id it has is kept.
pub fn ensure_id(id: &mut String) {
    if id.is_empty() {
        *id = new_id();
    }
}

/// Parses a user-given id, naming `field` when it is not a UUID. Returns the canonical lower-case form.
pub fn parse_id(field: &str, value: &str) -> Result<String, ValidationError> {
    Uuid::parse_str(value.trim())
        .map(|u| u.hyphenated().to_string())
        .map_err(|_| ValidationError::one(field, format!("'{value}' is not a valid id (a UUID)")))
}

/// The id of the installation-wide change-log chain (users and other records that belong to no organization).
pub const INSTALLATION_CHAIN: &str = "00000000-0000-0000-0000-000000000000";
