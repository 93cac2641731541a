//! The AI system inventory: the hub every later record (risk, impact assessment, control, evidence) links to.
//! Covers clause 4.1 (intended purpose, role) and the resource documentation of A.4.2–A.4.6 and A.7.

use crate::ValidationError;
use crate::error::{MAX_NAME, MAX_TEXT};
use crate::ids::ensure_id;
use crate::vocab::{
    AiRole, AutomationLevel, ComponentKind, ComputeLocation, CustomFieldKind, DataCategory,
    HumanOversight, LifecycleStage,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything the organization records about one AI system. Field names are the stored column names and the
/// keys of the JSON/TOML input file.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AiSystem {
    /// Short name people use for the system.
    pub name: String,
    /// What the system is for.
    pub purpose: String,
    /// The uses the system is designed and approved for.
    #[serde(default)]
    pub intended_use: String,
    /// Reasonably foreseeable misuse the organization has considered.
    #[serde(default)]
    pub foreseeable_misuse: String,
    /// Accountable owner (person or role).
    #[serde(default)]
    pub owner: String,
    /// Business unit that runs or sponsors the system.
    #[serde(default)]
    pub business_unit: String,
    /// Current life-cycle stage ([`LifecycleStage`]).
    #[serde(default = "default_stage")]
    pub lifecycle_stage: String,
    /// The organization's role for this system ([`AiRole`]).
    #[serde(default = "default_role")]
    pub org_role: String,
    /// Whether the system falls inside the AIMS scope.
    #[serde(default = "default_true")]
    pub in_scope: bool,
    /// How far the system acts on its own ([`AutomationLevel`]); empty when not yet determined.
    #[serde(default)]
    pub automation_level: String,
    /// Kind of human oversight ([`HumanOversight`]); empty when not yet determined.
    #[serde(default)]
    pub human_oversight: String,
    /// How oversight works in practice.
    #[serde(default)]
    pub oversight_notes: String,
    /// People, groups or society affected by the system's outputs.
    #[serde(default)]
    pub affected_parties: Vec<String>,
    /// Datasets the system is built or run with (A.4.3, A.7).
    #[serde(default)]
    pub data_resources: Vec<DataResource>,
    /// Models and their versions (A.4.4).
    #[serde(default)]
    pub models: Vec<ModelInfo>,
    /// Tools used to build, evaluate and run the system (A.4.4).
    #[serde(default)]
    pub tooling: Vec<Tool>,
    /// System and computing resources (A.4.5).
    #[serde(default)]
    pub compute: Vec<Compute>,
    /// People and competences involved (A.4.6).
    #[serde(default)]
    pub people: Vec<PersonRole>,
    /// Third-party components and who supplies them (A.10.3).
    #[serde(default)]
    pub components: Vec<Component>,
    /// Values of organization-defined custom fields, by field key.
    #[serde(default)]
    pub custom_fields: BTreeMap<String, serde_json::Value>,
    /// Date (YYYY-MM-DD) the system was retired; empty while in use.
    #[serde(default)]
    pub retired_on: String,
    /// Why the system was retired.
    #[serde(default)]
    pub retired_reason: String,
}

fn default_stage() -> String {
    LifecycleStage::Idea.as_str().to_string()
}
fn default_role() -> String {
    AiRole::Deployer.as_str().to_string()
}
fn default_true() -> bool {
    true
}

/// An AI system as a list shows it: the fields people scan and sort by. Lists return these so that a page of
/// fifty systems costs a few columns each; the full record is one request away.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AiSystemSummary {
    /// Record id (UUIDv7).
    pub id: String,
    /// Version (the `ETag` of the full record).
    pub version: i64,
    /// Last change, RFC 3339 UTC.
    pub updated_at: String,
    /// Name.
    pub name: String,
    /// What the system is for.
    pub purpose: String,
    /// Accountable owner.
    pub owner: String,
    /// Business unit.
    pub business_unit: String,
    /// Life-cycle stage.
    pub lifecycle_stage: String,
    /// The organization's role for it.
    pub org_role: String,
    /// Inside the AIMS scope.
    pub in_scope: bool,
}

/// A dataset used by an AI system.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataResource {
    /// Stable id of this entry inside the system, so later records can point at it.
    #[serde(default)]
    pub id: String,
    /// Dataset name.
    pub name: String,
    /// [`DataCategory`]: training, validation, test or production.
    pub category: String,
    /// Where the data comes from and how it was obtained.
    #[serde(default)]
    pub provenance: String,
    /// Whether it holds personal data.
    #[serde(default)]
    pub personal_data: bool,
    /// Known quality limits, bias and checks done.
    #[serde(default)]
    pub quality_notes: String,
}

/// A model used by an AI system.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelInfo {
    /// Stable id of this entry inside the system.
    #[serde(default)]
    pub id: String,
    /// Model name.
    pub name: String,
    /// Version in production or under evaluation.
    #[serde(default)]
    pub version: String,
    /// Model type or approach (gradient boosting, LLM, ...).
    #[serde(default)]
    pub kind: String,
    /// Who built the model (in-house or a supplier's name).
    #[serde(default)]
    pub provider: String,
}

/// A tool used to build, evaluate or run an AI system.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    /// Tool name.
    pub name: String,
    /// What it is used for.
    #[serde(default)]
    pub purpose: String,
}

/// A computing resource of an AI system.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Compute {
    /// Resource name (cluster, cloud service, device class).
    pub name: String,
    /// [`ComputeLocation`].
    pub location: String,
    /// Capacity, cost or environmental notes.
    #[serde(default)]
    pub notes: String,
}

/// A role people play for an AI system, with the competences it needs.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonRole {
    /// Role (data scientist, human overseer, domain expert, ...).
    pub role: String,
    /// Who fills it (person or team).
    #[serde(default)]
    pub assignee: String,
    /// Competences the role needs.
    #[serde(default)]
    pub competences: String,
}

/// A third-party component of an AI system.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// Component name.
    pub name: String,
    /// [`ComponentKind`].
    pub kind: String,
    /// Id of the supplier record, when the supplier is registered.
    #[serde(default)]
    pub supplier_id: String,
    /// Version used.
    #[serde(default)]
    pub version: String,
}

/// An organization-defined custom field for AI systems.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomFieldDef {
    /// Key used in `custom_fields` ([a-z0-9_]+).
    pub key: String,
    /// Label shown to people.
    pub label: String,
    /// [`CustomFieldKind`].
    pub kind: String,
    /// Allowed values when the kind is `choice`.
    #[serde(default)]
    pub choices: Vec<String>,
    /// Whether every AI system must have a value.
    #[serde(default)]
    pub required: bool,
    /// What the field means.
    #[serde(default)]
    pub description: String,
}

impl AiSystem {
    /// A new system with just a name and purpose; the rest takes its defaults.
    pub fn new(name: &str, purpose: &str) -> Self {
        Self {
            name: name.to_string(),
            purpose: purpose.to_string(),
            intended_use: String::new(),
            foreseeable_misuse: String::new(),
            owner: String::new(),
            business_unit: String::new(),
            lifecycle_stage: default_stage(),
            org_role: default_role(),
            in_scope: true,
            automation_level: String::new(),
            human_oversight: String::new(),
            oversight_notes: String::new(),
            affected_parties: vec![],
            data_resources: vec![],
            models: vec![],
            tooling: vec![],
            compute: vec![],
            people: vec![],
            components: vec![],
            custom_fields: BTreeMap::new(),
            retired_on: String::new(),
            retired_reason: String::new(),
        }
    }

    /// Normalises vocabulary values to their stored spelling and gives nested entries ids, then validates.
    /// `fields` are the organization's custom field definitions.
    pub fn normalise_and_validate(
        &mut self,
        fields: &[CustomFieldDef],
    ) -> Result<(), ValidationError> {
        let mut errs = ValidationError::default();
        errs.required("name", &self.name, MAX_NAME);
        errs.required("purpose", &self.purpose, MAX_TEXT);
        for (field, value) in [
            ("intended_use", &self.intended_use),
            ("foreseeable_misuse", &self.foreseeable_misuse),
            ("oversight_notes", &self.oversight_notes),
            ("retired_reason", &self.retired_reason),
        ] {
            errs.text(field, value, MAX_TEXT);
        }
        for (field, value) in [
            ("owner", &self.owner),
            ("business_unit", &self.business_unit),
        ] {
            errs.text(field, value, MAX_NAME);
        }
        self.name = self.name.trim().to_string();
        errs.vocab(
            "lifecycle_stage",
            &mut self.lifecycle_stage,
            LifecycleStage::parse,
        );
        errs.vocab("org_role", &mut self.org_role, AiRole::parse);
        errs.vocab_or_empty(
            "automation_level",
            &mut self.automation_level,
            AutomationLevel::parse,
        );
        errs.vocab_or_empty(
            "human_oversight",
            &mut self.human_oversight,
            HumanOversight::parse,
        );
        if !self.retired_on.is_empty() && crate::context::parse_date(&self.retired_on).is_none() {
            errs.push(
                "retired_on",
                format!("'{}' is not a date in the form YYYY-MM-DD", self.retired_on),
            );
        }
        errs.each_required("affected_parties", &self.affected_parties, MAX_NAME);
        for (i, d) in self.data_resources.iter_mut().enumerate() {
            let f = |x: &str| format!("data_resources[{i}].{x}");
            ensure_id(&mut d.id);
            errs.required(&f("name"), &d.name, MAX_NAME);
            errs.vocab(&f("category"), &mut d.category, DataCategory::parse);
            errs.text(&f("provenance"), &d.provenance, MAX_TEXT);
            errs.text(&f("quality_notes"), &d.quality_notes, MAX_TEXT);
        }
        for (i, m) in self.models.iter_mut().enumerate() {
            ensure_id(&mut m.id);
            errs.required(&format!("models[{i}].name"), &m.name, MAX_NAME);
        }
        for (i, t) in self.tooling.iter().enumerate() {
            errs.required(&format!("tooling[{i}].name"), &t.name, MAX_NAME);
        }
        for (i, c) in self.compute.iter_mut().enumerate() {
            errs.required(&format!("compute[{i}].name"), &c.name, MAX_NAME);
            errs.vocab(
                &format!("compute[{i}].location"),
                &mut c.location,
                ComputeLocation::parse,
            );
        }
        for (i, p) in self.people.iter().enumerate() {
            errs.required(&format!("people[{i}].role"), &p.role, MAX_NAME);
        }
        for (i, c) in self.components.iter_mut().enumerate() {
            let f = |x: &str| format!("components[{i}].{x}");
            errs.required(&f("name"), &c.name, MAX_NAME);
            errs.vocab(&f("kind"), &mut c.kind, ComponentKind::parse);
            errs.id_or_empty(&f("supplier_id"), &mut c.supplier_id);
        }
        check_custom_values(&mut errs, &self.custom_fields, fields);
        errs.into_result()
    }
}

/// Checks custom field values against their definitions: known keys, right types, required ones present.
fn check_custom_values(
    errs: &mut ValidationError,
    values: &BTreeMap<String, serde_json::Value>,
    defs: &[CustomFieldDef],
) {
    for (key, value) in values {
        let field = format!("custom_fields.{key}");
        let Some(def) = defs.iter().find(|d| &d.key == key) else {
            errs.push(field, "is not a custom field defined by this organization");
            continue;
        };
        let ok = match def.kind.as_str() {
            "text" => value.is_string(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "date" => value
                .as_str()
                .is_some_and(|s| crate::context::parse_date(s).is_some()),
            "choice" => value
                .as_str()
                .is_some_and(|s| def.choices.iter().any(|c| c == s)),
            _ => false,
        };
        if !ok {
            let expected = match def.kind.as_str() {
                "choice" => format!("one of: {}", def.choices.join(", ")),
                "date" => "a date in the form YYYY-MM-DD".to_string(),
                k => format!("a {k}"),
            };
            errs.push(field, format!("must be {expected}"));
        }
    }
    for def in defs.iter().filter(|d| d.required) {
        if !values.contains_key(&def.key) {
            errs.push(
                format!("custom_fields.{}", def.key),
                "is required by this organization",
            );
        }
    }
}

impl CustomFieldDef {
    /// Normalises and validates a custom field definition.
    pub fn normalise_and_validate(&mut self) -> Result<(), ValidationError> {
        let mut errs = ValidationError::default();
        if self.key.is_empty()
            || self.key.len() > 64
            || !self
                .key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            errs.push("key", "must be 1–64 characters of a–z, 0–9 and _");
        }
        errs.required("label", &self.label, MAX_NAME);
        errs.vocab("kind", &mut self.kind, CustomFieldKind::parse);
        if self.kind == "choice" && self.choices.is_empty() {
            errs.push("choices", "a choice field needs at least one choice");
        }
        if self.kind != "choice" && !self.choices.is_empty() {
            errs.push("choices", "only choice fields take choices");
        }
        errs.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_system_is_valid_and_defaults_apply() {
        let mut s = AiSystem::new("Credit scoring", "Score loan applications");
        s.normalise_and_validate(&[]).unwrap();
        assert_eq!(s.lifecycle_stage, "idea");
        assert_eq!(s.org_role, "deployer");
    }

    #[test]
    fn bad_values_are_named() {
        let mut s = AiSystem::new(" ", "p");
        s.lifecycle_stage = "launched".into();
        s.org_role = "owner".into();
        s.data_resources.push(DataResource {
            id: String::new(),
            name: "d".into(),
            category: "train".into(),
            provenance: String::new(),
            personal_data: false,
            quality_notes: String::new(),
        });
        let e = s.normalise_and_validate(&[]).unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "name",
                "lifecycle_stage",
                "org_role",
                "data_resources[0].category"
            ]
        );
    }

    #[test]
    fn over_long_name_is_refused() {
        let mut s = AiSystem::new(&"x".repeat(MAX_NAME + 1), "p");
        let e = s.normalise_and_validate(&[]).unwrap_err();
        assert_eq!(e.errors[0].field, "name");
        assert!(e.errors[0].message.contains("at most 200"));
    }

    #[test]
    fn custom_fields_are_checked_against_definitions() {
        let defs = vec![CustomFieldDef {
            key: "risk_tier".into(),
            label: "Risk tier".into(),
            kind: "choice".into(),
            choices: vec!["low".into(), "high".into()],
            required: true,
            description: String::new(),
        }];
        let mut s = AiSystem::new("a", "b");
        let e = s.normalise_and_validate(&defs).unwrap_err();
        assert_eq!(e.errors[0].field, "custom_fields.risk_tier");
        s.custom_fields
            .insert("risk_tier".into(), serde_json::json!("medium"));
        assert!(s.normalise_and_validate(&defs).is_err());
        s.custom_fields
            .insert("risk_tier".into(), serde_json::json!("high"));
        s.normalise_and_validate(&defs).unwrap();
        s.custom_fields.insert("nope".into(), serde_json::json!(1));
        assert!(s.normalise_and_validate(&defs).is_err());
    }
}
