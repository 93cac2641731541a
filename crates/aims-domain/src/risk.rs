//! AI risk management (6.1.1–6.1.3, 8.2, 8.3): the organization's risk method as data, the risk register with
//! dated assessments that are never overwritten, and treatment plans with the controls they rely on.

use crate::ValidationError;
use crate::error::{MAX_NAME, MAX_TEXT};
use crate::vocab::{RiskStatus, TaskStatus, TreatmentOption, TreatmentStatus};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Most points a likelihood or impact scale may have.
pub const MAX_SCALE: usize = 10;

/// One point of a likelihood or impact scale.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScalePoint {
    /// Short label ("Rare", "Severe").
    pub label: String,
    /// What the point means, so two assessors score alike.
    #[serde(default)]
    pub description: String,
}

/// A risk level of the matrix (low, medium, high, critical …), ordered from least to most severe.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskLevel {
    /// Stable identifier used in the matrix (`high`).
    pub id: String,
    /// Display label.
    pub label: String,
    /// Colour for heat maps, `#rrggbb`.
    pub colour: String,
    /// What the organization does with a risk at this level.
    #[serde(default)]
    pub description: String,
}

/// How the organization scores AI risks (6.1.1): scales, the matrix that turns a likelihood and an impact into a
/// level, the impact dimensions considered and the risk appetite. Every change makes a new numbered version, and
/// each assessment records the version that scored it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskMethod {
    /// Version number, assigned when the version is saved (1, 2, …).
    #[serde(default)]
    pub number: i64,
    /// Name of the method.
    pub name: String,
    /// Likelihood scale, least likely first; a score is the 1-based position.
    pub likelihood: Vec<ScalePoint>,
    /// Impact scale, least severe first; a score is the 1-based position.
    pub impact: Vec<ScalePoint>,
    /// Risk levels, least severe first.
    pub levels: Vec<RiskLevel>,
    /// `matrix[l-1][i-1]` is the level id for likelihood `l` and impact `i`; every cell must be filled.
    pub matrix: Vec<Vec<String>>,
    /// Whom impacts are judged for (the organization, individuals, groups, society).
    #[serde(default)]
    pub impact_dimensions: Vec<String>,
    /// The most severe level the organization accepts without treatment (risk appetite).
    pub appetite: String,
    /// Why this version was made.
    #[serde(default)]
    pub note: String,
}

/// A likelihood and an impact on the method's scales.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Score {
    /// Position on the likelihood scale, from 1.
    pub likelihood: i64,
    /// Position on the impact scale, from 1.
    pub impact: i64,
}

impl RiskMethod {
    /// Checks the scales, the matrix (no holes, only known levels) and the appetite.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut errs = ValidationError::default();
        errs.required("name", &self.name, MAX_NAME);
        errs.text("note", &self.note, MAX_TEXT);
        for (field, scale) in [("likelihood", &self.likelihood), ("impact", &self.impact)] {
            if scale.len() < 2 || scale.len() > MAX_SCALE {
                errs.push(
                    field,
                    format!(
                        "has {} points; a scale needs between 2 and {MAX_SCALE}",
                        scale.len()
                    ),
                );
            }
            for (i, p) in scale.iter().enumerate() {
                errs.required(&format!("{field}[{i}].label"), &p.label, MAX_NAME);
                errs.text(
                    &format!("{field}[{i}].description"),
                    &p.description,
                    MAX_TEXT,
                );
            }
        }
        let mut ids = HashSet::new();
        if self.levels.is_empty() {
            errs.push("levels", "at least one risk level is needed");
        }
        for (i, l) in self.levels.iter().enumerate() {
            errs.required(&format!("levels[{i}].id"), &l.id, 40);
            errs.required(&format!("levels[{i}].label"), &l.label, MAX_NAME);
            if !is_colour(&l.colour) {
                errs.push(
                    format!("levels[{i}].colour"),
                    format!("'{}' is not a colour written as #rrggbb", l.colour),
                );
            }
            if !ids.insert(l.id.as_str()) {
                errs.push(
                    format!("levels[{i}].id"),
                    format!("level '{}' is defined twice", l.id),
                );
            }
        }
        if self.matrix.len() != self.likelihood.len() {
            errs.push(
                "matrix",
                format!(
                    "has {} rows; the likelihood scale has {} points and each needs a row",
                    self.matrix.len(),
                    self.likelihood.len()
                ),
            );
        }
        for (r, row) in self.matrix.iter().enumerate() {
            if row.len() != self.impact.len() {
                errs.push(
                    format!("matrix[{r}]"),
                    format!(
                        "has {} cells; the impact scale has {} points and each needs a level",
                        row.len(),
                        self.impact.len()
                    ),
                );
            }
            for (c, cell) in row.iter().enumerate() {
                if !ids.contains(cell.as_str()) {
                    errs.push(
                        format!("matrix[{r}][{c}]"),
                        if cell.trim().is_empty() {
                            "is empty; every cell needs a risk level".to_string()
                        } else {
                            format!("names unknown level '{cell}'")
                        },
                    );
                }
            }
        }
        if !ids.contains(self.appetite.as_str()) {
            errs.push(
                "appetite",
                format!("'{}' is not one of the levels", self.appetite),
            );
        }
        errs.each_required("impact_dimensions", &self.impact_dimensions, MAX_NAME);
        errs.into_result()
    }

    /// Checks that a score lies on this method's scales, naming `field` otherwise.
    pub fn check_score(&self, errs: &mut ValidationError, field: &str, s: &Score) {
        errs.on_scale(
            &format!("{field}.likelihood"),
            s.likelihood,
            "likelihood",
            self.likelihood.len(),
        );
        errs.on_scale(
            &format!("{field}.impact"),
            s.impact,
            "impact",
            self.impact.len(),
        );
    }

    /// The level of a score, if the score lies on the scales.
    pub fn level_of(&self, s: &Score) -> Option<&RiskLevel> {
        let row = self.matrix.get(usize::try_from(s.likelihood - 1).ok()?)?;
        let id = row.get(usize::try_from(s.impact - 1).ok()?)?;
        self.levels.iter().find(|l| &l.id == id)
    }

    /// Position of a level in the ordering (0 = least severe).
    pub fn rank(&self, level_id: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.id == level_id)
    }

    /// Whether a score lies above the risk appetite, so that it must be treated.
    pub fn exceeds_appetite(&self, s: &Score) -> bool {
        match (
            self.level_of(s).and_then(|l| self.rank(&l.id)),
            self.rank(&self.appetite),
        ) {
            (Some(level), Some(appetite)) => level > appetite,
            _ => false,
        }
    }
}

fn is_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// One dated assessment of a risk. A re-assessment adds a new one; earlier ones are never changed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskAssessment {
    /// Day of the assessment (YYYY-MM-DD).
    pub date: String,
    /// Who assessed.
    #[serde(default)]
    pub assessor: String,
    /// Version of the risk method that scored it (set by aims).
    #[serde(default)]
    pub method_version: i64,
    /// Before any control.
    pub inherent: Score,
    /// With the controls in place today.
    pub current: Score,
    /// Expected once the treatment plan is done.
    pub residual: Score,
    /// Level ids of the three scores under that method (set by aims).
    #[serde(default)]
    pub levels: AssessedLevels,
    /// Impact dimensions considered (the organization, individuals, groups, society).
    #[serde(default)]
    pub dimensions: Vec<String>,
    /// Reasoning behind the scores.
    #[serde(default)]
    pub note: String,
}

/// The levels the method gave an assessment's three scores.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[serde(deny_unknown_fields)]
pub struct AssessedLevels {
    /// Level of the inherent score.
    pub inherent: String,
    /// Level of the current score.
    pub current: String,
    /// Level of the residual score.
    pub residual: String,
}

impl RiskAssessment {
    /// Validates the assessment against `method` and fills in the method version and levels.
    pub fn score_with(&mut self, method: &RiskMethod, field: &str, errs: &mut ValidationError) {
        errs.date(&format!("{field}.date"), &self.date);
        errs.text(&format!("{field}.assessor"), &self.assessor, MAX_NAME);
        errs.text(&format!("{field}.note"), &self.note, MAX_TEXT);
        method.check_score(errs, &format!("{field}.inherent"), &self.inherent);
        method.check_score(errs, &format!("{field}.current"), &self.current);
        method.check_score(errs, &format!("{field}.residual"), &self.residual);
        for (i, d) in self.dimensions.iter().enumerate() {
            if !method.impact_dimensions.iter().any(|m| m == d) {
                errs.push(
                    format!("{field}.dimensions[{i}]"),
                    format!(
                        "'{d}' is not an impact dimension of the method; expected one of: {}",
                        method.impact_dimensions.join(", ")
                    ),
                );
            }
        }
        self.method_version = method.number;
        let level = |s: &Score| method.level_of(s).map(|l| l.id.clone()).unwrap_or_default();
        self.levels = AssessedLevels {
            inherent: level(&self.inherent),
            current: level(&self.current),
            residual: level(&self.residual),
        };
    }
}

/// An entry of the AI risk register (6.1.2, 8.2).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    /// Short statement of the risk.
    pub title: String,
    /// Cause, event and consequence in a few sentences.
    #[serde(default)]
    pub description: String,
    /// AI systems the risk concerns (ids from the inventory).
    #[serde(default)]
    pub system_ids: Vec<String>,
    /// Risk sources: Annex C.3 identifiers (`C.3.4`) or the organization's own, written `custom:…`.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Annex C.2 objectives the risk threatens (`C.2.5`).
    #[serde(default)]
    pub objectives: Vec<String>,
    /// Accountable risk owner.
    #[serde(default)]
    pub owner: String,
    /// Next review (YYYY-MM-DD); empty when not planned.
    #[serde(default)]
    pub review_date: String,
    /// Where the risk stands ([`RiskStatus`]).
    #[serde(default = "default_risk_status")]
    pub status: String,
    /// Impact assessments whose harms this risk was raised from (`ASSESSMENT_ID#impact-index`).
    #[serde(default)]
    pub raised_from: Vec<String>,
    /// Dated assessments, oldest first; the last one is the current view.
    #[serde(default)]
    pub assessments: Vec<RiskAssessment>,
}

fn default_risk_status() -> String {
    RiskStatus::Open.as_str().to_string()
}

impl Risk {
    /// Normalises and validates the register fields (assessments are validated against the method separately).
    /// `known_sources` and `known_objectives` are the Annex C identifiers of the catalogue.
    pub fn normalise_and_validate(
        &mut self,
        known_sources: &[String],
        known_objectives: &[String],
    ) -> Result<(), ValidationError> {
        let mut errs = ValidationError::default();
        errs.trimmed("title", &mut self.title, MAX_NAME);
        errs.text("description", &self.description, MAX_TEXT);
        errs.text("owner", &self.owner, MAX_NAME);
        errs.vocab("status", &mut self.status, RiskStatus::parse);
        errs.date_or_empty("review_date", &self.review_date);
        for (i, id) in self.system_ids.iter_mut().enumerate() {
            errs.id(&format!("system_ids[{i}]"), id);
        }
        for (i, s) in self.sources.iter().enumerate() {
            let custom = s.strip_prefix("custom:").map(str::trim);
            match custom {
                Some("") => errs.push(
                    format!("sources[{i}]"),
                    "a custom source needs a name after 'custom:'",
                ),
                Some(c) => errs.text(&format!("sources[{i}]"), c, MAX_NAME),
                None if !known_sources.iter().any(|k| k == s) => errs.push(
                    format!("sources[{i}]"),
                    format!(
                        "'{s}' is not an Annex C risk source ({}); write your own as 'custom:NAME'",
                        known_sources.join(", ")
                    ),
                ),
                None => {}
            }
        }
        for (i, o) in self.objectives.iter().enumerate() {
            if !known_objectives.iter().any(|k| k == o) {
                errs.push(
                    format!("objectives[{i}]"),
                    format!(
                        "'{o}' is not an Annex C objective ({})",
                        known_objectives.join(", ")
                    ),
                );
            }
        }
        dedup(&mut self.system_ids);
        dedup(&mut self.sources);
        dedup(&mut self.objectives);
        errs.into_result()
    }

    /// The latest assessment, if the risk has been assessed.
    pub fn latest(&self) -> Option<&RiskAssessment> {
        self.assessments.last()
    }
}

/// Records each entry of `controls` that is not among `known_controls` (Annex A plus the organization's own),
/// naming it `field[i]`; treatments and impact assessments choose controls from the same list.
pub fn check_controls(
    errs: &mut ValidationError,
    field: &str,
    controls: &[String],
    known_controls: &[String],
) {
    for (i, c) in controls.iter().enumerate() {
        if !known_controls.iter().any(|k| k == c) {
            errs.push(
                format!("{field}[{i}]"),
                format!(
                    "'{c}' is neither an Annex A control nor one of the organization's controls"
                ),
            );
        }
    }
}

/// Removes repeated entries, keeping the first of each.
pub fn dedup(v: &mut Vec<String>) {
    let mut seen = HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
}

/// One task of a treatment plan.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreatmentTask {
    /// What is to be done.
    pub title: String,
    /// Who does it.
    #[serde(default)]
    pub owner: String,
    /// Due date (YYYY-MM-DD); empty when not set.
    #[serde(default)]
    pub due: String,
    /// Progress ([`TaskStatus`]).
    #[serde(default = "default_task_status")]
    pub status: String,
}

fn default_task_status() -> String {
    TaskStatus::Open.as_str().to_string()
}

/// Acceptance of the residual risk by a named person (6.1.3).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    /// Person who accepts the residual risk.
    pub by: String,
    /// Their role (e.g. "Chief Risk Officer").
    pub role: String,
    /// Day of acceptance (YYYY-MM-DD).
    pub date: String,
    /// Why the residual risk is acceptable.
    pub rationale: String,
    /// Account that recorded the acceptance (set by aims).
    #[serde(default)]
    pub recorded_by: String,
}

impl Acceptance {
    /// Checks that every part of the approval is present.
    pub fn validate(&self, field: &str, errs: &mut ValidationError) {
        errs.required(&format!("{field}.by"), &self.by, MAX_NAME);
        errs.required(&format!("{field}.role"), &self.role, MAX_NAME);
        errs.required(&format!("{field}.rationale"), &self.rationale, MAX_TEXT);
        errs.date(&format!("{field}.date"), &self.date);
    }
}

/// How a risk is treated (6.1.3, 8.3): the option, the controls chosen and the tasks that put them in place.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Treatment {
    /// The risk this plan treats.
    pub risk_id: String,
    /// Treatment option ([`TreatmentOption`]).
    pub option: String,
    /// The plan in a few sentences.
    #[serde(default)]
    pub description: String,
    /// Controls chosen: Annex A identifiers (`A.6.2.4`) or the organization's own control identifiers.
    #[serde(default)]
    pub controls: Vec<String>,
    /// Tasks with owners and due dates.
    #[serde(default)]
    pub tasks: Vec<TreatmentTask>,
    /// Progress ([`TreatmentStatus`]).
    #[serde(default = "default_treatment_status")]
    pub status: String,
    /// Residual-risk acceptance, once given.
    #[serde(default)]
    pub acceptance: Option<Acceptance>,
}

fn default_treatment_status() -> String {
    TreatmentStatus::Planned.as_str().to_string()
}

impl Treatment {
    /// Normalises and validates the plan; `known_controls` are the control identifiers the organization can
    /// choose from (Annex A plus its own).
    pub fn normalise_and_validate(
        &mut self,
        known_controls: &[String],
    ) -> Result<(), ValidationError> {
        let mut errs = ValidationError::default();
        errs.id("risk_id", &mut self.risk_id);
        errs.vocab("option", &mut self.option, TreatmentOption::parse);
        errs.vocab("status", &mut self.status, TreatmentStatus::parse);
        errs.text("description", &self.description, MAX_TEXT);
        for c in self.controls.iter_mut() {
            *c = c.trim().to_string();
        }
        check_controls(&mut errs, "controls", &self.controls, known_controls);
        dedup(&mut self.controls);
        if self.option == TreatmentOption::Modify.as_str() && self.controls.is_empty() {
            errs.push(
                "controls",
                "a 'modify' treatment needs at least one control",
            );
        }
        for (i, t) in self.tasks.iter_mut().enumerate() {
            let f = |x: &str| format!("tasks[{i}].{x}");
            errs.required(&f("title"), &t.title, MAX_NAME);
            errs.text(&f("owner"), &t.owner, MAX_NAME);
            errs.date_or_empty(&f("due"), &t.due);
            errs.vocab(&f("status"), &mut t.status, TaskStatus::parse);
        }
        if let Some(a) = &self.acceptance {
            a.validate("acceptance", &mut errs);
        }
        errs.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method() -> RiskMethod {
        let p = |l: &str| ScalePoint {
            label: l.into(),
            description: String::new(),
        };
        let lv = |id: &str, c: &str| RiskLevel {
            id: id.into(),
            label: id.into(),
            colour: c.into(),
            description: String::new(),
        };
        RiskMethod {
            number: 1,
            name: "3x3".into(),
            likelihood: vec![p("low"), p("mid"), p("high")],
            impact: vec![p("minor"), p("major"), p("severe")],
            levels: vec![
                lv("low", "#00aa00"),
                lv("medium", "#ffaa00"),
                lv("high", "#cc0000"),
            ],
            matrix: vec![
                vec!["low".into(), "low".into(), "medium".into()],
                vec!["low".into(), "medium".into(), "high".into()],
                vec!["medium".into(), "high".into(), "high".into()],
            ],
            impact_dimensions: vec!["individuals".into()],
            appetite: "low".into(),
            note: String::new(),
        }
    }

    #[test]
    fn matrix_lookup_and_appetite() {
        let m = method();
        m.validate().unwrap();
        let s = |l, i| Score {
            likelihood: l,
            impact: i,
        };
        assert_eq!(m.level_of(&s(3, 2)).unwrap().id, "high");
        assert!(m.exceeds_appetite(&s(2, 2)));
        assert!(!m.exceeds_appetite(&s(1, 2)));
        assert!(m.level_of(&s(4, 1)).is_none());
        assert!(m.level_of(&s(0, 1)).is_none());
    }

    #[test]
    fn matrix_with_a_hole_or_unknown_level_is_refused() {
        let mut m = method();
        m.matrix[1].pop();
        m.matrix[2][0] = "extreme".into();
        m.appetite = "none".into();
        let e = m.validate().unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(fields, ["matrix[1]", "matrix[2][0]", "appetite"]);
    }

    #[test]
    fn scores_outside_the_scale_are_named() {
        let m = method();
        let mut a = RiskAssessment {
            date: "2026-11-30".into(),
            assessor: String::new(),
            method_version: 0,
            inherent: Score {
                likelihood: 4,
                impact: 1,
            },
            current: Score {
                likelihood: 1,
                impact: 0,
            },
            residual: Score {
                likelihood: 1,
                impact: 1,
            },
            levels: AssessedLevels::default(),
            dimensions: vec![],
            note: String::new(),
        };
        let mut errs = ValidationError::default();
        a.score_with(&m, "assessment", &mut errs);
        let fields: Vec<&str> = errs.errors.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "assessment.inherent.likelihood",
                "assessment.current.impact"
            ]
        );
        assert_eq!(a.levels.residual, "low");
        assert_eq!(a.method_version, 1);
    }

    #[test]
    fn treatment_names_unknown_control_and_needs_full_acceptance() {
        let mut t = Treatment {
            risk_id: crate::new_id(),
            option: "Modify".into(),
            description: String::new(),
            controls: vec!["A.6.2.4".into(), "A.99".into()],
            tasks: vec![],
            status: "planned".into(),
            acceptance: Some(Acceptance {
                by: " ".into(),
                role: "CRO".into(),
                date: "2026-11-30".into(),
                rationale: "ok".into(),
                recorded_by: String::new(),
            }),
        };
        let e = t
            .normalise_and_validate(&["A.6.2.4".to_string()])
            .unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(fields, ["controls[1]", "acceptance.by"]);
        assert_eq!(t.option, "modify");
    }
}
