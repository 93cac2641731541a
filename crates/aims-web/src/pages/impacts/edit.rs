//! The handlers that start, create, edit and update an impact assessment.

use super::form::{Head, form_page};
use super::read::read_form;
use crate::AppState;
use crate::chrome::Chrome;
use crate::error::{PageError, render};
use crate::pages::ctx::{Ctx, PageResult, ids, writable};
use crate::pages::form::{FormData, Opt, SystemNames, checked, go, is_id};
use aims_app::AppError;
use aims_app::RecordId;
use aims_app::systems::SystemFilter;
use aims_catalog::templates::ImpactTemplate;
use aims_domain::impact::{AffectedParty, ImpactAssessment};
use aims_domain::inventory::AiSystem;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use serde::Deserialize;
use std::collections::BTreeMap;

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
pub async fn new_form(ctx: Ctx, Query(q): Query<NewQuery>) -> PageResult {
    writable(&ctx.chrome, "start impact assessments")?;
    let Ctx { state, s, chrome } = ctx;
    let actor = s.actor();
    let templates = aims_app::impact::templates()?;
    let template = templates.iter().find(|t| t.id == q.template).cloned();
    let mut error = String::new();
    if !q.system.is_empty() && template.is_some() {
        let system = if is_id(&q.system) {
            state
                .app
                .get_record::<AiSystem>(&actor, &s.org_id, &q.system.as_str().into())
                .await
        } else {
            Err(AppError::NotFound(String::new()))
        };
        match system {
            Ok(sys) => {
                let method = state.app.risk_method(&actor, &s.org_id).await?;
                let t = template.unwrap_or_else(|| templates[0].clone());
                let a = ImpactAssessment {
                    system_id: sys.id.to_string(),
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
                let head = Head::new_assessment(sys.data.name);
                return form_page(chrome, head, t, &a, &method, None);
            }
            Err(AppError::NotFound(_)) => {
                error = "Choose an AI system of the inventory.".into();
            }
            Err(e) => return Err(e.into()),
        }
    }
    let filter = SystemFilter {
        limit: Some(1000),
        ..SystemFilter::default()
    };
    let systems = state.app.systems(&actor, &s.org_id, &filter).await?;
    let chosen = if q.template.is_empty() {
        "default"
    } else {
        q.template.as_str()
    };
    Ok(render(&StartPage {
        chrome,
        systems: Opt::many(
            systems.into_iter().map(|x| {
                let label = format!("{} ({})", x.data.name, x.data.lifecycle_stage);
                (x.id.into(), label)
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
    }))
}

/// The impact-assessment template with this id, or a validation error naming the unknown id.
pub(super) fn find_template(id: &str) -> Result<ImpactTemplate, AppError> {
    let all = aims_app::impact::templates()?;
    all.into_iter().find(|t| t.id == id).ok_or_else(|| {
        aims_domain::ValidationError::one("template", format!("unknown template '{id}'")).into()
    })
}

/// The display name of a system, for headings (falls back to the id when it cannot be loaded).
pub(super) async fn system_name(state: &AppState, s: &aims_app::auth::Session, id: &str) -> String {
    let mut names = SystemNames::default();
    let ids = [id.to_string()];
    let _ = names
        .load(&state.app, &s.actor(), &s.org_id, ids.iter())
        .await;
    names.name(id)
}

/// POST /impact-assessments
pub async fn create(ctx: Ctx, f: FormData) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let actor = s.actor();
    let t = find_template(&f.text("template"))?;
    let method = state.app.risk_method(&actor, &s.org_id).await?;
    let (a, idx) = read_form(&f, &t);
    match checked(state.app.create_record(&actor, &s.org_id, a.clone()).await)? {
        Ok(created) => go(&format!("/impact-assessments/{}", created.id)),
        Err(errors) => {
            let head = Head::new_assessment(system_name(&state, &s, &a.system_id).await);
            form_page(chrome, head, t, &a, &method, Some((&idx, errors)))
        }
    }
}

/// GET /impact-assessments/{id}/edit
pub async fn edit_form(ctx: Ctx, Path(id): Path<RecordId>) -> PageResult {
    ids(&[&id], "impact assessment")?;
    writable(&ctx.chrome, "change impact assessments")?;
    let Ctx { state, s, chrome } = ctx;
    let actor = s.actor();
    let a = state
        .app
        .get_record::<ImpactAssessment>(&actor, &s.org_id, &id)
        .await?;
    let method = state.app.risk_method(&actor, &s.org_id).await?;
    let t = find_template(&a.data.template)?;
    if a.data.status != "draft" {
        return Err(PageError::page(
            StatusCode::CONFLICT,
            "Not a draft",
            format!(
                "This assessment is {}; it is kept as it was. Start a new assessment instead.",
                a.data.status
            ),
        ));
    }
    let name = system_name(&state, &s, &a.data.system_id).await;
    let head = Head::edit(&a.data.title, &a.id, Some(a.version), name);
    form_page(chrome, head, t, &a.data, &method, None)
}

/// POST /impact-assessments/{id}
pub async fn update(ctx: Ctx, Path(id): Path<RecordId>, f: FormData) -> PageResult {
    ids(&[&id], "impact assessment")?;
    let Ctx { state, s, chrome } = ctx;
    let actor = s.actor();
    let current = state
        .app
        .get_record::<ImpactAssessment>(&actor, &s.org_id, &id)
        .await?;
    let method = state.app.risk_method(&actor, &s.org_id).await?;
    let t = find_template(&current.data.template)?;
    let (mut a, idx) = read_form(&f, &t);
    a.system_id = current.data.system_id.clone();
    let saved = state
        .app
        .update_record(&actor, &s.org_id, &id, f.version(), a.clone())
        .await;
    match checked(saved)? {
        Ok(saved) => go(&format!("/impact-assessments/{}", saved.id)),
        Err(errors) => {
            let name = system_name(&state, &s, &a.system_id).await;
            let head = Head::edit(&current.data.title, &id, f.version(), name);
            form_page(chrome, head, t, &a, &method, Some((&idx, errors)))
        }
    }
}
