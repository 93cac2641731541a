//! Whole-store backup and restore as JSON Lines, portable between SQLite and PostgreSQL. The file carries a
//! header (format and schema version), every record, the change log and the chain heads, and a trailer with the
//! row count and the SHA-256 of everything before it, so a truncated or edited file is refused before anything
//! is written. The catalogue is not in the file: it comes from the packs built into aims.

use crate::catalog::insert_rows;
use crate::records::decode_values;
use crate::spec::{ALL_TABLES, TableKind, TableSpec};
use crate::value::{Kind, Value};
use crate::{Store, StoreError, migrate, on_conn};
use sha2::{Digest, Sha256};
use sqlx::AssertSqlSafe;
use std::io::{BufRead, Write};

/// The format name written in the header.
pub const FORMAT: &str = "aims-backup";
/// The version of the file format.
pub const FORMAT_VERSION: i64 = 1;

fn backed_up_tables() -> impl Iterator<Item = &'static TableSpec> {
    ALL_TABLES
        .iter()
        .filter(|t| !matches!(t.kind, TableKind::Catalog | TableKind::Ephemeral))
}

/// What a backup or restore moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct BackupSummary {
    /// Rows written or restored.
    pub rows: i64,
    /// Change-log entries among them.
    pub log_entries: i64,
}

fn json_of(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Int(i) => (*i).into(),
        Value::Bool(b) => (*b).into(),
        Value::Text(s) => s.clone().into(),
    }
}

struct HashingWriter<W: Write> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> HashingWriter<W> {
    fn line(&mut self, v: &serde_json::Value) -> std::io::Result<()> {
        let mut s = v.to_string();
        s.push('\n');
        self.hasher.update(s.as_bytes());
        self.inner.write_all(s.as_bytes())
    }
}

impl Store {
    /// Writes the whole store to `out` in one consistent read.
    pub async fn backup<W: Write>(&self, out: W) -> Result<BackupSummary, StoreError> {
        let io = |e: std::io::Error| StoreError::Backup(format!("cannot write: {e}"));
        let mut w = HashingWriter {
            inner: out,
            hasher: Sha256::new(),
        };
        w.line(&serde_json::json!({
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_version": migrate::current_version(),
            "created_at": crate::now_micros(),
            "source_backend": format!("{:?}", self.backend()).to_lowercase(),
        }))
        .map_err(io)?;
        let mut summary = BackupSummary {
            rows: 0,
            log_entries: 0,
        };
        let mut tx = self.begin_snapshot().await?;
        for spec in backed_up_tables() {
            let columns: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
            w.line(&serde_json::json!({ "table": spec.name, "columns": columns }))
                .map_err(io)?;
            let sql = format!(
                "SELECT {} FROM {} ORDER BY {}",
                spec.column_list(),
                spec.name,
                spec.columns[0].name
            );
            let rows = on_conn!(&mut tx, |c| {
                let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(c).await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    out.push(decode_values!(r, spec.columns));
                }
                out
            });
            for r in rows {
                w.line(&serde_json::Value::Array(r.iter().map(json_of).collect()))
                    .map_err(io)?;
                summary.rows += 1;
                if spec.kind == TableKind::Log {
                    summary.log_entries += 1;
                }
            }
        }
        tx.commit().await?;
        let digest = hex::encode(w.hasher.clone().finalize());
        let trailer = serde_json::json!({ "end": true, "rows": summary.rows, "sha256": digest });
        let mut s = trailer.to_string();
        s.push('\n');
        w.inner.write_all(s.as_bytes()).map_err(io)?;
        w.inner.flush().map_err(io)?;
        Ok(summary)
    }

    /// Restores a backup into this store, which must hold no records and no change log. The file is read and
    /// checked completely first; then everything is inserted in one transaction, so a failure leaves the store
    /// exactly as it was.
    pub async fn restore<R: BufRead>(&self, input: R) -> Result<BackupSummary, StoreError> {
        let parsed = parse_backup(input)?;
        let mut tx = self.begin_write().await?;
        for spec in backed_up_tables() {
            let sql = format!("SELECT COUNT(*) FROM {}", spec.name);
            let n: i64 = on_conn!(&mut tx, |c| sqlx::query_scalar(AssertSqlSafe(sql))
                .fetch_one(c)
                .await?);
            if n > 0 {
                return Err(StoreError::Backup(format!(
                    "the target store is not empty ({} has {n} rows); restore only into a new store",
                    spec.name
                )));
            }
        }
        let mut summary = BackupSummary {
            rows: 0,
            log_entries: 0,
        };
        for (spec, rows) in &parsed {
            insert_rows(&mut tx, spec, rows).await?;
            summary.rows += rows.len() as i64;
            if spec.kind == TableKind::Log {
                summary.log_entries += rows.len() as i64;
            }
        }
        tx.commit().await?;
        Ok(summary)
    }
}

type Parsed = Vec<(&'static TableSpec, Vec<Vec<Value>>)>;

fn parse_backup<R: BufRead>(input: R) -> Result<Parsed, StoreError> {
    let bad = |m: String| StoreError::Backup(m);
    let mut lines = input.lines();
    let mut hasher = Sha256::new();
    let mut next = |n: &mut usize| -> Result<Option<(String, serde_json::Value)>, StoreError> {
        match lines.next() {
            None => Ok(None),
            Some(Err(e)) => Err(StoreError::Backup(format!(
                "cannot read line {}: {e}",
                *n + 1
            ))),
            Some(Ok(l)) => {
                *n += 1;
                let v = serde_json::from_str(&l).map_err(|e| {
                    StoreError::Backup(format!(
                        "line {n} is not valid JSON ({e}); the file is damaged or truncated"
                    ))
                })?;
                Ok(Some((l, v)))
            }
        }
    };
    let mut n = 0usize;
    let (hline, header) = next(&mut n)?.ok_or_else(|| bad("the file is empty".into()))?;
    if header.get("format").and_then(|v| v.as_str()) != Some(FORMAT) {
        return Err(bad(
            "this is not an aims backup file (no aims-backup header)".into(),
        ));
    }
    let fv = header
        .get("format_version")
        .and_then(|v| v.as_i64())
        .unwrap_or(-1);
    if fv != FORMAT_VERSION {
        return Err(bad(format!(
            "backup format version {fv} is not supported (this aims reads version {FORMAT_VERSION})"
        )));
    }
    let sv = header
        .get("schema_version")
        .and_then(|v| v.as_i64())
        .unwrap_or(-1);
    if sv != migrate::current_version() {
        return Err(bad(format!(
            "the backup was made with schema version {sv}; this aims uses schema version {}: restore it with the aims version that made it",
            migrate::current_version()
        )));
    }
    hasher.update(hline.as_bytes());
    hasher.update(b"\n");
    let mut out: Parsed = vec![];
    let mut rows_total = 0i64;
    loop {
        let Some((line, v)) = next(&mut n)? else {
            return Err(bad(
                "the file ends without its closing line: it is truncated".into(),
            ));
        };
        if v.get("end").and_then(|e| e.as_bool()) == Some(true) {
            let digest = hex::encode(hasher.clone().finalize());
            if v.get("sha256").and_then(|s| s.as_str()) != Some(digest.as_str()) {
                return Err(bad(
                    "the file's checksum does not match its content: it was changed or damaged"
                        .into(),
                ));
            }
            if v.get("rows").and_then(|r| r.as_i64()) != Some(rows_total) {
                return Err(bad("the file's row count does not match its content".into()));
            }
            if next(&mut n)?.is_some() {
                return Err(bad(format!(
                    "unexpected content after the closing line (line {n})"
                )));
            }
            break;
        }
        hasher.update(line.as_bytes());
        hasher.update(b"\n");
        if let Some(table) = v.get("table").and_then(|t| t.as_str()) {
            let spec = backed_up_tables()
                .find(|t| t.name == table)
                .ok_or_else(|| bad(format!("line {n}: unknown table '{table}'")))?;
            let cols: Vec<&str> = v
                .get("columns")
                .and_then(|c| c.as_array())
                .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
                .unwrap_or_default();
            let want: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
            if cols != want {
                return Err(bad(format!(
                    "line {n}: the columns of {table} do not match this aims version"
                )));
            }
            out.push((spec, vec![]));
            continue;
        }
        let Some((spec, rows)) = out.last_mut() else {
            return Err(bad(format!("line {n}: a row before any table header")));
        };
        let arr = v
            .as_array()
            .ok_or_else(|| bad(format!("line {n}: expected a row")))?;
        if arr.len() != spec.columns.len() {
            return Err(bad(format!(
                "line {n}: a {} row needs {} values",
                spec.name,
                spec.columns.len()
            )));
        }
        let mut row = Vec::with_capacity(arr.len());
        for (col, j) in spec.columns.iter().zip(arr) {
            let value = match (col.kind, j) {
                (Kind::Text | Kind::Json, serde_json::Value::String(s)) => Value::Text(s.clone()),
                (Kind::Int | Kind::OptInt, serde_json::Value::Number(x)) if x.is_i64() => {
                    Value::Int(x.as_i64().unwrap_or(0))
                }
                (Kind::OptInt, serde_json::Value::Null) => Value::Null,
                (Kind::Bool, serde_json::Value::Bool(b)) => Value::Bool(*b),
                _ => {
                    return Err(bad(format!(
                        "line {n}: {}.{} has a value of the wrong type",
                        spec.name, col.name
                    )));
                }
            };
            row.push(value);
        }
        rows.push(row);
        rows_total += 1;
    }
    Ok(out)
}
