//! AIMS context use cases (clause 4): the versioned scope statement, context issues, interested parties,
//! suppliers and the organization's custom fields for AI systems.

use crate::OrgId;
use crate::kit::{Field, FieldKind, Record, RecordDef, Target};
use crate::records::{self, OrgWrite, Stored, format_micros};
use crate::{Actor, App, AppError, Permission};
use aims_domain::ValidationError;
use aims_domain::context::{ContextIssue, InterestedParty, ScopeVersion, Supplier};
use aims_domain::inventory::CustomFieldDef;
use aims_domain::vocab::{CustomFieldKind, IssueKind, RequirementSource, ScopeStatus};
use aims_store::spec::{
    CONTEXT_ISSUES, CUSTOM_FIELDS, INTERESTED_PARTIES, SCOPE_VERSIONS, SUPPLIERS,
};
use aims_store::value::Value;
use aims_store::{Conn, ListQuery};
use serde::Serialize;

/// Refuses control identifiers that are neither Annex A controls nor the organization's own.
async fn check_control_refs(
    tx: &mut Conn,
    org: &OrgId,
    refs: Vec<(String, String)>,
) -> Result<(), AppError> {
    if refs.is_empty() {
        return Ok(());
    }
    let (_, known) = crate::risks::known_controls(tx, org).await?;
    let mut errs = ValidationError::default();
    for (field, c) in refs {
        if !known.contains(&c) {
            errs.push(
                field,
                format!(
                    "'{c}' is neither an Annex A control nor one of the organization's controls"
                ),
            );
        }
    }
    Ok(errs.into_result()?)
}

const ISSUE_FIELDS: &[Field] = &[
    Field::text("title", "Title", "Short title.")
        .required()
        .listed(),
    Field::text("kind", "Kind", "internal or external.")
        .kind(FieldKind::Choice(IssueKind::TEXTS))
        .required()
        .listed(),
    Field::text(
        "category",
        "Category",
        "Category (legal, technological, market, people, ...).",
    )
    .listed(),
    Field::text(
        "climate_related",
        "Climate related",
        "Whether it relates to climate change: true or false.",
    )
    .kind(FieldKind::Bool)
    .listed(),
    Field::text(
        "description",
        "Description",
        "What it is and how it affects the AIMS.",
    )
    .kind(FieldKind::LongText),
];

impl Record for ContextIssue {
    const DEF: &'static RecordDef = &RecordDef {
        spec: &CONTEXT_ISSUES,
        singular: "context issue",
        plural: "context issues",
        path: "context-issues",
        pages: "context-issues",
        noun: "issue",
        area: "context",
        tag: "context",
        title: "title",
        about: "Internal and external issues that bear on what the AIMS is meant to achieve (4.1).",
        read: Permission::Read,
        write: Permission::Write,
        fields: ISSUE_FIELDS,
        filters: &["kind", "category", "climate_related"],
        sorts: &["title", "kind", "category"],
        search: &["title", "description", "category"],
        deletable: true,
        rules: "",
        kept: "",
        related: &[],
    };
    fn prepare(&mut self) -> Result<(), ValidationError> {
        self.normalise_and_validate()
    }
}

const REQUIREMENT_FIELDS: &[Field] = &[
    Field::text("id", "Id", "").kind(FieldKind::Id),
    Field::text("text", "Requirement", "The requirement in a sentence.").required(),
    Field::text("source", "Source", "Where it comes from.")
        .kind(FieldKind::Choice(RequirementSource::TEXTS))
        .required(),
    Field::text("addressed", "Addressed", "Whether the AIMS addresses it.").kind(FieldKind::Bool),
    Field::text("how", "How", "How it is addressed, or why not."),
    Field::text(
        "controls",
        "Controls",
        "Controls that answer it (A.5.4 or an own control id); each becomes a reason to include the control \
         in the Statement of Applicability.",
    )
    .kind(FieldKind::Tags),
];

const PARTY_FIELDS: &[Field] = &[
    Field::text(
        "name",
        "Name",
        "Name of the party (a regulator, customers, employees, ...).",
    )
    .required()
    .listed(),
    Field::text(
        "category",
        "Category",
        "Category (regulator, customer, employee, ...).",
    )
    .listed(),
    Field::text(
        "description",
        "Description",
        "Who they are and why they matter.",
    )
    .kind(FieldKind::LongText),
    Field::text(
        "requirements",
        "Requirements",
        "Their requirements relevant to the AIMS.",
    )
    .kind(FieldKind::Rows(REQUIREMENT_FIELDS))
    .listed(),
];

impl Record for InterestedParty {
    const DEF: &'static RecordDef = &RecordDef {
        spec: &INTERESTED_PARTIES,
        singular: "interested party",
        plural: "interested parties",
        path: "interested-parties",
        pages: "interested-parties",
        noun: "party",
        area: "context",
        tag: "context",
        title: "name",
        about: "Interested parties and what they require of the AIMS (4.2).",
        read: Permission::Read,
        write: Permission::Write,
        fields: PARTY_FIELDS,
        filters: &["category"],
        sorts: &["name", "category"],
        search: &["name", "description", "category"],
        deletable: true,
        rules: "controls that are neither Annex A controls nor the organization's own",
        kept: "",
        related: &[],
    };
    fn prepare(&mut self) -> Result<(), ValidationError> {
        self.normalise_and_validate()
    }
    async fn check(&mut self, w: &mut OrgWrite, _at: &Target<'_, Self>) -> Result<(), AppError> {
        let org = w.org().clone();
        check_control_refs(w, &org, party_control_refs(self)).await
    }
}

/// The controls a party's requirements name, each with the field that names it.
pub(crate) fn party_control_refs(p: &InterestedParty) -> Vec<(String, String)> {
    p.requirements
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            r.controls
                .iter()
                .enumerate()
                .map(move |(j, c)| (format!("requirements[{i}].controls[{j}]"), c.clone()))
        })
        .collect()
}

const CERTIFICATION_FIELDS: &[Field] = &[
    Field::text(
        "standard",
        "Standard",
        "The standard certified against, e.g. ISO/IEC 42001:2023.",
    )
    .required(),
    Field::text("certificate_id", "Certificate", "Certificate number."),
    Field::text("issuer", "Issuer", "Certification body."),
    Field::text(
        "valid_until",
        "Valid until",
        "Last day of validity, YYYY-MM-DD.",
    ),
    Field::text("scope", "Scope", "Scope stated on the certificate."),
];

const SUPPLIER_FIELDS: &[Field] = &[
    Field::text("name", "Name", "Supplier name.")
        .required()
        .listed(),
    Field::text("description", "Supplies", "What it supplies.")
        .kind(FieldKind::LongText)
        .listed(),
    Field::text("website", "Web site", "Web site."),
    Field::text("contact", "Contact", "Contact person or address."),
    Field::text(
        "certifications",
        "Certifications",
        "Certificates the supplier holds (for example ISO/IEC 42001).",
    )
    .kind(FieldKind::Rows(CERTIFICATION_FIELDS))
    .listed(),
];

impl Record for Supplier {
    const DEF: &'static RecordDef = &RecordDef {
        spec: &SUPPLIERS,
        singular: "supplier",
        plural: "suppliers",
        path: "suppliers",
        pages: "suppliers",
        noun: "supplier",
        area: "context",
        tag: "context",
        title: "name",
        about: "Suppliers of AI systems, models, data and services, with the certificates they hold (A.10.3).",
        read: Permission::Read,
        write: Permission::Write,
        fields: SUPPLIER_FIELDS,
        filters: &[],
        sorts: &["name"],
        search: &["name", "description", "contact"],
        deletable: true,
        rules: "",
        kept: "",
        related: &[],
    };
    fn prepare(&mut self) -> Result<(), ValidationError> {
        self.validate()
    }
}

const CUSTOM_FIELD_FIELDS: &[Field] = &[
    Field::text("key", "Key", "Key used in custom_fields (a-z, 0-9, _).")
        .required()
        .listed(),
    Field::text("label", "Label", "Label shown to people.")
        .required()
        .listed(),
    Field::text("kind", "Kind", "text, number, boolean, date or choice.")
        .kind(FieldKind::Choice(CustomFieldKind::TEXTS))
        .required()
        .listed(),
    Field::text(
        "choices",
        "Choices",
        "Allowed value of a choice field (repeatable).",
    )
    .kind(FieldKind::Tags)
    .flag("choice")
    .listed(),
    Field::text("required", "Required", "Every AI system must have a value.")
        .kind(FieldKind::Bool)
        .listed(),
    Field::text("description", "Description", "What the field means.").kind(FieldKind::LongText),
];

impl Record for CustomFieldDef {
    const DEF: &'static RecordDef = &RecordDef {
        spec: &CUSTOM_FIELDS,
        singular: "custom field",
        plural: "custom fields",
        path: "custom-fields",
        pages: "custom-fields",
        noun: "field",
        area: "systems",
        tag: "ai-systems",
        title: "label",
        about: "Fields the organization adds to every AI system in its inventory.",
        read: Permission::Read,
        write: Permission::Administer,
        fields: CUSTOM_FIELD_FIELDS,
        filters: &["kind", "required"],
        sorts: &["key", "label"],
        search: &["key", "label", "description"],
        deletable: true,
        rules: "a key another custom field has",
        kept: "",
        related: &[],
    };
    fn prepare(&mut self) -> Result<(), ValidationError> {
        self.normalise_and_validate()
    }
    async fn check(&mut self, w: &mut OrgWrite, at: &Target<'_, Self>) -> Result<(), AppError> {
        let taken = w
            .find_id(&CUSTOM_FIELDS, "key", &self.key)
            .await?
            .is_some_and(|id| at.current.is_none_or(|c| c.id != id.as_str()));
        if taken {
            return Err(ValidationError::one(
                "key",
                format!("a custom field '{}' already exists", self.key),
            )
            .into());
        }
        Ok(())
    }
}

/// The scope statement as it stands: the approved version (if any) and the draft being prepared (if any).
#[derive(Debug, Clone, Serialize)]
pub struct ScopeState {
    /// The version in force.
    pub approved: Option<Stored<ScopeVersion>>,
    /// The draft awaiting approval.
    pub draft: Option<Stored<ScopeVersion>>,
}

/// The custom field definitions of an organization, read inside `tx` (an AI system is validated against them).
pub(crate) async fn custom_fields(
    tx: &mut Conn,
    org: &OrgId,
) -> Result<Vec<CustomFieldDef>, AppError> {
    let rows = tx.list(&CUSTOM_FIELDS, org, &ListQuery::default()).await?;
    rows.iter()
        .map(|r| records::from_row::<CustomFieldDef>(r).map(|s| s.data))
        .collect()
}

impl App {
    /// Every version of the scope statement, newest first.
    pub async fn scope_versions(
        &self,
        actor: &Actor,
        org: &OrgId,
    ) -> Result<Vec<Stored<ScopeVersion>>, AppError> {
        actor.require(Permission::Read)?;
        let q = ListQuery {
            order_by: Some("number"),
            descending: true,
            ..ListQuery::default()
        };
        self.read_list(&SCOPE_VERSIONS, org, &q).await
    }

    /// The approved scope and the pending draft.
    pub async fn scope(&self, actor: &Actor, org: &OrgId) -> Result<ScopeState, AppError> {
        let versions = self.scope_versions(actor, org).await?;
        Ok(ScopeState {
            approved: versions
                .iter()
                .find(|v| v.data.status == ScopeStatus::Approved.as_str())
                .cloned(),
            draft: versions
                .iter()
                .find(|v| v.data.status == ScopeStatus::Draft.as_str())
                .cloned(),
        })
    }

    /// Writes the draft scope statement: updates the pending draft, or starts a new version after the newest.
    pub async fn scope_draft(
        &self,
        actor: &Actor,
        org: &OrgId,
        statement: &str,
        boundaries: &str,
        exclusions: &str,
        expected_version: Option<i64>,
    ) -> Result<Stored<ScopeVersion>, AppError> {
        let mut draft = ScopeVersion {
            number: 0,
            status: ScopeStatus::Draft.as_str().to_string(),
            statement: statement.trim().to_string(),
            boundaries: boundaries.trim().to_string(),
            exclusions: exclusions.trim().to_string(),
            approved_by: String::new(),
            approved_at: String::new(),
            approval_note: String::new(),
        };
        let mut w = self.write_in(actor, Permission::Write, org).await?;
        draft.validate()?;
        let q = ListQuery {
            order_by: Some("number"),
            descending: true,
            ..ListQuery::default()
        };
        let versions: Vec<Stored<ScopeVersion>> = w.select(&SCOPE_VERSIONS, &q).await?;
        let stored = match versions
            .iter()
            .find(|v| v.data.status == ScopeStatus::Draft.as_str())
        {
            Some(existing) => {
                draft.number = existing.data.number;
                w.update(&SCOPE_VERSIONS, &existing.id, expected_version, &draft)
                    .await?
            }
            None => {
                draft.number = versions.first().map_or(1, |v| v.data.number + 1);
                w.insert(&SCOPE_VERSIONS, &draft).await?
            }
        };
        w.done(stored).await
    }

    /// Approves the pending draft: it becomes the scope in force, and the previously approved version is kept as
    /// superseded.
    pub async fn scope_approve(
        &self,
        actor: &Actor,
        org: &OrgId,
        note: &str,
    ) -> Result<Stored<ScopeVersion>, AppError> {
        let mut w = self.write_in(actor, Permission::Approve, org).await?;
        let with_status = |status: ScopeStatus| ListQuery {
            filters: vec![("status", Value::Text(status.as_str().into()))],
            ..ListQuery::default()
        };
        let drafts: Vec<Stored<ScopeVersion>> = w
            .select(&SCOPE_VERSIONS, &with_status(ScopeStatus::Draft))
            .await?;
        let Some(mut draft) = drafts.into_iter().next() else {
            return Err(AppError::Conflict(
                "there is no draft scope statement to approve; write a draft first".into(),
            ));
        };
        draft.data.validate()?;
        let approved: Vec<Stored<ScopeVersion>> = w
            .select(&SCOPE_VERSIONS, &with_status(ScopeStatus::Approved))
            .await?;
        for mut old in approved {
            old.data.status = ScopeStatus::Superseded.as_str().to_string();
            w.update(&SCOPE_VERSIONS, &old.id, Some(old.version), &old.data)
                .await?;
        }
        draft.data.status = ScopeStatus::Approved.as_str().to_string();
        draft.data.approved_by = actor.label.clone();
        draft.data.approved_at = format_micros(aims_store::now_micros());
        draft.data.approval_note = note.trim().to_string();
        let s = w
            .update(&SCOPE_VERSIONS, &draft.id, Some(draft.version), &draft.data)
            .await?;
        w.done(s).await
    }
}
