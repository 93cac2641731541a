//! Validation errors that name the field and what is wrong with it.

use serde::Serialize;
use std::fmt;

/// One problem with one input field; the message is meant for the person who typed the value.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Field name as the user knows it (`name`, `lifecycle_stage`, `data_resources[2].category`).
    pub field: String,
    /// What is wrong, in one sentence.
    pub message: String,
}

/// All field problems found in one input; a write is refused when this is non-empty.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ValidationError {
    /// The individual problems, in the order the fields were checked.
    pub errors: Vec<FieldError>,
}

impl ValidationError {
    /// A validation error with a single field problem.
    pub fn one(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut v = Self::default();
        v.push(field, message);
        v
    }

    /// Records a problem with `field`.
    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// Ok when no problem was recorded, otherwise the collected problems.
    pub fn into_result(self) -> Result<(), ValidationError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        write!(f, "{}", parts.join("; "))
    }
}

impl std::error::Error for ValidationError {}

/// Checks a required single-line text: trimmed non-empty and at most `max` characters.
pub fn check_required_text(errs: &mut ValidationError, field: &str, value: &str, max: usize) {
    if value.trim().is_empty() {
        errs.push(field, "must not be empty");
    } else {
        check_len(errs, field, value, max);
    }
}

/// Checks an optional text against a maximum length in characters.
pub fn check_len(errs: &mut ValidationError, field: &str, value: &str, max: usize) {
    let n = value.chars().count();
    if n > max {
        errs.push(
            field,
            format!("is {n} characters long; at most {max} are allowed"),
        );
    }
}

/// Maximum length of names and titles.
pub const MAX_NAME: usize = 200;
/// Maximum length of longer free texts (purpose, descriptions, statements).
pub const MAX_TEXT: usize = 20_000;
