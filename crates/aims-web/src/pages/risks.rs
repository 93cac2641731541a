//! The AI risk register in the browser (6.1.2, 8.2, 8.3): a searchable, filterable, sortable register with the
//! inherent and residual heat maps; each risk with its systems, sources, objectives, the history of its
//! assessments and its treatment plans; forms to record a risk, re-assess it, plan its treatment and accept the
//! residual risk.

use crate::AppState;
use crate::auth::{Signed, check_form, encode};
use crate::chrome::Chrome;
use crate::error::{app_error, render};
use crate::pages::form::{
    Badge, Errors, FormData, Opt, SystemNames, deny, forbidden, is_id, not_found, scale_label,
    scale_options, words,
};
use crate::pages::heatmap::{self, Grid, TableRow};
use crate::pages::systems::SortLink;
use aims_app::risks::RiskFilter;
use aims_app::systems::SystemFilter;
use aims_app::{AppError, Permission, Stored};
use aims_domain::risk::{
    Acceptance, Risk, RiskAssessment, RiskMethod, Score, Treatment, TreatmentTask,
};
use aims_domain::vocab::{RiskStatus, TaskStatus, TreatmentOption, TreatmentStatus};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

// ---------------------------------------------------------------------------------------------------------------
// The register
// ---------------------------------------------------------------------------------------------------------------

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
pub async fn list(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<RegisterQuery>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "risks").await;
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

// ---------------------------------------------------------------------------------------------------------------
// Detail
// ---------------------------------------------------------------------------------------------------------------

/// A score with its level.
pub struct ScoreView {
    /// `L3 × I4`.
    pub short: String,
    /// `Possible × Major`.
    pub long: String,
    /// The level.
    pub badge: Option<Badge>,
}

fn score_view(m: &RiskMethod, s: &Score, level: &str) -> ScoreView {
    let label = |scale: &[aims_domain::risk::ScalePoint], n: i64| {
        usize::try_from(n - 1)
            .ok()
            .and_then(|i| scale.get(i))
            .map_or_else(|| "?".to_string(), |p| p.label.clone())
    };
    ScoreView {
        short: format!("L{} × I{}", s.likelihood, s.impact),
        long: format!(
            "likelihood {}, impact {}",
            label(&m.likelihood, s.likelihood),
            label(&m.impact, s.impact)
        ),
        badge: Badge::of(m, level),
    }
}

/// One assessment as a row of the history.
pub struct AssessmentRow {
    /// Date.
    pub date: String,
    /// Assessor.
    pub assessor: String,
    /// Method version.
    pub method_version: i64,
    /// Inherent.
    pub inherent: ScoreView,
    /// Current.
    pub current: ScoreView,
    /// Residual.
    pub residual: ScoreView,
    /// Dimensions considered.
    pub dimensions: String,
    /// Reasoning.
    pub note: String,
}

fn assessment_row(m: &RiskMethod, a: &RiskAssessment) -> AssessmentRow {
    AssessmentRow {
        date: a.date.clone(),
        assessor: a.assessor.clone(),
        method_version: a.method_version,
        inherent: score_view(m, &a.inherent, &a.levels.inherent),
        current: score_view(m, &a.current, &a.levels.current),
        residual: score_view(m, &a.residual, &a.levels.residual),
        dimensions: a.dimensions.join(", "),
        note: a.note.clone(),
    }
}

/// A treatment plan on the risk page.
pub struct TreatmentView {
    /// Record id.
    pub id: String,
    /// Option.
    pub option: String,
    /// Status.
    pub status: String,
    /// The plan.
    pub description: String,
    /// Controls (id, title).
    pub controls: Vec<(String, String)>,
    /// Tasks.
    pub tasks: Vec<TreatmentTask>,
    /// Tasks done.
    pub done: usize,
    /// Residual-risk acceptance.
    pub acceptance: Option<Acceptance>,
}

/// A catalogue reference with its title and link.
pub struct RefView {
    /// Identifier (`C.3.4`, or the custom name).
    pub reference: String,
    /// Title from the catalogue, empty for the organization's own.
    pub title: String,
    /// Link to the catalogue item, empty for the organization's own.
    pub href: String,
}

#[derive(Template)]
#[template(path = "risk_detail.html")]
struct DetailPage {
    chrome: Chrome,
    r: Stored<Risk>,
    systems: Vec<(String, String)>,
    sources: Vec<RefView>,
    objectives: Vec<RefView>,
    raised: Vec<(String, String)>,
    latest: Option<AssessmentRow>,
    history: Vec<AssessmentRow>,
    treatments: Vec<TreatmentView>,
    can_approve: bool,
    overdue: bool,
}

async fn catalog_titles(state: &AppState, kind: &str) -> Result<Vec<(String, String)>, AppError> {
    Ok(state
        .app
        .store
        .catalog_items("iso42001", &[kind])
        .await?
        .into_iter()
        .map(|i| (i.reference, i.title))
        .collect())
}

fn ref_views(refs: &[String], titles: &[(String, String)]) -> Vec<RefView> {
    refs.iter()
        .map(|r| match titles.iter().find(|(k, _)| k == r) {
            Some((k, t)) => RefView {
                reference: k.clone(),
                title: t.clone(),
                href: format!("/catalog/iso42001/item?ref={}", encode(k)),
            },
            None => RefView {
                reference: r.strip_prefix("custom:").unwrap_or(r).trim().to_string(),
                title: "the organization's own".into(),
                href: String::new(),
            },
        })
        .collect()
}

/// Control ids with titles: Annex A from the catalogue, then the organization's own.
async fn control_titles(
    state: &AppState,
    s: &aims_app::auth::Session,
) -> Result<Vec<(String, String)>, AppError> {
    let mut all = catalog_titles(state, "control").await?;
    for c in state.app.controls(&s.actor(), &s.org_id).await? {
        if !all.iter().any(|(k, _)| *k == c.data.control) {
            all.push((c.data.control, c.data.title));
        }
    }
    Ok(all)
}

/// GET /risks/{id}
pub async fn show(
    State(state): State<AppState>,
    Signed(s): Signed,
    Path(id): Path<String>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "risks").await;
    if !is_id(&id) {
        return not_found(chrome, "risk");
    }
    let actor = s.actor();
    let app = &state.app;
    let org = &s.org_id;
    let mut names = SystemNames::default();
    let result = async {
        let r = app.risk(&actor, org, &id).await?;
        let method = app.risk_method(&actor, org).await?;
        let treatments = app.treatments(&actor, org, Some(&r.id)).await?;
        names
            .load(app, &actor, org, r.data.system_ids.iter())
            .await?;
        let sources = catalog_titles(&state, "risk_source").await?;
        let objectives = catalog_titles(&state, "annex_c_objective").await?;
        let controls = control_titles(&state, &s).await?;
        let mut raised = vec![];
        for link in &r.data.raised_from {
            let (ia, idx) = link.split_once('#').unwrap_or((link.as_str(), ""));
            let label = match app.impact(&actor, org, ia).await {
                Ok(a) => {
                    let harm = idx
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| a.data.impacts.get(i))
                        .map(|m| format!(" — {} harm", words(&m.area)))
                        .unwrap_or_default();
                    format!("{}{harm}", a.data.title)
                }
                Err(_) => link.clone(),
            };
            raised.push((
                format!(
                    "/impact-assessments/{}{}",
                    encode(ia),
                    if idx.is_empty() {
                        String::new()
                    } else {
                        format!("#impact-{idx}")
                    }
                ),
                label,
            ));
        }
        Ok::<_, AppError>((r, method, treatments, sources, objectives, controls, raised))
    }
    .await;
    let (r, method, treatments, sources, objectives, controls, raised) = match result {
        Ok(x) => x,
        Err(e) => return app_error(Some(chrome), e),
    };
    let mut history: Vec<AssessmentRow> = r
        .data
        .assessments
        .iter()
        .map(|a| assessment_row(&method, a))
        .collect();
    history.reverse();
    let latest = r.data.latest().map(|a| assessment_row(&method, a));
    let treatments = treatments
        .into_iter()
        .map(|t| TreatmentView {
            id: t.id,
            option: t.data.option,
            status: t.data.status,
            description: t.data.description,
            controls: t
                .data
                .controls
                .iter()
                .map(|c| {
                    (
                        c.clone(),
                        controls
                            .iter()
                            .find(|(k, _)| k == c)
                            .map(|(_, t)| t.clone())
                            .unwrap_or_default(),
                    )
                })
                .collect(),
            done: t.data.tasks.iter().filter(|x| x.status == "done").count(),
            tasks: t.data.tasks,
            acceptance: t.data.acceptance,
        })
        .collect();
    let today = aims_app::today();
    render(&DetailPage {
        can_approve: chrome.can_approve,
        chrome,
        systems: names.links(&r.data.system_ids),
        sources: ref_views(&r.data.sources, &sources),
        objectives: ref_views(&r.data.objectives, &objectives),
        raised,
        latest,
        history,
        treatments,
        overdue: r.data.status != "closed"
            && !r.data.review_date.is_empty()
            && r.data.review_date < today,
        r,
    })
}

// ---------------------------------------------------------------------------------------------------------------
// Assessment fields (shared by the new-risk form and the re-assessment form)
// ---------------------------------------------------------------------------------------------------------------

/// The assessment part of a form: raw values and the options of every select.
pub struct AssessFields {
    /// Date.
    pub date: String,
    /// Assessor.
    pub assessor: String,
    /// Reasoning.
    pub note: String,
    /// Selects: (field suffix, legend, likelihood options, impact options).
    pub scores: Vec<ScoreSelect>,
    /// Dimension checkboxes.
    pub dimensions: Vec<Opt>,
    /// Scale descriptions for the help table.
    pub likelihood_help: Vec<(String, String)>,
    /// Scale descriptions for the help table.
    pub impact_help: Vec<(String, String)>,
    /// Whether the assessment may be left empty (the new-risk form).
    pub optional: bool,
}

/// One pair of score selects.
pub struct ScoreSelect {
    /// `inherent`, `current` or `residual`.
    pub key: &'static str,
    /// Legend.
    pub legend: &'static str,
    /// Hint.
    pub hint: &'static str,
    /// Likelihood options.
    pub likelihood: Vec<Opt>,
    /// Impact options.
    pub impact: Vec<Opt>,
}

const SCORES: [(&str, &str, &str); 3] = [
    ("inherent", "Inherent", "before any control"),
    ("current", "Current", "with the controls in place today"),
    (
        "residual",
        "Residual",
        "expected once the treatment is done",
    ),
];

impl AssessFields {
    fn new(
        m: &RiskMethod,
        values: &dyn Fn(&str) -> String,
        dims: &[String],
        optional: bool,
    ) -> AssessFields {
        AssessFields {
            date: values("date"),
            assessor: values("assessor"),
            note: values("note"),
            scores: SCORES
                .iter()
                .map(|(key, legend, hint)| ScoreSelect {
                    key,
                    legend,
                    hint,
                    likelihood: scale_options(
                        &m.likelihood,
                        &values(&format!("{key}.likelihood")),
                        optional,
                    ),
                    impact: scale_options(&m.impact, &values(&format!("{key}.impact")), optional),
                })
                .collect(),
            dimensions: Opt::many(
                m.impact_dimensions.iter().map(|d| (d.clone(), d.clone())),
                dims.iter().map(String::as_str),
            ),
            likelihood_help: m
                .likelihood
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("{} · {}", i + 1, p.label), p.description.clone()))
                .collect(),
            impact_help: m
                .impact
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("{} · {}", i + 1, p.label), p.description.clone()))
                .collect(),
            optional,
        }
    }

    fn from_form(m: &RiskMethod, f: &FormData, optional: bool) -> AssessFields {
        AssessFields::new(
            m,
            &|k| f.get(&format!("assessment.{k}")),
            &f.all("assessment.dimensions"),
            optional,
        )
    }

    fn from_assessment(
        m: &RiskMethod,
        a: Option<&RiskAssessment>,
        assessor: &str,
        optional: bool,
    ) -> AssessFields {
        let today = aims_app::today();
        AssessFields::new(
            m,
            &|k| match (k, a) {
                ("date", _) => today.clone(),
                ("assessor", _) => assessor.to_string(),
                ("note", _) => String::new(),
                (k, Some(a)) => {
                    let (which, part) = k.split_once('.').unwrap_or((k, ""));
                    let s = match which {
                        "inherent" => a.inherent,
                        "current" => a.current,
                        _ => a.residual,
                    };
                    if part == "likelihood" {
                        s.likelihood.to_string()
                    } else {
                        s.impact.to_string()
                    }
                }
                _ => String::new(),
            },
            &a.map(|a| a.dimensions.clone()).unwrap_or_default(),
            optional,
        )
    }
}

/// Reads the assessment part of a form. `None` when the part is optional and no score was chosen.
fn read_assessment(f: &FormData, optional: bool) -> Result<Option<RiskAssessment>, Errors> {
    let keys = ["likelihood", "impact"];
    let raw: Vec<(String, String)> = SCORES
        .iter()
        .flat_map(|(s, _, _)| keys.iter().map(move |k| format!("assessment.{s}.{k}")))
        .map(|name| {
            let v = f.text(&name);
            (name, v)
        })
        .collect();
    if optional && raw.iter().all(|(_, v)| v.is_empty()) {
        return Ok(None);
    }
    let mut errs = Errors::default();
    let mut n = |name: &str| -> i64 {
        let v = raw
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        match v.parse::<i64>() {
            Ok(x) => x,
            Err(_) => {
                errs.0.push((
                    name.to_string(),
                    if v.is_empty() {
                        "choose a point of the scale".to_string()
                    } else {
                        format!("'{v}' is not a point of the scale")
                    },
                ));
                0
            }
        }
    };
    let score = |which: &str, n: &mut dyn FnMut(&str) -> i64| Score {
        likelihood: n(&format!("assessment.{which}.likelihood")),
        impact: n(&format!("assessment.{which}.impact")),
    };
    let inherent = score("inherent", &mut n);
    let current = score("current", &mut n);
    let residual = score("residual", &mut n);
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(Some(RiskAssessment {
        date: f.text("assessment.date"),
        assessor: f.text("assessment.assessor"),
        method_version: 0,
        inherent,
        current,
        residual,
        levels: Default::default(),
        dimensions: f.all("assessment.dimensions"),
        note: f.get("assessment.note").trim().to_string(),
    }))
}

// ---------------------------------------------------------------------------------------------------------------
// Create and edit a risk
// ---------------------------------------------------------------------------------------------------------------

/// The register fields of the risk form.
#[derive(Default)]
pub struct RiskFields {
    /// Version when editing.
    pub version: Option<i64>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Owner.
    pub owner: String,
    /// Review date.
    pub review_date: String,
    /// Status.
    pub status: String,
    /// The organization's own sources, one per line.
    pub custom_sources: String,
    system_ids: Vec<String>,
    sources: Vec<String>,
    objectives: Vec<String>,
    raised_from: Vec<String>,
}

impl RiskFields {
    fn from_risk(r: &Risk, version: Option<i64>) -> RiskFields {
        RiskFields {
            version,
            title: r.title.clone(),
            description: r.description.clone(),
            owner: r.owner.clone(),
            review_date: r.review_date.clone(),
            status: r.status.clone(),
            custom_sources: r
                .sources
                .iter()
                .filter_map(|s| s.strip_prefix("custom:"))
                .map(str::trim)
                .collect::<Vec<_>>()
                .join("\n"),
            system_ids: r.system_ids.clone(),
            sources: r
                .sources
                .iter()
                .filter(|s| !s.starts_with("custom:"))
                .cloned()
                .collect(),
            objectives: r.objectives.clone(),
            raised_from: r.raised_from.clone(),
        }
    }

    fn from_form(f: &FormData) -> RiskFields {
        RiskFields {
            version: f.version(),
            title: f.get("title"),
            description: f.get("description"),
            owner: f.get("owner"),
            review_date: f.text("review_date"),
            status: f.text("status"),
            custom_sources: f.get("custom_sources"),
            system_ids: f.all("system_ids"),
            sources: f.all("sources"),
            objectives: f.all("objectives"),
            raised_from: vec![],
        }
    }

    fn to_risk(&self) -> Risk {
        let mut sources = self.sources.clone();
        sources.extend(
            crate::pages::form::lines(&self.custom_sources)
                .into_iter()
                .map(|s| format!("custom:{s}")),
        );
        Risk {
            title: self.title.trim().to_string(),
            description: self.description.trim().to_string(),
            system_ids: self.system_ids.clone(),
            sources,
            objectives: self.objectives.clone(),
            owner: self.owner.trim().to_string(),
            review_date: self.review_date.clone(),
            status: if self.status.is_empty() {
                "open".into()
            } else {
                self.status.clone()
            },
            raised_from: self.raised_from.clone(),
            assessments: vec![],
        }
    }
}

#[derive(Template)]
#[template(path = "risk_form.html")]
struct RiskFormPage {
    chrome: Chrome,
    heading: String,
    action: String,
    cancel: String,
    f: RiskFields,
    a: Option<AssessFields>,
    errors: Errors,
    statuses: Vec<Opt>,
    systems: Vec<Opt>,
    sources: Vec<Opt>,
    objectives: Vec<Opt>,
}

impl RiskFormPage {
    fn other_errors(&self) -> Vec<String> {
        self.errors.others(&[
            "title",
            "description",
            "owner",
            "review_date",
            "status",
            "system_ids",
            "sources",
            "objectives",
            "assessment",
        ])
    }
}

#[allow(clippy::too_many_arguments)]
async fn risk_form(
    state: &AppState,
    s: &aims_app::auth::Session,
    chrome: Chrome,
    heading: String,
    action: String,
    cancel: String,
    f: RiskFields,
    a: Option<AssessFields>,
    errors: Errors,
) -> Response {
    let actor = s.actor();
    let result = async {
        let systems = state
            .app
            .systems(
                &actor,
                &s.org_id,
                &SystemFilter {
                    limit: Some(1000),
                    ..SystemFilter::default()
                },
            )
            .await?;
        let sources = catalog_titles(state, "risk_source").await?;
        let objectives = catalog_titles(state, "annex_c_objective").await?;
        Ok::<_, AppError>((systems, sources, objectives))
    }
    .await;
    let (systems, sources, objectives) = match result {
        Ok(x) => x,
        Err(e) => return app_error(Some(chrome), e),
    };
    let invalid = !errors.is_empty();
    let page = RiskFormPage {
        statuses: Opt::vocab(
            &RiskStatus::ALL
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>(),
            if f.status.is_empty() {
                "open"
            } else {
                &f.status
            },
            None,
        ),
        systems: Opt::many(
            systems.into_iter().map(|x| {
                let label = if x.data.lifecycle_stage == "retired" {
                    format!("{} (retired)", x.data.name)
                } else {
                    x.data.name
                };
                (x.id, label)
            }),
            f.system_ids.iter().map(String::as_str),
        ),
        sources: Opt::many(
            sources
                .into_iter()
                .map(|(k, t)| (k.clone(), format!("{k} {t}"))),
            f.sources.iter().map(String::as_str),
        ),
        objectives: Opt::many(
            objectives
                .into_iter()
                .map(|(k, t)| (k.clone(), format!("{k} {t}"))),
            f.objectives.iter().map(String::as_str),
        ),
        chrome,
        heading,
        action,
        cancel,
        f,
        a,
        errors,
    };
    let mut res = render(&page);
    if invalid {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

/// GET /risks/new
pub async fn new_form(State(state): State<AppState>, Signed(s): Signed) -> Response {
    let chrome = Chrome::new(&state.app, &s, "risks").await;
    if !chrome.can_write {
        return forbidden(chrome, "record risks");
    }
    let method = match state.app.risk_method(&s.actor(), &s.org_id).await {
        Ok(m) => m,
        Err(e) => return app_error(Some(chrome), e),
    };
    let a = AssessFields::from_assessment(&method, None, &s.user.display_name, true);
    risk_form(
        &state,
        &s,
        chrome,
        "New risk".into(),
        "/risks".into(),
        "/risks".into(),
        RiskFields::default(),
        Some(a),
        Errors::default(),
    )
    .await
}

/// POST /risks
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let f = FormData(f);
    if let Some(r) = check_form(&headers, &s, &f.csrf()) {
        return r;
    }
    if let Some(r) = deny(&s, Permission::Write) {
        return r;
    }
    let chrome = Chrome::new(&state.app, &s, "risks").await;
    let actor = s.actor();
    let method = match state.app.risk_method(&actor, &s.org_id).await {
        Ok(m) => m,
        Err(e) => return app_error(Some(chrome), e),
    };
    let fields = RiskFields::from_form(&f);
    let mut risk = fields.to_risk();
    let errors = match read_assessment(&f, true) {
        Ok(a) => {
            risk.assessments = a.into_iter().collect();
            match state.app.create_risk(&actor, &s.org_id, risk).await {
                Ok(created) => {
                    return Redirect::to(&format!("/risks/{}", created.id)).into_response();
                }
                Err(AppError::Invalid(v)) => {
                    Errors::from_validation(v).rename("assessments[0]", "assessment")
                }
                Err(e) => return app_error(Some(chrome), e),
            }
        }
        Err(e) => e,
    };
    let a = AssessFields::from_form(&method, &f, true);
    risk_form(
        &state,
        &s,
        chrome,
        "New risk".into(),
        "/risks".into(),
        "/risks".into(),
        fields,
        Some(a),
        errors,
    )
    .await
}

/// GET /risks/{id}/edit
pub async fn edit_form(
    State(state): State<AppState>,
    Signed(s): Signed,
    Path(id): Path<String>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "risks").await;
    if !is_id(&id) {
        return not_found(chrome, "risk");
    }
    if !chrome.can_write {
        return forbidden(chrome, "change risks");
    }
    match state.app.risk(&s.actor(), &s.org_id, &id).await {
        Ok(r) => {
            let heading = format!("Edit {}", r.data.title);
            risk_form(
                &state,
                &s,
                chrome,
                heading,
                format!("/risks/{}", r.id),
                format!("/risks/{}", r.id),
                RiskFields::from_risk(&r.data, Some(r.version)),
                None,
                Errors::default(),
            )
            .await
        }
        Err(e) => app_error(Some(chrome), e),
    }
}

/// POST /risks/{id}
pub async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Signed(s): Signed,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let f = FormData(f);
    if let Some(r) = check_form(&headers, &s, &f.csrf()) {
        return r;
    }
    if let Some(r) = deny(&s, Permission::Write) {
        return r;
    }
    let chrome = Chrome::new(&state.app, &s, "risks").await;
    if !is_id(&id) {
        return not_found(chrome, "risk");
    }
    let actor = s.actor();
    let mut fields = RiskFields::from_form(&f);
    let current = match state.app.risk(&actor, &s.org_id, &id).await {
        Ok(r) => r,
        Err(e) => return app_error(Some(chrome), e),
    };
    fields.raised_from = current.data.raised_from.clone();
    let result = state
        .app
        .update_risk(&actor, &s.org_id, &id, fields.version, fields.to_risk())
        .await;
    match result {
        Ok(r) => Redirect::to(&format!("/risks/{}", r.id)).into_response(),
        Err(AppError::Invalid(v)) => {
            risk_form(
                &state,
                &s,
                chrome,
                format!("Edit {}", current.data.title),
                format!("/risks/{id}"),
                format!("/risks/{id}"),
                fields,
                None,
                Errors::from_validation(v),
            )
            .await
        }
        Err(e) => app_error(Some(chrome), e),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Re-assessment
// ---------------------------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "risk_assess.html")]
struct AssessPage {
    chrome: Chrome,
    r: Stored<Risk>,
    a: AssessFields,
    latest: Option<AssessmentRow>,
    errors: Errors,
}

impl AssessPage {
    fn other_errors(&self) -> Vec<String> {
        self.errors.others(&["assessment"])
    }
}

fn assess_page(
    chrome: Chrome,
    r: Stored<Risk>,
    method: &RiskMethod,
    a: AssessFields,
    errors: Errors,
) -> Response {
    let invalid = !errors.is_empty();
    let latest = r.data.latest().map(|x| assessment_row(method, x));
    let mut res = render(&AssessPage {
        chrome,
        r,
        a,
        latest,
        errors,
    });
    if invalid {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

/// GET /risks/{id}/assess
pub async fn assess_form(
    State(state): State<AppState>,
    Signed(s): Signed,
    Path(id): Path<String>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "risks").await;
    if !is_id(&id) {
        return not_found(chrome, "risk");
    }
    if !chrome.can_write {
        return forbidden(chrome, "assess risks");
    }
    let actor = s.actor();
    let result = async {
        let r = state.app.risk(&actor, &s.org_id, &id).await?;
        let m = state.app.risk_method(&actor, &s.org_id).await?;
        Ok::<_, AppError>((r, m))
    }
    .await;
    match result {
        Ok((r, m)) => {
            let a = AssessFields::from_assessment(&m, r.data.latest(), &s.user.display_name, false);
            assess_page(chrome, r, &m, a, Errors::default())
        }
        Err(e) => app_error(Some(chrome), e),
    }
}

/// POST /risks/{id}/assess
pub async fn assess(
    State(state): State<AppState>,
    headers: HeaderMap,
    Signed(s): Signed,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let f = FormData(f);
    if let Some(r) = check_form(&headers, &s, &f.csrf()) {
        return r;
    }
    if let Some(r) = deny(&s, Permission::Write) {
        return r;
    }
    let chrome = Chrome::new(&state.app, &s, "risks").await;
    if !is_id(&id) {
        return not_found(chrome, "risk");
    }
    let actor = s.actor();
    let errors = match read_assessment(&f, false) {
        Ok(Some(a)) => {
            match state
                .app
                .assess_risk(&actor, &s.org_id, &id, f.version(), a)
                .await
            {
                Ok(r) => {
                    return Redirect::to(&format!("/risks/{}#assessments", r.id)).into_response();
                }
                Err(AppError::Invalid(v)) => Errors::from_validation(v),
                Err(e) => return app_error(Some(chrome), e),
            }
        }
        Ok(None) => Errors::one("assessment", "choose the scores"),
        Err(e) => e,
    };
    let result = async {
        let r = state.app.risk(&actor, &s.org_id, &id).await?;
        let m = state.app.risk_method(&actor, &s.org_id).await?;
        Ok::<_, AppError>((r, m))
    }
    .await;
    match result {
        Ok((r, m)) => {
            let a = AssessFields::from_form(&m, &f, false);
            assess_page(chrome, r, &m, a, errors)
        }
        Err(e) => app_error(Some(chrome), e),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Treatment plans
// ---------------------------------------------------------------------------------------------------------------

/// One task row of the treatment form.
pub struct TaskRow {
    /// Row index.
    pub i: usize,
    /// Title.
    pub title: String,
    /// Owner.
    pub owner: String,
    /// Due date.
    pub due: String,
    /// Status options.
    pub statuses: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "treatment_form.html")]
struct TreatmentFormPage {
    chrome: Chrome,
    risk_id: String,
    risk_title: String,
    heading: String,
    action: String,
    version: Option<i64>,
    options: Vec<Opt>,
    statuses: Vec<Opt>,
    description: String,
    controls: Vec<Opt>,
    tasks: Vec<TaskRow>,
    task_statuses: Vec<Opt>,
    next_row: usize,
    errors: Errors,
}

impl TreatmentFormPage {
    fn other_errors(&self) -> Vec<String> {
        self.errors
            .others(&["option", "status", "description", "controls", "tasks"])
    }

    fn task_error(&self, i: &usize) -> String {
        self.errors.of(&format!("tasks[{i}]"))
    }
}

const BLANK_TASK_ROWS: usize = 2;

fn task_rows(tasks: &[TreatmentTask]) -> Vec<TaskRow> {
    let mut rows: Vec<TaskRow> = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| TaskRow {
            i,
            title: t.title.clone(),
            owner: t.owner.clone(),
            due: t.due.clone(),
            statuses: Opt::vocab(
                &TaskStatus::ALL
                    .iter()
                    .map(|x| x.as_str())
                    .collect::<Vec<_>>(),
                &t.status,
                None,
            ),
        })
        .collect();
    let n = rows.len();
    for i in n..n + BLANK_TASK_ROWS {
        rows.push(TaskRow {
            i,
            title: String::new(),
            owner: String::new(),
            due: String::new(),
            statuses: Opt::vocab(
                &TaskStatus::ALL
                    .iter()
                    .map(|x| x.as_str())
                    .collect::<Vec<_>>(),
                "open",
                None,
            ),
        });
    }
    rows
}

/// Reads the treatment form; blank task rows are dropped, and error paths keep the row index the form shows.
fn read_treatment(f: &FormData, risk_id: &str) -> (Treatment, Vec<usize>) {
    let mut tasks = vec![];
    let mut index = vec![];
    for i in f.rows("tasks") {
        let t = TreatmentTask {
            title: f.cell("tasks", i, "title").trim().to_string(),
            owner: f.cell("tasks", i, "owner").trim().to_string(),
            due: f.cell("tasks", i, "due").trim().to_string(),
            status: {
                let s = f.cell("tasks", i, "status");
                if s.is_empty() { "open".into() } else { s }
            },
        };
        if t.title.is_empty() && t.owner.is_empty() && t.due.is_empty() {
            continue;
        }
        tasks.push(t);
        index.push(i);
    }
    (
        Treatment {
            risk_id: risk_id.to_string(),
            option: f.text("option"),
            description: f.get("description").trim().to_string(),
            controls: f.all("controls"),
            tasks,
            status: f.text("status"),
            acceptance: None,
        },
        index,
    )
}

/// Maps `tasks[k]` of the submitted plan back to the row index of the form.
fn task_errors(v: aims_domain::ValidationError, index: &[usize]) -> Errors {
    let mut e = Errors::from_validation(v);
    for (f, _) in e.0.iter_mut() {
        if let Some(rest) = f.strip_prefix("tasks[")
            && let Some((k, tail)) = rest.split_once(']')
            && let Some(row) = k.parse::<usize>().ok().and_then(|k| index.get(k))
        {
            *f = format!("tasks[{row}]{tail}");
        }
    }
    e
}

#[allow(clippy::too_many_arguments)]
async fn treatment_form(
    state: &AppState,
    s: &aims_app::auth::Session,
    chrome: Chrome,
    risk: &Stored<Risk>,
    heading: String,
    action: String,
    t: &Treatment,
    version: Option<i64>,
    errors: Errors,
) -> Response {
    let controls = match control_titles(state, s).await {
        Ok(c) => c,
        Err(e) => return app_error(Some(chrome), e),
    };
    let invalid = !errors.is_empty();
    let tasks = task_rows(&t.tasks);
    let page = TreatmentFormPage {
        chrome,
        risk_id: risk.id.clone(),
        risk_title: risk.data.title.clone(),
        heading,
        action,
        version,
        options: Opt::vocab(
            &TreatmentOption::ALL
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>(),
            &t.option,
            None,
        ),
        statuses: Opt::vocab(
            &TreatmentStatus::ALL
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>(),
            &t.status,
            None,
        ),
        description: t.description.clone(),
        controls: {
            // The chosen controls first, so that they are in sight in the scrolling list.
            let mut v = Opt::many(
                controls
                    .into_iter()
                    .map(|(k, title)| (k.clone(), format!("{k} {title}"))),
                t.controls.iter().map(String::as_str),
            );
            v.sort_by_key(|o| !o.selected);
            v
        },
        next_row: tasks.len(),
        tasks,
        task_statuses: Opt::vocab(
            &TaskStatus::ALL
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>(),
            "open",
            None,
        ),
        errors,
    };
    let mut res = render(&page);
    if invalid {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

/// GET /risks/{id}/treatments/new
pub async fn new_treatment(
    State(state): State<AppState>,
    Signed(s): Signed,
    Path(id): Path<String>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "risks").await;
    if !is_id(&id) {
        return not_found(chrome, "risk");
    }
    if !chrome.can_write {
        return forbidden(chrome, "plan risk treatments");
    }
    let risk = match state.app.risk(&s.actor(), &s.org_id, &id).await {
        Ok(r) => r,
        Err(e) => return app_error(Some(chrome), e),
    };
    let t = Treatment {
        risk_id: risk.id.clone(),
        option: "modify".into(),
        description: String::new(),
        controls: vec![],
        tasks: vec![],
        status: "planned".into(),
        acceptance: None,
    };
    treatment_form(
        &state,
        &s,
        chrome,
        &risk,
        "New treatment plan".into(),
        format!("/risks/{}/treatments", risk.id),
        &t,
        None,
        Errors::default(),
    )
    .await
}

/// POST /risks/{id}/treatments
pub async fn create_treatment(
    State(state): State<AppState>,
    headers: HeaderMap,
    Signed(s): Signed,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let f = FormData(f);
    if let Some(r) = check_form(&headers, &s, &f.csrf()) {
        return r;
    }
    if let Some(r) = deny(&s, Permission::Write) {
        return r;
    }
    let chrome = Chrome::new(&state.app, &s, "risks").await;
    if !is_id(&id) {
        return not_found(chrome, "risk");
    }
    let actor = s.actor();
    let risk = match state.app.risk(&actor, &s.org_id, &id).await {
        Ok(r) => r,
        Err(e) => return app_error(Some(chrome), e),
    };
    let (t, index) = read_treatment(&f, &risk.id);
    match state
        .app
        .create_treatment(&actor, &s.org_id, t.clone())
        .await
    {
        Ok(_) => Redirect::to(&format!("/risks/{}#treatments", risk.id)).into_response(),
        Err(AppError::Invalid(v)) => {
            treatment_form(
                &state,
                &s,
                chrome,
                &risk,
                "New treatment plan".into(),
                format!("/risks/{}/treatments", risk.id),
                &t,
                None,
                task_errors(v, &index),
            )
            .await
        }
        Err(e) => app_error(Some(chrome), e),
    }
}

async fn risk_and_treatment(
    state: &AppState,
    s: &aims_app::auth::Session,
    rid: &str,
    tid: &str,
) -> Result<(Stored<Risk>, Stored<Treatment>), AppError> {
    let actor = s.actor();
    let risk = state.app.risk(&actor, &s.org_id, rid).await?;
    let t = state.app.treatment(&actor, &s.org_id, tid).await?;
    if t.data.risk_id != risk.id {
        return Err(AppError::NotFound(
            "this risk has no such treatment plan".into(),
        ));
    }
    Ok((risk, t))
}

/// GET /risks/{rid}/treatments/{tid}/edit
pub async fn edit_treatment(
    State(state): State<AppState>,
    Signed(s): Signed,
    Path((rid, tid)): Path<(String, String)>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "risks").await;
    if !is_id(&rid) || !is_id(&tid) {
        return not_found(chrome, "treatment plan");
    }
    if !chrome.can_write {
        return forbidden(chrome, "change treatment plans");
    }
    match risk_and_treatment(&state, &s, &rid, &tid).await {
        Ok((risk, t)) => {
            treatment_form(
                &state,
                &s,
                chrome,
                &risk,
                "Edit treatment plan".into(),
                format!("/risks/{}/treatments/{}", risk.id, t.id),
                &t.data,
                Some(t.version),
                Errors::default(),
            )
            .await
        }
        Err(e) => app_error(Some(chrome), e),
    }
}

/// POST /risks/{rid}/treatments/{tid}
pub async fn update_treatment(
    State(state): State<AppState>,
    headers: HeaderMap,
    Signed(s): Signed,
    Path((rid, tid)): Path<(String, String)>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let f = FormData(f);
    if let Some(r) = check_form(&headers, &s, &f.csrf()) {
        return r;
    }
    if let Some(r) = deny(&s, Permission::Write) {
        return r;
    }
    let chrome = Chrome::new(&state.app, &s, "risks").await;
    if !is_id(&rid) || !is_id(&tid) {
        return not_found(chrome, "treatment plan");
    }
    let (risk, current) = match risk_and_treatment(&state, &s, &rid, &tid).await {
        Ok(x) => x,
        Err(e) => return app_error(Some(chrome), e),
    };
    let (t, index) = read_treatment(&f, &risk.id);
    match state
        .app
        .update_treatment(&s.actor(), &s.org_id, &current.id, f.version(), t.clone())
        .await
    {
        Ok(_) => Redirect::to(&format!("/risks/{}#treatments", risk.id)).into_response(),
        Err(AppError::Invalid(v)) => {
            treatment_form(
                &state,
                &s,
                chrome,
                &risk,
                "Edit treatment plan".into(),
                format!("/risks/{}/treatments/{}", risk.id, current.id),
                &t,
                f.version(),
                task_errors(v, &index),
            )
            .await
        }
        Err(e) => app_error(Some(chrome), e),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Residual-risk acceptance
// ---------------------------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "treatment_accept.html")]
struct AcceptPage {
    chrome: Chrome,
    risk: Stored<Risk>,
    residual: Option<AssessmentRow>,
    t: Stored<Treatment>,
    by: String,
    role: String,
    date: String,
    rationale: String,
    errors: Errors,
}

impl AcceptPage {
    fn other_errors(&self) -> Vec<String> {
        self.errors.others(&["acceptance"])
    }
}

#[allow(clippy::too_many_arguments)]
async fn accept_page(
    state: &AppState,
    s: &aims_app::auth::Session,
    chrome: Chrome,
    risk: Stored<Risk>,
    t: Stored<Treatment>,
    values: [String; 4],
    errors: Errors,
) -> Response {
    let residual = match state.app.risk_method(&s.actor(), &s.org_id).await {
        Ok(m) => risk.data.latest().map(|a| assessment_row(&m, a)),
        Err(e) => return app_error(Some(chrome), e),
    };
    let invalid = !errors.is_empty();
    let [by, role, date, rationale] = values;
    let mut res = render(&AcceptPage {
        chrome,
        risk,
        residual,
        t,
        by,
        role,
        date,
        rationale,
        errors,
    });
    if invalid {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

/// GET /risks/{rid}/treatments/{tid}/accept
pub async fn accept_form(
    State(state): State<AppState>,
    Signed(s): Signed,
    Path((rid, tid)): Path<(String, String)>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "risks").await;
    if !is_id(&rid) || !is_id(&tid) {
        return not_found(chrome, "treatment plan");
    }
    if !chrome.can_approve {
        return forbidden(chrome, "accept residual risk");
    }
    match risk_and_treatment(&state, &s, &rid, &tid).await {
        Ok((risk, t)) => {
            let values = [
                s.user.display_name.clone(),
                String::new(),
                aims_app::today(),
                String::new(),
            ];
            accept_page(&state, &s, chrome, risk, t, values, Errors::default()).await
        }
        Err(e) => app_error(Some(chrome), e),
    }
}

/// POST /risks/{rid}/treatments/{tid}/accept
pub async fn accept(
    State(state): State<AppState>,
    headers: HeaderMap,
    Signed(s): Signed,
    Path((rid, tid)): Path<(String, String)>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let f = FormData(f);
    if let Some(r) = check_form(&headers, &s, &f.csrf()) {
        return r;
    }
    if let Some(r) = deny(&s, Permission::Write) {
        return r;
    }
    let chrome = Chrome::new(&state.app, &s, "risks").await;
    if !is_id(&rid) || !is_id(&tid) {
        return not_found(chrome, "treatment plan");
    }
    let (risk, t) = match risk_and_treatment(&state, &s, &rid, &tid).await {
        Ok(x) => x,
        Err(e) => return app_error(Some(chrome), e),
    };
    let acceptance = Acceptance {
        by: f.text("acceptance.by"),
        role: f.text("acceptance.role"),
        date: f.text("acceptance.date"),
        rationale: f.get("acceptance.rationale").trim().to_string(),
        recorded_by: String::new(),
    };
    match state
        .app
        .accept_treatment(
            &s.actor(),
            &s.org_id,
            &t.id,
            f.version(),
            acceptance.clone(),
        )
        .await
    {
        Ok(_) => Redirect::to(&format!("/risks/{}#treatments", risk.id)).into_response(),
        Err(AppError::Invalid(v)) => {
            let values = [
                acceptance.by,
                acceptance.role,
                acceptance.date,
                acceptance.rationale,
            ];
            accept_page(
                &state,
                &s,
                chrome,
                risk,
                t,
                values,
                Errors::from_validation(v),
            )
            .await
        }
        Err(e) => app_error(Some(chrome), e),
    }
}
