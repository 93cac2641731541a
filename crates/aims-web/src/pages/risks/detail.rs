//! One risk on its own page: its systems, sources, objectives, assessment history and treatment plans.

use crate::AppState;
use crate::auth::encode;
use crate::chrome::Chrome;
use crate::error::render;
use crate::filters;
use crate::pages::ctx::{Ctx, PageResult, ids};
use crate::pages::form::{Badge, SystemNames, words};
use aims_app::RecordId;
use aims_app::{AppError, Stored};
use aims_domain::impact::ImpactAssessment;
use aims_domain::risk::{Acceptance, Risk, RiskAssessment, RiskMethod, Score, TreatmentTask};
use askama::Template;
use axum::extract::Path;

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

/// One assessment as a row of the history table, scored with the method that scored it.
pub(super) fn assessment_row(m: &RiskMethod, a: &RiskAssessment) -> AssessmentRow {
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

/// References with titles of the ISO/IEC 42001 catalogue items of one kind.
pub(super) fn catalog_titles(kind: &str) -> Result<Vec<(String, String)>, AppError> {
    Ok(aims_app::catalogue::builtin()?
        .items("iso42001", &[kind])
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
pub(super) async fn control_titles(
    state: &AppState,
    s: &aims_app::auth::Session,
) -> Result<Vec<(String, String)>, AppError> {
    let mut all = catalog_titles("control")?;
    for c in state.app.controls(&s.actor(), &s.org_id).await? {
        if !all.iter().any(|(k, _)| *k == c.data.control) {
            all.push((c.data.control, c.data.title));
        }
    }
    Ok(all)
}

/// GET /risks/{id}
pub async fn show(ctx: Ctx, Path(id): Path<RecordId>) -> PageResult {
    ids(&[&id], "risk")?;
    let Ctx { state, s, chrome } = ctx;
    let actor = s.actor();
    let app = &state.app;
    let org = &s.org_id;
    let mut names = SystemNames::default();
    let r = app.get_record::<Risk>(&actor, org, &id).await?;
    let method = app.risk_method(&actor, org).await?;
    let treatments = app.treatments(&actor, org, Some(&r.id)).await?;
    names
        .load(app, &actor, org, r.data.system_ids.iter())
        .await?;
    let sources = catalog_titles("risk_source")?;
    let objectives = catalog_titles("annex_c_objective")?;
    let controls = control_titles(&state, &s).await?;
    let mut raised = vec![];
    for link in &r.data.raised_from {
        let (ia, idx) = link.split_once('#').unwrap_or((link.as_str(), ""));
        let label = match app
            .get_record::<ImpactAssessment>(&actor, org, &ia.into())
            .await
        {
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
            id: t.id.into(),
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
    Ok(render(&DetailPage {
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
    }))
}
