//! The framework catalogue in the browser: frameworks, their items, and each item with its guidance and its
//! crosswalk mappings (both directions), every mapping with its source.

use crate::auth::encode;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::error::{page, render};
use crate::pages::ctx::Ctx;
use aims_app::catalogue::{FrameworkRow, ItemRow, MappingRow};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "catalog_frameworks.html")]
struct FrameworksPage {
    chrome: Chrome,
    frameworks: Vec<FrameworkRow>,
}

/// Pairs each mapping with the link to the other item's catalogue page, for every page that lists mappings.
pub fn with_links(mappings: Vec<MappingRow>) -> Vec<(MappingRow, String)> {
    mappings
        .into_iter()
        .map(|m| {
            let href = format!(
                "/catalog/{}/item?ref={}",
                encode(&m.framework),
                encode(&m.reference)
            );
            (m, href)
        })
        .collect()
}

/// GET /catalog
pub async fn frameworks(ctx: Ctx) -> Result<Response, PageError> {
    let Ctx { state, s, chrome } = ctx;
    let frameworks = state.app.catalogue(&s.actor())?.frameworks().to_vec();
    Ok(render(&FrameworksPage { chrome, frameworks }))
}

/// An item with its depth in the tree and a link.
pub struct ItemLine {
    /// The item.
    pub item: ItemRow,
    /// Nesting depth (0 at the top).
    pub depth: usize,
    /// Link to the item page.
    pub href: String,
}

#[derive(Template)]
#[template(path = "catalog_items.html")]
struct ItemsPage {
    chrome: Chrome,
    framework: FrameworkRow,
    lines: Vec<ItemLine>,
    q: String,
}

/// Query of the items page.
#[derive(Deserialize, Default)]
pub struct ItemsQuery {
    #[serde(default)]
    q: String,
}

/// GET /catalog/{framework}
pub async fn items(
    ctx: Ctx,
    Path(fw): Path<String>,
    Query(q): Query<ItemsQuery>,
) -> Result<Response, PageError> {
    let Ctx { state, s, chrome } = ctx;
    let cat = state.app.catalogue(&s.actor())?;
    let (fws, items) = (cat.frameworks().to_vec(), cat.items(&fw, &[]));
    let Some(framework) = fws.into_iter().find(|f| f.info.id == fw) else {
        return Ok(page(
            StatusCode::NOT_FOUND,
            Some(chrome),
            "Not found",
            "There is no such framework in the catalogue.",
        ));
    };
    let needle = q.q.trim().to_lowercase();
    let mut depth_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut lines = vec![];
    for item in items {
        let depth = if item.parent.is_empty() {
            0
        } else {
            depth_of.get(&item.parent).map_or(0, |d| d + 1)
        };
        depth_of.insert(item.reference.clone(), depth);
        if !needle.is_empty()
            && !item.reference.to_lowercase().contains(&needle)
            && !item.title.to_lowercase().contains(&needle)
            && !item.description.to_lowercase().contains(&needle)
        {
            continue;
        }
        let href = format!(
            "/catalog/{}/item?ref={}",
            encode(&fw),
            encode(&item.reference)
        );
        lines.push(ItemLine { item, depth, href });
    }
    Ok(render(&ItemsPage {
        chrome,
        framework,
        lines,
        q: q.q,
    }))
}

#[derive(Template)]
#[template(path = "catalog_item.html")]
struct ItemPage {
    chrome: Chrome,
    item: ItemRow,
    topics: Vec<String>,
    evidence: Vec<String>,
    records: Vec<String>,
    guidance: String,
    mappings: Vec<(MappingRow, String)>,
}

/// Query of the item page.
#[derive(Deserialize)]
pub struct ItemQuery {
    #[serde(rename = "ref")]
    reference: String,
}

/// GET /catalog/{framework}/item?ref=ID
pub async fn item(
    ctx: Ctx,
    Path(fw): Path<String>,
    Query(q): Query<ItemQuery>,
) -> Result<Response, PageError> {
    let Ctx { state, s, chrome } = ctx;
    let cat = state.app.catalogue(&s.actor())?;
    let item = match cat.item(&fw, &q.reference) {
        Some(i) => i,
        None => {
            return Ok(page(
                StatusCode::NOT_FOUND,
                Some(chrome),
                "Not found",
                "There is no such item in this framework.",
            ));
        }
    };
    let mappings = with_links(cat.mappings(&fw, &q.reference));
    let list = |k: &str| -> Vec<String> {
        item.details
            .get(k)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let guidance = item
        .details
        .get("guidance")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    Ok(render(&ItemPage {
        topics: list("topics"),
        evidence: list("evidence"),
        records: list("records"),
        guidance,
        mappings,
        item,
        chrome,
    }))
}
