//! The register: the searchable, filterable, sortable list of risks with the inherent and residual heat maps.

use crate::auth::encode;
use crate::chrome::Chrome;
use crate::error::{app_error, render};
use crate::filters;
use crate::pages::ctx::Ctx;
use crate::pages::form::{Badge, Opt, SystemNames, is_id, scale_label};
use crate::pages::heatmap::{self, Grid, TableRow};
use crate::pages::systems::SortLink;
use aims_app::AppError;
use aims_app::risks::{RiskCell, RiskFilter, RiskSort};
use aims_domain::risk::Score;
use aims_domain::vocab::RiskStatus;
use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use serde::Deserialize;

/// Risks on one page of the register.
const PAGE_SIZE: i64 = 50;

/// Query of the register.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct RegisterQuery {
    q: String,
    status: String,
    system: String,
    /// Heat-map cell filter: `inherent` or `residual`, with likelihood `l` and impact `i`.
    which: String,
    l: String,
    i: String,
    sort: String,
    desc: Option<String>,
    /// Cursor: the id of the last risk of the previous page.
    after: String,
}

/// One line of the register.
pub struct RiskRow {
    /// Risk id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Linked systems (id, name).
    pub systems: Vec<(String, String)>,
    /// Owner.
    pub owner: String,
    /// Status.
    pub status: String,
    /// Inherent level of the latest assessment.
    pub inherent: Option<Badge>,
    /// Residual level of the latest assessment.
    pub residual: Option<Badge>,
    /// Next review.
    pub review_date: String,
    /// Whether the review date has passed on a risk that is still live.
    pub overdue: bool,
}

/// One heat map with its text alternative.
pub struct MapView {
    /// Heading (`Inherent risk`).
    pub title: &'static str,
    /// Anchor id.
    pub id: &'static str,
    /// The SVG markup.
    pub svg: String,
    /// Rows of the table alternative.
    pub table: Vec<TableRow>,
    /// Risks on the map.
    pub total: usize,
    /// Scores outside the current method's scales.
    pub off_scale: usize,
}

#[derive(Template)]
#[template(path = "risks_list.html")]
struct RegisterPage {
    chrome: Chrome,
    rows: Vec<RiskRow>,
    /// Risks matching the filters and the cell, on every page.
    matching: usize,
    /// Link to the next page, keeping filters, cell and order.
    next: Option<String>,
    /// Link to the first page, when this is a later one.
    first: Option<String>,
    q: String,
    status: String,
    statuses: Vec<Opt>,
    system: String,
    system_name: String,
    cell: Option<(String, String)>,
    columns: Vec<SortLink>,
    maps: Vec<MapView>,
    impact_labels: Vec<String>,
    legend: Vec<Badge>,
    appetite: String,
    method_name: String,
    unassessed: usize,
}

/// GET /risks
pub async fn list(ctx: Ctx, Query(q): Query<RegisterQuery>) -> Response {
    let Ctx { state, s, chrome } = ctx;
    let actor = s.actor();
    let app = &state.app;
    let org = &s.org_id;
    let status_ok = q.status.is_empty() || RiskStatus::parse("status", &q.status).is_ok();
    let system_ok = q.system.is_empty() || is_id(&q.system);
    let filter = RiskFilter {
        status: (status_ok && !q.status.is_empty()).then(|| q.status.clone()),
        search: (!q.q.trim().is_empty()).then(|| q.q.clone()),
        system_id: (system_ok && !q.system.is_empty()).then(|| q.system.clone()),
    };
    // The cell filter from a heat map.
    let cell = match (
        q.l.parse::<i64>(),
        q.i.parse::<i64>(),
        matches!(q.which.as_str(), "inherent" | "residual"),
    ) {
        (Ok(likelihood), Ok(impact), true) => Some(RiskCell {
            residual: q.which == "residual",
            score: Score { likelihood, impact },
        }),
        _ => None,
    };
    // Sorting: by residual level, highest first, unless a column heading says otherwise.
    let sort = if q.sort.is_empty() {
        RiskSort::Residual
    } else {
        RiskSort::parse(&q.sort)
    };
    let desc = match q.desc.as_deref() {
        Some("1") => true,
        Some(_) => false,
        None => q.sort.is_empty(),
    };
    let mut names = SystemNames::default();
    let result = async {
        let method = app.risk_method(&actor, org).await?;
        let counts = app.risk_counts(&actor, org, &filter).await?;
        let rq = aims_app::risks::RegisterQuery {
            filter: filter.clone(),
            cell,
            sort,
            descending: desc,
            after: (!q.after.is_empty()).then(|| q.after.clone()),
            limit: PAGE_SIZE,
        };
        let page = app.risk_register(&actor, org, &method, &rq).await?;
        let mut ids: Vec<String> = page
            .risks
            .iter()
            .flat_map(|r| r.data.system_ids.clone())
            .collect();
        if system_ok && !q.system.is_empty() {
            ids.push(q.system.clone());
        }
        names.load(app, &actor, org, ids.iter()).await?;
        Ok::<_, AppError>((method, counts, page))
    }
    .await;
    let (method, counts, page) = match result {
        Ok(r) => r,
        Err(e) => return app_error(Some(chrome), e),
    };
    let today = aims_app::today();
    let rows: Vec<RiskRow> = page
        .risks
        .into_iter()
        .map(|r| {
            let latest = r.data.latest();
            let live = !matches!(r.data.status.as_str(), "closed");
            RiskRow {
                systems: names.links(&r.data.system_ids),
                inherent: latest.and_then(|a| Badge::of(&method, &a.levels.inherent)),
                residual: latest.and_then(|a| Badge::of(&method, &a.levels.residual)),
                overdue: live && !r.data.review_date.is_empty() && r.data.review_date < today,
                id: r.id.into(),
                title: r.data.title,
                owner: r.data.owner,
                status: r.data.status,
                review_date: r.data.review_date,
            }
        })
        .collect();

    // Heat maps of the filtered register (before the cell filter), from the aggregate counts.
    let inherent = Grid::of_counts(&method, "inherent", &counts.inherent);
    let residual = Grid::of_counts(&method, "residual", &counts.residual);
    let base = format!(
        "/risks?q={}&status={}&system={}",
        encode(&q.q),
        encode(&q.status),
        encode(&q.system)
    );
    let map = |g: &Grid, title: &'static str, id: &'static str| MapView {
        title,
        id,
        svg: heatmap::svg(&method, g, &format!("{title} heat map"), |l, i| {
            format!("{base}&which={}&l={l}&i={i}#register", g.which)
        }),
        table: heatmap::table(&method, g),
        total: g.total(),
        off_scale: g.off_scale,
    };
    let maps = vec![
        map(&inherent, "Inherent risk", "map-inherent"),
        map(&residual, "Residual risk", "map-residual"),
    ];
    let matching = match &cell {
        Some(c) if c.residual => residual.at(&c.score),
        Some(c) => inherent.at(&c.score),
        None => usize::try_from(counts.total).unwrap_or(0),
    };
    let cell_text = cell.map(|c| {
        (
            format!(
                "{} likelihood {} and impact {}",
                if c.residual { "Residual" } else { "Inherent" },
                scale_label(&method.likelihood, c.score.likelihood),
                scale_label(&method.impact, c.score.impact)
            ),
            base.clone(),
        )
    });
    // The address of this view without its cursor: filters, cell and order.
    let here = format!(
        "{base}{}&sort={}&desc={}",
        cell.map_or(String::new(), |c| format!(
            "&which={}&l={}&i={}",
            if c.residual { "residual" } else { "inherent" },
            c.score.likelihood,
            c.score.impact
        )),
        sort.as_str(),
        if desc { "1" } else { "0" }
    );
    let next = page
        .next
        .map(|id| format!("{here}&after={}#register", encode(&id)));
    let first = (!q.after.is_empty()).then(|| format!("{here}#register"));
    let sort_key = sort.as_str();
    let columns = [
        ("Risk", "title"),
        ("Owner", "owner"),
        ("Status", "status"),
        ("Inherent", "inherent"),
        ("Residual", "residual"),
        ("Review", "review"),
    ]
    .iter()
    .map(|(label, key)| {
        let active = sort_key == *key;
        SortLink {
            label,
            href: format!(
                "{base}&sort={key}{}#register",
                if active && !desc {
                    "&desc=1"
                } else {
                    "&desc=0"
                }
            ),
            aria: match (active, desc) {
                (false, _) => "none",
                (true, false) => "ascending",
                (true, true) => "descending",
            },
        }
    })
    .collect();
    render(&RegisterPage {
        chrome,
        rows,
        matching,
        next,
        first,
        statuses: Opt::vocab(
            &RiskStatus::ALL
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>(),
            &q.status,
            Some("All statuses"),
        ),
        system_name: if q.system.is_empty() {
            String::new()
        } else {
            names.name(&q.system)
        },
        system: q.system,
        q: q.q,
        status: q.status,
        cell: cell_text,
        columns,
        maps,
        impact_labels: method
            .impact
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{} · {}", i + 1, p.label))
            .collect(),
        legend: method
            .levels
            .iter()
            .filter_map(|l| Badge::of(&method, &l.id))
            .collect(),
        appetite: method
            .levels
            .iter()
            .find(|l| l.id == method.appetite)
            .map_or_else(|| method.appetite.clone(), |l| l.label.clone()),
        method_name: format!("{} (version {})", method.name, method.number.max(1)),
        unassessed: usize::try_from(counts.unassessed).unwrap_or(0),
    })
}
