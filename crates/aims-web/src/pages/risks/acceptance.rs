//! Accepting the residual risk of a treated risk.

use super::detail::{AssessmentRow, assessment_row};
use super::treatments::risk_and_treatment;
use crate::chrome::Chrome;
use crate::error::{PageError, render};
use crate::pages::ctx::{Ctx, PageResult, ids};
use crate::pages::form::{Errors, FormData};
use aims_app::{AppError, Stored};
use aims_domain::risk::{Acceptance, Risk, Treatment};
use askama::Template;
use axum::Form;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};

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

async fn accept_page(
    ctx: Ctx,
    risk: Stored<Risk>,
    t: Stored<Treatment>,
    values: [String; 4],
    errors: Errors,
) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let m = state.app.risk_method(&s.actor(), &s.org_id).await?;
    let residual = risk.data.latest().map(|a| assessment_row(&m, a));
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
    Ok(res)
}

/// GET /risks/{rid}/treatments/{tid}/accept
pub async fn accept_form(ctx: Ctx, Path((rid, tid)): Path<(String, String)>) -> PageResult {
    ids(&[&rid, &tid], "treatment plan")?;
    if !ctx.chrome.can_approve {
        return Err(PageError::forbidden("accept residual risk"));
    }
    let (risk, t) = risk_and_treatment(&ctx.state, &ctx.s, &rid, &tid).await?;
    let values = [
        ctx.s.user.display_name.clone(),
        String::new(),
        aims_app::today(),
        String::new(),
    ];
    accept_page(ctx, risk, t, values, Errors::default()).await
}

/// POST /risks/{rid}/treatments/{tid}/accept
pub async fn accept(
    ctx: Ctx,
    Path((rid, tid)): Path<(String, String)>,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = FormData(f);
    ids(&[&rid, &tid], "treatment plan")?;
    let (risk, t) = risk_and_treatment(&ctx.state, &ctx.s, &rid, &tid).await?;
    let acceptance = Acceptance {
        by: f.text("acceptance.by"),
        role: f.text("acceptance.role"),
        date: f.text("acceptance.date"),
        rationale: f.get("acceptance.rationale").trim().to_string(),
        recorded_by: String::new(),
    };
    let (app, actor, org) = (&ctx.state.app, ctx.s.actor(), &ctx.s.org_id);
    match app
        .accept_treatment(&actor, org, &t.id, f.version(), acceptance.clone())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/risks/{}#treatments", risk.id)).into_response()),
        Err(AppError::Invalid(v)) => {
            let values = [
                acceptance.by,
                acceptance.role,
                acceptance.date,
                acceptance.rationale,
            ];
            accept_page(ctx, risk, t, values, Errors::from_validation(v)).await
        }
        Err(e) => Err(e.into()),
    }
}
