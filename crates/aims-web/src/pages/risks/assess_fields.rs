//! The assessment part of a form, shared by the new-risk form and the re-assessment form.

use crate::pages::form::{Errors, FormData, Opt, scale_options};
use aims_domain::risk::{RiskAssessment, RiskMethod, Score};

/// The assessment part of a form: raw values and the options of every select.
pub struct AssessFields {
    /// Date.
    pub date: String,
    /// Assessor.
    pub assessor: String,
    /// Reasoning.
    pub note: String,
    /// Selects: (field suffix, legend, likelihood options, impact options).
    pub scores: Vec<ScoreSelect>,
    /// Dimension checkboxes.
    pub dimensions: Vec<Opt>,
    /// Scale descriptions for the help table.
    pub likelihood_help: Vec<(String, String)>,
    /// Scale descriptions for the help table.
    pub impact_help: Vec<(String, String)>,
    /// Whether the assessment may be left empty (the new-risk form).
    pub optional: bool,
}

/// One pair of score selects.
pub struct ScoreSelect {
    /// `inherent`, `current` or `residual`.
    pub key: &'static str,
    /// Legend.
    pub legend: &'static str,
    /// Hint.
    pub hint: &'static str,
    /// Likelihood options.
    pub likelihood: Vec<Opt>,
    /// Impact options.
    pub impact: Vec<Opt>,
}

const SCORES: [(&str, &str, &str); 3] = [
    ("inherent", "Inherent", "before any control"),
    ("current", "Current", "with the controls in place today"),
    (
        "residual",
        "Residual",
        "expected once the treatment is done",
    ),
];

impl AssessFields {
    fn new(
        m: &RiskMethod,
        values: &dyn Fn(&str) -> String,
        dims: &[String],
        optional: bool,
    ) -> AssessFields {
        AssessFields {
            date: values("date"),
            assessor: values("assessor"),
            note: values("note"),
            scores: SCORES
                .iter()
                .map(|(key, legend, hint)| ScoreSelect {
                    key,
                    legend,
                    hint,
                    likelihood: scale_options(
                        &m.likelihood,
                        &values(&format!("{key}.likelihood")),
                        optional,
                    ),
                    impact: scale_options(&m.impact, &values(&format!("{key}.impact")), optional),
                })
                .collect(),
            dimensions: Opt::many(
                m.impact_dimensions.iter().map(|d| (d.clone(), d.clone())),
                dims.iter().map(String::as_str),
            ),
            likelihood_help: m
                .likelihood
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("{} · {}", i + 1, p.label), p.description.clone()))
                .collect(),
            impact_help: m
                .impact
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("{} · {}", i + 1, p.label), p.description.clone()))
                .collect(),
            optional,
        }
    }

    /// The fields as a submitted form filled them in.
    pub(super) fn from_form(m: &RiskMethod, f: &FormData, optional: bool) -> AssessFields {
        AssessFields::new(
            m,
            &|k| f.get(&format!("assessment.{k}")),
            &f.all("assessment.dimensions"),
            optional,
        )
    }

    /// The fields filled in from an earlier assessment (or blank), for a form shown afresh.
    pub(super) fn from_assessment(
        m: &RiskMethod,
        a: Option<&RiskAssessment>,
        assessor: &str,
        optional: bool,
    ) -> AssessFields {
        let today = aims_app::today();
        AssessFields::new(
            m,
            &|k| match (k, a) {
                ("date", _) => today.clone(),
                ("assessor", _) => assessor.to_string(),
                ("note", _) => String::new(),
                (k, Some(a)) => {
                    let (which, part) = k.split_once('.').unwrap_or((k, ""));
                    let s = match which {
                        "inherent" => a.inherent,
                        "current" => a.current,
                        _ => a.residual,
                    };
                    if part == "likelihood" {
                        s.likelihood.to_string()
                    } else {
                        s.impact.to_string()
                    }
                }
                _ => String::new(),
            },
            &a.map(|a| a.dimensions.clone()).unwrap_or_default(),
            optional,
        )
    }
}

/// Reads the assessment part of a form. `None` when the part is optional and no score was chosen.
pub(super) fn read_assessment(
    f: &FormData,
    optional: bool,
) -> Result<Option<RiskAssessment>, Errors> {
    let keys = ["likelihood", "impact"];
    let raw: Vec<(String, String)> = SCORES
        .iter()
        .flat_map(|(s, _, _)| keys.iter().map(move |k| format!("assessment.{s}.{k}")))
        .map(|name| {
            let v = f.text(&name);
            (name, v)
        })
        .collect();
    if optional && raw.iter().all(|(_, v)| v.is_empty()) {
        return Ok(None);
    }
    let mut errs = Errors::default();
    let mut n = |name: &str| -> i64 {
        let v = raw
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        match v.parse::<i64>() {
            Ok(x) => x,
            Err(_) => {
                errs.0.push((
                    name.to_string(),
                    if v.is_empty() {
                        "choose a point of the scale".to_string()
                    } else {
                        format!("'{v}' is not a point of the scale")
                    },
                ));
                0
            }
        }
    };
    let score = |which: &str, n: &mut dyn FnMut(&str) -> i64| Score {
        likelihood: n(&format!("assessment.{which}.likelihood")),
        impact: n(&format!("assessment.{which}.impact")),
    };
    let inherent = score("inherent", &mut n);
    let current = score("current", &mut n);
    let residual = score("residual", &mut n);
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(Some(RiskAssessment {
        date: f.text("assessment.date"),
        assessor: f.text("assessment.assessor"),
        method_version: 0,
        inherent,
        current,
        residual,
        levels: Default::default(),
        dimensions: f.all("assessment.dimensions"),
        note: f.get("assessment.note").trim().to_string(),
    }))
}
