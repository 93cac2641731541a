//! Re-assessing a recorded risk: the form and the handler that records the new assessment.

use super::assess_fields::{AssessFields, read_assessment};
use super::detail::{AssessmentRow, assessment_row};
use crate::chrome::Chrome;
use crate::pages::ctx::{Ctx, PageResult, ids, writable};
use crate::pages::form::{Errors, FormData, checked, go, render_form};
use aims_app::RecordId;
use aims_app::Stored;
use aims_app::risks::AssessRisk;
use aims_domain::risk::{Risk, RiskMethod};
use askama::Template;
use axum::extract::Path;

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
) -> PageResult {
    let invalid = !errors.is_empty();
    let latest = r.data.latest().map(|x| assessment_row(method, x));
    let page = AssessPage {
        chrome,
        r,
        a,
        latest,
        errors,
    };
    render_form(&page, invalid)
}

/// GET /risks/{id}/assess
pub async fn assess_form(ctx: Ctx, Path(id): Path<RecordId>) -> PageResult {
    ids(&[&id], "risk")?;
    writable(&ctx.chrome, "assess risks")?;
    let (app, actor, org) = (&ctx.state.app, ctx.s.actor(), &ctx.s.org_id);
    let r = app.get_record::<Risk>(&actor, org, &id).await?;
    let m = app.risk_method(&actor, org).await?;
    let a = AssessFields::from_assessment(&m, r.data.latest(), &ctx.s.user.display_name, false);
    assess_page(ctx.chrome, r, &m, a, Errors::default())
}

/// POST /risks/{id}/assess
pub async fn assess(ctx: Ctx, Path(id): Path<RecordId>, f: FormData) -> PageResult {
    ids(&[&id], "risk")?;
    let (app, actor, org) = (&ctx.state.app, ctx.s.actor(), &ctx.s.org_id);
    let errors = match read_assessment(&f, false) {
        Ok(Some(a)) => match checked(
            app.step::<AssessRisk>(&actor, org, &id, f.version(), a)
                .await,
        )? {
            Ok(r) => return go(&format!("/risks/{}#assessments", r.id)),
            Err(errors) => errors,
        },
        Ok(None) => Errors::one("assessment", "choose the scores"),
        Err(e) => e,
    };
    let r = app.get_record::<Risk>(&actor, org, &id).await?;
    let m = app.risk_method(&actor, org).await?;
    let a = AssessFields::from_form(&m, &f, false);
    assess_page(ctx.chrome, r, &m, a, errors)
}
