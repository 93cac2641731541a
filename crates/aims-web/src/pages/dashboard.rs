//! The dashboard: the state of the AIMS at a glance, with the change-log chain head an auditor can note down.

use crate::chrome::Chrome;
use crate::error::{app_error, render};
use crate::filters;
use crate::pages::ctx::Ctx;
use crate::pages::heatmap::{self, Grid};
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
    /// The residual heat map of the register (SVG), from the aggregate counts.
    residual_map: String,
    /// Risks on that map.
    residual_on_map: usize,
    soa_applicable: usize,
    soa_controls: usize,
    soa_problems: usize,
    soa_version: String,
    soa_drift: usize,
    /// The getting-started checklist, shown while a step is open.
    steps: Vec<aims_app::dashboard::StartStep>,
}

impl Dashboard {
    /// Steps of the checklist done.
    fn steps_done(&self) -> usize {
        self.steps.iter().filter(|s| s.done).count()
    }
}

/// GET /
pub async fn show(ctx: Ctx) -> Response {
    let Ctx { state, s, chrome } = ctx;
    let actor = s.actor();
    let app = &state.app;
    let org = &s.org_id;
    let result = async {
        let counts = app.dashboard_counts(&actor, org).await?;
        let scope = app.scope(&actor, org).await?;
        let head = app.chain_head(&actor, org).await?;
        let method = app.risk_method(&actor, org).await?;
        let soa = app.soa(&actor, org).await?;
        Ok::<_, aims_app::AppError>((counts, scope, head, method, soa))
    }
    .await;
    let (counts, scope, head, method, soa) = match result {
        Ok(r) => r,
        Err(e) => return app_error(Some(chrome), e),
    };
    let n = |v: i64| usize::try_from(v).unwrap_or(0);
    let stages = LifecycleStage::ALL
        .iter()
        .map(|st| StageCount {
            stage: st.as_str(),
            count: n(counts.in_stage(st.as_str())),
        })
        .collect();
    let residual = Grid::of_counts(&method, "residual", &counts.risks.residual);
    let residual_map = heatmap::svg(&method, &residual, "Residual risk heat map", |l, i| {
        format!("/risks?which=residual&l={l}&i={i}#register")
    });
    let steps = counts.getting_started();
    render(&Dashboard {
        steps,
        systems_total: n(counts.systems_total),
        systems_in_scope: n(counts.systems_in_scope),
        stages,
        scope_version: scope
            .approved
            .as_ref()
            .map(|v| v.data.number.to_string())
            .unwrap_or_default(),
        scope_draft: scope.draft.is_some(),
        issues: n(counts.issues),
        parties: n(counts.parties),
        requirements_open: n(counts.requirements_open),
        suppliers: n(counts.suppliers),
        risks: n(counts.risks.total),
        risks_live: n(counts.risks.live()),
        risks_above: n(counts.risks.above_appetite(&method)),
        residual_map,
        residual_on_map: residual.total(),
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
