//! The handler that saves the submitted method as a new numbered version.

use super::form::{FormContext, form_page};
use super::parse::{read_method, regrid_errors};
use crate::AppState;
use crate::auth::{Signed, check_form};
use crate::chrome::Chrome;
use crate::error::app_error;
use crate::pages::form::{Errors, FormData, deny};
use aims_app::{AppError, Permission};
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};

/// POST /risks/method
pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let f = FormData(f);
    if let Some(r) = check_form(&headers, &s, &f.csrf()) {
        return r;
    }
    if let Some(r) = deny(&s, Permission::Approve) {
        return r;
    }
    let chrome = Chrome::new(&state.app, &s, "risks").await;
    let actor = s.actor();
    let result = async {
        let current = state.app.risk_method(&actor, &s.org_id).await?;
        let versions = state.app.risk_methods(&actor, &s.org_id).await?;
        Ok::<_, AppError>((current, versions))
    }
    .await;
    let (current, versions) = match result {
        Ok(x) => x,
        Err(e) => return app_error(Some(chrome), e),
    };
    if let Ok(n) = f.text("based_on").parse::<i64>()
        && n != current.number
    {
        return app_error(
            Some(chrome),
            AppError::Conflict(format!(
                "Version {} of the risk method was saved after this form was opened from version {n}. Open the \
                 form again to start from the version in force.",
                current.number
            )),
        );
    }
    let ctx = FormContext {
        from: f.text("from").parse().unwrap_or(current.number),
        based_on: current.number,
        next: versions.first().map_or(0, |v| v.data.number).max(1) + 1,
    };
    let sub = read_method(&f);
    if sub.reshaped || !sub.new_levels.is_empty() {
        let errors = regrid_errors(&sub);
        return form_page(chrome, ctx, &sub.method, errors);
    }
    match state
        .app
        .save_risk_method(&actor, &s.org_id, sub.method.clone())
        .await
    {
        Ok(saved) => {
            Redirect::to(&format!("/risks/method?version={}", saved.data.number)).into_response()
        }
        Err(AppError::Invalid(v)) => {
            form_page(chrome, ctx, &sub.method, Errors::from_validation(v))
        }
        Err(e) => app_error(Some(chrome), e),
    }
}
