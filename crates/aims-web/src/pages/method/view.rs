//! The risk method as people read it: scales, levels, the coloured matrix and the saved versions.

use crate::AppState;
use crate::chrome::Chrome;
use crate::error::render;
use crate::pages::ctx::{Ctx, PageResult};
use crate::pages::form::Badge;
use crate::pages::heatmap::ink_on;
use aims_app::{AppError, Stored};
use aims_domain::risk::{RiskMethod, ScalePoint};
use askama::Template;
use axum::extract::Query;
use serde::Deserialize;

/// One point of a scale.
pub struct PointView {
    /// Position from 1.
    pub n: usize,
    /// Label.
    pub label: String,
    /// What it means.
    pub description: String,
}

/// One level with what the organization does at it.
pub struct LevelView {
    /// The level as a badge (colour dot and label).
    pub badge: Badge,
    /// What the organization does with a risk at this level.
    pub description: String,
    /// Whether the level is the risk appetite.
    pub is_appetite: bool,
}

/// One cell of the coloured matrix.
pub struct GridCell {
    /// Fill colour `#rrggbb`.
    pub colour: String,
    /// Level label.
    pub label: String,
    /// `ink-light` or `ink-dark`, whichever reads on the fill.
    pub ink: &'static str,
    /// Whether the level lies above the appetite.
    pub over: bool,
}

/// One row of the coloured matrix: a likelihood point and its cells by impact.
pub struct GridRow {
    /// `5 · Almost certain`.
    pub label: String,
    /// Cells, least severe impact first.
    pub cells: Vec<GridCell>,
}

/// One saved version in the list.
pub struct VersionRow {
    /// Version number.
    pub number: i64,
    /// Name.
    pub name: String,
    /// `5 × 5`.
    pub size: String,
    /// Number of levels.
    pub levels: usize,
    /// Appetite label.
    pub appetite: String,
    /// When it was saved.
    pub saved: String,
    /// Why it was made.
    pub note: String,
    /// Whether it is the version in force.
    pub current: bool,
    /// Whether it is the version shown.
    pub shown: bool,
}

#[derive(Template)]
#[template(path = "risk_method.html")]
struct MethodPage {
    chrome: Chrome,
    name: String,
    number: i64,
    current_number: i64,
    saved: String,
    stored: bool,
    note: String,
    appetite: Option<Badge>,
    dimensions: Vec<String>,
    likelihood: Vec<PointView>,
    impact: Vec<PointView>,
    levels: Vec<LevelView>,
    impact_labels: Vec<String>,
    grid: Vec<GridRow>,
    versions: Vec<VersionRow>,
    edit_href: String,
}

fn points(scale: &[ScalePoint]) -> Vec<PointView> {
    scale
        .iter()
        .enumerate()
        .map(|(i, p)| PointView {
            n: i + 1,
            label: p.label.clone(),
            description: p.description.clone(),
        })
        .collect()
}

/// Labels of a scale's points, numbered (`1 · Rare`), as the grid heads them.
pub(super) fn point_labels(scale: &[ScalePoint]) -> Vec<String> {
    scale
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{} · {}", i + 1, p.label))
        .collect()
}

/// `2026-11-30T05:24:50.800479Z` → `2026-11-30 05:24 UTC`.
fn when(ts: &str) -> String {
    match (ts.get(..10), ts.get(11..16)) {
        (Some(d), Some(t)) => format!("{d} {t} UTC"),
        _ => ts.to_string(),
    }
}

fn ink_class(colour: &str) -> &'static str {
    if ink_on(colour) == "#ffffff" {
        "ink-light"
    } else {
        "ink-dark"
    }
}

/// The matrix as rows from the most likely down, each cell with its level's colour.
fn grid(m: &RiskMethod) -> Vec<GridRow> {
    let appetite = m.rank(&m.appetite);
    (0..m.likelihood.len())
        .rev()
        .map(|l| GridRow {
            label: format!("{} · {}", l + 1, m.likelihood[l].label),
            cells: (0..m.impact.len())
                .map(|i| {
                    let id = m
                        .matrix
                        .get(l)
                        .and_then(|r| r.get(i))
                        .cloned()
                        .unwrap_or_default();
                    match m.rank(&id) {
                        Some(rank) => {
                            let level = &m.levels[rank];
                            GridCell {
                                ink: ink_class(&level.colour),
                                colour: level.colour.clone(),
                                label: level.label.clone(),
                                over: appetite.is_some_and(|a| rank > a),
                            }
                        }
                        None => GridCell {
                            colour: "#eceef1".into(),
                            ink: "ink-dark",
                            label: if id.is_empty() { "no level".into() } else { id },
                            over: false,
                        },
                    }
                })
                .collect(),
        })
        .collect()
}

fn version_rows(versions: &[Stored<RiskMethod>], current: i64, shown: i64) -> Vec<VersionRow> {
    versions
        .iter()
        .map(|v| {
            let m = &v.data;
            VersionRow {
                number: m.number,
                name: m.name.clone(),
                size: format!("{} × {}", m.likelihood.len(), m.impact.len()),
                levels: m.levels.len(),
                appetite: m
                    .levels
                    .iter()
                    .find(|l| l.id == m.appetite)
                    .map_or_else(|| m.appetite.clone(), |l| l.label.clone()),
                saved: when(&v.created_at),
                note: m.note.clone(),
                current: m.number == current,
                shown: m.number == shown,
            }
        })
        .collect()
}

/// Query of the method page: which saved version to show (the one in force when absent).
#[derive(Debug, Deserialize, Default)]
pub struct MethodQuery {
    #[serde(default)]
    version: String,
}

/// The method in force, every saved version, and the saved version numbered `wanted` (or the one in force).
pub(super) async fn load(
    state: &AppState,
    s: &aims_app::auth::Session,
    wanted: &str,
) -> Result<
    (
        RiskMethod,
        Vec<Stored<RiskMethod>>,
        Option<Stored<RiskMethod>>,
    ),
    AppError,
> {
    let actor = s.actor();
    let current = state.app.risk_method(&actor, &s.org_id).await?;
    let versions = state.app.risk_methods(&actor, &s.org_id).await?;
    let chosen = if wanted.trim().is_empty() {
        versions
            .iter()
            .find(|v| v.data.number == current.number)
            .cloned()
    } else {
        let n: i64 = wanted
            .trim()
            .parse()
            .map_err(|_| AppError::NotFound("risk method versions are numbered 1, 2, …".into()))?;
        match versions.iter().find(|v| v.data.number == n) {
            Some(v) => Some(v.clone()),
            None if versions.is_empty() && n == current.number => None,
            None => {
                return Err(AppError::NotFound(format!(
                    "there is no version {n} of the risk method"
                )));
            }
        }
    };
    Ok((current, versions, chosen))
}

/// GET /risks/method
pub async fn show(ctx: Ctx, Query(q): Query<MethodQuery>) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let (current, versions, chosen) = load(&state, &s, &q.version).await?;
    let (m, saved) = match &chosen {
        Some(v) => (v.data.clone(), when(&v.created_at)),
        None => (current.clone(), String::new()),
    };
    let appetite_rank = m.rank(&m.appetite);
    let page = MethodPage {
        name: m.name.clone(),
        number: m.number.max(1),
        current_number: current.number.max(1),
        stored: chosen.is_some(),
        saved,
        note: m.note.clone(),
        appetite: Badge::of(&m, &m.appetite),
        dimensions: m.impact_dimensions.clone(),
        likelihood: points(&m.likelihood),
        impact: points(&m.impact),
        levels: m
            .levels
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                Badge::of(&m, &l.id).map(|badge| LevelView {
                    badge,
                    description: l.description.clone(),
                    is_appetite: appetite_rank == Some(i),
                })
            })
            .collect(),
        impact_labels: point_labels(&m.impact),
        grid: grid(&m),
        versions: version_rows(&versions, current.number, m.number),
        edit_href: if m.number == current.number {
            "/risks/method/edit".into()
        } else {
            format!("/risks/method/edit?from={}", m.number)
        },
        chrome,
    };
    Ok(render(&page))
}
