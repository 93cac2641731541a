//! The form that changes the risk method: its rows, the matrix selects and the page that renders them.

use super::view::{load, point_labels};
use crate::chrome::Chrome;
use crate::error::PageError;
use crate::pages::ctx::{Ctx, PageResult};
use crate::pages::form::{Errors, Opt, render_form};
use aims_domain::risk::{MAX_SCALE, RiskLevel, RiskMethod, ScalePoint};
use askama::Template;
use axum::extract::Query;
use serde::Deserialize;

/// Blank level rows offered below the levels of the method.
const BLANK_LEVEL_ROWS: usize = 2;
/// Colour of a level row not filled in yet.
const NEW_LEVEL_COLOUR: &str = "#8a94a3";

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
pub(super) fn exact(errors: &Errors, field: &str) -> String {
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
pub(super) struct FormContext {
    /// Number of the version the form started from.
    pub(super) from: i64,
    /// Number of the version in force when the form was shown.
    pub(super) based_on: i64,
    /// Number the saved version will get.
    pub(super) next: i64,
}

/// Renders the method form with its messages (422 when there are any).
pub(super) fn form_page(
    chrome: Chrome,
    ctx: FormContext,
    m: &RiskMethod,
    errors: Errors,
) -> PageResult {
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
    render_form(&page, invalid)
}

/// Query of the form: the saved version to start from (the one in force when absent).
#[derive(Debug, Deserialize, Default)]
pub struct EditQuery {
    #[serde(default)]
    from: String,
}

/// GET /risks/method/edit
pub async fn edit_form(ctx: Ctx, Query(q): Query<EditQuery>) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    if !chrome.can_approve {
        return Err(PageError::forbidden("change the risk method"));
    }
    let (current, versions, chosen) = load(&state, &s, &q.from).await?;
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
