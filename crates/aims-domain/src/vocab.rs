//! Closed vocabularies. Each is stored as its snake_case text and parsed with an error that lists what is allowed.

use crate::ValidationError;

/// Defines a string-backed enumeration with `as_str`, `ALL` and a `parse` that names the field on failure.
#[cfg(test)]
mod label_tests {
    #[test]
    fn values_read_as_words_and_acronyms_keep_their_case() {
        assert_eq!(super::label("human_in_the_loop"), "human in the loop");
        assert_eq!(super::label("maintain_and_retain"), "maintain and retain");
        assert_eq!(super::label("gpai"), "general-purpose AI");
    }
}

/// How a stored vocabulary value reads to people: the one place that turns `human_in_the_loop` into "human in the
/// loop" (and, once there are translations, into another language). A value without an entry of its own reads as
/// its words.
pub fn label(value: &str) -> String {
    match value {
        "gpai" => "general-purpose AI".to_string(),
        "annex_iii" => "Annex III".to_string(),
        "eu_ai_act" => "EU AI Act".to_string(),
        "iso42001" => "ISO/IEC 42001".to_string(),
        "nist_ai_rmf" => "NIST AI RMF".to_string(),
        v => v.replace('_', " "),
    }
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* #[doc = concat!("Stored and shown as `", $text, "`.")] $variant),+ }

        impl $name {
            /// Every value, in the order users see them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored texts of every value, in the same order, for declarations that need them as constants
            /// (the choices of a form field or a CLI flag).
            pub const TEXTS: &'static [&'static str] = &[$($text),+];

            /// The stored and displayed text of this value.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses `value` (case-insensitive, `-` accepted for `_`), naming `field` when it is not allowed.
            pub fn parse(field: &str, value: &str) -> Result<Self, ValidationError> {
                let v = value.trim().to_ascii_lowercase().replace('-', "_");
                $(if v == $text { return Ok($name::$variant); })+
                let allowed: Vec<&str> = Self::ALL.iter().map(|x| x.as_str()).collect();
                Err(ValidationError::one(
                    field,
                    format!("unknown value '{}'; expected one of: {}", value, allowed.join(", ")),
                ))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// Life-cycle stage of an AI system (after the ISO/IEC 22989 life-cycle model).
    LifecycleStage {
        Idea => "idea",
        Design => "design",
        Development => "development",
        Verification => "verification",
        Deployment => "deployment",
        Operation => "operation",
        Retired => "retired",
    }
}

vocabulary! {
    /// The organization's role for an AI system (ISO/IEC 22989 and EU AI Act vocabulary).
    AiRole {
        Provider => "provider",
        Developer => "developer",
        Deployer => "deployer",
        Importer => "importer",
        Distributor => "distributor",
        User => "user",
    }
}

vocabulary! {
    /// How far an AI system acts on its own.
    AutomationLevel {
        /// The system informs; a person decides every case.
        Advisory => "advisory",
        /// The system decides routine cases; people decide the rest.
        Partial => "partial",
        /// The system decides; people can review and override.
        High => "high",
        /// The system decides and acts without routine human review.
        Full => "full",
    }
}

vocabulary! {
    /// The kind of human oversight over an AI system's outputs.
    HumanOversight {
        InTheLoop => "human_in_the_loop",
        OnTheLoop => "human_on_the_loop",
        InCommand => "human_in_command",
        None => "none",
    }
}

vocabulary! {
    /// What a data resource is used for in the AI system's life cycle (A.4.3).
    DataCategory {
        Training => "training",
        Validation => "validation",
        Test => "test",
        Production => "production",
    }
}

vocabulary! {
    /// Whether a context issue comes from inside or outside the organization (4.1).
    IssueKind {
        Internal => "internal",
        External => "external",
    }
}

vocabulary! {
    /// Where an interested party's requirement comes from (4.2).
    RequirementSource {
        Legal => "legal",
        Regulatory => "regulatory",
        Contractual => "contractual",
        Societal => "societal",
        Voluntary => "voluntary",
    }
}

vocabulary! {
    /// A user's role inside one organization; decides what the user may see and change.
    MemberRole {
        Admin => "admin",
        Manager => "manager",
        Contributor => "contributor",
        Auditor => "auditor",
        Viewer => "viewer",
    }
}

vocabulary! {
    /// Type of an organization-defined custom field on AI systems.
    CustomFieldKind {
        Text => "text",
        Number => "number",
        Boolean => "boolean",
        Date => "date",
        Choice => "choice",
    }
}

vocabulary! {
    /// Where the compute of an AI system runs (A.4.5).
    ComputeLocation {
        OnPremises => "on_premises",
        Cloud => "cloud",
        Edge => "edge",
        Supplier => "supplier",
    }
}

vocabulary! {
    /// What a third-party component of an AI system is.
    ComponentKind {
        Model => "model",
        Dataset => "dataset",
        Service => "service",
        Library => "library",
        Platform => "platform",
    }
}

vocabulary! {
    /// State of an AIMS scope statement version.
    ScopeStatus {
        Draft => "draft",
        Approved => "approved",
        Superseded => "superseded",
    }
}

vocabulary! {
    /// Where a risk stands in its life.
    RiskStatus {
        /// Identified, not yet treated.
        Open => "open",
        /// A treatment plan is under way.
        Treating => "treating",
        /// Residual risk accepted by a named person.
        Accepted => "accepted",
        /// No longer relevant (the system was retired or the cause removed).
        Closed => "closed",
    }
}

vocabulary! {
    /// Risk treatment option (6.1.3).
    TreatmentOption {
        /// Change the likelihood or the consequences, usually with controls.
        Modify => "modify",
        /// Stop the activity that gives rise to the risk.
        Avoid => "avoid",
        /// Share the risk with another party (contract, insurance).
        Share => "share",
        /// Keep the risk as it is, by informed decision.
        Retain => "retain",
    }
}

vocabulary! {
    /// Progress of a treatment plan.
    TreatmentStatus {
        Planned => "planned",
        InProgress => "in_progress",
        Completed => "completed",
    }
}

vocabulary! {
    /// Progress of one task of a treatment plan.
    TaskStatus {
        Open => "open",
        Done => "done",
    }
}

vocabulary! {
    /// Implementation status of a control in this organization.
    ImplementationStatus {
        NotStarted => "not_started",
        Planned => "planned",
        Partial => "partial",
        Implemented => "implemented",
        /// The control is excluded from the Statement of Applicability (needs a justification).
        NotApplicable => "not_applicable",
    }
}

vocabulary! {
    /// Why a control is included in the Statement of Applicability, besides the risks it treats.
    InclusionKind {
        /// A law or regulation asks for it.
        Legal => "legal",
        /// A contract asks for it.
        Contractual => "contractual",
        /// An interested party needs it.
        InterestedParty => "interested_party",
        /// An impact assessment outcome calls for it.
        Impact => "impact",
        /// Business need or good practice.
        Business => "business",
    }
}

vocabulary! {
    /// State of an AI system impact assessment.
    AssessmentStatus {
        Draft => "draft",
        Approved => "approved",
        Superseded => "superseded",
    }
}

vocabulary! {
    /// Area of an impact (after the ISO/IEC 42005 harms and benefits taxonomy, in our grouping).
    ImpactArea {
        Fairness => "fairness",
        Privacy => "privacy",
        Safety => "safety",
        HumanRights => "human_rights",
        Accessibility => "accessibility",
        Transparency => "transparency",
        Accountability => "accountability",
        Security => "security",
        Economic => "economic",
        Employment => "employment",
        Environmental => "environmental",
        Societal => "societal",
    }
}

vocabulary! {
    /// Whether an impact helps or harms.
    ImpactNature {
        Benefit => "benefit",
        Harm => "harm",
    }
}

vocabulary! {
    /// How far the effects of a harm can be undone.
    Reversibility {
        Reversible => "reversible",
        PartlyReversible => "partly_reversible",
        Irreversible => "irreversible",
    }
}

vocabulary! {
    /// Who is affected by an AI system.
    AffectedKind {
        Individuals => "individuals",
        Group => "group",
        Society => "society",
        Organization => "organization",
    }
}

vocabulary! {
    /// Event that calls for a new impact assessment.
    ReassessmentTrigger {
        ModelChange => "model_change",
        NewUse => "new_use",
        DataChange => "data_change",
        Incident => "incident",
        Scheduled => "scheduled",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_case_and_dashes_and_names_field() {
        assert_eq!(
            LifecycleStage::parse("lifecycle_stage", "Operation").unwrap(),
            LifecycleStage::Operation
        );
        assert_eq!(
            HumanOversight::parse("x", "human-in-the-loop").unwrap(),
            HumanOversight::InTheLoop
        );
        let err = AiRole::parse("role", "boss").unwrap_err();
        assert_eq!(err.errors[0].field, "role");
        assert!(err.errors[0].message.contains("provider, developer"));
    }
}
