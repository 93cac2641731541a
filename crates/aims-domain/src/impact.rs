//! AI system impact assessment (6.1.4, 8.4, A.5), shaped after ISO/IEC 42005: per AI system and version, what the
//! system is and where it runs, who it affects, its benefits and harms per area with severity, likelihood and
//! reversibility, the measures taken, human oversight, approval and when to assess again. The EU AI Act Art. 27
//! fundamental-rights impact assessment is the same record filled from another template.

use crate::context::parse_date;
use crate::error::{MAX_NAME, MAX_TEXT, check_len, check_required_text};
use crate::inventory::normalise;
use crate::risk::{Acceptance, RiskMethod, Score};
use crate::vocab::{
    AffectedKind, AssessmentStatus, ImpactArea, ImpactNature, ReassessmentTrigger, Reversibility,
};
use crate::{ValidationError, parse_id};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A person, group or society the system affects.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AffectedParty {
    /// Who ("job applicants", "older customers").
    pub name: String,
    /// Kind ([`AffectedKind`]).
    pub kind: String,
    /// Whether the group is vulnerable (children, elderly, people with disabilities, workers …).
    #[serde(default)]
    pub vulnerable: bool,
    /// How they are affected.
    #[serde(default)]
    pub note: String,
}

/// One benefit or harm.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Impact {
    /// Area ([`ImpactArea`]).
    pub area: String,
    /// Benefit or harm ([`ImpactNature`]).
    pub nature: String,
    /// What happens, to whom.
    pub description: String,
    /// Affected parties (names from the list above).
    #[serde(default)]
    pub affected: Vec<String>,
    /// Severity on the risk method's impact scale.
    pub severity: i64,
    /// Likelihood on the risk method's likelihood scale.
    pub likelihood: i64,
    /// How far it can be undone ([`Reversibility`]).
    #[serde(default = "default_reversibility")]
    pub reversibility: String,
    /// Measures that reduce the harm or strengthen the benefit.
    #[serde(default)]
    pub measures: String,
    /// Controls the measures rely on (Annex A or the organization's own).
    #[serde(default)]
    pub controls: Vec<String>,
    /// The register risk this harm is tracked as (set by aims when the harm lies above the risk appetite).
    #[serde(default)]
    pub risk_id: String,
}

fn default_reversibility() -> String {
    Reversibility::Reversible.as_str().to_string()
}

impl Impact {
    /// The impact as a risk score.
    pub fn score(&self) -> Score {
        Score {
            likelihood: self.likelihood,
            impact: self.severity,
        }
    }

    /// Whether this is a harm.
    pub fn is_harm(&self) -> bool {
        self.nature == ImpactNature::Harm.as_str()
    }
}

/// An AI system impact assessment.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImpactAssessment {
    /// The AI system assessed.
    pub system_id: String,
    /// The system version assessed (model or release).
    #[serde(default)]
    pub system_version: String,
    /// Template the assessment follows (`default` or `eu-fria`).
    #[serde(default = "default_template")]
    pub template: String,
    /// Title.
    pub title: String,
    /// State ([`AssessmentStatus`]); set to approved by the approval step only.
    #[serde(default = "default_status")]
    pub status: String,
    /// What the assessment covers and leaves out.
    #[serde(default)]
    pub scope: String,
    /// The system: description, functions, purpose, intended and unintended uses.
    #[serde(default)]
    pub system_info: String,
    /// Data: sources, categories, personal data, quality and known bias.
    #[serde(default)]
    pub data_info: String,
    /// Algorithm and model: type, third-party models, explainability.
    #[serde(default)]
    pub model_info: String,
    /// Where and how it is deployed: geography, languages, processes, period and frequency of use.
    #[serde(default)]
    pub deployment_context: String,
    /// Who is affected.
    #[serde(default)]
    pub affected: Vec<AffectedParty>,
    /// Benefits and harms.
    #[serde(default)]
    pub impacts: Vec<Impact>,
    /// The role of people, and the oversight mechanisms.
    #[serde(default)]
    pub human_oversight: String,
    /// Answers to the template's own questions, by question id.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    /// Events that call for a new assessment ([`ReassessmentTrigger`]).
    #[serde(default)]
    pub triggers: Vec<String>,
    /// When the assessment is due again (YYYY-MM-DD).
    #[serde(default)]
    pub next_review: String,
    /// Approval, once given.
    #[serde(default)]
    pub approval: Option<Acceptance>,
}

fn default_template() -> String {
    "default".to_string()
}

fn default_status() -> String {
    AssessmentStatus::Draft.as_str().to_string()
}

impl ImpactAssessment {
    /// Normalises and validates against the risk method (whose scales score the impacts), the known control
    /// identifiers and the template's question ids.
    pub fn normalise_and_validate(
        &mut self,
        method: &RiskMethod,
        known_controls: &[String],
        template_questions: &[String],
    ) -> Result<(), ValidationError> {
        let mut errs = ValidationError::default();
        match parse_id("system_id", &self.system_id) {
            Ok(v) => self.system_id = v,
            Err(e) => errs.errors.extend(e.errors),
        }
        self.title = self.title.trim().to_string();
        check_required_text(&mut errs, "title", &self.title, MAX_NAME);
        check_len(&mut errs, "system_version", &self.system_version, MAX_NAME);
        normalise(
            &mut errs,
            "status",
            &mut self.status,
            AssessmentStatus::parse,
            false,
        );
        for (f, v) in [
            ("scope", &self.scope),
            ("system_info", &self.system_info),
            ("data_info", &self.data_info),
            ("model_info", &self.model_info),
            ("deployment_context", &self.deployment_context),
            ("human_oversight", &self.human_oversight),
        ] {
            check_len(&mut errs, f, v, MAX_TEXT);
        }
        for (i, a) in self.affected.iter_mut().enumerate() {
            check_required_text(&mut errs, &format!("affected[{i}].name"), &a.name, MAX_NAME);
            normalise(
                &mut errs,
                &format!("affected[{i}].kind"),
                &mut a.kind,
                AffectedKind::parse,
                false,
            );
            check_len(&mut errs, &format!("affected[{i}].note"), &a.note, MAX_TEXT);
        }
        let names: Vec<String> = self.affected.iter().map(|a| a.name.clone()).collect();
        for (i, m) in self.impacts.iter_mut().enumerate() {
            let f = |x: &str| format!("impacts[{i}].{x}");
            normalise(&mut errs, &f("area"), &mut m.area, ImpactArea::parse, false);
            normalise(
                &mut errs,
                &f("nature"),
                &mut m.nature,
                ImpactNature::parse,
                false,
            );
            normalise(
                &mut errs,
                &f("reversibility"),
                &mut m.reversibility,
                Reversibility::parse,
                false,
            );
            check_required_text(&mut errs, &f("description"), &m.description, MAX_TEXT);
            check_len(&mut errs, &f("measures"), &m.measures, MAX_TEXT);
            if m.severity < 1 || m.severity > method.impact.len() as i64 {
                errs.push(
                    f("severity"),
                    format!(
                        "{} is outside the impact scale 1–{}",
                        m.severity,
                        method.impact.len()
                    ),
                );
            }
            if m.likelihood < 1 || m.likelihood > method.likelihood.len() as i64 {
                errs.push(
                    f("likelihood"),
                    format!(
                        "{} is outside the likelihood scale 1–{}",
                        m.likelihood,
                        method.likelihood.len()
                    ),
                );
            }
            for (j, a) in m.affected.iter().enumerate() {
                if !names.contains(a) {
                    errs.push(
                        format!("impacts[{i}].affected[{j}]"),
                        format!("'{a}' is not one of the affected parties listed"),
                    );
                }
            }
            for (j, c) in m.controls.iter().enumerate() {
                if !known_controls.contains(c) {
                    errs.push(
                        format!("impacts[{i}].controls[{j}]"),
                        format!("'{c}' is neither an Annex A control nor one of the organization's controls"),
                    );
                }
            }
            if !m.risk_id.is_empty() {
                match parse_id(&f("risk_id"), &m.risk_id) {
                    Ok(v) => m.risk_id = v,
                    Err(e) => errs.errors.extend(e.errors),
                }
            }
        }
        for k in self.answers.keys() {
            if !template_questions.contains(k) {
                errs.push(
                    format!("answers.{k}"),
                    format!(
                        "is not a question of template '{}'; expected one of: {}",
                        self.template,
                        template_questions.join(", ")
                    ),
                );
            }
        }
        for (k, v) in &self.answers {
            check_len(&mut errs, &format!("answers.{k}"), v, MAX_TEXT);
        }
        for (i, t) in self.triggers.iter_mut().enumerate() {
            normalise(
                &mut errs,
                &format!("triggers[{i}]"),
                t,
                ReassessmentTrigger::parse,
                false,
            );
        }
        crate::risk::dedup(&mut self.triggers);
        if !self.next_review.is_empty() && parse_date(&self.next_review).is_none() {
            errs.push(
                "next_review",
                format!("'{}' is not a date written as YYYY-MM-DD", self.next_review),
            );
        }
        if let Some(a) = &self.approval {
            a.validate("approval", &mut errs);
        }
        errs.into_result()
    }

    /// Indexes of the harms that lie above the method's risk appetite.
    pub fn harms_above_appetite(&self, method: &RiskMethod) -> Vec<usize> {
        self.impacts
            .iter()
            .enumerate()
            .filter(|(_, m)| m.is_harm() && method.exceeds_appetite(&m.score()))
            .map(|(i, _)| i)
            .collect()
    }
}
