//! AI system impact assessment (6.1.4, 8.4, A.5), shaped after ISO/IEC 42005: per AI system and version, what the
//! system is and where it runs, who it affects, its benefits and harms per area with severity, likelihood and
//! reversibility, the measures taken, human oversight, approval and when to assess again. The EU AI Act Art. 27
//! fundamental-rights impact assessment is the same record filled from another template.

use crate::ValidationError;
use crate::error::{MAX_NAME, MAX_TEXT};
use crate::risk::{Acceptance, RiskMethod, Score, check_controls};
use crate::vocab::{
    AffectedKind, AssessmentStatus, ImpactArea, ImpactNature, ReassessmentTrigger, Reversibility,
};
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
        errs.id("system_id", &mut self.system_id);
        errs.trimmed("title", &mut self.title, MAX_NAME);
        errs.text("system_version", &self.system_version, MAX_NAME);
        errs.vocab("status", &mut self.status, AssessmentStatus::parse);
        for (f, v) in [
            ("scope", &self.scope),
            ("system_info", &self.system_info),
            ("data_info", &self.data_info),
            ("model_info", &self.model_info),
            ("deployment_context", &self.deployment_context),
            ("human_oversight", &self.human_oversight),
        ] {
            errs.text(f, v, MAX_TEXT);
        }
        for (i, a) in self.affected.iter_mut().enumerate() {
            let f = |x: &str| format!("affected[{i}].{x}");
            errs.required(&f("name"), &a.name, MAX_NAME);
            errs.vocab(&f("kind"), &mut a.kind, AffectedKind::parse);
            errs.text(&f("note"), &a.note, MAX_TEXT);
        }
        let names: Vec<String> = self.affected.iter().map(|a| a.name.clone()).collect();
        for (i, m) in self.impacts.iter_mut().enumerate() {
            let f = |x: &str| format!("impacts[{i}].{x}");
            errs.vocab(&f("area"), &mut m.area, ImpactArea::parse);
            errs.vocab(&f("nature"), &mut m.nature, ImpactNature::parse);
            errs.vocab(
                &f("reversibility"),
                &mut m.reversibility,
                Reversibility::parse,
            );
            errs.required(&f("description"), &m.description, MAX_TEXT);
            errs.text(&f("measures"), &m.measures, MAX_TEXT);
            errs.on_scale(&f("severity"), m.severity, "impact", method.impact.len());
            errs.on_scale(
                &f("likelihood"),
                m.likelihood,
                "likelihood",
                method.likelihood.len(),
            );
            for (j, a) in m.affected.iter().enumerate() {
                if !names.contains(a) {
                    errs.push(
                        format!("impacts[{i}].affected[{j}]"),
                        format!("'{a}' is not one of the affected parties listed"),
                    );
                }
            }
            check_controls(&mut errs, &f("controls"), &m.controls, known_controls);
            errs.id_or_empty(&f("risk_id"), &mut m.risk_id);
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
            errs.text(&format!("answers.{k}"), v, MAX_TEXT);
        }
        for (i, t) in self.triggers.iter_mut().enumerate() {
            errs.vocab(&format!("triggers[{i}]"), t, ReassessmentTrigger::parse);
        }
        crate::risk::dedup(&mut self.triggers);
        errs.date_or_empty("next_review", &self.next_review);
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
