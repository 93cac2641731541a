//! `aims catalog ...`: the framework catalogue and its crosswalks.

use crate::args::CatalogCmd;
use crate::out::{self, Format};
use crate::{CmdResult, Ctx, Failure, Outcome, bad_input};
use aims_store::catalog::ItemRow;

async fn check_framework(ctx: &Ctx, id: &str) -> Result<(), Failure> {
    let fws = ctx
        .app
        .store
        .catalog_frameworks()
        .await
        .map_err(aims_app::AppError::from)?;
    if fws.iter().any(|f| f.id == id) {
        Ok(())
    } else {
        let ids: Vec<String> = fws.into_iter().map(|f| f.id).collect();
        Err(bad_input(
            "framework",
            format!("unknown framework '{id}'; use one of: {}", ids.join(", ")),
        ))
    }
}

fn print_items(ctx: &Ctx, items: &[ItemRow]) -> CmdResult {
    if ctx.format == Format::Json {
        out::json(items)?;
    } else {
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|i| {
                vec![
                    i.reference.clone(),
                    i.kind.clone(),
                    i.title.clone(),
                    i.documented_information.clone(),
                ]
            })
            .collect();
        out::table(&["id", "kind", "title", "documented information"], &rows);
    }
    Ok(Outcome::Ok)
}

async fn find_item(ctx: &Ctx, id: &str, framework: Option<&str>) -> Result<ItemRow, Failure> {
    let found = ctx
        .app
        .store
        .catalog_find(id.trim())
        .await
        .map_err(aims_app::AppError::from)?;
    let matching: Vec<ItemRow> = found
        .into_iter()
        .filter(|i| framework.is_none_or(|f| i.framework == f))
        .collect();
    match matching.len() {
        0 => Err(aims_app::AppError::NotFound(format!(
            "no catalogue item '{id}'{}",
            framework.map(|f| format!(" in {f}")).unwrap_or_default()
        ))
        .into()),
        1 => Ok(matching.into_iter().next().expect("one item")),
        _ => Err(bad_input(
            "framework",
            format!("'{id}' exists in several frameworks; add --framework"),
        )),
    }
}

/// Runs a catalogue command.
pub async fn run(ctx: &Ctx, c: CatalogCmd) -> CmdResult {
    let store = &ctx.app.store;
    let e = aims_app::AppError::from;
    match c {
        CatalogCmd::Frameworks => {
            let fws = store.catalog_frameworks().await.map_err(e)?;
            if ctx.format == Format::Json {
                out::json(&fws)?;
            } else {
                let rows: Vec<Vec<String>> = fws
                    .iter()
                    .map(|f| {
                        vec![
                            f.id.clone(),
                            f.name.clone(),
                            f.publisher.clone(),
                            f.items.to_string(),
                            f.pack_version.to_string(),
                        ]
                    })
                    .collect();
                out::table(&["id", "name", "publisher", "items", "pack"], &rows);
            }
            Ok(Outcome::Ok)
        }
        CatalogCmd::Requirements(f) => {
            check_framework(ctx, &f.framework).await?;
            let kinds: &[&str] = match f.framework.as_str() {
                "iso42001" => &["clause"],
                "nist-ai-rmf" => &["function", "category", "subcategory"],
                _ => &["article", "annex_area"],
            };
            print_items(
                ctx,
                &store.catalog_items(&f.framework, kinds).await.map_err(e)?,
            )
        }
        CatalogCmd::Controls(f) => {
            check_framework(ctx, &f.framework).await?;
            let items = store
                .catalog_items(&f.framework, &["control"])
                .await
                .map_err(e)?;
            if items.is_empty() {
                return Err(bad_input(
                    "framework",
                    format!(
                        "{} defines no controls; try `aims catalog requirements`",
                        f.framework
                    ),
                ));
            }
            print_items(ctx, &items)
        }
        CatalogCmd::Items { framework, kind } => {
            check_framework(ctx, &framework).await?;
            let kinds: Vec<&str> = kind.iter().map(String::as_str).collect();
            let items = store.catalog_items(&framework, &kinds).await.map_err(e)?;
            if items.is_empty() {
                return Err(bad_input(
                    "kind",
                    format!(
                        "{framework} has no items of kind '{}'",
                        kind.unwrap_or_default()
                    ),
                ));
            }
            print_items(ctx, &items)
        }
        CatalogCmd::Show(a) => {
            let item = find_item(ctx, &a.id, a.framework.as_deref()).await?;
            if ctx.format == Format::Json {
                out::json(&item)?;
            } else {
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
            Ok(Outcome::Ok)
        }
        CatalogCmd::Map(a) => {
            let item = find_item(ctx, &a.id, a.framework.as_deref()).await?;
            let maps = store
                .catalog_mappings(&item.framework, &item.reference)
                .await
                .map_err(e)?;
            if ctx.format == Format::Json {
                out::json(&serde_json::json!({ "item": item, "mappings": maps }))?;
            } else {
                println!("{} {} ({})", item.reference, item.title, item.framework);
                let rows: Vec<Vec<String>> = maps
                    .iter()
                    .map(|m| {
                        vec![
                            m.framework.clone(),
                            m.reference.clone(),
                            m.title.clone(),
                            m.relation.clone(),
                        ]
                    })
                    .collect();
                out::table(&["framework", "id", "title", "relation"], &rows);
                let mut sources: Vec<&str> = maps.iter().map(|m| m.source.as_str()).collect();
                sources.dedup();
                for s in sources {
                    println!("source: {s}");
                }
            }
            Ok(Outcome::Ok)
        }
    }
}
