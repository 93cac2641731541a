//! AI system inventory: the rules every write of a system runs (as a kit record), its list of summaries, its
//! retirement and the bulk import. Every change is validated against the vocabularies and the organization's
//! custom fields, and logged.

use crate::OrgId;
use crate::context::custom_fields;
use crate::kit::{Field, FieldKind, Record, RecordDef, Step, StepDef, Target, def_with_own_faces};
use crate::records::{self, OrgWrite, Stored};
use crate::{Actor, App, AppError, Permission};
use aims_domain::ValidationError;
use aims_domain::inventory::{AiSystem, AiSystemSummary};
use aims_domain::vocab::{
    AiRole, AutomationLevel, ComponentKind, ComputeLocation, DataCategory, HumanOversight,
    LifecycleStage,
};
use aims_store::ListQuery;
use aims_store::spec::{AI_SYSTEMS, SUPPLIERS};
use aims_store::value::Value;

/// What retiring an AI system takes.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetireInput {
    /// Why the system is retired.
    pub reason: String,
    /// Date of retirement (YYYY-MM-DD); today (UTC) when left out.
    #[serde(default)]
    pub on: Option<String>,
}

/// Retiring an AI system: life-cycle stage `retired`, with the date and the reason.
pub struct RetireSystem;

impl Step for RetireSystem {
    type Record = AiSystem;
    type Input = RetireInput;
    const DEF: &'static StepDef = &StepDef {
        segment: "retire",
        operation: "retire_ai_system",
        about: "Retire an AI system: life-cycle stage `retired`, with the date and the reason.",
        permission: Permission::Write,
        done: "The retired AI system",
        invalid: "No reason, a bad date, or already retired",
        conflict: "",
    };
    async fn apply(
        _w: &mut OrgWrite,
        _actor: &Actor,
        current: &mut Stored<AiSystem>,
        input: RetireInput,
    ) -> Result<(), AppError> {
        let mut errs = ValidationError::default();
        if input.reason.trim().is_empty() {
            errs.push("reason", "say why the system is retired");
        }
        let on = input
            .on
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(crate::today);
        if aims_domain::context::parse_date(&on).is_none() {
            errs.push(
                "retired_on",
                format!("'{on}' is not a date in the form YYYY-MM-DD"),
            );
        }
        let s = &mut current.data;
        if s.lifecycle_stage == LifecycleStage::Retired.as_str() {
            errs.push("lifecycle_stage", "the system is already retired");
        }
        errs.into_result()?;
        s.lifecycle_stage = LifecycleStage::Retired.as_str().to_string();
        s.retired_on = on;
        s.retired_reason = input.reason.trim().to_string();
        Ok(())
    }
}

/// Filters and order for listing AI systems.
#[derive(Debug, Clone, Default)]
pub struct SystemFilter {
    /// Only systems in this life-cycle stage.
    pub stage: Option<String>,
    /// Only systems where the organization plays this role.
    pub role: Option<String>,
    /// Only systems in (true) or out of (false) the AIMS scope.
    pub in_scope: Option<bool>,
    /// Case-insensitive text in name, purpose, owner or business unit.
    pub search: Option<String>,
    /// Sort column: name (default), lifecycle_stage, owner, business_unit, created.
    pub sort: Option<String>,
    /// Descending order.
    pub descending: bool,
    /// Page size.
    pub limit: Option<i64>,
}

const SORTABLE: &[(&str, &str)] = &[
    ("name", "name"),
    ("lifecycle_stage", "lifecycle_stage"),
    ("stage", "lifecycle_stage"),
    ("owner", "owner"),
    ("business_unit", "business_unit"),
    ("created", "id"),
];

/// The sub-records of an AI system, each a table in its detail page and form.
const DATASET_FIELDS: &[Field] = &[
    Field::text("id", "Id", "").kind(FieldKind::Id),
    Field::text("name", "Dataset", "").required(),
    Field::text("category", "Category", "")
        .kind(FieldKind::Choice(DataCategory::TEXTS))
        .required(),
    Field::text("provenance", "Provenance", ""),
    Field::text("personal_data", "Personal data", "").kind(FieldKind::Bool),
    Field::text("quality_notes", "Quality notes", ""),
];
const MODEL_FIELDS: &[Field] = &[
    Field::text("id", "Id", "").kind(FieldKind::Id),
    Field::text("name", "Model", "").required(),
    Field::text("version", "Version", ""),
    Field::text("kind", "Type or approach", ""),
    Field::text("provider", "Built by", ""),
];
const TOOL_FIELDS: &[Field] = &[
    Field::text("name", "Tool", "").required(),
    Field::text("purpose", "Used for", ""),
];
const COMPUTE_FIELDS: &[Field] = &[
    Field::text("name", "Resource", "").required(),
    Field::text("location", "Location", "")
        .kind(FieldKind::Choice(ComputeLocation::TEXTS))
        .required(),
    Field::text("notes", "Notes", ""),
];
const PEOPLE_FIELDS: &[Field] = &[
    Field::text("role", "Role", "").required(),
    Field::text("assignee", "Assignee", ""),
    Field::text("competences", "Competences", ""),
];
const COMPONENT_FIELDS: &[Field] = &[
    Field::text("name", "Component", "").required(),
    Field::text("kind", "Kind", "")
        .kind(FieldKind::Choice(ComponentKind::TEXTS))
        .required(),
    Field::text("version", "Version", ""),
    Field::text("supplier_id", "Supplier", "").kind(FieldKind::Link("supplier")),
];

/// Every field of an AI system; its retirement is recorded by its own step (`RetireSystem`).
const SYSTEM_FIELDS: &[Field] = &[
    Field::text("name", "Name", "What people call the system.").required(),
    Field::text(
        "purpose",
        "Purpose",
        "What it is for, in a sentence or two.",
    )
    .kind(FieldKind::LongText)
    .required(),
    Field::text(
        "intended_use",
        "Intended use",
        "The uses it is designed and approved for.",
    )
    .kind(FieldKind::LongText),
    Field::text(
        "foreseeable_misuse",
        "Reasonably foreseeable misuse",
        "Uses it was not made for that someone could plausibly attempt.",
    )
    .kind(FieldKind::LongText),
    Field::text("owner", "Owner", "The accountable person or role."),
    Field::text(
        "business_unit",
        "Business unit",
        "The unit that runs or sponsors it.",
    ),
    Field::text("lifecycle_stage", "Life-cycle stage", "")
        .kind(FieldKind::Choice(LifecycleStage::TEXTS))
        .required(),
    Field::text("org_role", "Our role for this system", "")
        .kind(FieldKind::Choice(AiRole::TEXTS))
        .required()
        .flag("role"),
    Field::text("in_scope", "Inside the AIMS scope", "").kind(FieldKind::Bool),
    Field::text(
        "automation_level",
        "Level of automation",
        "Leave blank until it is known.",
    )
    .kind(FieldKind::Choice(AutomationLevel::TEXTS)),
    Field::text(
        "human_oversight",
        "Human oversight",
        "Leave blank until it is known.",
    )
    .kind(FieldKind::Choice(HumanOversight::TEXTS)),
    Field::text(
        "oversight_notes",
        "How oversight works",
        "Who reviews what, and when.",
    )
    .kind(FieldKind::LongText),
    Field::text(
        "affected_parties",
        "Affected parties",
        "People, groups or society its outputs reach.",
    )
    .kind(FieldKind::Tags)
    .flag("affected-party"),
    Field::text(
        "data_resources",
        "Data resources (A.4.3, A.7)",
        "Datasets it is built, tested or run with.",
    )
    .kind(FieldKind::Rows(DATASET_FIELDS)),
    Field::text("models", "Models (A.4.4)", "Models and their versions.")
        .kind(FieldKind::Rows(MODEL_FIELDS)),
    Field::text("tooling", "Tooling (A.4.4)", "Tools to build, evaluate and run it.")
        .kind(FieldKind::Rows(TOOL_FIELDS)),
    Field::text("compute", "Compute (A.4.5)", "Computing resources and where they run.")
        .kind(FieldKind::Rows(COMPUTE_FIELDS)),
    Field::text("people", "People (A.4.6)", "Roles and the competences they need.")
        .kind(FieldKind::Rows(PEOPLE_FIELDS)),
    Field::text(
        "components",
        "Third-party components (A.10.3)",
        "What others supply and who; the supplier is the id of a supplier record.",
    )
    .kind(FieldKind::Rows(COMPONENT_FIELDS)),
    Field::text(
        "custom_fields",
        "Custom fields",
        "A value of one of the organization's own fields, as KEY=VALUE (numbers and true/false are typed).",
    )
    .kind(FieldKind::Custom)
    .flag("custom"),
    Field::text("retired_on", "Retired on", "").fixed(),
    Field::text("retired_reason", "Retired because", "").fixed(),
];

/// AI systems are kit records for creating, reading and replacing them, with the kit's detail page and form
/// (at `/systems`); their list (summaries, filtered by stage, role and scope), retirement, bulk import and CLI
/// noun are their own.
impl Record for AiSystem {
    const DEF: &'static RecordDef = def_with_own_faces! {
        spec: &AI_SYSTEMS, singular: "AI system", plural: "AI systems", path: "ai-systems",
        noun: "system", area: "systems", tag: "ai-systems", title: "name",
        about: "The AI systems the organization develops, provides or uses, with their data, models, tools, \
                resources, people and third-party components (A.4, A.10.3).",
        rules: "values outside the vocabularies, custom fields the organization does not define or requires, \
                unknown suppliers",
        kept: "To retire a system use `POST /api/v1/ai-systems/{id}/retire`, which records the date and \
               the reason.",
        fields: SYSTEM_FIELDS, filters: &[], pages: "systems",
        related: &[
            ("EU AI Act classification", "/systems/{id}/classification"),
            ("Impact assessments", "/impact-assessments?system={id}"),
            ("Risks", "/risks?system={id}"),
        ]
    };
    /// Starts as an idea the organization deploys, inside the scope.
    fn blank() -> serde_json::Value {
        serde_json::to_value(AiSystem::new("", "")).unwrap_or_default()
    }
    /// Validated against the vocabularies and the organization's custom fields, and its components'
    /// suppliers must exist.
    async fn check(&mut self, w: &mut OrgWrite, _at: &Target<'_, Self>) -> Result<(), AppError> {
        let org = w.org().clone();
        let fields = custom_fields(w, &org).await?;
        self.normalise_and_validate(&fields)?;
        let links = (self.components.iter().enumerate())
            .map(|(i, c)| {
                (
                    format!("components[{i}].supplier_id"),
                    c.supplier_id.clone(),
                )
            })
            .collect();
        w.check_links(&SUPPLIERS, "supplier", links).await
    }
}

impl App {
    /// Imports many AI systems at once (from a spreadsheet export or another tool): every system is validated
    /// first, problems are reported per system as `[INDEX].field`, and only when all are valid are they written,
    /// in one transaction, each create logged in the change log like any other. All or nothing.
    pub async fn import_systems(
        &self,
        actor: &Actor,
        org: &OrgId,
        mut systems: Vec<AiSystem>,
    ) -> Result<Vec<Stored<AiSystem>>, AppError> {
        let mut w = self.write_in(actor, Permission::Write, org).await?;
        let fields = custom_fields(&mut w, org).await?;
        let mut errs = ValidationError::default();
        let mut known_suppliers: std::collections::HashSet<String> = Default::default();
        for (i, s) in systems.iter_mut().enumerate() {
            let prefix = |e: aims_domain::FieldError| aims_domain::FieldError {
                field: format!("[{i}].{}", e.field),
                message: e.message,
            };
            if let Err(e) = s.normalise_and_validate(&fields) {
                errs.errors.extend(e.errors.into_iter().map(prefix));
                continue;
            }
            for (j, c) in s.components.iter().enumerate() {
                if c.supplier_id.is_empty() || known_suppliers.contains(&c.supplier_id) {
                    continue;
                }
                if w.exists(&SUPPLIERS, &c.supplier_id).await? {
                    known_suppliers.insert(c.supplier_id.clone());
                } else {
                    errs.push(
                        format!("[{i}].components[{j}].supplier_id"),
                        format!("no supplier with id {} in this organization", c.supplier_id),
                    );
                }
            }
        }
        errs.into_result()?;
        let mut out = Vec::with_capacity(systems.len());
        for s in &systems {
            out.push(w.insert(&AI_SYSTEMS, s).await?);
        }
        w.done(out).await
    }

    /// Lists AI systems.
    pub async fn systems(
        &self,
        actor: &Actor,
        org: &OrgId,
        f: &SystemFilter,
    ) -> Result<Vec<Stored<AiSystem>>, AppError> {
        self.systems_after(actor, org, f, None).await
    }

    /// Like [`App::systems_after`], but only the summary fields of each system (what a list shows).
    pub async fn system_summaries_after(
        &self,
        actor: &Actor,
        org: &OrgId,
        f: &SystemFilter,
        after: Option<(String, String)>,
    ) -> Result<Vec<AiSystemSummary>, AppError> {
        use aims_store::value::{Column, Kind};
        const COLS: &[Column] = &[
            Column {
                name: "id",
                kind: Kind::Text,
            },
            Column {
                name: "version",
                kind: Kind::Int,
            },
            Column {
                name: "updated_at",
                kind: Kind::Int,
            },
            Column {
                name: "name",
                kind: Kind::Text,
            },
            Column {
                name: "purpose",
                kind: Kind::Text,
            },
            Column {
                name: "owner",
                kind: Kind::Text,
            },
            Column {
                name: "business_unit",
                kind: Kind::Text,
            },
            Column {
                name: "lifecycle_stage",
                kind: Kind::Text,
            },
            Column {
                name: "org_role",
                kind: Kind::Text,
            },
            Column {
                name: "in_scope",
                kind: Kind::Bool,
            },
        ];
        let q = self.system_query(actor, f, after)?;
        let rows = self.store.list_columns(&AI_SYSTEMS, org, &q, COLS).await?;
        Ok(rows
            .into_iter()
            .map(|v| {
                let t = |i: usize| v[i].as_text().to_string();
                AiSystemSummary {
                    id: t(0),
                    version: v[1].as_int().unwrap_or(0),
                    updated_at: records::format_micros(v[2].as_int().unwrap_or(0)),
                    name: t(3),
                    purpose: t(4),
                    owner: t(5),
                    business_unit: t(6),
                    lifecycle_stage: t(7),
                    org_role: t(8),
                    in_scope: matches!(v[9], Value::Bool(true)),
                }
            })
            .collect())
    }

    /// Lists AI systems after a keyset cursor: `after` is the sort value and the id of the last system of the
    /// previous page (for the `created` order the value is ignored and the id alone decides). The API pages with
    /// this; [`App::systems`] is the same list from the start.
    pub async fn systems_after(
        &self,
        actor: &Actor,
        org: &OrgId,
        f: &SystemFilter,
        after: Option<(String, String)>,
    ) -> Result<Vec<Stored<AiSystem>>, AppError> {
        let q = self.system_query(actor, f, after)?;
        self.read_list(&AI_SYSTEMS, org, &q).await
    }

    /// The store query for a filter and an optional keyset cursor; checks the actor may read.
    fn system_query(
        &self,
        actor: &Actor,
        f: &SystemFilter,
        after: Option<(String, String)>,
    ) -> Result<ListQuery, AppError> {
        actor.require(Permission::Read)?;
        let mut q = ListQuery::default();
        if let Some(stage) = &f.stage {
            q.filters.push((
                "lifecycle_stage",
                Value::Text(LifecycleStage::parse("stage", stage)?.as_str().into()),
            ));
        }
        if let Some(role) = &f.role {
            q.filters.push((
                "org_role",
                Value::Text(AiRole::parse("role", role)?.as_str().into()),
            ));
        }
        if let Some(b) = f.in_scope {
            q.filters.push(("in_scope", Value::Bool(b)));
        }
        if let Some(text) = f.search.as_ref().filter(|t| !t.trim().is_empty()) {
            q.search = Some((
                vec!["name", "purpose", "owner", "business_unit"],
                text.trim().to_string(),
            ));
        }
        let sort = f.sort.as_deref().unwrap_or("name");
        q.order_by = Some(
            SORTABLE
                .iter()
                .find(|(k, _)| *k == sort)
                .map(|(_, c)| *c)
                .ok_or_else(|| {
                    let allowed: Vec<&str> = SORTABLE
                        .iter()
                        .map(|(k, _)| *k)
                        .filter(|k| *k != "stage")
                        .collect();
                    ValidationError::one(
                        "sort",
                        format!(
                            "cannot sort by '{sort}'; use one of: {}",
                            allowed.join(", ")
                        ),
                    )
                })?,
        );
        q.descending = f.descending;
        q.limit = f.limit;
        if let Some((value, id)) = after {
            let id = aims_domain::parse_id("cursor", &id)?;
            q.after = Some((Value::Text(value), id));
        }
        Ok(q)
    }
}
