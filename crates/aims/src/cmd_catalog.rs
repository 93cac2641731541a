//! `aims catalog ...`: the framework catalogue and its crosswalks.

use crate::args::CatalogCmd;
use crate::out::{self, Format};
use crate::{CmdResult, Failure, bad_input};
use aims_app::catalogue::{Catalogue, ItemRow, MappingRow};

fn check_framework(cat: &Catalogue, id: &str) -> Result<(), Failure> {
    let fws = cat.frameworks();
    if fws.iter().any(|f| f.info.id == id) {
        Ok(())
    } else {
        let ids: Vec<&str> = fws.iter().map(|f| f.info.id.as_str()).collect();
        Err(bad_input(
            "framework",
            format!("unknown framework '{id}'; use one of: {}", ids.join(", ")),
        ))
    }
}

fn print_items(format: Format, items: &[ItemRow]) -> CmdResult {
    let headers = ["id", "kind", "title", "documented information"];
    out::list(format, items, &headers, |i| {
        vec![
            i.reference.clone(),
            i.kind.clone(),
            i.title.clone(),
            i.documented_information.clone(),
        ]
    })
}

/// A crosswalk as a table row (framework, reference, title, relation): catalogue maps and control crosswalks.
pub fn mapping_row(m: &MappingRow) -> Vec<String> {
    vec![
        m.framework.clone(),
        m.reference.clone(),
        m.title.clone(),
        m.relation.clone(),
    ]
}

fn print_item(item: &ItemRow) {
    let list = |k: &str| -> String {
        item.details
            .get(k)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str())
                    .map(|s| format!("• {s}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    };
    let text = |k: &str| {
        item.details
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    out::fields(&[
        ("Id", item.reference.clone()),
        ("Framework", item.framework.clone()),
        ("Kind", item.kind.clone()),
        ("Title", item.title.clone()),
        ("Parent", item.parent.clone()),
        ("What it asks", item.description.clone()),
        ("Documented info", item.documented_information.clone()),
        ("Topics", list("topics")),
        ("Evidence", list("evidence")),
        ("Records", list("records")),
        ("Guidance", text("guidance")),
    ]);
}

/// What `catalog map --format json` prints: the item and what it maps to.
#[derive(serde::Serialize)]
struct ItemMappings {
    item: ItemRow,
    mappings: Vec<MappingRow>,
}

fn print_mappings(m: &ItemMappings) {
    let item = &m.item;
    println!("{} {} ({})", item.reference, item.title, item.framework);
    out::table_of(
        &["framework", "id", "title", "relation"],
        &m.mappings,
        mapping_row,
    );
    let mut sources: Vec<&str> = m.mappings.iter().map(|m| m.source.as_str()).collect();
    sources.dedup();
    for s in sources {
        println!("source: {s}");
    }
}

fn find_item(cat: &Catalogue, id: &str, framework: Option<&str>) -> Result<ItemRow, Failure> {
    let matching: Vec<ItemRow> = cat
        .find(id.trim())
        .into_iter()
        .filter(|i| framework.is_none_or(|f| i.framework == f))
        .collect();
    let mut found = matching.into_iter();
    match (found.next(), found.next()) {
        (None, _) => Err(aims_app::AppError::NotFound(format!(
            "no catalogue item '{id}'{}",
            framework.map(|f| format!(" in {f}")).unwrap_or_default()
        ))
        .into()),
        (Some(item), None) => Ok(item),
        (Some(_), Some(_)) => Err(bad_input(
            "framework",
            format!("'{id}' exists in several frameworks; add --framework"),
        )),
    }
}

/// Runs a catalogue command on the built-in packs; no store is needed, so a new user can look the standard up
/// before `aims init`.
pub fn run(format: Format, c: &CatalogCmd) -> CmdResult {
    let cat = aims_app::catalogue::builtin()?;
    match c {
        CatalogCmd::Frameworks => {
            let headers = ["id", "name", "publisher", "items", "pack"];
            out::list(format, cat.frameworks(), &headers, |f| {
                vec![
                    f.info.id.clone(),
                    f.info.name.clone(),
                    f.info.publisher.clone(),
                    f.items.to_string(),
                    f.info.pack_version.to_string(),
                ]
            })
        }
        CatalogCmd::Requirements(f) => {
            check_framework(cat, &f.framework)?;
            let kinds: &[&str] = match f.framework.as_str() {
                "iso42001" => &["clause"],
                "nist-ai-rmf" => &["function", "category", "subcategory"],
                _ => &["article", "annex_area"],
            };
            print_items(format, &cat.items(&f.framework, kinds))
        }
        CatalogCmd::Controls(f) => {
            check_framework(cat, &f.framework)?;
            let items = cat.items(&f.framework, &["control"]);
            if items.is_empty() {
                return Err(bad_input(
                    "framework",
                    format!(
                        "{} defines no controls; try `aims catalog requirements`",
                        f.framework
                    ),
                ));
            }
            print_items(format, &items)
        }
        CatalogCmd::Items { framework, kind } => {
            check_framework(cat, framework)?;
            let kinds: Vec<&str> = kind.iter().map(String::as_str).collect();
            let items = cat.items(framework, &kinds);
            if items.is_empty() {
                return Err(bad_input(
                    "kind",
                    format!(
                        "{framework} has no items of kind '{}'",
                        kind.as_deref().unwrap_or_default()
                    ),
                ));
            }
            print_items(format, &items)
        }
        CatalogCmd::Show(a) => {
            let item = find_item(cat, &a.id, a.framework.as_deref())?;
            out::show(format, &item, print_item)
        }
        CatalogCmd::Map(a) => {
            let item = find_item(cat, &a.id, a.framework.as_deref())?;
            let mappings = cat.mappings(&item.framework, &item.reference);
            out::show(format, &ItemMappings { item, mappings }, print_mappings)
        }
    }
}
