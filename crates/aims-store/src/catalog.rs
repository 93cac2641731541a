//! The framework catalogue in the store: loaded from the built-in content packs when they change, read by the
//! CLI and API, and checked by `verify` against the packs so an edit made behind aims' back is found.

use crate::query::{Sql, from_values, insert_sql};
use crate::spec::{
    CATALOG_CROSSWALKS, CATALOG_FRAMEWORKS, CATALOG_ITEMS, CATALOG_MAPPINGS, TableSpec, c as column,
};
use crate::value::{Kind, Value, canonical_json};
use crate::{Conn, Store, StoreError, on_conn};
use aims_catalog::{Catalog, FrameworkInfo};
pub use aims_catalog::{FrameworkRow, ItemRow, MappingRow};
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
            items.push(vec![
                t(&h.id),
                t(&i.reference),
                Value::Int(pos as i64),
                t(&i.kind),
                t(&i.parent),
                t(&i.title),
                t(&i.description),
                t(&i.documented_information),
                Value::Text(canonical_json(&i.details())),
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
    conn.fetch_values(Sql::new(sql), spec.columns).await
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
    let sql = insert_sql(spec.name, spec.columns);
    for row in rows {
        conn.execute(Sql::new(sql.clone()).row(spec.columns, row))
            .await?;
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

impl Store {
    /// Every framework in the catalogue.
    pub async fn catalog_frameworks(&self) -> Result<Vec<FrameworkRow>, StoreError> {
        let mut tx = self.begin_read().await?;
        let rows = read_all(&mut tx, &CATALOG_FRAMEWORKS).await?;
        let counts = tx
            .fetch_values(
                Sql::new("SELECT framework_id, COUNT(*) FROM catalog_items GROUP BY framework_id"),
                &[
                    column("framework_id", Kind::Text),
                    column("items", Kind::Int),
                ],
            )
            .await?;
        tx.commit().await?;
        let mut out: Vec<FrameworkRow> = rows
            .into_iter()
            .map(|r| {
                let s = |i: usize| r[i].as_text().to_string();
                FrameworkRow {
                    items: counts
                        .iter()
                        .find(|c| c[0].as_text() == s(0))
                        .and_then(|c| c[1].as_int())
                        .unwrap_or(0),
                    info: FrameworkInfo {
                        id: s(0),
                        name: s(1),
                        title: s(2),
                        publisher: s(3),
                        version: s(4),
                        pack_version: r[5].as_int().unwrap_or(0),
                        source: s(6),
                        description: s(7),
                    },
                }
            })
            .collect();
        FrameworkRow::sort(&mut out);
        Ok(out)
    }

    /// Items of a framework in document order, optionally of some kinds only.
    pub async fn catalog_items(
        &self,
        framework: &str,
        kinds: &[&str],
    ) -> Result<Vec<ItemRow>, StoreError> {
        let items = self
            .items_where("framework_id = $1 ORDER BY position", framework)
            .await?;
        Ok(items
            .into_iter()
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
        self.items_where("ref = $1 ORDER BY framework_id", reference)
            .await
    }

    /// Catalogue items matching `condition`, which compares a column with `$1`, bound to `value`.
    async fn items_where(&self, condition: &str, value: &str) -> Result<Vec<ItemRow>, StoreError> {
        let sql = format!(
            "SELECT {} FROM catalog_items WHERE {condition}",
            CATALOG_ITEMS.column_list()
        );
        let rows = self
            .read_values(Sql::new(sql).text(value), CATALOG_ITEMS.columns)
            .await?;
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
        // Named after the fields of `MappingRow`.
        let cols = [
            "crosswalk",
            "framework",
            "ref",
            "title",
            "relation",
            "source",
            "note",
        ]
        .map(|name| column(name, Kind::Text));
        let rows = self
            .read_values(Sql::new(SQL).text(framework).text(reference), &cols)
            .await?;
        rows.into_iter()
            .map(|values| from_values(&cols, values))
            .collect()
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
