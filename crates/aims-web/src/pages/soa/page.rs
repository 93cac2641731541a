//! The SoA page: every line, what stops approval, the drift since the approved version, and approval.

use super::control::statuses;
use super::lines::*;
use crate::AppState;
use crate::chrome::Chrome;
use crate::filters;
use crate::pages::ctx::{Ctx, PageResult};
use crate::pages::form::{Errors, FormData, Opt, checked, go, render_form};
use aims_domain::soa::{ApplicabilityHint, SoaApproval, SoaSummary};
use askama::Template;
use axum::extract::Query;
use serde::Deserialize;

// ---------------------------------------------------------------------------------------------------------------
// The SoA page
// ---------------------------------------------------------------------------------------------------------------

/// Query of the SoA page.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct SoaQuery {
    status: String,
    applicable: String,
    problems: String,
    q: String,
}

/// The approval form's values.
#[derive(Default)]
pub struct ApproveFields {
    /// Named person.
    pub approved_by: String,
    /// Their role.
    pub approver_role: String,
    /// Note.
    pub note: String,
}

#[derive(Template)]
#[template(path = "soa.html")]
struct SoaPage {
    chrome: Chrome,
    lines: Vec<SoaLine>,
    total: usize,
    summary: SoaSummary,
    by_status: Vec<(String, usize)>,
    approved_version: Option<i64>,
    drift: Vec<ChangeView>,
    hints: Vec<ApplicabilityHint>,
    statuses: Vec<Opt>,
    applicable: String,
    problems_only: bool,
    q: String,
    approve: ApproveFields,
    errors: Errors,
    blocking: Vec<(String, String)>,
}

pub(super) fn filter_lines(lines: Vec<SoaLine>, q: &SoaQuery) -> Vec<SoaLine> {
    let needle = q.q.trim().to_lowercase();
    lines
        .into_iter()
        .filter(|l| q.status.is_empty() || l.status == q.status)
        .filter(|l| match q.applicable.as_str() {
            "yes" => l.applicable,
            "no" => l.decided && !l.applicable,
            "undecided" => !l.decided,
            _ => true,
        })
        .filter(|l| q.problems.is_empty() || !l.problems.is_empty())
        .filter(|l| {
            needle.is_empty()
                || l.control.to_lowercase().contains(&needle)
                || l.title.to_lowercase().contains(&needle)
                || l.owner.to_lowercase().contains(&needle)
        })
        .collect()
}

pub(super) async fn soa_page(
    state: &AppState,
    s: &aims_app::auth::Session,
    chrome: Chrome,
    q: SoaQuery,
    approve: ApproveFields,
    errors: Errors,
) -> PageResult {
    let view = state.app.soa(&s.actor(), &s.org_id).await?;
    let suppliers = supplier_names(state, s).await?;
    let names = names_of(&suppliers);
    let all: Vec<SoaLine> = view.entries.iter().map(|e| line(e, &names)).collect();
    let total = all.len();
    let lines = filter_lines(all, &q);
    let blocking: Vec<(String, String)> = errors
        .0
        .iter()
        .filter_map(|(f, m)| {
            f.strip_prefix("entries[")
                .and_then(|r| r.strip_suffix(']'))
                .map(|c| (c.to_string(), m.clone()))
        })
        .collect();
    let invalid = !errors.is_empty();
    let page = SoaPage {
        chrome,
        lines,
        total,
        by_status: view
            .summary
            .by_status
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect(),
        summary: view.summary,
        approved_version: view.approved_version,
        drift: change_views(view.drift),
        hints: view.hints,
        statuses: statuses(&q.status, Some("Any status")),
        applicable: q.applicable,
        problems_only: !q.problems.is_empty(),
        q: q.q,
        approve,
        errors,
        blocking,
    };
    render_form(&page, invalid)
}

/// GET /soa
pub async fn show(ctx: Ctx, Query(q): Query<SoaQuery>) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let approve = ApproveFields {
        approved_by: s.user.display_name.clone(),
        ..ApproveFields::default()
    };
    soa_page(&state, &s, chrome, q, approve, Errors::default()).await
}

/// POST /soa/approve
pub async fn approve(ctx: Ctx, f: FormData) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let approval = SoaApproval {
        approved_by: f.text("approved_by"),
        approver_role: f.text("approver_role"),
        note: f.get("note").trim().to_string(),
    };
    let approved = state
        .app
        .approve_soa(&s.actor(), &s.org_id, approval.clone())
        .await;
    match checked(approved)? {
        Ok(v) => go(&format!("/soa/versions/{}", v.data.number)),
        Err(errors) => {
            let approve = ApproveFields {
                approved_by: approval.approved_by,
                approver_role: approval.approver_role,
                note: approval.note,
            };
            soa_page(&state, &s, chrome, SoaQuery::default(), approve, errors).await
        }
    }
}
