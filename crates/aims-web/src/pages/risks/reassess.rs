//! Re-assessing a recorded risk: the form and the handler that records the new assessment.

use super::assess_fields::{AssessFields, read_assessment};
use super::detail::{AssessmentRow, assessment_row};
use crate::AppState;
use crate::auth::{Signed, check_form};
use crate::chrome::Chrome;
use crate::error::{app_error, render};
use crate::pages::form::{Errors, FormData, deny, forbidden, is_id, not_found};
use aims_app::{AppError, Permission, Stored};
use aims_domain::risk::{Risk, RiskMethod};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

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
