//! Reading the submitted method form, resizing the matrix to changed scales and asking for the new cells.

use crate::pages::form::{Errors, FormData, lines};
use aims_domain::risk::{RiskLevel, RiskMethod, ScalePoint};
use std::collections::HashMap;

/// The method as the form sent it, read into the shape the form shows next.
pub(super) struct Submitted {
    /// The method as read, its matrix resized to its scales.
    pub(super) method: RiskMethod,
    /// Whether the scales no longer match the grid the form showed.
    pub(super) reshaped: bool,
    /// Cells of the resized grid that the form did not show (`(likelihood, impact)`, 0-based).
    pub(super) fresh: Vec<(usize, usize)>,
    /// Levels added in the form that no cell could name yet (labels).
    pub(super) new_levels: Vec<String>,
}

fn matrix_cell(name: &str) -> Option<(usize, usize)> {
    let rest = name.strip_prefix("matrix[")?.strip_suffix(']')?;
    let (l, i) = rest.split_once("][")?;
    Some((l.parse().ok()?, i.parse().ok()?))
}

/// Reads the form. Empty scale and level rows are dropped; the matrix follows the rows that stay, so that removing
/// a point removes its row or column of cells; a renamed level keeps its cells and the appetite.
pub(super) fn read_method(f: &FormData) -> Submitted {
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
pub(super) fn regrid_errors(sub: &Submitted) -> Errors {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::method::form::exact;
    use aims_domain::risk::MAX_SCALE;

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
