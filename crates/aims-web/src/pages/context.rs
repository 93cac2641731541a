//! AIMS context in the browser: organization profile and AI roles, the scope statement (approved and draft),
//! internal and external issues, interested parties with their requirements, suppliers with certificates.

use crate::chrome::Chrome;
use crate::error::render;
use crate::filters;
use crate::pages::ctx::{Ctx, PageResult, writable};
use crate::pages::form::{Errors, FormData, checked, go, render_form};
use aims_app::Stored;
use aims_app::context::ScopeState;
use aims_domain::context::{ContextIssue, InterestedParty, Organization, Supplier};
use askama::Template;

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
pub async fn show(ctx: Ctx) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let actor = s.actor();
    let app = &state.app;
    let org = app.resolve_org(Some(&s.org_id)).await?;
    let scope = app.scope(&actor, &s.org_id).await?;
    let issues = app.list_records::<ContextIssue>(&actor, &s.org_id).await?;
    let parties = app
        .list_records::<InterestedParty>(&actor, &s.org_id)
        .await?;
    let suppliers = app.list_records::<Supplier>(&actor, &s.org_id).await?;
    Ok(render(&ContextPage {
        chrome,
        org,
        scope,
        issues,
        parties,
        suppliers,
    }))
}

#[derive(Template)]
#[template(path = "scope_form.html")]
struct ScopeForm {
    chrome: Chrome,
    next_number: i64,
    version: Option<i64>,
    fields: Vec<(&'static str, &'static str, &'static str, String)>,
    errors: Errors,
}

fn scope_form(
    chrome: Chrome,
    scope: &ScopeState,
    version: Option<i64>,
    values: [String; 3],
    errors: Errors,
) -> ScopeForm {
    let [statement, boundaries, exclusions] = values;
    ScopeForm {
        chrome,
        next_number: scope
            .draft
            .as_ref()
            .or(scope.approved.as_ref())
            .map_or(1, |v| v.data.number + i64::from(scope.draft.is_none())),
        version,
        fields: vec![
            (
                "statement",
                "Statement",
                "What the AIMS covers, in a few sentences.",
                statement,
            ),
            (
                "boundaries",
                "Boundaries",
                "Units, sites, activities and AI systems the AIMS covers.",
                boundaries,
            ),
            (
                "exclusions",
                "Exclusions",
                "What is left out, and why.",
                exclusions,
            ),
        ],
        errors,
    }
}

/// GET /context/scope/edit: the draft (or the version in force, to start from) in a form.
pub async fn edit_scope(ctx: Ctx) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    writable(&chrome, "draft the scope statement")?;
    let scope = state.app.scope(&s.actor(), &s.org_id).await?;
    let start = scope.draft.as_ref().or(scope.approved.as_ref());
    let values = start.map_or_else(Default::default, |v| {
        [
            v.data.statement.clone(),
            v.data.boundaries.clone(),
            v.data.exclusions.clone(),
        ]
    });
    let version = scope.draft.as_ref().map(|d| d.version);
    Ok(render(&scope_form(
        chrome,
        &scope,
        version,
        values,
        Errors::default(),
    )))
}

/// POST /context/scope/draft: saves the draft, or shows the form again with the messages.
pub async fn save_scope(ctx: Ctx, f: FormData) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let values = [f.get("statement"), f.get("boundaries"), f.get("exclusions")];
    let actor = s.actor();
    let saved = state
        .app
        .scope_draft(
            &actor,
            &s.org_id,
            &values[0],
            &values[1],
            &values[2],
            f.version(),
        )
        .await;
    match checked(saved)? {
        Ok(_) => go("/context#scope"),
        Err(errors) => {
            let scope = state.app.scope(&actor, &s.org_id).await?;
            render_form(
                &scope_form(chrome, &scope, f.version(), values, errors),
                true,
            )
        }
    }
}

/// POST /context/scope/approve: approves the pending draft.
pub async fn approve_scope(ctx: Ctx, f: FormData) -> PageResult {
    ctx.state
        .app
        .scope_approve(&ctx.s.actor(), &ctx.s.org_id, &f.text("note"))
        .await?;
    go("/context#scope")
}
