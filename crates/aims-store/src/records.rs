//! Generic reads and writes of organization records, driven by the table descriptions in [`crate::spec`].
//! Every write appends its change-log entry in the same transaction; no other code path writes records.

use crate::changelog::{self, Action};
use crate::error::is_unique_violation;
use crate::query::{Sql, insert_sql};
use crate::spec::{RECORD_VERSIONS, SYSTEM_COLUMNS, TableKind, TableSpec};
use crate::value::{Canonical, Kind, Value};
use crate::{Conn, Store, StoreError, WriteTx, now_micros, on_conn};
use sqlx::{AssertSqlSafe, Row as _};

/// Binds one value with the SQL type of its column (typed NULLs matter on PostgreSQL).
macro_rules! bind_value {
    ($q:expr, $kind:expr, $v:expr) => {
        match ($kind, $v) {
            (_, $crate::value::Value::Int(i)) => $q.bind(*i),
            (_, $crate::value::Value::Bool(b)) => $q.bind(*b),
            (_, $crate::value::Value::Text(s)) => $q.bind(s.clone()),
            (
                $crate::value::Kind::Int | $crate::value::Kind::OptInt,
                $crate::value::Value::Null,
            ) => $q.bind(None::<i64>),
            ($crate::value::Kind::Bool, $crate::value::Value::Null) => $q.bind(None::<bool>),
            (_, $crate::value::Value::Null) => $q.bind(None::<String>),
        }
    };
}
pub(crate) use bind_value;

/// Decodes the columns of a result row, in order, by their declared kinds.
macro_rules! decode_values {
    ($row:expr, $cols:expr) => {{
        let cols: &[$crate::value::Column] = $cols;
        let mut out = Vec::with_capacity(cols.len());
        for (i, col) in cols.iter().enumerate() {
            let v = match col.kind {
                $crate::value::Kind::Text | $crate::value::Kind::Json => {
                    $crate::value::Value::Text(sqlx::Row::try_get::<String, _>(&$row, i)?)
                }
                $crate::value::Kind::Int => {
                    $crate::value::Value::Int(sqlx::Row::try_get::<i64, _>(&$row, i)?)
                }
                $crate::value::Kind::OptInt => sqlx::Row::try_get::<Option<i64>, _>(&$row, i)?
                    .map_or($crate::value::Value::Null, $crate::value::Value::Int),
                $crate::value::Kind::Bool => {
                    $crate::value::Value::Bool(sqlx::Row::try_get::<bool, _>(&$row, i)?)
                }
            };
            out.push(v);
        }
        out
    }};
}
pub(crate) use decode_values;

/// One stored record: system columns plus the data columns of its table.
#[derive(Debug, Clone)]
pub struct Row {
    /// Table it came from.
    pub spec: &'static TableSpec,
    /// Every column value, in the table's column order.
    pub values: Vec<Value>,
}

impl Row {
    /// Record id.
    pub fn id(&self) -> &str {
        self.values[0].as_text()
    }
    /// Organization (chain) the record belongs to.
    pub fn org_id(&self) -> &str {
        self.values[1].as_text()
    }
    /// Optimistic-concurrency version, 1 after creation.
    pub fn version(&self) -> i64 {
        self.values[2].as_int().unwrap_or(0)
    }
    /// Creation time (µs since the epoch).
    pub fn created_at(&self) -> i64 {
        self.values[3].as_int().unwrap_or(0)
    }
    /// Last update time (µs since the epoch).
    pub fn updated_at(&self) -> i64 {
        self.values[4].as_int().unwrap_or(0)
    }

    /// The value of a column by name.
    pub fn get(&self, column: &str) -> Option<&Value> {
        self.spec.position(column).map(|i| &self.values[i])
    }

    /// The data columns as a JSON object (JSON columns parsed), ready for `serde_json::from_value`.
    pub fn data_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        for (i, col) in self.spec.columns.iter().enumerate().skip(SYSTEM_COLUMNS) {
            m.insert(col.name.to_string(), self.values[i].to_json(col.kind));
        }
        serde_json::Value::Object(m)
    }

    /// SHA-256 of the canonical encoding of every column; what the change log records and `verify` recomputes.
    pub fn content_hash(&self) -> String {
        content_hash(self.spec, &self.values)
    }
}

/// Formats µs since the epoch as RFC 3339 UTC with microseconds (fixed width, so it sorts as text).
pub fn format_micros(us: i64) -> String {
    let secs = us.div_euclid(1_000_000);
    let micros = us.rem_euclid(1_000_000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{micros:06}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// A record row serialises as the API and the CLI show records: id, version, the two timestamps, and every data
/// column by name. JSON columns are embedded as stored (validated, not re-parsed into a tree), which keeps large
/// lists cheap.
impl serde::Serialize for Row {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeMap};
        let mut m = s.serialize_map(Some(self.values.len() - 1))?;
        m.serialize_entry("id", self.id())?;
        m.serialize_entry("version", &self.version())?;
        m.serialize_entry("created_at", &format_micros(self.created_at()))?;
        m.serialize_entry("updated_at", &format_micros(self.updated_at()))?;
        for (col, v) in self
            .spec
            .columns
            .iter()
            .zip(&self.values)
            .skip(SYSTEM_COLUMNS)
        {
            match (col.kind, v) {
                (Kind::Json, Value::Text(t)) => {
                    let raw: &serde_json::value::RawValue =
                        serde_json::from_str(t).map_err(S::Error::custom)?;
                    m.serialize_entry(col.name, raw)?;
                }
                (_, Value::Text(t)) => m.serialize_entry(col.name, t)?,
                (_, Value::Int(i)) => m.serialize_entry(col.name, i)?,
                (_, Value::Bool(b)) => m.serialize_entry(col.name, b)?,
                (_, Value::Null) => m.serialize_entry(col.name, &())?,
            }
        }
        m.end()
    }
}

/// Canonical content hash of a record row.
pub fn content_hash(spec: &TableSpec, values: &[Value]) -> String {
    let mut c = Canonical::new("aims-record-v1");
    c.str(spec.record_type);
    for (col, v) in spec.columns.iter().zip(values) {
        c.str(col.name).value(v);
    }
    c.sha256_hex()
}

/// Converts a JSON object of data fields into column values, naming the first field that does not fit.
pub fn data_from_json(
    spec: &TableSpec,
    data: &serde_json::Value,
) -> Result<Vec<Value>, StoreError> {
    let obj = data.as_object().ok_or_else(|| StoreError::InvalidValue {
        field: spec.record_type.to_string(),
        message: "must be a JSON object".into(),
    })?;
    let mut out = Vec::with_capacity(spec.data_columns().len());
    for col in spec.data_columns() {
        let v = obj.get(col.name).ok_or_else(|| StoreError::InvalidValue {
            field: col.name.to_string(),
            message: "is missing".into(),
        })?;
        out.push(
            Value::from_json(col.kind, v).map_err(|message| StoreError::InvalidValue {
                field: col.name.to_string(),
                message,
            })?,
        );
    }
    Ok(out)
}

/// What to list: equality filters, a case-insensitive search, ordering and keyset paging. Wherever a column is
/// named, a derived value of the table ([`crate::spec::Derived`]) may be named too.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Column = value conditions.
    pub filters: Vec<(&'static str, Value)>,
    /// Case-insensitive substring search over the given text columns.
    pub search: Option<(Vec<&'static str>, String)>,
    /// JSON array column = list of strings that must hold this string (e.g. a risk's `system_ids`).
    pub contains: Vec<(&'static str, String)>,
    /// Column to order by (then by id); `None` orders by id, i.e. creation order.
    pub order_by: Option<&'static str>,
    /// An order by something other than a plain column; when set, `order_by` is not used.
    pub order_key: Option<OrderKey>,
    /// Descending order.
    pub descending: bool,
    /// Direction of the id that breaks ties of the order: `Some(true)` newest first, `Some(false)` oldest first,
    /// `None` the same direction as the order.
    pub ties_descending: Option<bool>,
    /// Keyset cursor: the order value and id of the last row of the previous page.
    pub after: Option<(Value, String)>,
    /// Keyset cursor by id alone: the page starts after this record in the chosen order, its order value read
    /// in the same query (so a page link needs nothing but the id). Not used when `after` is set.
    pub after_id: Option<String>,
    /// Page size; `None` lists everything.
    pub limit: Option<i64>,
}

/// An order computed from columns, for lists sorted the way people read them rather than by stored bytes.
#[derive(Debug, Clone)]
pub enum OrderKey {
    /// A text column compared with the letters A–Z folded to lower case (the cursor value is that folded text).
    Folded(&'static str),
    /// The position of each column's value in `ranking` (first = 0; a value not in it ranks -1), compared column
    /// by column: a risk register sorted by level, lowest first. The cursor value is an integer.
    Ranked {
        /// Columns (or derived values) holding a member of the ranking; the first decides, later ones break ties.
        columns: Vec<&'static str>,
        /// The values in rank order, at most 999.
        ranking: Vec<String>,
    },
}

/// One group of an aggregate query ([`Conn::tally`]): the values of the grouping columns, how many records have
/// them, and the sums of the summed columns over those records.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    /// Values of the grouping columns, in the order asked.
    pub key: Vec<Value>,
    /// Records in the group.
    pub count: i64,
    /// Sums of the summed integer columns, in the order asked.
    pub sums: Vec<i64>,
}

fn check_column(spec: &TableSpec, name: &str) -> Result<Kind, StoreError> {
    spec.columns
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.kind)
        .or_else(|| {
            spec.derived()
                .iter()
                .find(|d| d.name == name)
                .map(|d| d.kind)
        })
        .ok_or_else(|| StoreError::InvalidValue {
            field: name.to_string(),
            message: format!("{} has no such column", spec.name),
        })
}

/// Escapes LIKE wildcards and the escape character itself.
fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

impl Conn {
    /// The SQL of a column or derived value of `spec`, with its kind; anything else is refused, naming it.
    fn column_sql(&self, spec: &TableSpec, name: &str) -> Result<(String, Kind), StoreError> {
        if let Some(c) = spec.columns.iter().find(|c| c.name == name) {
            return Ok((c.name.to_string(), c.kind));
        }
        match spec.derived().iter().find(|d| d.name == name) {
            Some(d) if self.is_sqlite() => Ok((format!("({})", d.sqlite), d.kind)),
            Some(d) => Ok((format!("({})", d.postgres), d.kind)),
            None => check_column(spec, name).map(|kind| (name.to_string(), kind)),
        }
    }

    /// `FROM table WHERE org_id = $1` and the conditions of `q` (filters, search, contains); no order or paging.
    fn where_sql(
        &self,
        spec: &TableSpec,
        org: &str,
        q: &ListQuery,
        sql: &mut Sql,
    ) -> Result<(), StoreError> {
        let o = sql.bind(Kind::Text, Value::Text(org.to_string()));
        sql.text
            .push_str(&format!(" FROM {} WHERE org_id = ${o}", spec.name));
        for (col, v) in &q.filters {
            let (expr, kind) = self.column_sql(spec, col)?;
            let n = sql.bind(kind, v.clone());
            sql.text.push_str(&format!(" AND {expr} = ${n}"));
        }
        if let Some((cols, text)) = &q.search {
            let n = sql.bind(
                Kind::Text,
                Value::Text(format!("%{}%", like_escape(&text.to_lowercase()))),
            );
            let mut ors = Vec::new();
            for col in cols {
                let (expr, _) = self.column_sql(spec, col)?;
                ors.push(format!("lower({expr}) LIKE ${n} ESCAPE '\\'"));
            }
            if !ors.is_empty() {
                sql.text.push_str(&format!(" AND ({})", ors.join(" OR ")));
            }
        }
        for (col, item) in &q.contains {
            let (expr, _) = self.column_sql(spec, col)?;
            // Canonical JSON has no spaces, so an element is exactly `"item"` in the text.
            let quoted = serde_json::Value::String(item.clone()).to_string();
            let n = sql.bind(
                Kind::Text,
                Value::Text(format!("%{}%", like_escape(&quoted))),
            );
            sql.text
                .push_str(&format!(" AND {expr} LIKE ${n} ESCAPE '\\'"));
        }
        Ok(())
    }

    /// The order expression of `q` and its kind, `None` for id order. Text sorts by code point on both
    /// backends: SQLite's BINARY collation, and "C" on PostgreSQL whatever the database's default collation is,
    /// so pages and cursors agree between the two.
    fn order_sql(
        &self,
        spec: &TableSpec,
        q: &ListQuery,
        sql: &mut Sql,
    ) -> Result<Option<(String, Kind)>, StoreError> {
        let collate = |expr: String| {
            if self.is_sqlite() {
                expr
            } else {
                format!("{expr} COLLATE \"C\"")
            }
        };
        match &q.order_key {
            Some(OrderKey::Folded(col)) => {
                let (expr, _) = self.column_sql(spec, col)?;
                Ok(Some((format!("lower({})", collate(expr)), Kind::Text)))
            }
            Some(OrderKey::Ranked { columns, ranking }) => {
                if ranking.len() > 999 || columns.is_empty() {
                    return Err(StoreError::InvalidValue {
                        field: "order".into(),
                        message: "a ranked order takes one or more columns and at most 999 values"
                            .into(),
                    });
                }
                let first = sql.binds.len() + 1;
                for v in ranking {
                    sql.bind(Kind::Text, Value::Text(v.clone()));
                }
                let mut parts = Vec::new();
                for col in columns {
                    let (expr, _) = self.column_sql(spec, col)?;
                    let whens: String = (0..ranking.len())
                        .map(|i| format!(" WHEN ${} THEN {i}", first + i))
                        .collect();
                    parts.push(format!("(CASE {expr}{whens} ELSE -1 END)"));
                }
                // Ranks lie in -1..=998, so weighting by 1000 compares column by column.
                let key = parts
                    .into_iter()
                    .reduce(|acc, p| format!("({acc} * 1000 + {p})"))
                    .unwrap_or_default();
                Ok(Some((key, Kind::Int)))
            }
            None => match q.order_by {
                None | Some("id") => Ok(None),
                Some(col) => {
                    let (expr, kind) = self.column_sql(spec, col)?;
                    let expr = if matches!(kind, Kind::Text) {
                        collate(expr)
                    } else {
                        expr
                    };
                    Ok(Some((expr, kind)))
                }
            },
        }
    }

    /// Counts an organization's records matching the conditions of `q` (filters, search, contains; its order
    /// and paging are not used), grouped by the values of `group_by`, with the sums of the integer columns
    /// `sums` per group: the heat maps and counts of a register without reading its records. Groups come in no
    /// promised order; with no grouping column there is one group (count 0 for no records).
    pub async fn tally(
        &mut self,
        spec: &'static TableSpec,
        org: &str,
        q: &ListQuery,
        group_by: &[&'static str],
        sums: &[&'static str],
    ) -> Result<Vec<Tally>, StoreError> {
        let mut exprs = Vec::new();
        let mut cols = Vec::new();
        for name in group_by {
            let (expr, kind) = self.column_sql(spec, name)?;
            exprs.push(expr);
            cols.push(crate::value::Column { name, kind });
        }
        exprs.push("COUNT(*)".into());
        cols.push(crate::value::Column {
            name: "count",
            kind: Kind::Int,
        });
        for name in sums {
            let (expr, kind) = self.column_sql(spec, name)?;
            if !matches!(kind, Kind::Int | Kind::OptInt) {
                return Err(StoreError::InvalidValue {
                    field: name.to_string(),
                    message: format!("{} cannot be summed: it is not a number", spec.name),
                });
            }
            exprs.push(format!("CAST(COALESCE(SUM({expr}), 0) AS BIGINT)"));
            cols.push(crate::value::Column {
                name,
                kind: Kind::Int,
            });
        }
        let mut sql = Sql::new(format!("SELECT {}", exprs.join(", ")));
        self.where_sql(spec, org, q, &mut sql)?;
        if !group_by.is_empty() {
            let positions: Vec<String> = (1..=group_by.len()).map(|i| i.to_string()).collect();
            sql.text
                .push_str(&format!(" GROUP BY {}", positions.join(", ")));
        }
        let n = group_by.len();
        Ok(self
            .fetch_values(sql, &cols)
            .await?
            .into_iter()
            .map(|mut values| {
                let sums = values.split_off(n + 1);
                let count = values.pop().and_then(|v| v.as_int()).unwrap_or(0);
                Tally {
                    key: values,
                    count,
                    sums: sums.iter().map(|v| v.as_int().unwrap_or(0)).collect(),
                }
            })
            .collect())
    }
}

impl Conn {
    /// Reads one record of an organization.
    pub async fn get(
        &mut self,
        spec: &'static TableSpec,
        org: &str,
        id: &str,
    ) -> Result<Option<Row>, StoreError> {
        let sql = format!(
            "SELECT {} FROM {} WHERE org_id = $1 AND id = $2",
            spec.column_list(),
            spec.name
        );
        let sql = Sql::new(sql).text(org).text(id);
        let values = self.fetch_first(sql, spec.columns).await?;
        Ok(values.map(|values| Row { spec, values }))
    }

    /// Finds a record of an organization by a unique column value (slug, email, key).
    pub async fn find_by(
        &mut self,
        spec: &'static TableSpec,
        org: Option<&str>,
        column: &'static str,
        value: &str,
    ) -> Result<Option<Row>, StoreError> {
        check_column(spec, column)?;
        let sql = match org {
            Some(_) => format!(
                "SELECT {} FROM {} WHERE {column} = $1 AND org_id = $2",
                spec.column_list(),
                spec.name
            ),
            None => format!(
                "SELECT {} FROM {} WHERE {column} = $1",
                spec.column_list(),
                spec.name
            ),
        };
        let mut sql = Sql::new(sql).text(value);
        if let Some(o) = org {
            sql = sql.text(o);
        }
        let values = self.fetch_first(sql, spec.columns).await?;
        Ok(values.map(|values| Row { spec, values }))
    }

    /// Every organization of the installation. Organizations are the one record type listed across chains,
    /// because each organization is its own chain.
    pub async fn list_all_orgs(&mut self) -> Result<Vec<Row>, StoreError> {
        let spec = &crate::spec::ORGANIZATIONS;
        let sql = format!(
            "SELECT {} FROM {} ORDER BY slug",
            spec.column_list(),
            spec.name
        );
        Ok(self
            .fetch_values(Sql::new(sql), spec.columns)
            .await?
            .into_iter()
            .map(|values| Row { spec, values })
            .collect())
    }

    /// Lists records of an organization.
    pub async fn list(
        &mut self,
        spec: &'static TableSpec,
        org: &str,
        q: &ListQuery,
    ) -> Result<Vec<Row>, StoreError> {
        Ok(self
            .list_columns(spec, org, q, spec.columns)
            .await?
            .into_iter()
            .map(|values| Row { spec, values })
            .collect())
    }

    /// Lists some columns of an organization's records: the same filters, order and paging as [`Conn::list`],
    /// for list views that show a few fields of many records and should not pay for the rest.
    pub async fn list_columns(
        &mut self,
        spec: &'static TableSpec,
        org: &str,
        q: &ListQuery,
        cols: &[crate::value::Column],
    ) -> Result<Vec<Vec<Value>>, StoreError> {
        let mut names = Vec::with_capacity(cols.len());
        for c in cols {
            names.push(self.column_sql(spec, c.name)?.0);
        }
        let mut sql = Sql::new(format!("SELECT {}", names.join(", ")));
        self.where_sql(spec, org, q, &mut sql)?;
        let key = self.order_sql(spec, q, &mut sql)?;
        let (dir, cmp) = if q.descending {
            ("DESC", "<")
        } else {
            ("ASC", ">")
        };
        let id_col = if self.is_sqlite() {
            "id"
        } else {
            "id COLLATE \"C\""
        };
        let (id_dir, id_cmp) = match q.ties_descending.unwrap_or(q.descending) {
            true if key.is_some() => ("DESC", "<"),
            false if key.is_some() => ("ASC", ">"),
            _ => (dir, cmp),
        };
        let cursor = match (&q.after, &q.after_id) {
            (Some((v, id)), _) => {
                let kind = key.as_ref().map_or(Kind::Text, |k| k.1);
                let a = sql.bind(kind, v.clone());
                let b = sql.bind(Kind::Text, Value::Text(id.clone()));
                Some((format!("${a}"), b))
            }
            (None, Some(id)) => {
                let b = sql.bind(Kind::Text, Value::Text(id.clone()));
                let value = key.as_ref().map_or(String::new(), |(expr, _)| {
                    format!(
                        "(SELECT {expr} FROM {} WHERE org_id = $1 AND id = ${b})",
                        spec.name
                    )
                });
                Some((value, b))
            }
            (None, None) => None,
        };
        match (&key, cursor) {
            (None, Some((_, b))) => sql.text.push_str(&format!(" AND {id_col} {cmp} ${b}")),
            (Some((expr, _)), Some((a, b))) => sql.text.push_str(&format!(
                " AND ({expr} {cmp} {a} OR ({expr} = {a} AND {id_col} {id_cmp} ${b}))"
            )),
            (_, None) => {}
        }
        match &key {
            None => sql.text.push_str(&format!(" ORDER BY {id_col} {dir}")),
            Some((expr, _)) => sql
                .text
                .push_str(&format!(" ORDER BY {expr} {dir}, {id_col} {id_dir}")),
        }
        if let Some(limit) = q.limit {
            let n = sql.bind(Kind::Int, Value::Int(limit.max(0)));
            sql.text.push_str(&format!(" LIMIT ${n}"));
        }
        self.fetch_values(sql, cols).await
    }

    /// Reads a few columns of every record of an organization, in id order: the narrow read behind computed
    /// views (the Statement of Applicability) whose cost must stay low with a hundred thousand records.
    pub async fn project(
        &mut self,
        spec: &'static TableSpec,
        org: &str,
        columns: &[&'static str],
    ) -> Result<Vec<Vec<Value>>, StoreError> {
        let mut cols = Vec::with_capacity(columns.len());
        for name in columns {
            cols.push(crate::value::Column {
                name,
                kind: check_column(spec, name)?,
            });
        }
        let id_order = if self.is_sqlite() {
            "id"
        } else {
            "id COLLATE \"C\""
        };
        let sql = format!(
            "SELECT {} FROM {} WHERE org_id = $1 ORDER BY {id_order}",
            columns.join(", "),
            spec.name
        );
        self.fetch_values(Sql::new(sql).text(org), &cols).await
    }

    /// Counts records of an organization matching equality filters.
    pub async fn count(
        &mut self,
        spec: &'static TableSpec,
        org: &str,
        filters: &[(&'static str, Value)],
    ) -> Result<i64, StoreError> {
        let q = ListQuery {
            filters: filters.to_vec(),
            ..ListQuery::default()
        };
        let groups = self.tally(spec, org, &q, &[], &[]).await?;
        Ok(groups.first().map_or(0, |g| g.count))
    }
}

impl WriteTx {
    /// Creates a record and logs it. `data` holds the data columns in table order.
    pub async fn insert(
        &mut self,
        spec: &'static TableSpec,
        org: &str,
        actor: &str,
        id: &str,
        data: Vec<Value>,
    ) -> Result<Row, StoreError> {
        debug_assert_eq!(spec.kind, TableKind::Record);
        if data.len() != spec.data_columns().len() {
            return Err(StoreError::InvalidValue {
                field: spec.record_type.into(),
                message: format!(
                    "expected {} values, got {}",
                    spec.data_columns().len(),
                    data.len()
                ),
            });
        }
        let now = now_micros();
        let mut values = vec![
            Value::Text(id.to_string()),
            Value::Text(org.to_string()),
            Value::Int(1),
            Value::Int(now),
            Value::Int(now),
        ];
        values.extend(data);
        let placeholders: Vec<String> = (1..=values.len()).map(|i| format!("${i}")).collect();
        // RETURNING reads the chain head in the same round trip (used on SQLite, where BEGIN IMMEDIATE already
        // holds the write lock; PostgreSQL locks the head row separately before reading it).
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({}) RETURNING {HEAD_SEQ}, {HEAD_HASH}",
            spec.name,
            spec.column_list(),
            placeholders.join(", ")
        );
        let result = on_conn!(self, |c| {
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for (col, v) in spec.columns.iter().zip(&values) {
                q = bind_value!(q, col.kind, v);
            }
            match q.fetch_one(c).await {
                Ok(r) => Ok((
                    sqlx::Row::try_get::<Option<i64>, _>(&r, 0)?,
                    sqlx::Row::try_get::<Option<String>, _>(&r, 1)?,
                )),
                Err(e) => Err(e),
            }
        });
        let head = match result {
            Ok((Some(seq), Some(hash))) => Some((seq, hash)),
            Ok(_) => None,
            Err(e) => return Err(duplicate_or(spec, e)),
        };
        self.logged(Action::Create, org, actor, Row { spec, values }, head)
            .await
    }

    /// Replaces the data columns of a record and logs it. With `expected_version`, a record changed since the
    /// caller read it is refused with [`StoreError::Conflict`] instead of being overwritten.
    pub async fn update(
        &mut self,
        spec: &'static TableSpec,
        org: &str,
        actor: &str,
        id: &str,
        expected_version: Option<i64>,
        data: Vec<Value>,
    ) -> Result<Row, StoreError> {
        let data_cols = spec.data_columns();
        if data.len() != data_cols.len() {
            return Err(StoreError::InvalidValue {
                field: spec.record_type.into(),
                message: format!("expected {} values, got {}", data_cols.len(), data.len()),
            });
        }
        // One statement in the usual case: the version check, the new version and the timestamps all happen in
        // the UPDATE, and RETURNING gives back what the content hash needs.
        let now = now_micros();
        let sets: Vec<String> = data_cols
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{} = ${}", c.name, i + 4))
            .collect();
        let mut sql = format!(
            "UPDATE {} SET version = version + 1, \
             updated_at = CASE WHEN updated_at > $3 THEN updated_at ELSE $3 END, {} \
             WHERE id = $1 AND org_id = $2",
            spec.name,
            sets.join(", ")
        );
        if expected_version.is_some() {
            sql.push_str(&format!(" AND version = ${}", data_cols.len() + 4));
        }
        sql.push_str(&format!(
            " RETURNING version, created_at, updated_at, {HEAD_SEQ}, {HEAD_HASH}"
        ));
        let result = on_conn!(self, |c| {
            let mut q = sqlx::query(AssertSqlSafe(sql))
                .bind(id.to_string())
                .bind(org.to_string())
                .bind(now);
            for (col, v) in data_cols.iter().zip(&data) {
                q = bind_value!(q, col.kind, v);
            }
            if let Some(v) = expected_version {
                q = q.bind(v);
            }
            match q.fetch_optional(c).await {
                Ok(Some(r)) => Ok(Some((
                    r.try_get::<i64, _>(0)?,
                    r.try_get::<i64, _>(1)?,
                    r.try_get::<i64, _>(2)?,
                    r.try_get::<Option<i64>, _>(3)?,
                    r.try_get::<Option<String>, _>(4)?,
                ))),
                Ok(None) => Ok(None),
                Err(e) => Err(e),
            }
        });
        let returned = result.map_err(|e| duplicate_or(spec, e))?;
        let Some((version, created_at, updated_at, head_seq, head_hash)) = returned else {
            return Err(match self.get(spec, org, id).await? {
                None => not_found(spec, id),
                Some(current) => StoreError::Conflict {
                    record_type: spec.record_type.into(),
                    id: id.into(),
                    expected: expected_version.unwrap_or(-1),
                    found: current.version(),
                },
            });
        };
        let mut values = vec![
            Value::Text(id.to_string()),
            Value::Text(org.to_string()),
            Value::Int(version),
            Value::Int(created_at),
            Value::Int(updated_at),
        ];
        values.extend(data);
        let head = head_seq.zip(head_hash);
        self.logged(Action::Update, org, actor, Row { spec, values }, head)
            .await
    }

    /// Appends the change-log entry of `row`, just written by `action`, in this transaction; `head` is the
    /// organization's chain head when the write's own statement returned it.
    async fn logged(
        &mut self,
        action: Action,
        org: &str,
        actor: &str,
        row: Row,
        head: Option<(i64, String)>,
    ) -> Result<Row, StoreError> {
        let entry = changelog::append(
            self,
            changelog::Change {
                org,
                actor,
                action,
                record_type: row.spec.record_type,
                record_id: row.id(),
                content_hash: &row.content_hash(),
            },
            head,
        )
        .await?;
        let content =
            serde_json::to_string(&row).map_err(|e| StoreError::Database(e.to_string()))?;
        let version = [
            Value::Text(org.to_string()),
            Value::Int(entry.seq),
            Value::Text(content),
        ];
        let cols = RECORD_VERSIONS.columns;
        self.execute(Sql::new(insert_sql(RECORD_VERSIONS.name, cols)).row(cols, &version))
            .await?;
        Ok(row)
    }

    /// Deletes a record and logs it.
    pub async fn delete(
        &mut self,
        spec: &'static TableSpec,
        org: &str,
        actor: &str,
        id: &str,
        expected_version: Option<i64>,
    ) -> Result<(), StoreError> {
        let current = self
            .get(spec, org, id)
            .await?
            .ok_or_else(|| not_found(spec, id))?;
        if let Some(expected) = expected_version
            && expected != current.version()
        {
            return Err(StoreError::Conflict {
                record_type: spec.record_type.into(),
                id: id.into(),
                expected,
                found: current.version(),
            });
        }
        let sql = format!("DELETE FROM {} WHERE id = $1 AND org_id = $2", spec.name);
        on_conn!(self, |c| {
            sqlx::query(AssertSqlSafe(sql))
                .bind(id.to_string())
                .bind(org.to_string())
                .execute(c)
                .await
                .map(|_| ())?
        });
        changelog::append(
            self,
            changelog::Change {
                org,
                actor,
                action: Action::Delete,
                record_type: spec.record_type,
                record_id: id,
                content_hash: changelog::DELETED,
            },
            None,
        )
        .await?;
        Ok(())
    }
}

/// Scalar subqueries that read the chain head of the row's organization (`$2`) in a RETURNING clause.
const HEAD_SEQ: &str = "(SELECT seq FROM chain_heads WHERE org_id = $2)";
const HEAD_HASH: &str = "(SELECT hash FROM chain_heads WHERE org_id = $2)";

fn not_found(spec: &TableSpec, id: &str) -> StoreError {
    StoreError::NotFound {
        record_type: spec.record_type.into(),
        id: id.into(),
    }
}

fn duplicate_or(spec: &TableSpec, e: sqlx::Error) -> StoreError {
    if is_unique_violation(&e) {
        let what = match spec.name {
            "organizations" => "slug",
            "users" => "email",
            "memberships" => "user",
            "custom_fields" => "key",
            "scope_versions" => "number",
            _ => "id",
        };
        StoreError::Duplicate {
            record_type: spec.record_type.into(),
            what: what.into(),
        }
    } else {
        e.into()
    }
}

impl Store {
    /// Reads one record outside any write (a short read transaction).
    pub async fn get(
        &self,
        spec: &'static TableSpec,
        org: &str,
        id: &str,
    ) -> Result<Option<Row>, StoreError> {
        let mut tx = self.begin_read().await?;
        let r = tx.get(spec, org, id).await?;
        tx.commit().await?;
        Ok(r)
    }

    /// Lists some columns of records outside any write (see [`Conn::list_columns`]).
    pub async fn list_columns(
        &self,
        spec: &'static TableSpec,
        org: &str,
        q: &ListQuery,
        cols: &[crate::value::Column],
    ) -> Result<Vec<Vec<Value>>, StoreError> {
        let mut tx = self.begin_read().await?;
        let r = tx.list_columns(spec, org, q, cols).await?;
        tx.commit().await?;
        Ok(r)
    }

    /// Lists records outside any write.
    pub async fn list(
        &self,
        spec: &'static TableSpec,
        org: &str,
        q: &ListQuery,
    ) -> Result<Vec<Row>, StoreError> {
        let mut tx = self.begin_read().await?;
        let r = tx.list(spec, org, q).await?;
        tx.commit().await?;
        Ok(r)
    }
}
