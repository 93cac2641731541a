//! Accepting the residual risk of a treated risk.

use super::detail::{AssessmentRow, assessment_row};
use super::treatments::risk_and_treatment;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::pages::ctx::{Ctx, PageResult, ids};
use crate::pages::form::{
    Errors, FormData, checked, go, render_form, sign_off_blank, sign_off_values,
};
use aims_app::Stored;
use aims_domain::risk::{Risk, Treatment};
use askama::Template;
use axum::Form;
use axum::extract::Path;

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
    let page = AcceptPage {
        chrome,
        risk,
        residual,
        t,
        by,
        role,
        date,
        rationale,
        errors,
    };
    render_form(&page, invalid)
}

/// GET /risks/{rid}/treatments/{tid}/accept
pub async fn accept_form(ctx: Ctx, Path((rid, tid)): Path<(String, String)>) -> PageResult {
    ids(&[&rid, &tid], "treatment plan")?;
    if !ctx.chrome.can_approve {
        return Err(PageError::forbidden("accept residual risk"));
    }
    let (risk, t) = risk_and_treatment(&ctx.state, &ctx.s, &rid, &tid).await?;
    let values = sign_off_blank(&ctx.s.user.display_name);
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
    let acceptance = f.acceptance("acceptance");
    let (app, actor, org) = (&ctx.state.app, ctx.s.actor(), &ctx.s.org_id);
    let saved = app
        .accept_treatment(&actor, org, &t.id, f.version(), acceptance.clone())
        .await;
    match checked(saved)? {
        Ok(_) => go(&format!("/risks/{}#treatments", risk.id)),
        Err(errors) => accept_page(ctx, risk, t, sign_off_values(acceptance), errors).await,
    }
}
