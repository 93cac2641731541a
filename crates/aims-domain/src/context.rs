//! AIMS context (clause 4): the organization profile and its AI roles, the versioned scope statement, internal and
//! external issues, interested parties with their requirements, and suppliers of AI components.

use crate::ValidationError;
use crate::error::{MAX_NAME, MAX_TEXT};
use crate::ids::ensure_id;
use crate::vocab::{AiRole, IssueKind, RequirementSource};
use serde::{Deserialize, Serialize};

/// Parses a calendar date written as YYYY-MM-DD.
pub fn parse_date(s: &str) -> Option<time::Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &fmt).ok()
}

/// The organization profile: who runs this AIMS and which AI roles it plays (4.1).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// Display name.
    pub name: String,
    /// Short unique handle used on the command line (`--org acme`).
    pub slug: String,
    /// Registered legal name.
    #[serde(default)]
    pub legal_name: String,
    /// Industry sector.
    #[serde(default)]
    pub sector: String,
    /// Size band or head count, as the organization states it.
    #[serde(default)]
    pub size: String,
    /// Countries or regions whose law applies.
    #[serde(default)]
    pub jurisdictions: Vec<String>,
    /// What the organization does, in a few sentences.
    #[serde(default)]
    pub description: String,
    /// The AI roles the organization plays overall ([`AiRole`]).
    #[serde(default)]
    pub ai_roles: Vec<String>,
    /// Public web site.
    #[serde(default)]
    pub website: String,
}

impl Organization {
    /// Normalises and validates the profile.
    pub fn normalise_and_validate(&mut self) -> Result<(), ValidationError> {
        let mut errs = ValidationError::default();
        errs.required("name", &self.name, MAX_NAME);
        check_slug(&mut errs, "slug", &self.slug);
        for (f, v) in [
            ("legal_name", &self.legal_name),
            ("sector", &self.sector),
            ("size", &self.size),
            ("website", &self.website),
        ] {
            errs.text(f, v, MAX_NAME);
        }
        errs.text("description", &self.description, MAX_TEXT);
        errs.each_required("jurisdictions", &self.jurisdictions, MAX_NAME);
        let mut roles = Vec::new();
        for (i, r) in self.ai_roles.iter().enumerate() {
            match AiRole::parse(&format!("ai_roles[{i}]"), r) {
                Ok(role) if !roles.contains(&role.as_str().to_string()) => {
                    roles.push(role.as_str().to_string())
                }
                Ok(_) => {}
                Err(e) => errs.extend(e),
            }
        }
        self.ai_roles = roles;
        errs.into_result()
    }
}

/// Checks a slug: 1–64 characters of a–z, 0–9 and `-`, starting with a letter or digit.
pub fn check_slug(errs: &mut ValidationError, field: &str, slug: &str) {
    let ok = !slug.is_empty()
        && slug.len() <= 64
        && !slug.starts_with('-')
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !ok {
        errs.push(
            field,
            format!("'{slug}' is not a valid slug: use 1–64 characters of a–z, 0–9 and -"),
        );
    }
}

/// Derives a slug from a name: lower case, runs of other characters become one `-`.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let s = out.trim_end_matches('-').to_string();
    s.chars()
        .take(64)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// One version of the AIMS scope statement (4.3). Drafts are edited; approving a draft supersedes the previous
/// approved version, which is kept.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeVersion {
    /// Sequential version number within the organization (1, 2, ...).
    #[serde(default)]
    pub number: i64,
    /// [`crate::vocab::ScopeStatus`].
    #[serde(default)]
    pub status: String,
    /// The scope statement itself.
    pub statement: String,
    /// Units, sites, activities and AI systems the AIMS covers.
    #[serde(default)]
    pub boundaries: String,
    /// What is left out, and why.
    #[serde(default)]
    pub exclusions: String,
    /// Who approved this version (user email), once approved.
    #[serde(default)]
    pub approved_by: String,
    /// When it was approved (RFC 3339, UTC), once approved.
    #[serde(default)]
    pub approved_at: String,
    /// Remarks recorded with the approval.
    #[serde(default)]
    pub approval_note: String,
}

impl ScopeVersion {
    /// Validates the editable parts of a scope version.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut errs = ValidationError::default();
        errs.required("statement", &self.statement, MAX_TEXT);
        errs.text("boundaries", &self.boundaries, MAX_TEXT);
        errs.text("exclusions", &self.exclusions, MAX_TEXT);
        errs.into_result()
    }
}

/// An internal or external issue that bears on what the AIMS is meant to achieve (4.1).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextIssue {
    /// [`IssueKind`]: internal or external.
    pub kind: String,
    /// Short title.
    pub title: String,
    /// What the issue is and how it affects the AIMS.
    #[serde(default)]
    pub description: String,
    /// Free category (legal, technological, market, people, ...).
    #[serde(default)]
    pub category: String,
    /// Whether the issue relates to climate change (2024 amendment to 4.1).
    #[serde(default)]
    pub climate_related: bool,
}

impl ContextIssue {
    /// Normalises and validates an issue.
    pub fn normalise_and_validate(&mut self) -> Result<(), ValidationError> {
        let mut errs = ValidationError::default();
        errs.vocab("kind", &mut self.kind, IssueKind::parse);
        errs.required("title", &self.title, MAX_NAME);
        errs.text("description", &self.description, MAX_TEXT);
        errs.text("category", &self.category, MAX_NAME);
        errs.into_result()
    }
}

/// An interested party and what it requires (4.2).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterestedParty {
    /// Name of the party (a regulator, customers, employees, ...).
    pub name: String,
    /// Free category (regulator, customer, employee, supplier, society, ...).
    #[serde(default)]
    pub category: String,
    /// Who they are and why they matter.
    #[serde(default)]
    pub description: String,
    /// Their requirements relevant to the AIMS.
    #[serde(default)]
    pub requirements: Vec<PartyRequirement>,
}

/// One requirement of an interested party, and whether the AIMS addresses it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyRequirement {
    /// Stable id inside the party, so later records (SoA reasons) can point at it.
    #[serde(default)]
    pub id: String,
    /// The requirement in a sentence.
    pub text: String,
    /// [`RequirementSource`].
    pub source: String,
    /// Whether the AIMS addresses it.
    pub addressed: bool,
    /// How it is addressed, or why not.
    #[serde(default)]
    pub how: String,
    /// Controls that answer it (Annex A or the organization's own); each becomes a reason to include that
    /// control in the Statement of Applicability.
    #[serde(default)]
    pub controls: Vec<String>,
}

impl InterestedParty {
    /// Normalises and validates a party and its requirements.
    pub fn normalise_and_validate(&mut self) -> Result<(), ValidationError> {
        let mut errs = ValidationError::default();
        errs.required("name", &self.name, MAX_NAME);
        errs.text("category", &self.category, MAX_NAME);
        errs.text("description", &self.description, MAX_TEXT);
        for (i, r) in self.requirements.iter_mut().enumerate() {
            let f = |x: &str| format!("requirements[{i}].{x}");
            ensure_id(&mut r.id);
            errs.required(&f("text"), &r.text, MAX_TEXT);
            errs.vocab(&f("source"), &mut r.source, RequirementSource::parse);
            errs.text(&f("how"), &r.how, MAX_TEXT);
            for c in r.controls.iter_mut() {
                *c = c.trim().to_string();
            }
            crate::risk::dedup(&mut r.controls);
        }
        errs.into_result()
    }
}

/// A supplier of AI systems, models, data or services (A.10.3), with the certificates it holds.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supplier {
    /// Supplier name.
    pub name: String,
    /// What it supplies.
    #[serde(default)]
    pub description: String,
    /// Web site.
    #[serde(default)]
    pub website: String,
    /// Contact person or address.
    #[serde(default)]
    pub contact: String,
    /// Certificates the supplier holds (for example ISO/IEC 42001).
    #[serde(default)]
    pub certifications: Vec<Certification>,
}

/// A management-system certificate held by a supplier.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certification {
    /// The standard certified against, e.g. `ISO/IEC 42001:2023`.
    pub standard: String,
    /// Certificate number.
    #[serde(default)]
    pub certificate_id: String,
    /// Certification body.
    #[serde(default)]
    pub issuer: String,
    /// Last day of validity (YYYY-MM-DD).
    #[serde(default)]
    pub valid_until: String,
    /// Scope as stated on the certificate.
    #[serde(default)]
    pub scope: String,
}

impl Supplier {
    /// Validates a supplier and its certificates.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut errs = ValidationError::default();
        errs.required("name", &self.name, MAX_NAME);
        errs.text("description", &self.description, MAX_TEXT);
        errs.text("website", &self.website, MAX_NAME);
        errs.text("contact", &self.contact, MAX_NAME);
        for (i, c) in self.certifications.iter().enumerate() {
            let f = |x: &str| format!("certifications[{i}].{x}");
            errs.required(&f("standard"), &c.standard, MAX_NAME);
            if !c.valid_until.is_empty() && parse_date(&c.valid_until).is_none() {
                errs.push(
                    f("valid_until"),
                    format!("'{}' is not a date in the form YYYY-MM-DD", c.valid_until),
                );
            }
            errs.text(&f("scope"), &c.scope, MAX_TEXT);
        }
        errs.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_makes_valid_slugs() {
        assert_eq!(slugify("Acme Finance GmbH"), "acme-finance-gmbh");
        assert_eq!(slugify("  --x__y--  "), "x-y");
        let mut e = ValidationError::default();
        check_slug(&mut e, "slug", &slugify("Ünïcode Bank"));
        assert!(e.errors.is_empty());
    }

    #[test]
    fn organization_roles_are_checked_and_deduplicated() {
        let mut o = Organization {
            name: "Acme".into(),
            slug: "acme".into(),
            legal_name: String::new(),
            sector: String::new(),
            size: String::new(),
            jurisdictions: vec![],
            description: String::new(),
            ai_roles: vec!["Provider".into(), "provider".into(), "deployer".into()],
            website: String::new(),
        };
        o.normalise_and_validate().unwrap();
        assert_eq!(o.ai_roles, vec!["provider", "deployer"]);
        o.ai_roles.push("chief".into());
        let e = o.normalise_and_validate().unwrap_err();
        assert_eq!(e.errors[0].field, "ai_roles[2]");
    }
}
