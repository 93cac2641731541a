//! The approved versions of the Statement of Applicability and the comparison of two of them.

use super::lines::*;
use crate::chrome::Chrome;
use crate::error::{page, render};
use crate::filters;
use crate::pages::ctx::{Ctx, PageResult};
use crate::pages::form::Opt;
use aims_app::Stored;
use aims_domain::soa::{RiskSnapshot, SoaVersion};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
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
pub async fn versions(ctx: Ctx) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let versions = state.app.soa_versions(&s.actor(), &s.org_id).await?;
    Ok(render(&VersionsPage { chrome, versions }))
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
pub async fn version(ctx: Ctx, Path(number): Path<String>) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let Ok(n) = number.parse::<i64>() else {
        return Ok(page(
            StatusCode::NOT_FOUND,
            Some(chrome),
            "Not found",
            "There is no such version of the Statement of Applicability.",
        ));
    };
    let v = state.app.soa_version(&s.actor(), &s.org_id, n).await?;
    let suppliers = supplier_names(&state, &s).await?;
    let names = names_of(&suppliers);
    let lines = v.data.entries.iter().map(|e| line(e, &names)).collect();
    let risks = v.data.risks.clone();
    Ok(render(&VersionPage {
        chrome,
        v,
        lines,
        risks,
    }))
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
pub async fn diff(ctx: Ctx, Query(q): Query<DiffQuery>) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let actor = s.actor();
    let versions = state.app.soa_versions(&actor, &s.org_id).await?;
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
            return Ok(page(
                StatusCode::NOT_FOUND,
                Some(chrome),
                "Not found",
                "Versions of the Statement of Applicability are compared by their numbers.",
            ));
        }
    };
    let changes = match from {
        Some(f) => change_views(state.app.soa_diff(&actor, &s.org_id, f, to).await?),
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
    Ok(render(&DiffPage {
        chrome,
        from,
        to,
        from_opts: Opt::many(numbers, [from_s.as_str()]),
        to_opts,
        changes,
    }))
}
