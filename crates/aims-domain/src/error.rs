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

    /// Records every problem of another check (a vocabulary or id parse), keeping their order.
    pub fn extend(&mut self, other: ValidationError) {
        self.errors.extend(other.errors);
    }

    /// A required single-line text: see [`check_required_text`]. The checks below are methods so that every
    /// record's validation reads as one list of fields, each with the rule it follows.
    pub fn required(&mut self, field: &str, value: &str, max: usize) {
        check_required_text(self, field, value, max);
    }

    /// An optional text of at most `max` characters: see [`check_len`].
    pub fn text(&mut self, field: &str, value: &str, max: usize) {
        check_len(self, field, value, max);
    }

    /// A required text that is kept trimmed: trims `value` in place, then checks it as [`Self::required`].
    pub fn trimmed(&mut self, field: &str, value: &mut String, max: usize) {
        *value = value.trim().to_string();
        self.required(field, value, max);
    }

    /// Each entry of a list is a required text; an entry's problem names it `field[i]`.
    pub fn each_required(&mut self, field: &str, values: &[String], max: usize) {
        for (i, v) in values.iter().enumerate() {
            self.required(&format!("{field}[{i}]"), v, max);
        }
    }

    /// A value of a closed vocabulary: replaced by its canonical spelling, or the parse's problem is recorded.
    pub fn vocab<T: fmt::Display>(&mut self, field: &str, value: &mut String, parse: Parse<T>) {
        match parse(field, value) {
            Ok(v) => *value = v.to_string(),
            Err(e) => self.extend(e),
        }
    }

    /// Like [`Self::vocab`], but a blank value means "not yet determined" and is stored empty.
    pub fn vocab_or_empty<T: fmt::Display>(
        &mut self,
        field: &str,
        value: &mut String,
        parse: Parse<T>,
    ) {
        if value.trim().is_empty() {
            value.clear();
        } else {
            self.vocab(field, value, parse);
        }
    }

    /// A record id: replaced by its canonical form, or the problem is recorded (see [`crate::parse_id`]).
    pub fn id(&mut self, field: &str, value: &mut String) {
        match crate::parse_id(field, value) {
            Ok(v) => *value = v,
            Err(e) => self.extend(e),
        }
    }

    /// Like [`Self::id`] for an optional link: an empty value is left empty.
    pub fn id_or_empty(&mut self, field: &str, value: &mut String) {
        if !value.is_empty() {
            self.id(field, value);
        }
    }

    /// A required calendar date written as YYYY-MM-DD.
    pub fn date(&mut self, field: &str, value: &str) {
        if crate::context::parse_date(value).is_none() {
            self.push(
                field,
                format!("'{value}' is not a date written as YYYY-MM-DD"),
            );
        }
    }

    /// Like [`Self::date`], but an empty value means "no date".
    pub fn date_or_empty(&mut self, field: &str, value: &str) {
        if !value.is_empty() {
            self.date(field, value);
        }
    }

    /// A point on a risk method's scale named `scale` with `points` points, from 1.
    pub fn on_scale(&mut self, field: &str, value: i64, scale: &str, points: usize) {
        if value < 1 || value > points as i64 {
            self.push(
                field,
                format!("{value} is outside the {scale} scale 1–{points}"),
            );
        }
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

/// The `parse` of a vocabulary (see `crate::vocab`): names the field when the value is not allowed.
pub type Parse<T> = fn(&str, &str) -> Result<T, ValidationError>;

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
