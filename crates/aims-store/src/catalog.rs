//! The framework catalogue in the store: loaded from the built-in content packs when they change, read by the
//! CLI and API, and checked by `verify` against the packs so an edit made behind aims' back is found.

use crate::records::{bind_value, decode_values};
use crate::spec::{
    CATALOG_CROSSWALKS, CATALOG_FRAMEWORKS, CATALOG_ITEMS, CATALOG_MAPPINGS, TableSpec,
};
use crate::value::{Kind, Value, canonical_json};
use crate::{Conn, Store, StoreError, on_conn};
use aims_catalog::Catalog;
use serde::Serialize;
use sqlx::{AssertSqlSafe, Row as _};
use std::collections::BTreeSet;

fn t(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// The rows each catalogue table should hold, derived from the packs.
fn expected_rows(cat: &Catalog) -> Vec<(&'static TableSpec, Vec<Vec<Value>>)> {
    let mut fws = vec![];
    let mut items = vec![];
    for f in &cat.frameworks {
        let h = &f.framework;
        fws.push(vec![
            t(&h.id),
            t(&h.name),
            t(&h.title),
            t(&h.publisher),
            t(&h.version),
            Value::Int(h.pack_version),
            t(&h.source),
            t(&h.description),
            t(&f.sha256),
        ]);
        for (pos, i) in f.items.iter().enumerate() {
            let details = serde_json::json!({
                "topics": i.topics, "evidence": i.evidence, "records": i.records,
                "guidance": i.guidance, "verify": i.verify,
            });
            items.push(vec![
                t(&h.id),
                t(&i.reference),
                Value::Int(pos as i64),
                t(&i.kind),
                t(&i.parent),
                t(&i.title),
                t(&i.description),
                t(&i.documented_information),
                Value::Text(canonical_json(&details)),
            ]);
        }
    }
    let mut cws = vec![];
    let mut maps = vec![];
    for c in &cat.crosswalks {
        let h = &c.crosswalk;
        cws.push(vec![
            t(&h.id),
            t(&h.from),
            t(&h.to),
            Value::Int(h.pack_version),
            t(&h.source),
            t(&h.description),
            t(&c.sha256),
        ]);
        let mut pos = 0i64;
        for m in &c.mappings {
            for to in &m.to {
                maps.push(vec![
                    t(&h.id),
                    Value::Int(pos),
                    t(&m.from),
                    t(to),
                    t(&m.relation),
                    t(&m.source),
                    t(&m.note),
                ]);
                pos += 1;
            }
        }
    }
    vec![
        (&CATALOG_FRAMEWORKS, fws),
        (&CATALOG_ITEMS, items),
        (&CATALOG_CROSSWALKS, cws),
        (&CATALOG_MAPPINGS, maps),
    ]
}

async fn read_all(
    conn: &mut Conn,
    spec: &'static TableSpec,
) -> Result<Vec<Vec<Value>>, StoreError> {
    let sql = format!("SELECT {} FROM {}", spec.column_list(), spec.name);
    Ok(on_conn!(conn, |c| {
        let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(c).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(decode_values!(r, spec.columns));
        }
        out
    }))
}

/// The built-in packs, parsed once per process.
fn builtin() -> Result<&'static Catalog, StoreError> {
    static CATALOG: std::sync::OnceLock<Result<Catalog, String>> = std::sync::OnceLock::new();
    CATALOG
        .get_or_init(|| Catalog::builtin().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| StoreError::Schema(e.clone()))
}

/// Loads the built-in packs into the store when the stored catalogue is missing or differs from them.
pub(crate) async fn ensure_loaded(store: &Store) -> Result<(), StoreError> {
    let cat = builtin()?;
    let want: BTreeSet<(String, String)> = cat
        .frameworks
        .iter()
        .map(|f| (f.framework.id.clone(), f.sha256.clone()))
        .chain(
            cat.crosswalks
                .iter()
                .map(|c| (c.crosswalk.id.clone(), c.sha256.clone())),
        )
        .collect();
    let mut rtx = store.begin_read().await?;
    let have: BTreeSet<(String, String)> = on_conn!(&mut rtx, |c| {
        let mut out = BTreeSet::new();
        for sql in [
            "SELECT id, pack_sha256 FROM catalog_frameworks",
            "SELECT id, pack_sha256 FROM catalog_crosswalks",
        ] {
            for r in sqlx::query(sql).fetch_all(&mut *c).await? {
                out.insert((r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?));
            }
        }
        out
    });
    rtx.commit().await?;
    if have == want {
        return Ok(());
    }
    let mut tx = store.begin_write().await?;
    for (spec, rows) in expected_rows(cat) {
        let del = format!("DELETE FROM {}", spec.name);
        on_conn!(&mut tx, |c| sqlx::query(AssertSqlSafe(del))
            .execute(c)
            .await
            .map(|_| ())?);
        insert_rows(&mut tx, spec, &rows).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Inserts rows into any table, in one statement per row.
pub(crate) async fn insert_rows(
    conn: &mut Conn,
    spec: &'static TableSpec,
    rows: &[Vec<Value>],
) -> Result<(), StoreError> {
    let placeholders: Vec<String> = (1..=spec.columns.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        spec.name,
        spec.column_list(),
        placeholders.join(", ")
    );
    for row in rows {
        on_conn!(&mut *conn, |c| {
            let mut q = sqlx::query(AssertSqlSafe(sql.clone()));
            for (col, v) in spec.columns.iter().zip(row) {
                q = bind_value!(q, col.kind, v);
            }
            q.execute(c).await.map(|_| ())?
        });
    }
    Ok(())
}

/// Compares the stored catalogue with the built-in packs; returns one message per differing row (at most 20).
pub(crate) async fn verify_catalog(store: &Store) -> Result<Vec<String>, StoreError> {
    let cat = builtin()?;
    let mut problems = vec![];
    let mut tx = store.begin_read().await?;
    for (spec, rows) in expected_rows(cat) {
        let key = |r: &Vec<Value>| format!("{:?}", r);
        let want: BTreeSet<String> = rows.iter().map(key).collect();
        let have_rows = read_all(&mut tx, spec).await?;
        let have: BTreeSet<String> = have_rows.iter().map(key).collect();
        for r in have_rows.iter().filter(|r| !want.contains(&key(r))) {
            problems.push(format!(
                "{} row {} differs from the built-in content pack (changed outside aims)",
                spec.name,
                describe(spec, r)
            ));
        }
        for r in rows.iter().filter(|r| !have.contains(&key(r))) {
            if !have_rows
                .iter()
                .any(|h| h.first() == r.first() && h.get(1) == r.get(1))
            {
                problems.push(format!(
                    "{} row {} is missing (removed outside aims)",
                    spec.name,
                    describe(spec, r)
                ));
            }
        }
    }
    tx.commit().await?;
    problems.truncate(20);
    Ok(problems)
}

fn describe(spec: &TableSpec, row: &[Value]) -> String {
    let n = if spec.name == "catalog_frameworks" || spec.name == "catalog_crosswalks" {
        1
    } else {
        2
    };
    row.iter()
        .take(n)
        .map(|v| match v {
            Value::Text(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            _ => String::new(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A framework as stored.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FrameworkRow {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Full title.
    pub title: String,
    /// Publisher.
    pub publisher: String,
    /// Edition.
    pub version: String,
    /// Content pack version.
    pub pack_version: i64,
    /// Where identifiers were checked.
    pub source: String,
    /// What it is.
    pub description: String,
    /// Number of items.
    pub items: i64,
}

/// A catalogue item as stored.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ItemRow {
    /// Framework id.
    pub framework: String,
    /// Identifier.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Kind.
    pub kind: String,
    /// Parent ref.
    pub parent: String,
    /// Short title.
    pub title: String,
    /// What it asks for.
    pub description: String,
    /// Documented-information duty.
    pub documented_information: String,
    /// Topics, evidence, records, guidance, verify flag.
    pub details: serde_json::Value,
}

/// One mapping of an item to an item of another framework, seen from the item asked about.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MappingRow {
    /// Crosswalk id.
    pub crosswalk: String,
    /// Framework of the other item.
    pub framework: String,
    /// The other item's ref.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The other item's title.
    pub title: String,
    /// Relation.
    pub relation: String,
    /// Source of the mapping.
    pub source: String,
    /// Note.
    pub note: String,
}

impl Store {
    /// Every framework in the catalogue.
    pub async fn catalog_frameworks(&self) -> Result<Vec<FrameworkRow>, StoreError> {
        let mut tx = self.begin_read().await?;
        let rows = read_all(&mut tx, &CATALOG_FRAMEWORKS).await?;
        let counts: Vec<(String, i64)> = on_conn!(&mut tx, |c| {
            let mut out = vec![];
            for r in sqlx::query(
                "SELECT framework_id, COUNT(*) FROM catalog_items GROUP BY framework_id",
            )
            .fetch_all(c)
            .await?
            {
                out.push((r.try_get(0)?, r.try_get(1)?));
            }
            out
        });
        tx.commit().await?;
        let order = ["iso42001", "nist-ai-rmf", "eu-ai-act"];
        let mut out: Vec<FrameworkRow> = rows
            .into_iter()
            .map(|r| {
                let s = |i: usize| r[i].as_text().to_string();
                FrameworkRow {
                    items: counts
                        .iter()
                        .find(|(f, _)| *f == s(0))
                        .map_or(0, |(_, n)| *n),
                    id: s(0),
                    name: s(1),
                    title: s(2),
                    publisher: s(3),
                    version: s(4),
                    pack_version: r[5].as_int().unwrap_or(0),
                    source: s(6),
                    description: s(7),
                }
            })
            .collect();
        out.sort_by_key(|f| order.iter().position(|o| *o == f.id).unwrap_or(order.len()));
        Ok(out)
    }

    /// Items of a framework in document order, optionally of some kinds only.
    pub async fn catalog_items(
        &self,
        framework: &str,
        kinds: &[&str],
    ) -> Result<Vec<ItemRow>, StoreError> {
        let sql = format!(
            "SELECT {} FROM catalog_items WHERE framework_id = $1 ORDER BY position",
            CATALOG_ITEMS.column_list()
        );
        let mut tx = self.begin_read().await?;
        let rows = on_conn!(&mut tx, |c| {
            let rows = sqlx::query(AssertSqlSafe(sql))
                .bind(framework.to_string())
                .fetch_all(c)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push(decode_values!(r, CATALOG_ITEMS.columns));
            }
            out
        });
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(item_row)
            .filter(|i| kinds.is_empty() || kinds.contains(&i.kind.as_str()))
            .collect())
    }

    /// One item by framework and ref.
    pub async fn catalog_item(
        &self,
        framework: &str,
        reference: &str,
    ) -> Result<Option<ItemRow>, StoreError> {
        Ok(self
            .catalog_items(framework, &[])
            .await?
            .into_iter()
            .find(|i| i.reference == reference))
    }

    /// Frameworks that contain an item with this ref (refs such as `4.1` exist in one framework only today, but
    /// the lookup does not assume it).
    pub async fn catalog_find(&self, reference: &str) -> Result<Vec<ItemRow>, StoreError> {
        let sql = format!(
            "SELECT {} FROM catalog_items WHERE ref = $1 ORDER BY framework_id",
            CATALOG_ITEMS.column_list()
        );
        let mut tx = self.begin_read().await?;
        let rows = on_conn!(&mut tx, |c| {
            let rows = sqlx::query(AssertSqlSafe(sql))
                .bind(reference.to_string())
                .fetch_all(c)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push(decode_values!(r, CATALOG_ITEMS.columns));
            }
            out
        });
        tx.commit().await?;
        Ok(rows.into_iter().map(item_row).collect())
    }

    /// What an item maps to, in either direction of every crosswalk that mentions its framework.
    pub async fn catalog_mappings(
        &self,
        framework: &str,
        reference: &str,
    ) -> Result<Vec<MappingRow>, StoreError> {
        const SQL: &str = "\
            SELECT m.crosswalk_id, c.to_framework, m.to_ref, COALESCE(i.title, ''), m.relation, \
                   CASE WHEN m.source = '' THEN c.source ELSE m.source END, m.note, m.position \
            FROM catalog_mappings m JOIN catalog_crosswalks c ON c.id = m.crosswalk_id \
            LEFT JOIN catalog_items i ON i.framework_id = c.to_framework AND i.ref = m.to_ref \
            WHERE c.from_framework = $1 AND m.from_ref = $2 \
            UNION ALL \
            SELECT m.crosswalk_id, c.from_framework, m.from_ref, COALESCE(i.title, ''), m.relation, \
                   CASE WHEN m.source = '' THEN c.source ELSE m.source END, m.note, m.position \
            FROM catalog_mappings m JOIN catalog_crosswalks c ON c.id = m.crosswalk_id \
            LEFT JOIN catalog_items i ON i.framework_id = c.from_framework AND i.ref = m.from_ref \
            WHERE c.to_framework = $1 AND m.to_ref = $2 \
            ORDER BY 1, 8";
        let mut tx = self.begin_read().await?;
        let out = on_conn!(&mut tx, |c| {
            let rows = sqlx::query(SQL)
                .bind(framework.to_string())
                .bind(reference.to_string())
                .fetch_all(c)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push(MappingRow {
                    crosswalk: r.try_get(0)?,
                    framework: r.try_get(1)?,
                    reference: r.try_get(2)?,
                    title: r.try_get(3)?,
                    relation: r.try_get(4)?,
                    source: r.try_get(5)?,
                    note: r.try_get(6)?,
                });
            }
            out
        });
        tx.commit().await?;
        Ok(out)
    }
}

fn item_row(r: Vec<Value>) -> ItemRow {
    let s = |i: usize| r[i].as_text().to_string();
    ItemRow {
        framework: s(0),
        reference: s(1),
        kind: s(3),
        parent: s(4),
        title: s(5),
        description: s(6),
        documented_information: s(7),
        details: r[8].to_json(Kind::Json),
    }
}
