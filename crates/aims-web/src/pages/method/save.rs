//! The handler that saves the submitted method as a new numbered version.

use super::form::{FormContext, form_page};
use super::parse::{read_method, regrid_errors};
use crate::pages::ctx::{Ctx, PageResult};
use crate::pages::form::{FormData, checked, go};
use aims_app::AppError;

/// POST /risks/method
pub async fn save(ctx: Ctx, f: FormData) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let actor = s.actor();
    let current = state.app.risk_method(&actor, &s.org_id).await?;
    let versions = state.app.risk_methods(&actor, &s.org_id).await?;
    if let Ok(n) = f.text("based_on").parse::<i64>()
        && n != current.number
    {
        return Err(AppError::Conflict(format!(
            "Version {} of the risk method was saved after this form was opened from version {n}. Open the \
             form again to start from the version in force.",
            current.number
        ))
        .into());
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
    let saved = state
        .app
        .save_risk_method(&actor, &s.org_id, sub.method.clone())
        .await;
    match checked(saved)? {
        Ok(saved) => go(&format!("/risks/method?version={}", saved.data.number)),
        Err(errors) => form_page(chrome, ctx, &sub.method, errors),
    }
}
