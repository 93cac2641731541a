//! The AI system inventory's list in the browser: searchable, sortable and paged by keyset. A system's detail,
//! history and form are the kit's (`pages::records`), from its declaration.

use crate::auth::encode;
use crate::chrome::Chrome;
use crate::error::render;
use crate::filters;
use crate::pages::ctx::{Ctx, PageResult};
use crate::pages::form::vocab;
use aims_app::Stored;
use aims_app::systems::SystemFilter;
use aims_domain::inventory::AiSystem;
use aims_domain::vocab::LifecycleStage;
use askama::Template;
use axum::extract::Query;
use serde::Deserialize;

/// Query of the list page.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    stage: String,
    sort: String,
    desc: Option<String>,
    /// Keyset cursor of the next page: the sort value and the id of the last system shown.
    after: String,
    after_id: String,
}

/// Systems shown per page of the inventory list.
const PAGE_SIZE: i64 = 100;

/// A sortable column header.
pub struct SortLink {
    /// Label.
    pub label: &'static str,
    /// Link that sorts by this column (toggling direction when already sorted by it).
    pub href: String,
    /// `ascending`, `descending` or `none`, for aria-sort.
    pub aria: &'static str,
}

impl SortLink {
    /// The headers of `columns` (label, sort key) of a list sorted by `sort` (`desc` when descending): `href(key,
    /// descending)` is the address that sorts by a column; the active column's link turns the order around.
    pub fn columns(
        columns: &[(&'static str, &str)],
        sort: &str,
        desc: bool,
        href: impl Fn(&str, bool) -> String,
    ) -> Vec<SortLink> {
        columns
            .iter()
            .map(|(label, key)| {
                let active = sort == *key;
                SortLink {
                    label,
                    href: href(key, active && !desc),
                    aria: match (active, desc) {
                        (false, _) => "none",
                        (true, false) => "ascending",
                        (true, true) => "descending",
                    },
                }
            })
            .collect()
    }
}

#[derive(Template)]
#[template(path = "systems_list.html")]
struct ListPage {
    chrome: Chrome,
    systems: Vec<Stored<AiSystem>>,
    next_page: Option<String>,
    first_page: Option<String>,
    q: String,
    stage: String,
    stages: Vec<&'static str>,
    columns: Vec<SortLink>,
}

/// GET /systems
pub async fn list(ctx: Ctx, Query(q): Query<ListQuery>) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let sort = if q.sort.is_empty() {
        "name".to_string()
    } else {
        q.sort.clone()
    };
    let desc = q.desc.as_deref() == Some("1");
    let filter = SystemFilter {
        stage: (!q.stage.is_empty()).then(|| q.stage.clone()),
        search: (!q.q.is_empty()).then(|| q.q.clone()),
        sort: Some(sort.clone()),
        descending: desc,
        limit: Some(PAGE_SIZE + 1),
        ..SystemFilter::default()
    };
    let after = (!q.after_id.is_empty()).then(|| (q.after.clone(), q.after_id.clone()));
    let mut systems = state
        .app
        .systems_after(&s.actor(), &s.org_id, &filter, after)
        .await?;
    let next_page = if systems.len() as i64 > PAGE_SIZE {
        systems.truncate(PAGE_SIZE as usize);
        systems.last().map(|last| {
            let value = match sort.as_str() {
                "lifecycle_stage" => last.data.lifecycle_stage.clone(),
                "owner" => last.data.owner.clone(),
                "business_unit" => last.data.business_unit.clone(),
                _ => last.data.name.clone(),
            };
            format!(
                "/systems?q={}&stage={}&sort={}{}&after={}&after_id={}",
                encode(&q.q),
                encode(&q.stage),
                encode(&sort),
                if desc { "&desc=1" } else { "" },
                encode(&value),
                encode(&last.id)
            )
        })
    } else {
        None
    };
    let first_page = (!q.after_id.is_empty()).then(|| {
        format!(
            "/systems?q={}&stage={}&sort={}{}",
            encode(&q.q),
            encode(&q.stage),
            encode(&sort),
            if desc { "&desc=1" } else { "" }
        )
    });
    let columns = SortLink::columns(
        &[
            ("Name", "name"),
            ("Stage", "lifecycle_stage"),
            ("Owner", "owner"),
            ("Business unit", "business_unit"),
        ],
        &sort,
        desc,
        |key, next_desc| {
            format!(
                "/systems?q={}&stage={}&sort={key}{}",
                encode(&q.q),
                encode(&q.stage),
                if next_desc { "&desc=1" } else { "" }
            )
        },
    );
    Ok(render(&ListPage {
        chrome,
        systems,
        next_page,
        first_page,
        q: q.q,
        stage: q.stage,
        stages: vocab(LifecycleStage::ALL, LifecycleStage::as_str),
        columns,
    }))
}
