//! Accepting the residual risk of a treated risk.

use super::detail::{AssessmentRow, assessment_row};
use super::treatments::risk_and_treatment;
use crate::AppState;
use crate::auth::{Signed, check_form};
use crate::chrome::Chrome;
use crate::error::{app_error, render};
use crate::pages::form::{Errors, FormData, deny, forbidden, is_id, not_found};
use aims_app::{AppError, Permission, Stored};
use aims_domain::risk::{Acceptance, Risk, Treatment};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

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
