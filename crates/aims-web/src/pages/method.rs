//! The organization's risk method in the browser (6.1.1, 6.1.2): the scales with what each point means, the levels
//! with their colours, the matrix as a coloured grid, the impact dimensions and the risk appetite, and the list of
//! saved versions. Managers and admins change it through a form that saves a new numbered version; earlier
//! assessments keep the version that scored them.
//!
//! The form reads the scales as fixed rows (up to the largest scale aims allows; empty rows are dropped) and the
//! matrix as one select per cell. When the scales change size the grid cannot be right any more, so the form comes
//! back with the grid resized to the new scales — each remaining cell keeps the level it had for the same points —
//! and asks for the new cells to be filled rather than guessing them. A level added in the form comes back the
//! same way, so that it can be chosen in the grid.

use crate::AppState;
use crate::auth::{Signed, check_form};
use crate::chrome::Chrome;
use crate::error::{app_error, render};
use crate::pages::form::{Badge, Errors, FormData, Opt, deny, forbidden, lines};
use crate::pages::heatmap::ink_on;
use aims_app::{AppError, Permission, Stored};
use aims_domain::risk::{MAX_SCALE, RiskLevel, RiskMethod, ScalePoint};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::HashMap;

/// Blank level rows offered below the levels of the method.
const BLANK_LEVEL_ROWS: usize = 2;
/// Colour of a level row not filled in yet.
const NEW_LEVEL_COLOUR: &str = "#8a94a3";

// ---------------------------------------------------------------------------------------------------------------
// The method as people read it
// ---------------------------------------------------------------------------------------------------------------

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

fn point_labels(scale: &[ScalePoint]) -> Vec<String> {
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
async fn load(
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
pub async fn show(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<MethodQuery>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "risks").await;
    let (current, versions, chosen) = match load(&state, &s, &q.version).await {
        Ok(x) => x,
        Err(e) => return app_error(Some(chrome), e),
    };
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
    render(&page)
}

// ---------------------------------------------------------------------------------------------------------------
// The form
// ---------------------------------------------------------------------------------------------------------------

/// One row of a scale in the form.
pub struct PointRow {
    /// Row index (0-based; the point's position minus one when filled).
    pub i: usize,
    /// Row number as people read it.
    pub n: usize,
    /// Label.
    pub label: String,
    /// Description.
    pub description: String,
    /// Message for the label.
    pub label_err: String,
    /// Message for the description.
    pub description_err: String,
}

/// One scale of the form.
pub struct ScaleForm {
    /// `likelihood` or `impact`: the field name and the element ids.
    pub key: &'static str,
    /// Legend.
    pub legend: &'static str,
    /// Order of the points in words.
    pub order: &'static str,
    /// Rows, filled points first.
    pub rows: Vec<PointRow>,
    /// Message for the scale as a whole (its size).
    pub err: String,
}

/// One row of the levels in the form.
pub struct LevelRow {
    /// Row index.
    pub i: usize,
    /// Level id.
    pub id: String,
    /// The id the form showed (so that a renamed level keeps its cells); empty for a row added in the form.
    pub was: String,
    /// Label.
    pub label: String,
    /// Colour.
    pub colour: String,
    /// Whether the colour is `#rrggbb` (else it is shown as text, so that the bad value can be seen).
    pub colour_ok: bool,
    /// Description.
    pub description: String,
    /// Messages by field.
    pub id_err: String,
    /// Message for the label.
    pub label_err: String,
    /// Message for the colour.
    pub colour_err: String,
    /// Message for the description.
    pub description_err: String,
}

/// One select of the matrix grid.
pub struct CellSelect {
    /// Field name `matrix[l][i]` (0-based).
    pub name: String,
    /// Element id `matrix-l-i`.
    pub id: String,
    /// Spoken label.
    pub aria: String,
    /// Level options.
    pub opts: Vec<Opt>,
    /// Message.
    pub err: String,
}

/// One likelihood row of the matrix grid.
pub struct SelectRow {
    /// `5 · Almost certain`.
    pub label: String,
    /// Selects, least severe impact first.
    pub cells: Vec<CellSelect>,
}

#[derive(Template)]
#[template(path = "risk_method_form.html")]
struct FormPage {
    chrome: Chrome,
    from: i64,
    based_on: i64,
    next: i64,
    method_name: String,
    note: String,
    dimensions: String,
    appetite: Vec<Opt>,
    scales: Vec<ScaleForm>,
    levels: Vec<LevelRow>,
    next_level_row: usize,
    new_level_colour: &'static str,
    impact_labels: Vec<String>,
    grid: Vec<SelectRow>,
    matrix_message: String,
    errors: Errors,
}

impl FormPage {
    fn other_errors(&self) -> Vec<String> {
        self.errors.others(&[
            "name",
            "note",
            "impact_dimensions",
            "appetite",
            "likelihood",
            "impact",
            "levels",
            "matrix",
        ])
    }

    fn exact(&self, field: &str) -> String {
        exact(&self.errors, field)
    }
}

/// The messages for `field` itself, not those below it.
fn exact(errors: &Errors, field: &str) -> String {
    errors
        .0
        .iter()
        .filter(|(f, _)| f == field)
        .map(|(_, m)| m.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

fn point_rows(scale: &[ScalePoint], field: &str, errors: &Errors) -> Vec<PointRow> {
    let rows = scale.len().max(MAX_SCALE);
    (0..rows)
        .map(|i| {
            let p = scale.get(i);
            PointRow {
                i,
                n: i + 1,
                label: p.map(|p| p.label.clone()).unwrap_or_default(),
                description: p.map(|p| p.description.clone()).unwrap_or_default(),
                label_err: errors.of(&format!("{field}[{i}].label")),
                description_err: errors.of(&format!("{field}[{i}].description")),
            }
        })
        .collect()
}

fn is_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

fn level_rows(levels: &[RiskLevel], errors: &Errors) -> Vec<LevelRow> {
    let mut rows: Vec<LevelRow> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let e = |f: &str| errors.of(&format!("levels[{i}].{f}"));
            LevelRow {
                i,
                id: l.id.clone(),
                was: l.id.clone(),
                label: l.label.clone(),
                colour_ok: is_colour(&l.colour),
                colour: l.colour.clone(),
                description: l.description.clone(),
                id_err: {
                    // A row-level message (none today) goes with the id.
                    let mut m = e("id");
                    let row = exact(errors, &format!("levels[{i}]"));
                    if !row.is_empty() {
                        if !m.is_empty() {
                            m.push_str("; ");
                        }
                        m.push_str(&row);
                    }
                    m
                },
                label_err: e("label"),
                colour_err: e("colour"),
                description_err: e("description"),
            }
        })
        .collect();
    let n = rows.len();
    rows.extend((n..n + BLANK_LEVEL_ROWS).map(|i| LevelRow {
        i,
        id: String::new(),
        was: String::new(),
        label: String::new(),
        colour: NEW_LEVEL_COLOUR.into(),
        colour_ok: true,
        description: String::new(),
        id_err: String::new(),
        label_err: String::new(),
        colour_err: String::new(),
        description_err: String::new(),
    }));
    rows
}

/// The level options of a select: empty first, then every level; a value that names no level stays visible.
fn level_options(levels: &[RiskLevel], current: &str, empty: &str) -> Vec<Opt> {
    let mut v = vec![Opt {
        value: String::new(),
        label: empty.to_string(),
        selected: current.is_empty(),
    }];
    v.extend(
        levels
            .iter()
            .filter(|l| !l.id.trim().is_empty())
            .map(|l| Opt {
                value: l.id.clone(),
                label: if l.label.trim().is_empty() {
                    l.id.clone()
                } else {
                    l.label.clone()
                },
                selected: l.id == current,
            }),
    );
    if !current.is_empty() && !v.iter().any(|o| o.selected) {
        v.push(Opt {
            value: current.to_string(),
            label: format!("{current} (no such level)"),
            selected: true,
        });
    }
    v
}

fn select_grid(m: &RiskMethod, errors: &Errors) -> Vec<SelectRow> {
    (0..m.likelihood.len())
        .rev()
        .map(|l| {
            let lp = &m.likelihood[l];
            SelectRow {
                label: format!("{} · {}", l + 1, lp.label),
                cells: m
                    .impact
                    .iter()
                    .enumerate()
                    .map(|(i, ip)| {
                        let current = m
                            .matrix
                            .get(l)
                            .and_then(|r| r.get(i))
                            .cloned()
                            .unwrap_or_default();
                        CellSelect {
                            name: format!("matrix[{l}][{i}]"),
                            id: format!("matrix-{l}-{i}"),
                            aria: format!(
                                "Level at likelihood {} ({}) and impact {} ({})",
                                l + 1,
                                lp.label,
                                i + 1,
                                ip.label
                            ),
                            opts: level_options(&m.levels, &current, "—"),
                            err: errors.of(&format!("matrix[{l}][{i}]")),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Everything the form page needs besides the method and its messages.
struct FormContext {
    from: i64,
    based_on: i64,
    next: i64,
}

fn form_page(chrome: Chrome, ctx: FormContext, m: &RiskMethod, errors: Errors) -> Response {
    let invalid = !errors.is_empty();
    let levels = level_rows(&m.levels, &errors);
    let page = FormPage {
        chrome,
        from: ctx.from,
        based_on: ctx.based_on,
        next: ctx.next,
        method_name: m.name.clone(),
        note: m.note.clone(),
        dimensions: m.impact_dimensions.join("\n"),
        appetite: level_options(&m.levels, &m.appetite, "Choose a level"),
        scales: vec![
            ScaleForm {
                key: "likelihood",
                legend: "Likelihood scale",
                order: "least likely first",
                rows: point_rows(&m.likelihood, "likelihood", &errors),
                err: exact(&errors, "likelihood"),
            },
            ScaleForm {
                key: "impact",
                legend: "Impact scale",
                order: "least severe first",
                rows: point_rows(&m.impact, "impact", &errors),
                err: exact(&errors, "impact"),
            },
        ],
        next_level_row: levels.len(),
        levels,
        new_level_colour: NEW_LEVEL_COLOUR,
        impact_labels: point_labels(&m.impact),
        grid: select_grid(m, &errors),
        matrix_message: exact(&errors, "matrix"),
        errors,
    };
    let mut res = render(&page);
    if invalid {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

/// Query of the form: the saved version to start from (the one in force when absent).
#[derive(Debug, Deserialize, Default)]
pub struct EditQuery {
    #[serde(default)]
    from: String,
}

/// GET /risks/method/edit
pub async fn edit_form(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<EditQuery>,
) -> Response {
    let chrome = Chrome::new(&state.app, &s, "risks").await;
    if !chrome.can_approve {
        return forbidden(chrome, "change the risk method");
    }
    let (current, versions, chosen) = match load(&state, &s, &q.from).await {
        Ok(x) => x,
        Err(e) => return app_error(Some(chrome), e),
    };
    let mut m = chosen.map_or_else(|| current.clone(), |v| v.data);
    let from = m.number.max(1);
    m.note = String::new();
    let last = versions.first().map_or(0, |v| v.data.number);
    let ctx = FormContext {
        from,
        based_on: current.number,
        next: last.max(1) + 1,
    };
    form_page(chrome, ctx, &m, Errors::default())
}

/// The method as the form sent it, read into the shape the form shows next.
struct Submitted {
    method: RiskMethod,
    /// Whether the scales no longer match the grid the form showed.
    reshaped: bool,
    /// Cells of the resized grid that the form did not show (`(likelihood, impact)`, 0-based).
    fresh: Vec<(usize, usize)>,
    /// Levels added in the form that no cell could name yet (labels).
    new_levels: Vec<String>,
}

fn matrix_cell(name: &str) -> Option<(usize, usize)> {
    let rest = name.strip_prefix("matrix[")?.strip_suffix(']')?;
    let (l, i) = rest.split_once("][")?;
    Some((l.parse().ok()?, i.parse().ok()?))
}

/// Reads the form. Empty scale and level rows are dropped; the matrix follows the rows that stay, so that removing
/// a point removes its row or column of cells; a renamed level keeps its cells and the appetite.
fn read_method(f: &FormData) -> Submitted {
    let scale = |field: &str| -> (Vec<ScalePoint>, Vec<usize>) {
        let mut pts = vec![];
        let mut rows = vec![];
        for i in f.rows(field) {
            let p = ScalePoint {
                label: f.cell(field, i, "label").trim().to_string(),
                description: f.cell(field, i, "description").trim().to_string(),
            };
            if p.label.is_empty() && p.description.is_empty() {
                continue;
            }
            pts.push(p);
            rows.push(i);
        }
        (pts, rows)
    };
    let (likelihood, l_rows) = scale("likelihood");
    let (impact, i_rows) = scale("impact");

    let mut levels = vec![];
    let mut was = vec![];
    for i in f.rows("levels") {
        let l = RiskLevel {
            id: f.cell("levels", i, "id").trim().to_string(),
            label: f.cell("levels", i, "label").trim().to_string(),
            colour: f.cell("levels", i, "colour").trim().to_lowercase(),
            description: f.cell("levels", i, "description").trim().to_string(),
        };
        if l.id.is_empty() && l.label.is_empty() && l.description.is_empty() {
            continue;
        }
        levels.push(l);
        was.push(f.cell("levels", i, "was").trim().to_string());
    }
    // Renamed levels: the cells and the appetite that named the old id name the new one. An old id that another
    // level now carries is left alone (that would be a guess).
    let renames: HashMap<String, String> = levels
        .iter()
        .zip(&was)
        .filter(|(l, w)| !w.is_empty() && l.id != **w && !levels.iter().any(|x| x.id == **w))
        .map(|(l, w)| (w.clone(), l.id.clone()))
        .collect();
    let rename = |v: String| renames.get(&v).cloned().unwrap_or(v);

    // The grid the form showed, from the cells it sent.
    let (mut shown_l, mut shown_i) = (0, 0);
    for (k, _) in &f.0 {
        if let Some((l, i)) = matrix_cell(k) {
            shown_l = shown_l.max(l + 1);
            shown_i = shown_i.max(i + 1);
        }
    }
    let reshaped =
        l_rows != (0..shown_l).collect::<Vec<_>>() || i_rows != (0..shown_i).collect::<Vec<_>>();
    let mut fresh = vec![];
    let mut matrix = vec![];
    for (l, &fl) in l_rows.iter().enumerate() {
        let mut row = vec![];
        for (i, &fi) in i_rows.iter().enumerate() {
            if fl < shown_l && fi < shown_i {
                row.push(rename(
                    f.get(&format!("matrix[{fl}][{fi}]")).trim().to_string(),
                ));
            } else {
                fresh.push((l, i));
                row.push(String::new());
            }
        }
        matrix.push(row);
    }
    let appetite = rename(f.text("appetite"));
    let new_levels = levels
        .iter()
        .zip(&was)
        .filter(|(l, w)| {
            w.is_empty()
                && !l.id.is_empty()
                && l.id != appetite
                && !matrix.iter().flatten().any(|c| *c == l.id)
        })
        .map(|(l, _)| {
            if l.label.is_empty() {
                l.id.clone()
            } else {
                l.label.clone()
            }
        })
        .collect();
    Submitted {
        method: RiskMethod {
            number: 0,
            name: f.text("name"),
            likelihood,
            impact,
            levels,
            matrix,
            impact_dimensions: lines(&f.get("impact_dimensions")),
            appetite,
            note: f.get("note").trim().to_string(),
        },
        reshaped,
        fresh,
        new_levels,
    }
}

/// The messages when the form comes back to have its grid completed: what happened, the new cells, and whatever
/// else is wrong.
fn regrid_errors(sub: &Submitted) -> Errors {
    let m = &sub.method;
    let mut msgs = vec![];
    if sub.reshaped {
        let fresh = sub.fresh.len();
        msgs.push(format!(
            "The scales now have {} likelihood and {} impact points, so the matrix has been resized to match. {}Check \
             the grid, then save.",
            m.likelihood.len(),
            m.impact.len(),
            if fresh > 0 {
                format!("Choose a level for each of the {fresh} new cell(s). ")
            } else {
                String::new()
            }
        ));
    }
    if !sub.new_levels.is_empty() {
        msgs.push(format!(
            "The new level(s) {} can now be chosen in the grid and as the appetite. Place them, then save.",
            sub.new_levels.join(", ")
        ));
    }
    let mut errors = Errors(vec![("matrix".to_string(), msgs.join(" "))]);
    if let Err(v) = m.validate() {
        for e in v.errors {
            match matrix_cell(&e.field) {
                Some(c) if sub.fresh.contains(&c) => {
                    errors
                        .0
                        .push((e.field, "a new cell: choose a level".into()));
                }
                Some(_) => errors.0.push((e.field, e.message)),
                // The grid was just built from the scales, so its shape is right; only its cells can be wrong.
                None if e.field == "matrix" || e.field.starts_with("matrix[") => {}
                None => errors.0.push((e.field, e.message)),
            }
        }
    }
    errors
}

/// POST /risks/method
pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let f = FormData(f);
    if let Some(r) = check_form(&headers, &s, &f.csrf()) {
        return r;
    }
    if let Some(r) = deny(&s, Permission::Approve) {
        return r;
    }
    let chrome = Chrome::new(&state.app, &s, "risks").await;
    let actor = s.actor();
    let result = async {
        let current = state.app.risk_method(&actor, &s.org_id).await?;
        let versions = state.app.risk_methods(&actor, &s.org_id).await?;
        Ok::<_, AppError>((current, versions))
    }
    .await;
    let (current, versions) = match result {
        Ok(x) => x,
        Err(e) => return app_error(Some(chrome), e),
    };
    if let Ok(n) = f.text("based_on").parse::<i64>()
        && n != current.number
    {
        return app_error(
            Some(chrome),
            AppError::Conflict(format!(
                "Version {} of the risk method was saved after this form was opened from version {n}. Open the \
                 form again to start from the version in force.",
                current.number
            )),
        );
    }
    let ctx = FormContext {
        from: f.text("from").parse().unwrap_or(current.number),
        based_on: current.number,
        next: versions.first().map_or(0, |v| v.data.number).max(1) + 1,
    };
    let sub = read_method(&f);
    if sub.reshaped || !sub.new_levels.is_empty() {
        let errors = regrid_errors(&sub);
        return form_page(chrome, ctx, &sub.method, errors);
    }
    match state
        .app
        .save_risk_method(&actor, &s.org_id, sub.method.clone())
        .await
    {
        Ok(saved) => {
            Redirect::to(&format!("/risks/method?version={}", saved.data.number)).into_response()
        }
        Err(AppError::Invalid(v)) => {
            form_page(chrome, ctx, &sub.method, Errors::from_validation(v))
        }
        Err(e) => app_error(Some(chrome), e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form_of(m: &RiskMethod) -> Vec<(String, String)> {
        let mut f = vec![
            ("name".to_string(), m.name.clone()),
            ("appetite".to_string(), m.appetite.clone()),
        ];
        for (field, scale) in [("likelihood", &m.likelihood), ("impact", &m.impact)] {
            for i in 0..MAX_SCALE {
                let p = scale.get(i);
                f.push((
                    format!("{field}[{i}].label"),
                    p.map(|p| p.label.clone()).unwrap_or_default(),
                ));
                f.push((
                    format!("{field}[{i}].description"),
                    p.map(|p| p.description.clone()).unwrap_or_default(),
                ));
            }
        }
        for (i, l) in m.levels.iter().enumerate() {
            for (k, v) in [
                ("id", &l.id),
                ("was", &l.id),
                ("label", &l.label),
                ("colour", &l.colour),
                ("description", &l.description),
            ] {
                f.push((format!("levels[{i}].{k}"), v.clone()));
            }
        }
        for (l, row) in m.matrix.iter().enumerate() {
            for (i, c) in row.iter().enumerate() {
                f.push((format!("matrix[{l}][{i}]"), c.clone()));
            }
        }
        f
    }

    fn set(f: &mut [(String, String)], name: &str, value: &str) {
        for (k, v) in f.iter_mut() {
            if k == name {
                *v = value.to_string();
            }
        }
    }

    #[test]
    fn the_form_reads_back_the_method_it_shows() {
        let m = aims_app::risks::default_method().unwrap();
        let sub = read_method(&FormData(form_of(&m)));
        assert!(!sub.reshaped && sub.new_levels.is_empty());
        assert_eq!(sub.method.matrix, m.matrix);
        assert_eq!(sub.method.likelihood, m.likelihood);
        assert_eq!(sub.method.levels, m.levels);
        assert!(sub.method.validate().is_ok());
    }

    #[test]
    fn removing_a_point_removes_its_cells_and_adding_one_asks_for_new_cells() {
        let m = aims_app::risks::default_method().unwrap();
        let mut f = form_of(&m);
        // Drop likelihood point 2 (Unlikely) and add a sixth impact point.
        set(&mut f, "likelihood[1].label", "");
        set(&mut f, "likelihood[1].description", "");
        set(&mut f, "impact[5].label", "Catastrophic");
        let sub = read_method(&FormData(f));
        assert!(sub.reshaped);
        assert_eq!(sub.method.likelihood.len(), 4);
        assert_eq!(sub.method.impact.len(), 6);
        assert_eq!(
            sub.method.matrix[1],
            ["low", "medium", "medium", "high", "high", ""]
        );
        assert_eq!(sub.fresh, [(0, 5), (1, 5), (2, 5), (3, 5)]);
        let e = regrid_errors(&sub);
        assert!(exact(&e, "matrix").contains("4 new cell(s)"));
        assert_eq!(e.of("matrix[2][5]"), "a new cell: choose a level");
        assert!(e.of("matrix[2][4]").is_empty());
    }

    #[test]
    fn a_renamed_level_keeps_its_cells_and_a_new_one_is_offered_before_saving() {
        let m = aims_app::risks::default_method().unwrap();
        let mut f = form_of(&m);
        set(&mut f, "levels[1].id", "moderate");
        f.push(("levels[4].id".into(), "severe".into()));
        f.push(("levels[4].label".into(), "Severe".into()));
        f.push(("levels[4].colour".into(), "#6a1b9a".into()));
        let sub = read_method(&FormData(f));
        assert_eq!(sub.method.appetite, "moderate");
        assert_eq!(sub.method.matrix[0][3], "moderate");
        assert_eq!(sub.new_levels, ["Severe"]);
        assert!(!sub.reshaped);
    }

    #[test]
    fn cell_names_parse() {
        assert_eq!(matrix_cell("matrix[2][3]"), Some((2, 3)));
        assert_eq!(matrix_cell("matrix[2]"), None);
        assert_eq!(matrix_cell("matrix[x][3]"), None);
    }
}
