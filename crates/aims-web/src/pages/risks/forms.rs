//! The forms that record a new risk and edit a recorded one.

use super::assess_fields::{AssessFields, read_assessment};
use super::detail::catalog_titles;
use crate::AppState;
use crate::auth::{Signed, check_form};
use crate::chrome::Chrome;
use crate::error::{app_error, render};
use crate::pages::form::{Errors, FormData, Opt, deny, forbidden, is_id, not_found};
use aims_app::systems::SystemFilter;
use aims_app::{AppError, Permission};
use aims_domain::risk::Risk;
use aims_domain::vocab::RiskStatus;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

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
