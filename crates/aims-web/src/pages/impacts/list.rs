//! The list of impact assessments, filterable by system and status.

use super::vocab;
use crate::auth::encode;
use crate::chrome::Chrome;
use crate::error::{app_error, render};
use crate::filters;
use crate::pages::ctx::Ctx;
use crate::pages::form::{Opt, SystemNames, is_id};
use aims_app::AppError;
use aims_app::impact::{ImpactListPage, ImpactListQuery};
use aims_app::systems::SystemFilter;
use aims_catalog::templates::ImpactTemplate;
use aims_domain::vocab::AssessmentStatus;
use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use serde::Deserialize;

/// Query of the list.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    system: String,
    status: String,
    /// Cursor: the id of the last assessment of the previous page.
    after: String,
}

/// Assessments on one page of the list.
const PAGE_SIZE: i64 = 50;

/// One line of the list.
pub struct ImpactRow {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// System (id, name).
    pub system: (String, String),
    /// Template name.
    pub template: String,
    /// Status.
    pub status: String,
    /// Harms recorded.
    pub harms: usize,
    /// Harms above the risk appetite.
    pub above: usize,
    /// Next review.
    pub next_review: String,
    /// Whether the review date has passed on an approved assessment.
    pub overdue: bool,
    /// Approval ("name, date").
    pub approved: String,
}

#[derive(Template)]
#[template(path = "impacts_list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<ImpactRow>,
    q: String,
    system: String,
    systems: Vec<Opt>,
    statuses: Vec<Opt>,
    /// Assessments matching the filters, on every page.
    total: i64,
    /// Link to the next page, keeping the filters.
    next: Option<String>,
    /// Link to the first page, when this is a later one.
    first: Option<String>,
}

fn template_name(templates: &[ImpactTemplate], id: &str) -> String {
    templates
        .iter()
        .find(|t| t.id == id)
        .map_or_else(|| id.to_string(), |t| t.name.clone())
}

/// GET /impact-assessments
pub async fn list(ctx: Ctx, Query(q): Query<ListQuery>) -> Response {
    let Ctx { state, s, chrome } = ctx;
    let actor = s.actor();
    let app = &state.app;
    let org = &s.org_id;
    let system_ok = !q.system.is_empty() && is_id(&q.system);
    let status_ok = !q.status.is_empty() && AssessmentStatus::parse("status", &q.status).is_ok();
    // A status that is no status matches nothing, as the list always did.
    let bad_status = !q.status.is_empty() && !status_ok;
    let mut names = SystemNames::default();
    let result = async {
        let page = if bad_status {
            ImpactListPage {
                items: vec![],
                next: None,
                total: 0,
            }
        } else {
            app.impact_list(
                &actor,
                org,
                &ImpactListQuery {
                    system_id: system_ok.then(|| q.system.clone()),
                    status: status_ok.then(|| q.status.clone()),
                    search: Some(q.q.clone()),
                    after: (!q.after.is_empty()).then(|| q.after.clone()),
                    limit: PAGE_SIZE,
                },
            )
            .await?
        };
        let method = app.risk_method(&actor, org).await?;
        let systems = app
            .systems(
                &actor,
                org,
                &SystemFilter {
                    limit: Some(1000),
                    ..SystemFilter::default()
                },
            )
            .await?;
        let ids: Vec<String> = page
            .items
            .iter()
            .map(|a| a.data.system_id.clone())
            .collect();
        names.load(app, &actor, org, ids.iter()).await?;
        Ok::<_, AppError>((page, method, systems))
    }
    .await;
    let (page, method, systems) = match result {
        Ok(x) => x,
        Err(e) => return app_error(Some(chrome), e),
    };
    let templates = aims_app::impact::templates().unwrap_or_default();
    let today = aims_app::today();
    let rows: Vec<ImpactRow> = page
        .items
        .into_iter()
        .map(|a| ImpactRow {
            system: (a.data.system_id.clone(), names.name(&a.data.system_id)),
            template: template_name(&templates, &a.data.template),
            harms: a.data.impacts.iter().filter(|m| m.is_harm()).count(),
            above: a.data.harms_above_appetite(&method).len(),
            overdue: a.data.status == "approved"
                && !a.data.next_review.is_empty()
                && a.data.next_review < today,
            approved: a
                .data
                .approval
                .as_ref()
                .map(|x| format!("{}, {}", x.by, x.date))
                .unwrap_or_default(),
            next_review: a.data.next_review,
            status: a.data.status,
            title: a.data.title,
            id: a.id.into(),
        })
        .collect();
    let here = format!(
        "/impact-assessments?q={}&system={}&status={}",
        encode(&q.q),
        encode(&q.system),
        encode(&q.status)
    );
    let next = page.next.map(|id| format!("{here}&after={}", encode(&id)));
    let first = (!q.after.is_empty()).then(|| here.clone());
    render(&ListPage {
        chrome,
        rows,
        systems: {
            let mut v = vec![Opt {
                value: String::new(),
                label: "All systems".into(),
                selected: q.system.is_empty(),
            }];
            v.extend(Opt::many(
                systems.into_iter().map(|x| (x.id.into(), x.data.name)),
                [q.system.as_str()],
            ));
            v
        },
        statuses: Opt::vocab(
            &vocab(AssessmentStatus::ALL, AssessmentStatus::as_str),
            &q.status,
            Some("Any status"),
        ),
        total: page.total,
        next,
        first,
        q: q.q,
        system: q.system,
    })
}
