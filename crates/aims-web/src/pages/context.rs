//! AIMS context in the browser: organization profile and AI roles, the scope statement (approved and draft),
//! internal and external issues, interested parties with their requirements, suppliers with certificates.

use crate::chrome::Chrome;
use crate::error::{app_error, render};
use crate::pages::ctx::Ctx;
use aims_app::Stored;
use aims_app::context::ScopeState;
use aims_domain::context::{ContextIssue, InterestedParty, Organization, Supplier};
use askama::Template;
use axum::response::Response;

#[derive(Template)]
#[template(path = "context.html")]
struct ContextPage {
    chrome: Chrome,
    org: Stored<Organization>,
    scope: ScopeState,
    issues: Vec<Stored<ContextIssue>>,
    parties: Vec<Stored<InterestedParty>>,
    suppliers: Vec<Stored<Supplier>>,
}

/// GET /context
pub async fn show(ctx: Ctx) -> Response {
    let Ctx { state, s, chrome } = ctx;
    let actor = s.actor();
    let app = &state.app;
    let result = async {
        let org = app.resolve_org(Some(&s.org_id)).await?;
        let scope = app.scope(&actor, &s.org_id).await?;
        let issues = app.list_records::<ContextIssue>(&actor, &s.org_id).await?;
        let parties = app
            .list_records::<InterestedParty>(&actor, &s.org_id)
            .await?;
        let suppliers = app.list_records::<Supplier>(&actor, &s.org_id).await?;
        Ok::<_, aims_app::AppError>((org, scope, issues, parties, suppliers))
    }
    .await;
    match result {
        Ok((org, scope, issues, parties, suppliers)) => render(&ContextPage {
            chrome,
            org,
            scope,
            issues,
            parties,
            suppliers,
        }),
        Err(e) => app_error(Some(chrome), e),
    }
}
