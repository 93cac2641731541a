//! The register: the searchable, filterable, sortable list of risks with the inherent and residual heat maps.

use crate::auth::encode;
use crate::chrome::Chrome;
use crate::error::{app_error, render};
use crate::pages::ctx::Ctx;
use crate::pages::form::{Badge, Opt, SystemNames, is_id, scale_label};
use crate::pages::heatmap::{self, Grid, TableRow};
use crate::pages::systems::SortLink;
use aims_app::AppError;
use aims_app::risks::RiskFilter;
use aims_domain::risk::{RiskAssessment, Score};
use aims_domain::vocab::RiskStatus;
use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use serde::Deserialize;

/// Query of the register.
#[derive(Debug, Deserialize, Default)]
pub struct RegisterQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    system: String,
    /// Heat-map cell filter: `inherent` or `residual`, with likelihood `l` and impact `i`.
    #[serde(default)]
    which: String,
    #[serde(default)]
    l: String,
    #[serde(default)]
    i: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    desc: Option<String>,
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
    latest: Option<RiskAssessment>,
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

fn level_rank(b: &Option<Badge>) -> i64 {
    b.as_ref().map_or(-1, |b| b.rank as i64)
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
    let mut names = SystemNames::default();
    let result = async {
        let method = app.risk_method(&actor, org).await?;
        let risks = app.risks(&actor, org, &filter).await?;
        let mut ids: Vec<String> = risks
            .iter()
            .flat_map(|r| r.data.system_ids.clone())
            .collect();
        if system_ok && !q.system.is_empty() {
            ids.push(q.system.clone());
        }
        names.load(app, &actor, org, ids.iter()).await?;
        Ok::<_, AppError>((method, risks))
    }
    .await;
    let (method, risks) = match result {
        Ok(r) => r,
        Err(e) => return app_error(Some(chrome), e),
    };
    let today = aims_app::today();
    let mut rows: Vec<RiskRow> = risks
        .into_iter()
        .map(|r| {
            let latest = r.data.latest().cloned();
            let live = !matches!(r.data.status.as_str(), "closed");
            RiskRow {
                systems: names.links(&r.data.system_ids),
                inherent: latest
                    .as_ref()
                    .and_then(|a| Badge::of(&method, &a.levels.inherent)),
                residual: latest
                    .as_ref()
                    .and_then(|a| Badge::of(&method, &a.levels.residual)),
                overdue: live && !r.data.review_date.is_empty() && r.data.review_date < today,
                id: r.id,
                title: r.data.title,
                owner: r.data.owner,
                status: r.data.status,
                review_date: r.data.review_date,
                latest,
            }
        })
        .collect();

    // Heat maps of the filtered register (before the cell filter).
    let mut inherent = Grid::new(&method, "inherent");
    let mut residual = Grid::new(&method, "residual");
    let mut unassessed = 0;
    for r in &rows {
        match &r.latest {
            Some(a) => {
                inherent.add(&a.inherent);
                residual.add(&a.residual);
            }
            None => unassessed += 1,
        }
    }
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

    // The cell filter from a heat map.
    let mut cell = None;
    if let (Ok(l), Ok(i), true) = (
        q.l.parse::<i64>(),
        q.i.parse::<i64>(),
        matches!(q.which.as_str(), "inherent" | "residual"),
    ) {
        let score = Score {
            likelihood: l,
            impact: i,
        };
        let residual_view = q.which == "residual";
        rows.retain(|r| {
            r.latest.as_ref().is_some_and(|a| {
                if residual_view {
                    a.residual == score
                } else {
                    a.inherent == score
                }
            })
        });
        cell = Some((
            format!(
                "{} likelihood {} and impact {}",
                if residual_view {
                    "Residual"
                } else {
                    "Inherent"
                },
                scale_label(&method.likelihood, l),
                scale_label(&method.impact, i)
            ),
            base.clone(),
        ));
    }

    // Sorting.
    let sort = if q.sort.is_empty() {
        "residual".to_string()
    } else {
        q.sort.clone()
    };
    let desc = match q.desc.as_deref() {
        Some("1") => true,
        Some(_) => false,
        None => q.sort.is_empty(),
    };
    rows.sort_by(|a, b| {
        let o = match sort.as_str() {
            "owner" => a.owner.to_lowercase().cmp(&b.owner.to_lowercase()),
            "status" => a.status.cmp(&b.status),
            "inherent" => level_rank(&a.inherent).cmp(&level_rank(&b.inherent)),
            "residual" => level_rank(&a.residual)
                .cmp(&level_rank(&b.residual))
                .then(level_rank(&a.inherent).cmp(&level_rank(&b.inherent))),
            "review" => a.review_date.cmp(&b.review_date),
            _ => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
        };
        if desc { o.reverse() } else { o }
    });
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
        let active = sort == *key;
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
        cell,
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
        unassessed,
    })
}
