//! The organization's implementation of controls: one record per Annex A control it has decided on, and one per
//! control of its own. The Statement of Applicability is computed from these, the risk treatments and the
//! impact assessments.

use crate::ValidationError;
use crate::error::{MAX_NAME, MAX_TEXT};
use crate::vocab::{ImplementationStatus, InclusionKind};
use serde::{Deserialize, Serialize};

/// Framework id of the organization's own controls.
pub const ORG_FRAMEWORK: &str = "org";

/// A reason to include a control, other than the risks it treats (those are found from the treatment plans).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InclusionReason {
    /// Kind of reason ([`InclusionKind`]).
    pub kind: String,
    /// What the reason points at: a law article, a contract, an interested party, an assessment.
    pub reference: String,
    /// Short explanation.
    #[serde(default)]
    pub note: String,
}

/// A control the organization relies on a certified supplier for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inheritance {
    /// The supplier (id from the supplier register).
    pub supplier_id: String,
    /// Certificate the inheritance rests on: one of the supplier's certificate numbers, or the certified standard
    /// (`ISO/IEC 42001:2023`) when the supplier register holds that certificate without a number.
    pub certificate_id: String,
    /// What the supplier covers and what stays with the organization.
    #[serde(default)]
    pub note: String,
}

/// How the organization implements one control.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlImplementation {
    /// Control identifier: an Annex A control (`A.6.2.4`) or the organization's own (`ORG-1`).
    pub control: String,
    /// Title; required for the organization's own controls, taken from the catalogue for Annex A.
    #[serde(default)]
    pub title: String,
    /// Implementation status ([`ImplementationStatus`]); `not_applicable` excludes the control.
    #[serde(default = "default_status")]
    pub status: String,
    /// Accountable owner.
    #[serde(default)]
    pub owner: String,
    /// How the control is met.
    #[serde(default)]
    pub description: String,
    /// Why the control is excluded; required when the status is `not_applicable`.
    #[serde(default)]
    pub justification: String,
    /// Reasons to include it besides the risks it treats.
    #[serde(default)]
    pub reasons: Vec<InclusionReason>,
    /// Set when a certified supplier provides the control.
    #[serde(default)]
    pub inherited: Option<Inheritance>,
    /// Links to evidence (documents, records, tickets).
    #[serde(default)]
    pub evidence: Vec<String>,
    /// Target date for planned work (YYYY-MM-DD); empty when none.
    #[serde(default)]
    pub target_date: String,
}

fn default_status() -> String {
    ImplementationStatus::NotStarted.as_str().to_string()
}

impl ControlImplementation {
    /// A control with nothing decided yet (status `not_started`, every other field empty): the starting point of
    /// a form for a control without a record, and of records built in code.
    pub fn new(control: &str) -> Self {
        Self {
            control: control.to_string(),
            title: String::new(),
            status: default_status(),
            owner: String::new(),
            description: String::new(),
            justification: String::new(),
            reasons: vec![],
            inherited: None,
            evidence: vec![],
            target_date: String::new(),
        }
    }

    /// Whether the control is excluded from the Statement of Applicability.
    pub fn is_excluded(&self) -> bool {
        self.status == ImplementationStatus::NotApplicable.as_str()
    }

    /// Normalises and validates. `annex_a` are the catalogue's control identifiers; a control outside it is the
    /// organization's own and needs a title.
    pub fn normalise_and_validate(&mut self, annex_a: &[String]) -> Result<(), ValidationError> {
        let mut errs = ValidationError::default();
        errs.trimmed("control", &mut self.control, 40);
        let own = !annex_a.iter().any(|c| c == &self.control);
        if own {
            let shaped = self
                .control
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
                && self
                    .control
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
            if !self.control.is_empty() && !shaped {
                errs.push(
                    "control",
                    format!(
                        "'{}' is not a control identifier: start with a letter and use letters, digits, '.', '-' or '_' (e.g. ORG-1)",
                        self.control
                    ),
                );
            }
            if self.control.starts_with("A.") {
                errs.push(
                    "control",
                    format!("'{}' is not an Annex A control; name your own controls without the 'A.' prefix", self.control),
                );
            }
            errs.required("title", &self.title, MAX_NAME);
        } else {
            errs.text("title", &self.title, MAX_NAME);
        }
        errs.vocab("status", &mut self.status, ImplementationStatus::parse);
        errs.text("owner", &self.owner, MAX_NAME);
        errs.text("description", &self.description, MAX_TEXT);
        errs.text("justification", &self.justification, MAX_TEXT);
        if self.is_excluded() && self.justification.trim().is_empty() {
            errs.push(
                "justification",
                "an excluded control (status not_applicable) needs a justification",
            );
        }
        for (i, r) in self.reasons.iter_mut().enumerate() {
            let f = |x: &str| format!("reasons[{i}].{x}");
            errs.vocab(&f("kind"), &mut r.kind, InclusionKind::parse);
            errs.required(&f("reference"), &r.reference, MAX_NAME);
            errs.text(&f("note"), &r.note, MAX_TEXT);
        }
        if let Some(inh) = &mut self.inherited {
            errs.id("inherited.supplier_id", &mut inh.supplier_id);
            errs.required("inherited.certificate_id", &inh.certificate_id, MAX_NAME);
            errs.text("inherited.note", &inh.note, MAX_TEXT);
        }
        errs.each_required("evidence", &self.evidence, 2_000);
        errs.date_or_empty("target_date", &self.target_date);
        errs.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(id: &str) -> ControlImplementation {
        ControlImplementation {
            title: "Own control".into(),
            status: "planned".into(),
            ..ControlImplementation::new(id)
        }
    }

    #[test]
    fn own_control_ids_have_a_plain_shape() {
        let annex_a = vec!["A.2.2".to_string()];
        for ok in ["ORG-1", "NW.2", "sec_policy_3"] {
            assert!(own(ok).normalise_and_validate(&annex_a).is_ok(), "{ok}");
        }
        for bad in ["6.1.2", "ORG 1", "A.99", "-x", "ORG/1"] {
            let e = own(bad).normalise_and_validate(&annex_a).unwrap_err();
            assert_eq!(e.errors[0].field, "control", "{bad}");
        }
        let mut excluded = own("A.2.2");
        excluded.status = "not_applicable".into();
        let e = excluded.normalise_and_validate(&annex_a).unwrap_err();
        assert_eq!(e.errors[0].field, "justification");
    }
}
