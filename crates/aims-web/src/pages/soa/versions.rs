//! The approved versions of the Statement of Applicability and the comparison of two of them.

use super::lines::*;
use crate::AppState;
use crate::auth::Signed;
use crate::chrome::Chrome;
use crate::error::{app_error, page, render};
use crate::pages::form::Opt;
use aims_app::{AppError, Stored};
use aims_domain::soa::{RiskSnapshot, SoaVersion};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

// ---------------------------------------------------------------------------------------------------------------
// Versions and comparison
// ---------------------------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "soa_versions.html")]
struct VersionsPage {
    chrome: Chrome,
    versions: Vec<Stored<SoaVersion>>,
}

/// GET /soa/versions
pub async fn versions(State(state): State<AppState>, Signed(s): Signed) -> Response {
    let chrome = Chrome::new(&state.app, &s, "soa").await;
    match state.app.soa_versions(&s.actor(), &s.org_id).await {
        Ok(versions) => render(&VersionsPage { chrome, versions }),
        Err(e) => app_error(Some(chrome), e),
    }
}

#[derive(Template)]
#[template(path = "soa_version.html")]
struct VersionPage {
    chrome: Chrome,
    v: Stored<SoaVersion>,
    lines: Vec<SoaLine>,
    risks: Vec<RiskSnapshot>,
}

/// GET /soa/versions/{number}
pub async fn version(
    State(state): State<AppState>,
    Signed(s): Signed,
    Path(number): Path<String>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "soa").await;
    let Ok(n) = number.parse::<i64>() else {
        return page(
            StatusCode::NOT_FOUND,
            Some(chrome),
            "Not found",
            "There is no such version of the Statement of Applicability.",
        );
    };
    let result = async {
        let v = state.app.soa_version(&s.actor(), &s.org_id, n).await?;
        let suppliers = supplier_names(&state, &s).await?;
        Ok::<_, AppError>((v, suppliers))
    }
    .await;
    match result {
        Ok((v, suppliers)) => {
            let names = names_of(&suppliers);
            let lines = v.data.entries.iter().map(|e| line(e, &names)).collect();
            let risks = v.data.risks.clone();
            render(&VersionPage {
                chrome,
                v,
                lines,
                risks,
            })
        }
        Err(e) => app_error(Some(chrome), e),
    }
}

/// Query of the comparison page.
#[derive(Debug, Deserialize, Default)]
pub struct DiffQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

#[derive(Template)]
#[template(path = "soa_diff.html")]
struct DiffPage {
    chrome: Chrome,
    from: Option<i64>,
    to: Option<i64>,
    from_opts: Vec<Opt>,
    to_opts: Vec<Opt>,
    changes: Vec<ChangeView>,
}

/// GET /soa/diff?from=N&to=M (no `to`: the current state)
pub async fn diff(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<DiffQuery>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "soa").await;
    let actor = s.actor();
    let versions = match state.app.soa_versions(&actor, &s.org_id).await {
        Ok(v) => v,
        Err(e) => return app_error(Some(chrome), e),
    };
    // `None` for the current state; `Err(())` for text that is no version number.
    let parse = |v: &str| -> Result<Option<i64>, ()> {
        if v.trim().is_empty() || v == "current" {
            Ok(None)
        } else {
            v.trim().parse::<i64>().map(Some).map_err(|_| ())
        }
    };
    let (from, to) = match (parse(&q.from), parse(&q.to)) {
        (Ok(from), Ok(to)) => (from.or_else(|| versions.first().map(|v| v.data.number)), to),
        _ => {
            return page(
                StatusCode::NOT_FOUND,
                Some(chrome),
                "Not found",
                "Versions of the Statement of Applicability are compared by their numbers.",
            );
        }
    };
    let changes = match from {
        Some(f) => match state.app.soa_diff(&actor, &s.org_id, f, to).await {
            Ok(c) => change_views(c),
            Err(e) => return app_error(Some(chrome), e),
        },
        None => vec![],
    };
    let numbers: Vec<(String, String)> = versions
        .iter()
        .map(|v| {
            (
                v.data.number.to_string(),
                format!(
                    "Version {} · {} · {}",
                    v.data.number, v.data.approved_at, v.data.approved_by
                ),
            )
        })
        .collect();
    let from_s = from.map(|n| n.to_string()).unwrap_or_default();
    let to_s = to.map_or_else(|| "current".to_string(), |n| n.to_string());
    let mut to_opts = vec![Opt {
        value: "current".into(),
        label: "The current state".into(),
        selected: to.is_none(),
    }];
    to_opts.extend(Opt::many(numbers.clone(), [to_s.as_str()]));
    render(&DiffPage {
        chrome,
        from,
        to,
        from_opts: Opt::many(numbers, [from_s.as_str()]),
        to_opts,
        changes,
    })
}
