//! AI system impact assessments in the browser (6.1.4, 8.4, A.5): the list, a guided form that walks through the
//! chosen template's sections with their help texts and then the template's own questions, affected parties and
//! impacts as repeated rows, the assessment with each impact's level and the register risk raised for harms above
//! the risk appetite, and approval.

use crate::AppState;
use crate::auth::{Signed, check_form, encode};
use crate::chrome::Chrome;
use crate::error::{app_error, render};
use crate::pages::form::{
    Badge, Errors, FormData, Opt, SystemNames, deny, forbidden, is_id, not_found, scale_label,
    scale_options, split_list, words,
};
use aims_app::systems::SystemFilter;
use aims_app::{AppError, Permission, Stored};
use aims_domain::impact::{AffectedParty, Impact, ImpactAssessment};
use aims_domain::risk::{Acceptance, RiskMethod};
use aims_domain::vocab::{
    AffectedKind, AssessmentStatus, ImpactArea, ImpactNature, ReassessmentTrigger, Reversibility,
};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::BTreeMap;

use aims_catalog::templates::ImpactTemplate;

fn vocab<T: Copy>(items: &[T], f: fn(T) -> &'static str) -> Vec<&'static str> {
    items.iter().map(|x| f(*x)).collect()
}

// ---------------------------------------------------------------------------------------------------------------
// List
// ---------------------------------------------------------------------------------------------------------------

/// Query of the list.
#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    system: String,
    #[serde(default)]
    status: String,
}

/// One line of the list.
pub struct ImpactRow {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// System (id, name).
    pub system: (String, String),
    /// Template name.
    pub template: String,
    /// Status.
    pub status: String,
    /// Harms recorded.
    pub harms: usize,
    /// Harms above the risk appetite.
    pub above: usize,
    /// Next review.
    pub next_review: String,
    /// Whether the review date has passed on an approved assessment.
    pub overdue: bool,
    /// Approval ("name, date").
    pub approved: String,
}

#[derive(Template)]
#[template(path = "impacts_list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<ImpactRow>,
    q: String,
    system: String,
    systems: Vec<Opt>,
    statuses: Vec<Opt>,
}

fn template_name(templates: &[ImpactTemplate], id: &str) -> String {
    templates
        .iter()
        .find(|t| t.id == id)
        .map_or_else(|| id.to_string(), |t| t.name.clone())
}

/// GET /impact-assessments
pub async fn list(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<ListQuery>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "impacts").await;
    let actor = s.actor();
    let app = &state.app;
    let org = &s.org_id;
    let system_ok = !q.system.is_empty() && is_id(&q.system);
    let mut names = SystemNames::default();
    let result = async {
        let list = app
            .impacts(&actor, org, system_ok.then_some(q.system.as_str()))
            .await?;
        let method = app.risk_method(&actor, org).await?;
        let systems = app
            .systems(
                &actor,
                org,
                &SystemFilter {
                    limit: Some(1000),
                    ..SystemFilter::default()
                },
            )
            .await?;
        let ids: Vec<String> = list.iter().map(|a| a.data.system_id.clone()).collect();
        names.load(app, &actor, org, ids.iter()).await?;
        Ok::<_, AppError>((list, method, systems))
    }
    .await;
    let (list, method, systems) = match result {
        Ok(x) => x,
        Err(e) => return app_error(Some(chrome), e),
    };
    let templates = aims_app::impact::templates().unwrap_or_default();
    let needle = q.q.trim().to_lowercase();
    let today = aims_app::today();
    let mut rows: Vec<ImpactRow> = list
        .into_iter()
        .filter(|a| q.status.is_empty() || a.data.status == q.status)
        .filter(|a| {
            needle.is_empty()
                || a.data.title.to_lowercase().contains(&needle)
                || names
                    .name(&a.data.system_id)
                    .to_lowercase()
                    .contains(&needle)
        })
        .map(|a| ImpactRow {
            system: (a.data.system_id.clone(), names.name(&a.data.system_id)),
            template: template_name(&templates, &a.data.template),
            harms: a.data.impacts.iter().filter(|m| m.is_harm()).count(),
            above: a.data.harms_above_appetite(&method).len(),
            overdue: a.data.status == "approved"
                && !a.data.next_review.is_empty()
                && a.data.next_review < today,
            approved: a
                .data
                .approval
                .as_ref()
                .map(|x| format!("{}, {}", x.by, x.date))
                .unwrap_or_default(),
            next_review: a.data.next_review,
            status: a.data.status,
            title: a.data.title,
            id: a.id,
        })
        .collect();
    rows.sort_by(|a, b| {
        a.system
            .1
            .to_lowercase()
            .cmp(&b.system.1.to_lowercase())
            .then(b.id.cmp(&a.id))
    });
    render(&ListPage {
        chrome,
        rows,
        systems: {
            let mut v = vec![Opt {
                value: String::new(),
                label: "All systems".into(),
                selected: q.system.is_empty(),
            }];
            v.extend(Opt::many(
                systems.into_iter().map(|x| (x.id, x.data.name)),
                [q.system.as_str()],
            ));
            v
        },
        statuses: Opt::vocab(
            &vocab(AssessmentStatus::ALL, AssessmentStatus::as_str),
            &q.status,
            Some("Any status"),
        ),
        q: q.q,
        system: q.system,
    })
}

// ---------------------------------------------------------------------------------------------------------------
// The guided form
// ---------------------------------------------------------------------------------------------------------------

/// One affected-party row.
pub struct AffectedRow {
    /// Row index (`__i__` in the row template).
    pub i: String,
    /// Name.
    pub name: String,
    /// Kind options.
    pub kinds: Vec<Opt>,
    /// Vulnerable group.
    pub vulnerable: bool,
    /// Note.
    pub note: String,
    /// Messages of the row.
    pub error: String,
}

/// One impact card.
pub struct ImpactRowForm {
    /// Row index (`__i__` in the row template).
    pub i: String,
    /// Row number shown (`__n__` in the row template).
    pub n: String,
    /// Area options.
    pub areas: Vec<Opt>,
    /// Benefit or harm.
    pub natures: Vec<Opt>,
    /// What happens.
    pub description: String,
    /// Affected party names, comma-separated.
    pub affected: String,
    /// Severity options (the method's impact scale).
    pub severity: Vec<Opt>,
    /// Likelihood options.
    pub likelihood: Vec<Opt>,
    /// Reversibility options.
    pub reversibility: Vec<Opt>,
    /// Measures.
    pub measures: String,
    /// Controls, comma-separated.
    pub controls: String,
    /// Linked risk, kept as it is.
    pub risk_id: String,
    /// Messages of the card.
    pub error: String,
}

/// One step of the guided form.
pub struct Step {
    /// Number shown.
    pub n: usize,
    /// Record field (`scope`, `affected`, `impacts` …).
    pub field: String,
    /// Title.
    pub title: String,
    /// Help text from the template.
    pub help: String,
    /// The text of a text step.
    pub value: String,
}

/// One template question.
pub struct QuestionField {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Help.
    pub help: String,
    /// Provision, with a link to the catalogue when it has the item.
    pub provision: String,
    /// Link to the provision.
    pub href: String,
    /// Answer.
    pub value: String,
}

#[derive(Template)]
#[template(path = "impact_form.html")]
struct FormPage {
    chrome: Chrome,
    heading: String,
    action: String,
    cancel: String,
    version: Option<i64>,
    system_id: String,
    system_name: String,
    template: ImpactTemplate,
    title: String,
    system_version: String,
    steps: Vec<Step>,
    hidden: Vec<(String, String)>,
    affected: Vec<AffectedRow>,
    impacts: Vec<ImpactRowForm>,
    blank_affected: Vec<AffectedRow>,
    blank_impact: Vec<ImpactRowForm>,
    next_affected: usize,
    next_impact: usize,
    questions: Vec<QuestionField>,
    triggers: Vec<Opt>,
    next_review: String,
    appetite: String,
    errors: Errors,
}

impl FormPage {
    fn other_errors(&self) -> Vec<String> {
        let mut shown: Vec<&str> = vec![
            "title",
            "system_version",
            "affected",
            "impacts",
            "answers",
            "triggers",
            "next_review",
        ];
        shown.extend(self.steps.iter().map(|s| s.field.as_str()));
        self.errors.others(&shown)
    }
}

const TEXT_FIELDS: &[&str] = &[
    "scope",
    "system_info",
    "data_info",
    "model_info",
    "deployment_context",
    "human_oversight",
];

fn text_of(a: &ImpactAssessment, field: &str) -> String {
    match field {
        "scope" => a.scope.clone(),
        "system_info" => a.system_info.clone(),
        "data_info" => a.data_info.clone(),
        "model_info" => a.model_info.clone(),
        "deployment_context" => a.deployment_context.clone(),
        "human_oversight" => a.human_oversight.clone(),
        _ => String::new(),
    }
}

fn set_text(a: &mut ImpactAssessment, field: &str, v: String) {
    match field {
        "scope" => a.scope = v,
        "system_info" => a.system_info = v,
        "data_info" => a.data_info = v,
        "model_info" => a.model_info = v,
        "deployment_context" => a.deployment_context = v,
        "human_oversight" => a.human_oversight = v,
        _ => {}
    }
}

fn affected_row(i: Option<usize>, p: Option<&AffectedParty>, error: String) -> AffectedRow {
    AffectedRow {
        i: i.map_or_else(|| "__i__".into(), |i| i.to_string()),
        name: p.map(|p| p.name.clone()).unwrap_or_default(),
        kinds: Opt::vocab(
            &vocab(AffectedKind::ALL, AffectedKind::as_str),
            p.map_or("individuals", |p| p.kind.as_str()),
            None,
        ),
        vulnerable: p.is_some_and(|p| p.vulnerable),
        note: p.map(|p| p.note.clone()).unwrap_or_default(),
        error,
    }
}

fn impact_row(
    i: Option<usize>,
    m: Option<&Impact>,
    method: &RiskMethod,
    error: String,
) -> ImpactRowForm {
    let n = |v: i64| if v > 0 { v.to_string() } else { String::new() };
    ImpactRowForm {
        i: i.map_or_else(|| "__i__".into(), |i| i.to_string()),
        n: i.map_or_else(|| "__n__".into(), |i| (i + 1).to_string()),
        areas: Opt::vocab(
            &vocab(ImpactArea::ALL, ImpactArea::as_str),
            m.map_or("fairness", |m| m.area.as_str()),
            None,
        ),
        natures: Opt::vocab(
            &vocab(ImpactNature::ALL, ImpactNature::as_str),
            m.map_or("harm", |m| m.nature.as_str()),
            None,
        ),
        description: m.map(|m| m.description.clone()).unwrap_or_default(),
        affected: m.map(|m| m.affected.join(", ")).unwrap_or_default(),
        severity: scale_options(
            &method.impact,
            &m.map(|m| n(m.severity)).unwrap_or_default(),
            true,
        ),
        likelihood: scale_options(
            &method.likelihood,
            &m.map(|m| n(m.likelihood)).unwrap_or_default(),
            true,
        ),
        reversibility: Opt::vocab(
            &vocab(Reversibility::ALL, Reversibility::as_str),
            m.map_or("reversible", |m| m.reversibility.as_str()),
            None,
        ),
        measures: m.map(|m| m.measures.clone()).unwrap_or_default(),
        controls: m.map(|m| m.controls.join(", ")).unwrap_or_default(),
        risk_id: m.map(|m| m.risk_id.clone()).unwrap_or_default(),
        error,
    }
}

/// Row indexes of the form for the submitted rows (`affected`, `impacts`), to put messages back on their rows.
#[derive(Default, Clone)]
struct RowIndex {
    affected: Vec<usize>,
    impacts: Vec<usize>,
}

fn remap(mut e: Errors, idx: &RowIndex) -> Errors {
    for (f, _) in e.0.iter_mut() {
        for (prefix, map) in [("affected[", &idx.affected), ("impacts[", &idx.impacts)] {
            if let Some(rest) = f.strip_prefix(prefix)
                && let Some((k, tail)) = rest.split_once(']')
                && let Some(row) = k.parse::<usize>().ok().and_then(|k| map.get(k))
            {
                *f = format!("{prefix}{row}]{tail}");
                break;
            }
        }
    }
    e
}

/// Reads the guided form into an assessment; blank rows are dropped. Scores that are not numbers become 0, which
/// the use case names as outside the scale.
fn read_form(f: &FormData, t: &ImpactTemplate) -> (ImpactAssessment, RowIndex) {
    let mut idx = RowIndex::default();
    let mut a = ImpactAssessment {
        system_id: f.text("system_id"),
        system_version: f.text("system_version"),
        template: t.id.clone(),
        title: f.text("title"),
        status: "draft".into(),
        scope: String::new(),
        system_info: String::new(),
        data_info: String::new(),
        model_info: String::new(),
        deployment_context: String::new(),
        affected: vec![],
        impacts: vec![],
        human_oversight: String::new(),
        answers: BTreeMap::new(),
        triggers: f.all("triggers"),
        next_review: f.text("next_review"),
        approval: None,
    };
    for field in TEXT_FIELDS {
        set_text(&mut a, field, f.get(field).trim().to_string());
    }
    for i in f.rows("affected") {
        let p = AffectedParty {
            name: f.cell("affected", i, "name").trim().to_string(),
            kind: f.cell("affected", i, "kind"),
            vulnerable: !f.cell("affected", i, "vulnerable").is_empty(),
            note: f.cell("affected", i, "note").trim().to_string(),
        };
        if p.name.is_empty() && p.note.is_empty() {
            continue;
        }
        a.affected.push(p);
        idx.affected.push(i);
    }
    for i in f.rows("impacts") {
        let c = |k: &str| f.cell("impacts", i, k).trim().to_string();
        let m = Impact {
            area: c("area"),
            nature: c("nature"),
            description: c("description"),
            affected: split_list(&c("affected")),
            severity: c("severity").parse().unwrap_or(0),
            likelihood: c("likelihood").parse().unwrap_or(0),
            reversibility: c("reversibility"),
            measures: c("measures"),
            controls: split_list(&c("controls")),
            risk_id: c("risk_id"),
        };
        if m.description.is_empty()
            && m.measures.is_empty()
            && m.affected.is_empty()
            && m.controls.is_empty()
            && c("severity").is_empty()
            && c("likelihood").is_empty()
        {
            continue;
        }
        a.impacts.push(m);
        idx.impacts.push(i);
    }
    for q in &t.questions {
        let v = f.get(&format!("answers.{}", q.id)).trim().to_string();
        if !v.is_empty() {
            a.answers.insert(q.id.clone(), v);
        }
    }
    (a, idx)
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    chrome: Chrome,
    heading: String,
    action: String,
    cancel: String,
    version: Option<i64>,
    system_name: String,
    t: ImpactTemplate,
    a: &ImpactAssessment,
    rows: Option<&RowIndex>,
    method: &RiskMethod,
    errors: Errors,
) -> Response {
    // Rows keep the index the form gave them, so messages land on the right row.
    let affected_idx: Vec<usize> =
        rows.map_or_else(|| (0..a.affected.len()).collect(), |r| r.affected.clone());
    let impact_idx: Vec<usize> =
        rows.map_or_else(|| (0..a.impacts.len()).collect(), |r| r.impacts.clone());
    let mut affected: Vec<AffectedRow> = a
        .affected
        .iter()
        .zip(&affected_idx)
        .map(|(p, i)| affected_row(Some(*i), Some(p), errors.of(&format!("affected[{i}]"))))
        .collect();
    let next_a = affected_idx.iter().max().map_or(0, |m| m + 1);
    affected.push(affected_row(Some(next_a), None, String::new()));
    let mut impacts: Vec<ImpactRowForm> = a
        .impacts
        .iter()
        .zip(&impact_idx)
        .map(|(m, i)| {
            impact_row(
                Some(*i),
                Some(m),
                method,
                errors.of(&format!("impacts[{i}]")),
            )
        })
        .collect();
    let next_i = impact_idx.iter().max().map_or(0, |m| m + 1);
    impacts.push(impact_row(Some(next_i), None, method, String::new()));
    let mut steps = vec![];
    let mut shown: Vec<&str> = vec![];
    // Step 1 is the title; the template's sections follow.
    for (n, sct) in (2..).zip(t.sections.iter()) {
        shown.push(sct.field.as_str());
        steps.push(Step {
            n,
            field: sct.field.clone(),
            title: sct.title.clone(),
            help: sct.help.clone(),
            value: text_of(a, &sct.field),
        });
    }
    let hidden = TEXT_FIELDS
        .iter()
        .filter(|f| !shown.contains(f))
        .map(|f| (f.to_string(), text_of(a, f)))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let questions = t
        .questions
        .iter()
        .map(|q| QuestionField {
            id: q.id.clone(),
            title: q.title.clone(),
            help: q.help.clone(),
            href: if q.provision.is_empty() {
                String::new()
            } else {
                format!("/catalog/eu-ai-act/item?ref={}", encode(&q.provision))
            },
            provision: q.provision.clone(),
            value: a.answers.get(&q.id).cloned().unwrap_or_default(),
        })
        .collect();
    let invalid = !errors.is_empty();
    let page = FormPage {
        chrome,
        heading,
        action,
        cancel,
        version,
        system_id: a.system_id.clone(),
        system_name,
        title: a.title.clone(),
        system_version: a.system_version.clone(),
        steps,
        hidden,
        blank_affected: vec![affected_row(None, None, String::new())],
        blank_impact: vec![impact_row(None, None, method, String::new())],
        next_affected: next_a + 1,
        next_impact: next_i + 1,
        affected,
        impacts,
        questions,
        triggers: Opt::many(
            vocab(ReassessmentTrigger::ALL, ReassessmentTrigger::as_str)
                .into_iter()
                .map(|x| (x.to_string(), words(x))),
            a.triggers.iter().map(String::as_str),
        ),
        next_review: a.next_review.clone(),
        appetite: method
            .levels
            .iter()
            .find(|l| l.id == method.appetite)
            .map_or_else(|| method.appetite.clone(), |l| l.label.clone()),
        template: t,
        errors,
    };
    let mut res = render(&page);
    if invalid {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

/// Query of the new-assessment page.
#[derive(Debug, Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    system: String,
    #[serde(default)]
    template: String,
}

#[derive(Template)]
#[template(path = "impact_start.html")]
struct StartPage {
    chrome: Chrome,
    systems: Vec<Opt>,
    templates: Vec<(ImpactTemplate, bool)>,
    error: String,
}

/// GET /impact-assessments/new — the choice of system and template, then the guided form.
pub async fn new_form(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<NewQuery>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "impacts").await;
    if !chrome.can_write {
        return forbidden(chrome, "start impact assessments");
    }
    let actor = s.actor();
    let templates = match aims_app::impact::templates() {
        Ok(t) => t,
        Err(e) => return app_error(Some(chrome), e),
    };
    let template = templates.iter().find(|t| t.id == q.template).cloned();
    let mut error = String::new();
    if !q.system.is_empty() && template.is_some() {
        let system = if is_id(&q.system) {
            state.app.system(&actor, &s.org_id, &q.system).await
        } else {
            Err(AppError::NotFound(String::new()))
        };
        match system {
            Ok(sys) => {
                let method = match state.app.risk_method(&actor, &s.org_id).await {
                    Ok(m) => m,
                    Err(e) => return app_error(Some(chrome), e),
                };
                let t = template.unwrap_or_else(|| templates[0].clone());
                let a = ImpactAssessment {
                    system_id: sys.id.clone(),
                    system_version: String::new(),
                    template: t.id.clone(),
                    title: format!("{}: {}", sys.data.name, t.name),
                    status: "draft".into(),
                    scope: String::new(),
                    system_info: [sys.data.purpose.as_str(), sys.data.intended_use.as_str()]
                        .iter()
                        .filter(|x| !x.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join("\n\n"),
                    data_info: String::new(),
                    model_info: String::new(),
                    deployment_context: String::new(),
                    affected: sys
                        .data
                        .affected_parties
                        .iter()
                        .map(|p| AffectedParty {
                            name: p.clone(),
                            kind: "group".into(),
                            vulnerable: false,
                            note: String::new(),
                        })
                        .collect(),
                    impacts: vec![],
                    human_oversight: sys.data.oversight_notes.clone(),
                    answers: BTreeMap::new(),
                    triggers: vec![],
                    next_review: String::new(),
                    approval: None,
                };
                return form_page(
                    chrome,
                    format!("New impact assessment: {}", sys.data.name),
                    "/impact-assessments".into(),
                    "/impact-assessments".into(),
                    None,
                    sys.data.name,
                    t,
                    &a,
                    None,
                    &method,
                    Errors::default(),
                );
            }
            Err(AppError::NotFound(_)) => {
                error = "Choose an AI system of the inventory.".into();
            }
            Err(e) => return app_error(Some(chrome), e),
        }
    }
    let systems = match state
        .app
        .systems(
            &actor,
            &s.org_id,
            &SystemFilter {
                limit: Some(1000),
                ..SystemFilter::default()
            },
        )
        .await
    {
        Ok(v) => v,
        Err(e) => return app_error(Some(chrome), e),
    };
    let chosen = if q.template.is_empty() {
        "default"
    } else {
        q.template.as_str()
    };
    render(&StartPage {
        chrome,
        systems: Opt::many(
            systems.into_iter().map(|x| {
                let label = format!("{} ({})", x.data.name, x.data.lifecycle_stage);
                (x.id, label)
            }),
            [q.system.as_str()],
        ),
        templates: templates
            .into_iter()
            .map(|t| {
                let sel = t.id == chosen;
                (t, sel)
            })
            .collect(),
        error,
    })
}

fn find_template(id: &str) -> Result<ImpactTemplate, AppError> {
    let all = aims_app::impact::templates()?;
    all.into_iter().find(|t| t.id == id).ok_or_else(|| {
        aims_domain::ValidationError::one("template", format!("unknown template '{id}'")).into()
    })
}

async fn system_name(state: &AppState, s: &aims_app::auth::Session, id: &str) -> String {
    let mut names = SystemNames::default();
    let ids = [id.to_string()];
    let _ = names
        .load(&state.app, &s.actor(), &s.org_id, ids.iter())
        .await;
    names.name(id)
}

/// POST /impact-assessments
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
    let chrome = Chrome::new(&state.app, &s, "impacts").await;
    let actor = s.actor();
    let t = match find_template(&f.text("template")) {
        Ok(t) => t,
        Err(e) => return app_error(Some(chrome), e),
    };
    let method = match state.app.risk_method(&actor, &s.org_id).await {
        Ok(m) => m,
        Err(e) => return app_error(Some(chrome), e),
    };
    let (a, idx) = read_form(&f, &t);
    match state.app.create_impact(&actor, &s.org_id, a.clone()).await {
        Ok(created) => Redirect::to(&format!("/impact-assessments/{}", created.id)).into_response(),
        Err(AppError::Invalid(v)) => {
            let name = system_name(&state, &s, &a.system_id).await;
            form_page(
                chrome,
                format!("New impact assessment: {name}"),
                "/impact-assessments".into(),
                "/impact-assessments".into(),
                None,
                name,
                t,
                &a,
                Some(&idx),
                &method,
                remap(Errors::from_validation(v), &idx),
            )
        }
        Err(e) => app_error(Some(chrome), e),
    }
}

/// GET /impact-assessments/{id}/edit
pub async fn edit_form(
    State(state): State<AppState>,
    Signed(s): Signed,
    Path(id): Path<String>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "impacts").await;
    if !is_id(&id) {
        return not_found(chrome, "impact assessment");
    }
    if !chrome.can_write {
        return forbidden(chrome, "change impact assessments");
    }
    let actor = s.actor();
    let result = async {
        let a = state.app.impact(&actor, &s.org_id, &id).await?;
        let m = state.app.risk_method(&actor, &s.org_id).await?;
        let t = find_template(&a.data.template)?;
        Ok::<_, AppError>((a, m, t))
    }
    .await;
    let (a, method, t) = match result {
        Ok(x) => x,
        Err(e) => return app_error(Some(chrome), e),
    };
    if a.data.status != "draft" {
        return crate::error::page(
            StatusCode::CONFLICT,
            Some(chrome),
            "Not a draft",
            &format!(
                "This assessment is {}; it is kept as it was. Start a new assessment instead.",
                a.data.status
            ),
        );
    }
    let name = system_name(&state, &s, &a.data.system_id).await;
    form_page(
        chrome,
        format!("Edit {}", a.data.title),
        format!("/impact-assessments/{}", a.id),
        format!("/impact-assessments/{}", a.id),
        Some(a.version),
        name,
        t,
        &a.data,
        None,
        &method,
        Errors::default(),
    )
}

/// POST /impact-assessments/{id}
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
    let chrome = Chrome::new(&state.app, &s, "impacts").await;
    if !is_id(&id) {
        return not_found(chrome, "impact assessment");
    }
    let actor = s.actor();
    let result = async {
        let current = state.app.impact(&actor, &s.org_id, &id).await?;
        let m = state.app.risk_method(&actor, &s.org_id).await?;
        let t = find_template(&current.data.template)?;
        Ok::<_, AppError>((current, m, t))
    }
    .await;
    let (current, method, t) = match result {
        Ok(x) => x,
        Err(e) => return app_error(Some(chrome), e),
    };
    let (mut a, idx) = read_form(&f, &t);
    a.system_id = current.data.system_id.clone();
    match state
        .app
        .update_impact(&actor, &s.org_id, &id, f.version(), a.clone())
        .await
    {
        Ok(saved) => Redirect::to(&format!("/impact-assessments/{}", saved.id)).into_response(),
        Err(AppError::Invalid(v)) => {
            let name = system_name(&state, &s, &a.system_id).await;
            form_page(
                chrome,
                format!("Edit {}", current.data.title),
                format!("/impact-assessments/{id}"),
                format!("/impact-assessments/{id}"),
                f.version(),
                name,
                t,
                &a,
                Some(&idx),
                &method,
                remap(Errors::from_validation(v), &idx),
            )
        }
        Err(e) => app_error(Some(chrome), e),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Detail and approval
// ---------------------------------------------------------------------------------------------------------------

/// One impact as shown on the assessment.
pub struct ImpactView {
    /// Index (anchor `impact-{i}`).
    pub i: usize,
    /// Area.
    pub area: String,
    /// Benefit or harm.
    pub nature: String,
    /// What happens.
    pub description: String,
    /// Affected parties.
    pub affected: String,
    /// Severity label.
    pub severity: String,
    /// Likelihood label.
    pub likelihood: String,
    /// Level.
    pub level: Option<Badge>,
    /// Whether a harm above the appetite.
    pub above: bool,
    /// Reversibility.
    pub reversibility: String,
    /// Measures.
    pub measures: String,
    /// Controls.
    pub controls: Vec<String>,
    /// Linked risk (id, title).
    pub risk: Option<(String, String)>,
}

/// A text section as shown.
pub struct SectionView {
    /// Title.
    pub title: String,
    /// Text.
    pub text: String,
}

#[derive(Template)]
#[template(path = "impact_detail.html")]
struct DetailPage {
    chrome: Chrome,
    a: Stored<ImpactAssessment>,
    system_name: String,
    template: ImpactTemplate,
    sections: Vec<SectionView>,
    impacts: Vec<ImpactView>,
    answers: Vec<QuestionField>,
    above: usize,
    appetite: String,
    by: String,
    role: String,
    date: String,
    rationale: String,
    errors: Errors,
}

impl DetailPage {
    fn other_errors(&self) -> Vec<String> {
        self.errors.others(&["approval"])
    }
}

async fn detail(
    state: &AppState,
    s: &aims_app::auth::Session,
    chrome: Chrome,
    id: &str,
    values: [String; 4],
    errors: Errors,
) -> Response {
    let actor = s.actor();
    let app = &state.app;
    let result = async {
        let a = app.impact(&actor, &s.org_id, id).await?;
        let method = app.risk_method(&actor, &s.org_id).await?;
        let t = find_template(&a.data.template)?;
        let mut risks = vec![];
        for m in &a.data.impacts {
            if m.risk_id.is_empty() {
                risks.push(None);
            } else {
                let title = match app.risk(&actor, &s.org_id, &m.risk_id).await {
                    Ok(r) => r.data.title,
                    Err(AppError::NotFound(_)) => m.risk_id.clone(),
                    Err(e) => return Err(e),
                };
                risks.push(Some((m.risk_id.clone(), title)));
            }
        }
        Ok::<_, AppError>((a, method, t, risks))
    }
    .await;
    let (a, method, t, risks) = match result {
        Ok(x) => x,
        Err(e) => return app_error(Some(chrome), e),
    };
    let name = system_name(state, s, &a.data.system_id).await;
    let mut sections: Vec<SectionView> = t
        .sections
        .iter()
        .filter(|x| TEXT_FIELDS.contains(&x.field.as_str()))
        .map(|x| SectionView {
            title: x.title.clone(),
            text: text_of(&a.data, &x.field),
        })
        .collect();
    for f in TEXT_FIELDS {
        if !t.sections.iter().any(|x| x.field == *f) && !text_of(&a.data, f).is_empty() {
            sections.push(SectionView {
                title: words(f),
                text: text_of(&a.data, f),
            });
        }
    }
    let impacts = a
        .data
        .impacts
        .iter()
        .zip(risks)
        .enumerate()
        .map(|(i, (m, risk))| {
            let level = method
                .level_of(&m.score())
                .and_then(|l| Badge::of(&method, &l.id));
            ImpactView {
                i,
                area: words(&m.area),
                nature: m.nature.clone(),
                description: m.description.clone(),
                affected: m.affected.join(", "),
                severity: scale_label(&method.impact, m.severity),
                likelihood: scale_label(&method.likelihood, m.likelihood),
                above: m.is_harm() && method.exceeds_appetite(&m.score()),
                level,
                reversibility: words(&m.reversibility),
                measures: m.measures.clone(),
                controls: m.controls.clone(),
                risk,
            }
        })
        .collect();
    let answers = t
        .questions
        .iter()
        .map(|q| QuestionField {
            id: q.id.clone(),
            title: q.title.clone(),
            help: q.help.clone(),
            href: if q.provision.is_empty() {
                String::new()
            } else {
                format!("/catalog/eu-ai-act/item?ref={}", encode(&q.provision))
            },
            provision: q.provision.clone(),
            value: a.data.answers.get(&q.id).cloned().unwrap_or_default(),
        })
        .collect();
    let invalid = !errors.is_empty();
    let [by, role, date, rationale] = values;
    let mut res = render(&DetailPage {
        chrome,
        above: a.data.harms_above_appetite(&method).len(),
        appetite: method
            .levels
            .iter()
            .find(|l| l.id == method.appetite)
            .map_or_else(|| method.appetite.clone(), |l| l.label.clone()),
        a,
        system_name: name,
        template: t,
        sections,
        impacts,
        answers,
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

/// GET /impact-assessments/{id}
pub async fn show(
    State(state): State<AppState>,
    Signed(s): Signed,
    Path(id): Path<String>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "impacts").await;
    if !is_id(&id) {
        return not_found(chrome, "impact assessment");
    }
    let values = [
        s.user.display_name.clone(),
        String::new(),
        aims_app::today(),
        String::new(),
    ];
    detail(&state, &s, chrome, &id, values, Errors::default()).await
}

/// POST /impact-assessments/{id}/approve
pub async fn approve(
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
    if let Some(r) = deny(&s, Permission::Approve) {
        return r;
    }
    let chrome = Chrome::new(&state.app, &s, "impacts").await;
    if !is_id(&id) {
        return not_found(chrome, "impact assessment");
    }
    let approval = Acceptance {
        by: f.text("approval.by"),
        role: f.text("approval.role"),
        date: f.text("approval.date"),
        rationale: f.get("approval.rationale").trim().to_string(),
        recorded_by: String::new(),
    };
    match state
        .app
        .approve_impact(&s.actor(), &s.org_id, &id, f.version(), approval.clone())
        .await
    {
        Ok(a) => Redirect::to(&format!("/impact-assessments/{}", a.id)).into_response(),
        Err(AppError::Invalid(v)) => {
            let values = [
                approval.by,
                approval.role,
                approval.date,
                approval.rationale,
            ];
            detail(&state, &s, chrome, &id, values, Errors::from_validation(v)).await
        }
        Err(e) => app_error(Some(chrome), e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_rows_are_dropped_and_messages_return_to_their_rows() {
        let t = find_template("default").unwrap();
        let f = FormData(vec![
            ("system_id".into(), "x".into()),
            ("title".into(), "T".into()),
            ("affected[0].name".into(), "".into()),
            ("affected[0].kind".into(), "group".into()),
            ("affected[3].name".into(), "applicants".into()),
            ("affected[3].kind".into(), "group".into()),
            ("affected[3].vulnerable".into(), "on".into()),
            ("impacts[0].area".into(), "fairness".into()),
            ("impacts[0].severity".into(), "".into()),
            ("impacts[2].area".into(), "privacy".into()),
            ("impacts[2].description".into(), "leak".into()),
            ("impacts[2].severity".into(), "4".into()),
            ("impacts[2].likelihood".into(), "3".into()),
            ("impacts[2].controls".into(), "A.7.2, A.6.2.4".into()),
            ("answers.decision".into(), " go ".into()),
        ]);
        let (a, idx) = read_form(&f, &t);
        assert_eq!(a.affected.len(), 1);
        assert!(a.affected[0].vulnerable);
        assert_eq!(a.impacts.len(), 1);
        assert_eq!(a.impacts[0].controls, ["A.7.2", "A.6.2.4"]);
        assert_eq!(a.answers["decision"], "go");
        let e = remap(
            Errors(vec![("impacts[0].severity".into(), "bad".into())]),
            &idx,
        );
        assert_eq!(e.of("impacts[2]"), "bad");
    }
}
