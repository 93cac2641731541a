//! A kit record read field by field for display, so that pages and the CLI show any record type from its
//! declaration alone.

use super::{Field, FieldKind, RecordDef};
use serde::Serialize;
use serde_json::Value;

/// The shown value of one field.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text (one line or paragraphs).
    Text(String),
    /// Yes or no.
    Bool(bool),
    /// A list of short texts.
    Tags(Vec<String>),
    /// A list of small records: the labels of their fields, then each row's cells.
    Rows(Vec<&'static str>, Vec<Vec<Cell>>),
}

impl Cell {
    /// The value in one line of plain text: lists joined by commas, rows counted.
    pub fn plain(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
            Cell::Tags(t) => t.join(", "),
            Cell::Rows(_, rows) => rows.len().to_string(),
        }
    }

    /// Whether there is nothing to show.
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Text(s) => s.is_empty(),
            Cell::Bool(_) => false,
            Cell::Tags(t) => t.is_empty(),
            Cell::Rows(_, rows) => rows.is_empty(),
        }
    }
}

fn cell(field: &Field, v: Option<&Value>) -> Cell {
    match field.kind {
        FieldKind::Bool => Cell::Bool(v.and_then(Value::as_bool).unwrap_or(false)),
        FieldKind::Tags => Cell::Tags(
            v.and_then(Value::as_array)
                .map(|a| a.iter().map(json_text).collect())
                .unwrap_or_default(),
        ),
        FieldKind::Rows(sub) => Cell::Rows(
            sub.iter()
                .filter(|f| !matches!(f.kind, FieldKind::Id))
                .map(|f| f.label)
                .collect(),
            v.and_then(Value::as_array)
                .map(|rows| {
                    rows.iter()
                        .map(|r| {
                            sub.iter()
                                .filter(|f| !matches!(f.kind, FieldKind::Id))
                                .map(|f| cell(f, r.get(f.name)))
                                .collect()
                        })
                        .collect()
                })
                .unwrap_or_default(),
        ),
        FieldKind::Custom => Cell::Tags(
            v.and_then(Value::as_object)
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| format!("{k}: {}", json_text(v)))
                        .collect()
                })
                .unwrap_or_default(),
        ),
        FieldKind::Text
        | FieldKind::LongText
        | FieldKind::Choice(_)
        | FieldKind::Link(_)
        | FieldKind::Id => Cell::Text(v.map(json_text).unwrap_or_default()),
    }
}

/// A JSON value as people read it in a cell or a form field: strings as they are, null as nothing.
pub fn json_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Every declared field of `data` with its shown value, in declaration order.
pub fn cells<T: Serialize>(def: &RecordDef, data: &T) -> Vec<(&'static Field, Cell)> {
    let json = serde_json::to_value(data).unwrap_or(Value::Null);
    def.fields
        .iter()
        .filter(|f| !matches!(f.kind, FieldKind::Id))
        .map(|f| (f, cell(f, json.get(f.name))))
        .collect()
}

/// What names a record in headings and messages: its title field, or its id when that is empty.
pub fn summary<T: Serialize>(def: &RecordDef, id: &str, data: &T) -> String {
    let json = serde_json::to_value(data).unwrap_or(Value::Null);
    match json.get(def.title).map(json_text) {
        Some(t) if !t.trim().is_empty() => t,
        _ => id.to_string(),
    }
}
