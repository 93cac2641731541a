//! Bulk reads for whole-store work (`verify`): rows are fetched as one JSON array per chunk of 20,000, built by
//! the database itself, instead of one driver round trip per row. On SQLite that is several times faster,
//! because each row would otherwise cross from SQLite's worker thread to the caller separately.

use crate::spec::TableSpec;
use crate::value::{Kind, Value};
use crate::{Conn, StoreError, on_conn};
use sqlx::AssertSqlSafe;

const CHUNK: i64 = 20_000;

/// Reads every row of `spec` (of one organization, or all), ordered by `key` (one or two columns that are unique
/// together), decoded by column kind exactly as the row-by-row path decodes them.
pub(crate) async fn read_all(
    conn: &mut Conn,
    spec: &'static TableSpec,
    key: &[&'static str],
    org: Option<&str>,
) -> Result<Vec<Vec<Value>>, StoreError> {
    let cols = spec.column_list();
    let key_list = key.join(", ");
    let key_pos: Vec<usize> = key.iter().filter_map(|k| spec.position(k)).collect();
    let mut out: Vec<Vec<Value>> = Vec::new();
    let mut after: Option<Vec<Value>> = None;
    loop {
        let mut conds: Vec<String> = Vec::new();
        let mut binds: Vec<Value> = Vec::new();
        if let Some(o) = org {
            binds.push(Value::Text(o.to_string()));
            conds.push(format!("org_id = ${}", binds.len()));
        }
        if let Some(a) = &after {
            let mut ph = Vec::new();
            for v in a {
                binds.push(v.clone());
                ph.push(format!("${}", binds.len()));
            }
            conds.push(format!("({key_list}) > ({})", ph.join(", ")));
        }
        let filter = if conds.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conds.join(" AND "))
        };
        let inner = format!(
            "SELECT {cols} FROM {}{filter} ORDER BY {key_list} LIMIT {CHUNK}",
            spec.name
        );
        let sql = if conn.is_sqlite() {
            format!("SELECT json_group_array(json_array({cols})) FROM ({inner})")
        } else {
            format!(
                "SELECT json_agg(json_build_array({cols}) ORDER BY {key_list})::text FROM ({inner}) AS chunk"
            )
        };
        let text: Option<String> = on_conn!(conn, |c| {
            let mut q = sqlx::query_scalar::<_, Option<String>>(AssertSqlSafe(sql));
            for v in &binds {
                q = match v {
                    Value::Int(i) => q.bind(*i),
                    Value::Text(s) => q.bind(s.clone()),
                    Value::Bool(b) => q.bind(*b),
                    Value::Null => q.bind(None::<String>),
                };
            }
            q.fetch_one(c).await?
        });
        let rows: Vec<Vec<Cell>> = match text {
            None => Vec::new(),
            Some(t) => serde_json::from_str(&t).map_err(|e| {
                StoreError::Database(format!("bulk read of {} failed: {e}", spec.name))
            })?,
        };
        let n = rows.len() as i64;
        for row in rows {
            out.push(decode(spec, row)?);
        }
        if n < CHUNK {
            break;
        }
        after = out
            .last()
            .map(|r| key_pos.iter().map(|&i| r[i].clone()).collect());
    }
    Ok(out)
}

/// One scalar of a bulk-read row, deserialised without building a general JSON tree.
enum Cell {
    Text(String),
    Int(i64),
    Bool(bool),
    Null,
    Other,
}

impl<'de> serde::Deserialize<'de> for Cell {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Cell;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_str<E>(self, v: &str) -> Result<Cell, E> {
                Ok(Cell::Text(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Cell, E> {
                Ok(Cell::Text(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Cell, E> {
                Ok(Cell::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Cell, E> {
                Ok(i64::try_from(v).map_or(Cell::Other, Cell::Int))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Cell, E> {
                Ok(Cell::Other)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Cell, E> {
                Ok(Cell::Bool(v))
            }
            fn visit_unit<E>(self) -> Result<Cell, E> {
                Ok(Cell::Null)
            }
            fn visit_none<E>(self) -> Result<Cell, E> {
                Ok(Cell::Null)
            }
        }
        d.deserialize_any(V)
    }
}

fn decode(spec: &TableSpec, row: Vec<Cell>) -> Result<Vec<Value>, StoreError> {
    if row.len() != spec.columns.len() {
        return Err(StoreError::Database(format!(
            "bulk read of {}: wrong row width",
            spec.name
        )));
    }
    let bad = |col: &str| {
        StoreError::Database(format!(
            "bulk read of {}: unexpected value in {col}",
            spec.name
        ))
    };
    spec.columns
        .iter()
        .zip(row)
        .map(|(col, cell)| match (col.kind, cell) {
            (Kind::Text | Kind::Json, Cell::Text(s)) => Ok(Value::Text(s)),
            (Kind::Int | Kind::OptInt, Cell::Int(i)) => Ok(Value::Int(i)),
            (Kind::OptInt, Cell::Null) => Ok(Value::Null),
            (Kind::Bool, Cell::Bool(b)) => Ok(Value::Bool(b)),
            (Kind::Bool, Cell::Int(i)) => Ok(Value::Bool(i != 0)),
            _ => Err(bad(col.name)),
        })
        .collect()
}

/// Reads the change log (of one organization, or all) ordered by organization and sequence number. Chunks are
/// ranges of sequence numbers, so the next chunk can be fetched while the previous one is being parsed.
pub(crate) async fn read_log(
    conn: &mut Conn,
    org: Option<&str>,
) -> Result<Vec<Vec<Value>>, StoreError> {
    let spec = &crate::spec::CHANGE_LOG;
    let cols = spec.column_list();
    let sql = match org {
        Some(_) => {
            "SELECT org_id, MAX(seq) FROM change_log WHERE org_id = $1 GROUP BY org_id ORDER BY org_id"
        }
        None => "SELECT org_id, MAX(seq) FROM change_log GROUP BY org_id ORDER BY org_id",
    };
    let chains: Vec<(String, i64)> = on_conn!(conn, |c| {
        let mut q = sqlx::query_as::<_, (String, i64)>(sql);
        if let Some(o) = org {
            q = q.bind(o.to_string());
        }
        q.fetch_all(c).await?
    });
    let query = if conn.is_sqlite() {
        format!(
            "SELECT json_group_array(json_array({cols})) FROM \
             (SELECT {cols} FROM change_log WHERE org_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq)"
        )
    } else {
        format!(
            "SELECT json_agg(json_build_array({cols}) ORDER BY seq)::text FROM change_log \
             WHERE org_id = $1 AND seq > $2 AND seq <= $3"
        )
    };
    let mut out = Vec::new();
    let mut pending: Option<tokio::task::JoinHandle<Result<Vec<Vec<Value>>, StoreError>>> = None;
    for (chain, max_seq) in chains {
        let mut lo = i64::MIN;
        while lo < max_seq {
            let hi = if lo == i64::MIN {
                CHUNK
            } else {
                lo.saturating_add(CHUNK)
            };
            let text: Option<String> = on_conn!(conn, |c| {
                sqlx::query_scalar::<_, Option<String>>(AssertSqlSafe(query.clone()))
                    .bind(chain.clone())
                    .bind(lo)
                    .bind(hi)
                    .fetch_one(c)
                    .await?
            });
            if let Some(h) = pending.take() {
                out.extend(join(h).await?);
            }
            pending = Some(tokio::task::spawn_blocking(move || parse(spec, text)));
            lo = hi;
        }
    }
    if let Some(h) = pending.take() {
        out.extend(join(h).await?);
    }
    Ok(out)
}

async fn join(
    h: tokio::task::JoinHandle<Result<Vec<Vec<Value>>, StoreError>>,
) -> Result<Vec<Vec<Value>>, StoreError> {
    h.await
        .map_err(|e| StoreError::Database(format!("bulk read failed: {e}")))?
}

fn parse(spec: &'static TableSpec, text: Option<String>) -> Result<Vec<Vec<Value>>, StoreError> {
    let rows: Vec<Vec<Cell>> = match text {
        None => Vec::new(),
        Some(t) => serde_json::from_str(&t)
            .map_err(|e| StoreError::Database(format!("bulk read of {} failed: {e}", spec.name)))?,
    };
    rows.into_iter().map(|r| decode(spec, r)).collect()
}
