//! Lists of kit records: filters, search and order run in SQL, and pages are cut by a keyset cursor, so a list
//! never loads a whole register and a record added meanwhile neither repeats nor hides another.

use super::{Record, RecordDef};
use crate::records::from_row;
use crate::{AppError, Stored};
use aims_domain::ValidationError;
use aims_store::value::{Kind, Value};
use aims_store::{ListQuery, Row};

/// Page size when none is asked for.
pub const DEFAULT_LIMIT: i64 = 50;
/// Largest page size.
pub const MAX_LIMIT: i64 = 200;

/// What a caller asks of a list. Every part is checked against the record type's declaration.
#[derive(Debug, Clone, Default)]
pub struct ListParams {
    /// Field = value conditions, on the declared filter fields.
    pub filters: Vec<(String, String)>,
    /// Case-insensitive text searched in the declared search fields.
    pub q: Option<String>,
    /// A declared sort field, `-` in front for descending; creation order when absent.
    pub sort: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to [`MAX_LIMIT`]; [`DEFAULT_LIMIT`] when absent.
    pub limit: Option<i64>,
}

/// One page of a list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RecordPage<T> {
    /// The records of this page.
    pub items: Vec<Stored<T>>,
    /// Cursor of the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// A checked list request: the store query and what the cursor of its next page must carry.
pub(super) struct Plan {
    pub query: ListQuery,
    pub limit: usize,
    sort: Option<(&'static str, bool)>,
}

fn column_kind(def: &RecordDef, name: &str) -> Option<Kind> {
    def.spec
        .columns
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.kind)
}

fn value_of(
    def: &RecordDef,
    field: &'static str,
    raw: &str,
    errs: &mut ValidationError,
) -> Option<Value> {
    let raw = raw.trim();
    match column_kind(def, field) {
        Some(Kind::Bool) => match raw {
            "true" | "yes" => Some(Value::Bool(true)),
            "false" | "no" => Some(Value::Bool(false)),
            _ => {
                errs.push(field, format!("'{raw}' is not true or false"));
                None
            }
        },
        Some(Kind::Int | Kind::OptInt) => match raw.parse::<i64>() {
            Ok(n) => Some(Value::Int(n)),
            Err(_) => {
                errs.push(field, format!("'{raw}' is not a whole number"));
                None
            }
        },
        _ if matches!(
            def.field(field).map(|f| f.kind),
            Some(super::FieldKind::Link(_))
        ) =>
        {
            match aims_domain::parse_id(field, raw) {
                Ok(id) => Some(Value::Text(id)),
                Err(e) => {
                    errs.errors.extend(e.errors);
                    None
                }
            }
        }
        _ => {
            if let Some(super::FieldKind::Choice(allowed)) = def.field(field).map(|f| f.kind)
                && !allowed.contains(&raw)
            {
                errs.push(
                    field,
                    format!(
                        "unknown value '{raw}'; expected one of: {}",
                        allowed.join(", ")
                    ),
                );
                return None;
            }
            Some(Value::Text(raw.to_string()))
        }
    }
}

impl ListParams {
    /// Checks the request against the declaration and turns it into a store query that reads one record more
    /// than the page (to know whether another follows).
    pub(super) fn plan<T: Record>(&self) -> Result<Plan, AppError> {
        let def = T::DEF;
        let mut errs = ValidationError::default();
        let mut query = ListQuery::default();
        for (name, raw) in &self.filters {
            match def.filters.iter().find(|f| **f == name.as_str()) {
                Some(field) => {
                    if let Some(v) = value_of(def, field, raw, &mut errs) {
                        query.filters.push((field, v));
                    }
                }
                None => errs.push(
                    name.clone(),
                    format!(
                        "{} cannot be filtered by '{name}'; filters: {}",
                        def.plural,
                        none_if_empty(def.filters)
                    ),
                ),
            }
        }
        if let Some(q) = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            if def.search.is_empty() {
                errs.push("q", format!("{} cannot be searched", def.plural));
            } else {
                query.search = Some((def.search.to_vec(), q.to_string()));
            }
        }
        let sort = match self
            .sort
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => {
                let (name, descending) = match s.strip_prefix('-') {
                    Some(n) => (n, true),
                    None => (s, false),
                };
                match def.sorts.iter().find(|f| **f == name) {
                    Some(field) => Some((*field, descending)),
                    None => {
                        errs.push(
                            "sort",
                            format!(
                                "{} cannot be ordered by '{name}'; sort keys: {}",
                                def.plural,
                                none_if_empty(def.sorts)
                            ),
                        );
                        None
                    }
                }
            }
        };
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            errs.push(
                "limit",
                format!("{limit} is not a number from 1 to {MAX_LIMIT}"),
            );
        }
        if let Some((field, descending)) = sort {
            query.order_by = Some(field);
            query.descending = descending;
        }
        if let Some(c) = self
            .cursor
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            match decode_cursor(def, c, sort) {
                Some(after) => query.after = Some(after),
                None => errs.push(
                    "cursor",
                    "is not a cursor given out by this list in this order",
                ),
            }
        }
        errs.into_result()?;
        query.limit = Some(limit + 1);
        Ok(Plan {
            query,
            limit: limit as usize,
            sort,
        })
    }
}

fn none_if_empty(names: &[&str]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

impl Plan {
    /// The page from the rows read: at most the page size, with the cursor of the next page when one follows.
    pub(super) fn page<T: Record>(&self, mut rows: Vec<Row>) -> Result<RecordPage<T>, AppError> {
        let more = rows.len() > self.limit;
        rows.truncate(self.limit);
        let next_cursor = match (more, rows.last()) {
            (true, Some(last)) => Some(encode_cursor(T::DEF, last, self.sort)),
            _ => None,
        };
        let items = rows.iter().map(from_row).collect::<Result<_, _>>()?;
        Ok(RecordPage { items, next_cursor })
    }
}

/// A cursor names the last record of a page: `["id", ID]` in creation order (the same form as the other paged
/// lists of the API), `["sort", "-field", VALUE, ID]` in a declared order. Hex keeps it opaque and URL-safe.
fn encode_cursor(def: &RecordDef, row: &Row, sort: Option<(&'static str, bool)>) -> String {
    let json = match sort {
        None => serde_json::json!(["id", row.id()]),
        Some((field, descending)) => {
            let kind = column_kind(def, field).unwrap_or(Kind::Text);
            let value = row
                .get(field)
                .map_or(serde_json::Value::Null, |v| v.to_json(kind));
            serde_json::json!(["sort", sort_key(field, descending), value, row.id()])
        }
    };
    hex::encode(json.to_string())
}

fn sort_key(field: &str, descending: bool) -> String {
    if descending {
        format!("-{field}")
    } else {
        field.to_string()
    }
}

fn decode_cursor(
    def: &RecordDef,
    cursor: &str,
    sort: Option<(&'static str, bool)>,
) -> Option<(Value, String)> {
    let bytes = hex::decode(cursor).ok()?;
    let parts: Vec<serde_json::Value> = serde_json::from_slice(&bytes).ok()?;
    let id_of = |v: &serde_json::Value| {
        v.as_str()
            .and_then(|s| aims_domain::parse_id("cursor", s).ok())
    };
    match (parts.as_slice(), sort) {
        ([kind, id], None) if kind == "id" => {
            let id = id_of(id)?;
            Some((Value::Text(id.clone()), id))
        }
        ([kind, key, value, id], Some((field, descending)))
            if kind == "sort" && key.as_str() == Some(&sort_key(field, descending)) =>
        {
            let kind = column_kind(def, field)?;
            Some((Value::from_json(kind, value).ok()?, id_of(id)?))
        }
        _ => None,
    }
}
