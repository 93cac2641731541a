//! The dashboard: the state of the AIMS at a glance, with the change-log chain head an auditor can note down.

use crate::chrome::Chrome;
use crate::error::{app_error, render};
use crate::pages::ctx::Ctx;
use aims_app::systems::SystemFilter;
use aims_domain::context::{ContextIssue, InterestedParty, Supplier};
use aims_domain::vocab::LifecycleStage;
use askama::Template;
use axum::response::Response;

/// One count by life-cycle stage.
pub struct StageCount {
    /// Stage name.
    pub stage: &'static str,
    /// Systems in it.
    pub count: usize,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    chrome: Chrome,
    systems_total: usize,
    systems_in_scope: usize,
    stages: Vec<StageCount>,
    scope_version: String,
    scope_draft: bool,
    issues: usize,
    parties: usize,
    requirements_open: usize,
    suppliers: usize,
    chain_entries: i64,
    chain_head: String,
    risks: usize,
    risks_live: usize,
    risks_above: usize,
    soa_applicable: usize,
    soa_controls: usize,
    soa_problems: usize,
    soa_version: String,
    soa_drift: usize,
}

/// GET /
pub async fn show(ctx: Ctx) -> Response {
    let Ctx { state, s, chrome } = ctx;
    let actor = s.actor();
    let app = &state.app;
    let org = &s.org_id;
    let result = async {
        let systems = app.systems(&actor, org, &SystemFilter::default()).await?;
        let scope = app.scope(&actor, org).await?;
        let issues = app.list_records::<ContextIssue>(&actor, org).await?;
        let parties = app.list_records::<InterestedParty>(&actor, org).await?;
        let suppliers = app.list_records::<Supplier>(&actor, org).await?;
        let head = app.chain_head(&actor, org).await?;
        let method = app.risk_method(&actor, org).await?;
        let risks = app.risks(&actor, org, &Default::default()).await?;
        let soa = app.soa(&actor, org).await?;
        Ok::<_, aims_app::AppError>((
            systems, scope, issues, parties, suppliers, head, method, risks, soa,
        ))
    }
    .await;
    let (systems, scope, issues, parties, suppliers, head, method, risks, soa) = match result {
        Ok(r) => r,
        Err(e) => return app_error(Some(chrome), e),
    };
    let stages = LifecycleStage::ALL
        .iter()
        .map(|st| StageCount {
            stage: st.as_str(),
            count: systems
                .iter()
                .filter(|x| x.data.lifecycle_stage == st.as_str())
                .count(),
        })
        .collect();
    render(&Dashboard {
        systems_total: systems.len(),
        systems_in_scope: systems
            .iter()
            .filter(|x| x.data.in_scope && x.data.lifecycle_stage != "retired")
            .count(),
        stages,
        scope_version: scope
            .approved
            .as_ref()
            .map(|v| v.data.number.to_string())
            .unwrap_or_default(),
        scope_draft: scope.draft.is_some(),
        issues: issues.len(),
        parties: parties.len(),
        requirements_open: parties
            .iter()
            .flat_map(|p| p.data.requirements.iter())
            .filter(|r| !r.addressed)
            .count(),
        suppliers: suppliers.len(),
        risks: risks.len(),
        risks_live: risks
            .iter()
            .filter(|r| matches!(r.data.status.as_str(), "open" | "treating"))
            .count(),
        risks_above: risks
            .iter()
            .filter(|r| !matches!(r.data.status.as_str(), "closed" | "accepted"))
            .filter_map(|r| r.data.latest())
            .filter(|a| method.exceeds_appetite(&a.residual))
            .count(),
        soa_applicable: soa.summary.applicable,
        soa_controls: soa.summary.controls,
        soa_problems: soa.summary.with_problems,
        soa_version: soa
            .approved_version
            .map(|v| v.to_string())
            .unwrap_or_default(),
        soa_drift: soa.drift.len(),
        chain_entries: head.as_ref().map_or(0, |h| h.0),
        chain_head: head.map(|h| h.1).unwrap_or_default(),
        chrome,
    })
}
