//! The list of impact assessments, filterable by system and status.

use super::vocab;
use crate::chrome::Chrome;
use crate::error::{app_error, render};
use crate::pages::ctx::Ctx;
use crate::pages::form::{Opt, SystemNames, is_id};
use aims_app::AppError;
use aims_app::systems::SystemFilter;
use aims_catalog::templates::ImpactTemplate;
use aims_domain::vocab::AssessmentStatus;
use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use serde::Deserialize;

/// Query of the list.
#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    system: String,
    #[serde(default)]
    status: String,
}

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
    let mut names = SystemNames::default();
    let result = async {
        let list = app
            .impacts(&actor, org, system_ok.then_some(q.system.as_str()))
            .await?;
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
        let ids: Vec<String> = list.iter().map(|a| a.data.system_id.clone()).collect();
        names.load(app, &actor, org, ids.iter()).await?;
        Ok::<_, AppError>((list, method, systems))
    }
    .await;
    let (list, method, systems) = match result {
        Ok(x) => x,
        Err(e) => return app_error(Some(chrome), e),
    };
    let templates = aims_app::impact::templates().unwrap_or_default();
    let needle = q.q.trim().to_lowercase();
    let today = aims_app::today();
    let mut rows: Vec<ImpactRow> = list
        .into_iter()
        .filter(|a| q.status.is_empty() || a.data.status == q.status)
        .filter(|a| {
            needle.is_empty()
                || a.data.title.to_lowercase().contains(&needle)
                || names
                    .name(&a.data.system_id)
                    .to_lowercase()
                    .contains(&needle)
        })
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
            id: a.id,
        })
        .collect();
    rows.sort_by(|a, b| {
        a.system
            .1
            .to_lowercase()
            .cmp(&b.system.1.to_lowercase())
            .then(b.id.cmp(&a.id))
    });
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
                systems.into_iter().map(|x| (x.id, x.data.name)),
                [q.system.as_str()],
            ));
            v
        },
        statuses: Opt::vocab(
            &vocab(AssessmentStatus::ALL, AssessmentStatus::as_str),
            &q.status,
            Some("Any status"),
        ),
        q: q.q,
        system: q.system,
    })
}
