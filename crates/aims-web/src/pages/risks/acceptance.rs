//! Accepting the residual risk of a treated risk.

use super::detail::{AssessmentRow, assessment_row};
use super::treatments::risk_and_treatment;
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::filters;
use crate::pages::ctx::{Ctx, PageResult, ids};
use crate::pages::form::{Errors, FormData, SignOff, checked, go, render_form};
use aims_app::RecordId;
use aims_app::Stored;
use aims_app::risks::AcceptResidualRisk;
use aims_domain::risk::{Risk, Treatment};
use askama::Template;
use axum::extract::Path;

#[derive(Template)]
#[template(path = "treatment_accept.html")]
struct AcceptPage {
    chrome: Chrome,
    risk: Stored<Risk>,
    residual: Option<AssessmentRow>,
    t: Stored<Treatment>,
    sign_off: SignOff,
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
    sign_off: SignOff,
    errors: Errors,
) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let m = state.app.risk_method(&s.actor(), &s.org_id).await?;
    let residual = risk.data.latest().map(|a| assessment_row(&m, a));
    let invalid = !errors.is_empty();
    let page = AcceptPage {
        chrome,
        risk,
        residual,
        t,
        sign_off,
        errors,
    };
    render_form(&page, invalid)
}

/// GET /risks/{rid}/treatments/{tid}/accept
pub async fn accept_form(ctx: Ctx, Path((rid, tid)): Path<(RecordId, RecordId)>) -> PageResult {
    ids(&[&rid, &tid], "treatment plan")?;
    if !ctx.chrome.can_approve {
        return Err(PageError::forbidden("accept residual risk"));
    }
    let (risk, t) = risk_and_treatment(&ctx.state, &ctx.s, &rid, &tid).await?;
    let sign_off = SignOff::blank(&ctx.s.user.display_name);
    accept_page(ctx, risk, t, sign_off, Errors::default()).await
}

/// POST /risks/{rid}/treatments/{tid}/accept
pub async fn accept(
    ctx: Ctx,
    Path((rid, tid)): Path<(RecordId, RecordId)>,
    f: FormData,
) -> PageResult {
    ids(&[&rid, &tid], "treatment plan")?;
    let (risk, t) = risk_and_treatment(&ctx.state, &ctx.s, &rid, &tid).await?;
    let acceptance = f.acceptance("acceptance");
    let (app, actor, org) = (&ctx.state.app, ctx.s.actor(), &ctx.s.org_id);
    let saved = app
        .step::<AcceptResidualRisk>(&actor, org, &t.id, f.version(), acceptance.clone())
        .await;
    match checked(saved)? {
        Ok(_) => go(&format!("/risks/{}#treatments", risk.id)),
        Err(errors) => accept_page(ctx, risk, t, SignOff::of(acceptance), errors).await,
    }
}
