//! The framework catalogue held in memory. Its content is the built-in packs, which the store also holds and
//! `verify` checks against them; since it never changes while aims runs, reading it from memory means a write use
//! case never needs a second pooled connection for a catalogue lookup while it holds its write transaction, and
//! `aims catalog …` works without any store at all.

use crate::{Actor, App, AppError, Permission};
use aims_catalog::Catalog;
use std::collections::HashMap;
use std::sync::OnceLock;

pub use aims_catalog::{FrameworkRow, ItemRow, MappingRow};

/// The catalogue's frameworks, items and crosswalk mappings, indexed for the lookups the use cases make.
#[derive(Debug)]
pub struct Catalogue {
    frameworks: Vec<FrameworkRow>,
    /// Items of each framework in document order.
    items: HashMap<String, Vec<ItemRow>>,
    /// Mappings seen from an item, keyed by (framework, ref), ordered by crosswalk and position.
    mappings: HashMap<ItemKey, Vec<MappingRow>>,
}

/// An item by framework id and ref.
type ItemKey = (String, String);
/// Where a mapping stands: its crosswalk id and its position in that crosswalk.
type MappingOrder = (String, usize);

/// The built-in catalogue, built once per process.
pub fn builtin() -> Result<&'static Catalogue, AppError> {
    static CATALOGUE: OnceLock<Result<Catalogue, String>> = OnceLock::new();
    CATALOGUE
        .get_or_init(|| {
            Catalog::builtin()
                .map(|c| Catalogue::from_packs(&c))
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| AppError::Store(aims_store::StoreError::Schema(e.clone())))
}

impl Catalogue {
    /// Builds the indexes from parsed packs, with the same content and order the store's catalogue queries give.
    fn from_packs(cat: &Catalog) -> Catalogue {
        let mut frameworks = vec![];
        let mut items = HashMap::new();
        for f in &cat.frameworks {
            frameworks.push(FrameworkRow::of(f));
            let id = &f.framework.id;
            let rows: Vec<ItemRow> = f.items.iter().map(|i| ItemRow::of(id, i)).collect();
            items.insert(id.clone(), rows);
        }
        FrameworkRow::sort(&mut frameworks);
        let title = |fw: &str, r: &str| -> String {
            items
                .get(fw)
                .and_then(|v: &Vec<ItemRow>| v.iter().find(|i| i.reference == r))
                .map(|i| i.title.clone())
                .unwrap_or_default()
        };
        // (crosswalk, position) sorts each item's mappings as the store's query does.
        let mut keyed: HashMap<ItemKey, Vec<(MappingOrder, MappingRow)>> = HashMap::new();
        for c in &cat.crosswalks {
            let h = &c.crosswalk;
            let mut pos = 0usize;
            for m in &c.mappings {
                let source = if m.source.is_empty() {
                    h.source.clone()
                } else {
                    m.source.clone()
                };
                for to in &m.to {
                    let row = |framework: &str, reference: &str| MappingRow {
                        crosswalk: h.id.clone(),
                        framework: framework.to_string(),
                        reference: reference.to_string(),
                        title: title(framework, reference),
                        relation: m.relation.clone(),
                        source: source.clone(),
                        note: m.note.clone(),
                    };
                    let order = (h.id.clone(), pos);
                    keyed
                        .entry((h.from.clone(), m.from.clone()))
                        .or_default()
                        .push((order.clone(), row(&h.to, to)));
                    keyed
                        .entry((h.to.clone(), to.clone()))
                        .or_default()
                        .push((order, row(&h.from, &m.from)));
                    pos += 1;
                }
            }
        }
        let mappings = keyed
            .into_iter()
            .map(|(k, mut v)| {
                v.sort_by(|a, b| a.0.cmp(&b.0));
                (k, v.into_iter().map(|(_, m)| m).collect())
            })
            .collect();
        Catalogue {
            frameworks,
            items,
            mappings,
        }
    }

    /// Every framework, the standard first.
    pub fn frameworks(&self) -> &[FrameworkRow] {
        &self.frameworks
    }

    /// Items of a framework in document order, of the given kinds only (all kinds when `kinds` is empty).
    pub fn items(&self, framework: &str, kinds: &[&str]) -> Vec<ItemRow> {
        self.items
            .get(framework)
            .map(|v| {
                v.iter()
                    .filter(|i| kinds.is_empty() || kinds.contains(&i.kind.as_str()))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// One item by framework and ref.
    pub fn item(&self, framework: &str, reference: &str) -> Option<ItemRow> {
        self.items
            .get(framework)?
            .iter()
            .find(|i| i.reference == reference)
            .cloned()
    }

    /// Items with this ref in any framework, by framework id (refs such as `4.1` exist in one framework only
    /// today, but the lookup does not assume it).
    pub fn find(&self, reference: &str) -> Vec<ItemRow> {
        let mut ids: Vec<&String> = self.items.keys().collect();
        ids.sort();
        ids.into_iter()
            .filter_map(|f| self.item(f, reference))
            .collect()
    }

    /// What an item maps to, in either direction of every crosswalk that mentions its framework.
    pub fn mappings(&self, framework: &str, reference: &str) -> Vec<MappingRow> {
        self.mappings
            .get(&(framework.to_string(), reference.to_string()))
            .cloned()
            .unwrap_or_default()
    }

    /// The identifiers of one kind of ISO/IEC 42001 item (Annex A controls, Annex C risk sources, …).
    pub fn refs(&self, kind: &str) -> Vec<String> {
        self.items("iso42001", &[kind])
            .into_iter()
            .map(|i| i.reference)
            .collect()
    }
}

impl App {
    /// The catalogue, for a member allowed to read: the content is public, but every read of the application
    /// goes through a role check so that a session without a role in the organization sees nothing.
    pub fn catalogue(&self, actor: &Actor) -> Result<&'static Catalogue, AppError> {
        actor.require(Permission::Read)?;
        builtin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aims_store::testing::{TestDb, backends};

    /// The in-memory catalogue answers every lookup exactly as the store's catalogue queries do.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn memory_matches_the_store_on_both_databases() {
        let cat = builtin().expect("catalogue");
        for backend in backends() {
            let db = TestDb::new(backend).await.expect("db");
            let store = aims_store::Store::open(
                &db.url,
                aims_store::OpenOptions {
                    create: true,
                    ..Default::default()
                },
            )
            .await
            .expect("open");
            assert_eq!(
                store.catalog_frameworks().await.expect("frameworks"),
                cat.frameworks(),
                "{backend:?}"
            );
            for f in cat.frameworks() {
                let items = store.catalog_items(&f.info.id, &[]).await.expect("items");
                assert_eq!(
                    items,
                    cat.items(&f.info.id, &[]),
                    "{backend:?} {}",
                    f.info.id
                );
                assert_eq!(
                    store
                        .catalog_items(&f.info.id, &["control"])
                        .await
                        .expect("c"),
                    cat.items(&f.info.id, &["control"])
                );
                for i in &items {
                    assert_eq!(
                        store
                            .catalog_mappings(&f.info.id, &i.reference)
                            .await
                            .expect("maps"),
                        cat.mappings(&f.info.id, &i.reference),
                        "{backend:?} {} {}",
                        f.info.id,
                        i.reference
                    );
                    assert_eq!(
                        store.catalog_find(&i.reference).await.expect("find"),
                        cat.find(&i.reference)
                    );
                }
            }
            store.close().await;
        }
    }
}
