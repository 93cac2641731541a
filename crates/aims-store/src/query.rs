//! One statement with its bound values, run on either backend. A store function builds the text and the values
//! in plain Rust ([`Sql`]); binding, running and decoding the rows by their column kinds happen here, once,
//! instead of in a hand-written `on_conn!` block per query.

use crate::records::{bind_value, decode_values};
use crate::value::{Column, Kind, Value};
use crate::{Conn, Store, StoreError, on_conn};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::AssertSqlSafe;

/// The SQL of a query being built: its text and its bound values, numbered `$1`, `$2`, … in order.
pub(crate) struct Sql {
    /// The statement.
    pub(crate) text: String,
    /// Values for its placeholders, in order, each with the kind that decides how a null is typed.
    pub(crate) binds: Vec<(Kind, Value)>,
}

impl Sql {
    /// A statement with no values bound yet.
    pub(crate) fn new(text: impl Into<String>) -> Sql {
        Sql {
            text: text.into(),
            binds: Vec::new(),
        }
    }

    /// Binds a value and gives its placeholder number.
    pub(crate) fn bind(&mut self, kind: Kind, v: Value) -> usize {
        self.binds.push((kind, v));
        self.binds.len()
    }

    /// The statement with a text value bound to the next placeholder.
    pub(crate) fn text(mut self, s: &str) -> Sql {
        self.bind(Kind::Text, Value::Text(s.to_string()));
        self
    }

    /// The statement with an integer bound to the next placeholder.
    pub(crate) fn int(mut self, i: i64) -> Sql {
        self.bind(Kind::Int, Value::Int(i));
        self
    }

    /// The statement with a boolean bound to the next placeholder.
    pub(crate) fn boolean(mut self, b: bool) -> Sql {
        self.bind(Kind::Bool, Value::Bool(b));
        self
    }

    /// The statement with every value of a row bound in order, typed by the row's columns.
    pub(crate) fn row(mut self, cols: &[Column], values: &[Value]) -> Sql {
        for (col, v) in cols.iter().zip(values) {
            self.bind(col.kind, v.clone());
        }
        self
    }
}

/// `INSERT INTO table (columns) VALUES ($1, …)` for every column of `cols`.
pub(crate) fn insert_sql(table: &str, cols: &[Column]) -> String {
    let names: Vec<&str> = cols.iter().map(|c| c.name).collect();
    let placeholders: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        names.join(", "),
        placeholders.join(", ")
    )
}

/// The sqlx query of a statement with its values bound, written inside an `on_conn!` body so that each backend
/// gets its own.
macro_rules! bound {
    ($text:expr, $binds:expr) => {{
        let mut query = sqlx::query(AssertSqlSafe($text));
        for (kind, v) in $binds {
            query = bind_value!(query, *kind, v);
        }
        query
    }};
}

impl Conn {
    /// Runs a query and decodes each row by `cols`.
    pub(crate) async fn fetch_values(
        &mut self,
        sql: Sql,
        cols: &[Column],
    ) -> Result<Vec<Vec<Value>>, StoreError> {
        let Sql { text, binds } = sql;
        let rows = on_conn!(self, |c| {
            let fetched = bound!(text, &binds).fetch_all(c).await?;
            let mut out = Vec::with_capacity(fetched.len());
            for row in fetched {
                out.push(decode_values!(row, cols));
            }
            out
        });
        Ok(rows)
    }

    /// Runs a query that finds at most one row (by a unique key) and decodes it by `cols`.
    pub(crate) async fn fetch_first(
        &mut self,
        sql: Sql,
        cols: &[Column],
    ) -> Result<Option<Vec<Value>>, StoreError> {
        Ok(self.fetch_values(sql, cols).await?.into_iter().next())
    }

    /// Runs a statement that returns no rows; gives the number of rows it changed.
    pub(crate) async fn execute(&mut self, sql: Sql) -> Result<u64, StoreError> {
        let Sql { text, binds } = sql;
        let n = on_conn!(self, |c| {
            bound!(text, &binds).execute(c).await?.rows_affected()
        });
        Ok(n)
    }
}

impl Store {
    /// Runs one query in a read transaction of its own and decodes each row by `cols`.
    pub(crate) async fn read_values(
        &self,
        sql: Sql,
        cols: &[Column],
    ) -> Result<Vec<Vec<Value>>, StoreError> {
        let mut tx = self.begin_read().await?;
        let rows = tx.fetch_values(sql, cols).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// Runs one query that finds at most one row, in a read transaction of its own.
    pub(crate) async fn read_first(
        &self,
        sql: Sql,
        cols: &[Column],
    ) -> Result<Option<Vec<Value>>, StoreError> {
        Ok(self.read_values(sql, cols).await?.into_iter().next())
    }

    /// Runs one statement in a write transaction of its own; gives the number of rows it changed.
    pub(crate) async fn write_one(&self, sql: Sql) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let n = tx.execute(sql).await?;
        tx.commit().await?;
        Ok(n)
    }
}

/// A struct whose fields are named after the columns `cols`, from the values of a row decoded by them: the rows
/// that are not records (sessions, tokens, catalogue mappings) are read without a hand-written field list.
pub(crate) fn from_values<T: DeserializeOwned>(
    cols: &[Column],
    values: Vec<Value>,
) -> Result<T, StoreError> {
    let fields = cols
        .iter()
        .zip(&values)
        .map(|(c, v)| (c.name.to_string(), v.to_json(c.kind)))
        .collect();
    serde_json::from_value(serde_json::Value::Object(fields))
        .map_err(|e| StoreError::Database(format!("reading a row failed: {e}")))
}

/// The values of a struct whose fields are named after the columns `cols`, in column order: the row to insert.
pub(crate) fn to_values<T: Serialize>(cols: &[Column], row: &T) -> Result<Vec<Value>, StoreError> {
    let json = serde_json::to_value(row)
        .map_err(|e| StoreError::Database(format!("writing a row failed: {e}")))?;
    cols.iter()
        .map(|c| {
            let v = json.get(c.name).unwrap_or(&serde_json::Value::Null);
            Value::from_json(c.kind, v).map_err(|message| StoreError::InvalidValue {
                field: c.name.to_string(),
                message,
            })
        })
        .collect()
}

/// The values of a decoded row taken in column order, to build a struct from it field by field.
pub(crate) struct Fields(std::vec::IntoIter<Value>);

impl Fields {
    /// The fields of one decoded row.
    pub(crate) fn new(values: Vec<Value>) -> Fields {
        Fields(values.into_iter())
    }

    /// The next value as text (empty when it is not text).
    pub(crate) fn text(&mut self) -> String {
        match self.0.next() {
            Some(Value::Text(s)) => s,
            _ => String::new(),
        }
    }

    /// The next value as an integer (0 when it is not one).
    pub(crate) fn int(&mut self) -> i64 {
        self.opt_int().unwrap_or(0)
    }

    /// The next value as an integer, `None` when it is null.
    pub(crate) fn opt_int(&mut self) -> Option<i64> {
        match self.0.next() {
            Some(Value::Int(i)) => Some(i),
            _ => None,
        }
    }

    /// The next value as a boolean (false when it is not one).
    pub(crate) fn boolean(&mut self) -> bool {
        matches!(self.0.next(), Some(Value::Bool(true)))
    }
}
