//! Content that is not a framework: the default risk method and the impact-assessment templates. Both are data
//! files embedded in the binary; organizations start from them and change their own copies in aims.

use crate::{PackError, read_toml};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

const RISK_METHOD: &str = include_str!("../packs/risk-method-default.toml");
const IMPACT_TEMPLATES: &str = include_str!("../packs/impact-templates.toml");

/// The default risk method, parsed into the caller's type (the domain's `RiskMethod`), so that this crate does
/// not need to know the domain types.
pub fn default_risk_method<T: DeserializeOwned>() -> Result<T, PackError> {
    read_toml("risk-method-default.toml", RISK_METHOD)
}

/// A step of the guided impact-assessment form: one field of the assessment record with its help text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TemplateSection {
    /// Field of the assessment record this step fills.
    pub field: String,
    /// Step title.
    pub title: String,
    /// What to write, in our words.
    pub help: String,
}

/// A question of a template beyond the record's own fields; its answer is kept by id.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TemplateQuestion {
    /// Stable id (`deployer_processes`).
    pub id: String,
    /// Short title.
    pub title: String,
    /// What to write.
    pub help: String,
    /// Legal provision the question answers, if any (`Art. 27(1)(a)`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub provision: String,
}

/// An impact-assessment template (`default`, or `eu-fria` for the EU AI Act Art. 27 assessment).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ImpactTemplate {
    /// Stable id (`default`, `eu-fria`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// When to use it.
    pub description: String,
    /// Provision the template implements, if any.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub provision: String,
    /// Steps of the guided form.
    pub sections: Vec<TemplateSection>,
    /// The template's own questions.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub questions: Vec<TemplateQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateFile {
    version: i64,
    templates: Vec<ImpactTemplate>,
}

/// Fields of the assessment record a template section may name.
pub const ASSESSMENT_FIELDS: &[&str] = &[
    "scope",
    "system_info",
    "data_info",
    "model_info",
    "deployment_context",
    "affected",
    "impacts",
    "human_oversight",
];

/// The impact-assessment templates, checked: unique ids, known fields, unique question ids per template.
pub fn impact_templates() -> Result<Vec<ImpactTemplate>, PackError> {
    parse_templates(IMPACT_TEMPLATES)
}

fn parse_templates(text: &str) -> Result<Vec<ImpactTemplate>, PackError> {
    const PACK: &str = "impact-templates.toml";
    let err = |message: String| PackError::new(PACK, message);
    let file: TemplateFile = read_toml(PACK, text)?;
    if file.version < 1 {
        return Err(err("version must be 1 or more".into()));
    }
    let mut ids = HashSet::new();
    for t in &file.templates {
        if !ids.insert(t.id.as_str()) {
            return Err(err(format!("template '{}' is defined twice", t.id)));
        }
        for s in &t.sections {
            if !ASSESSMENT_FIELDS.contains(&s.field.as_str()) {
                return Err(err(format!(
                    "template '{}': section '{}' names unknown field '{}'",
                    t.id, s.title, s.field
                )));
            }
        }
        let mut q = HashSet::new();
        for x in &t.questions {
            if !q.insert(x.id.as_str()) {
                return Err(err(format!(
                    "template '{}': question '{}' is defined twice",
                    t.id, x.id
                )));
            }
        }
    }
    if !ids.contains("default") {
        return Err(err("the 'default' template is missing".into()));
    }
    Ok(file.templates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_load_with_the_fria_questions() {
        let t = impact_templates().unwrap();
        let ids: Vec<&str> = t.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["default", "eu-fria"]);
        let fria: Vec<&str> = t[1].questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(
            fria,
            [
                "deployer_processes",
                "period_and_frequency",
                "measures_if_risks_materialise",
                "authority_notification",
                "data_protection_assessment"
            ]
        );
    }

    #[test]
    fn a_section_with_an_unknown_field_is_refused() {
        let bad = IMPACT_TEMPLATES.replace("field = \"scope\"", "field = \"scopes\"");
        let e = parse_templates(&bad).unwrap_err();
        assert!(e.message.contains("unknown field 'scopes'"), "{e}");
    }

    #[test]
    fn default_risk_method_parses() {
        let v: toml::Value = default_risk_method().unwrap();
        assert_eq!(v["matrix"].as_array().map(Vec::len), Some(5));
    }
}
