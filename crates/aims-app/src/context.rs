//! AIMS context use cases (clause 4): the versioned scope statement, context issues, interested parties,
//! suppliers and the organization's custom fields for AI systems.

use crate::records::{self, Stored, format_micros};
use crate::{Actor, App, AppError, Permission};
use aims_domain::ValidationError;
use aims_domain::context::{ContextIssue, InterestedParty, ScopeVersion, Supplier};
use aims_domain::inventory::CustomFieldDef;
use aims_domain::vocab::ScopeStatus;
use aims_store::spec::{
    CONTEXT_ISSUES, CUSTOM_FIELDS, INTERESTED_PARTIES, SCOPE_VERSIONS, SUPPLIERS, TableSpec,
};
use aims_store::value::Value;
use aims_store::{Conn, ListQuery};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A simple organization record with its own normalisation and validation.
pub trait ContextRecord: Serialize + DeserializeOwned + Clone + Send + Sync {
    /// The table it lives in.
    const SPEC: &'static TableSpec;
    /// Normalises and validates the input.
    fn prepare(&mut self) -> Result<(), ValidationError>;
    /// Controls the record names, with the field naming each, so they can be checked against the catalogue
    /// and the organization's own controls.
    fn control_refs(&self) -> Vec<(String, String)> {
        vec![]
    }
}

/// Refuses control identifiers that are neither Annex A controls nor the organization's own.
async fn check_control_refs<T: ContextRecord>(
    tx: &mut Conn,
    org: &str,
    data: &T,
) -> Result<(), AppError> {
    let refs = data.control_refs();
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

impl ContextRecord for ContextIssue {
    const SPEC: &'static TableSpec = &CONTEXT_ISSUES;
    fn prepare(&mut self) -> Result<(), ValidationError> {
        self.normalise_and_validate()
    }
}

impl ContextRecord for InterestedParty {
    const SPEC: &'static TableSpec = &INTERESTED_PARTIES;
    fn prepare(&mut self) -> Result<(), ValidationError> {
        self.normalise_and_validate()
    }
    fn control_refs(&self) -> Vec<(String, String)> {
        self.requirements
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
}

impl ContextRecord for Supplier {
    const SPEC: &'static TableSpec = &SUPPLIERS;
    fn prepare(&mut self) -> Result<(), ValidationError> {
        self.validate()
    }
}

impl ContextRecord for CustomFieldDef {
    const SPEC: &'static TableSpec = &CUSTOM_FIELDS;
    fn prepare(&mut self) -> Result<(), ValidationError> {
        self.normalise_and_validate()
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

impl App {
    /// Creates a simple context record.
    pub async fn create_record<T: ContextRecord>(
        &self,
        actor: &Actor,
        org: &str,
        mut data: T,
    ) -> Result<Stored<T>, AppError> {
        let admin_only = T::SPEC.name == CUSTOM_FIELDS.name;
        actor.require(if admin_only {
            Permission::Administer
        } else {
            Permission::Write
        })?;
        data.prepare()?;
        let mut tx = self.store.begin_write_for(org).await?;
        if admin_only {
            let key = serde_json::to_value(&data)
                .ok()
                .and_then(|v| v.get("key").and_then(|k| k.as_str().map(String::from)));
            if let Some(key) = key
                && tx
                    .find_by(&CUSTOM_FIELDS, Some(org), "key", &key)
                    .await?
                    .is_some()
            {
                return Err(ValidationError::one(
                    "key",
                    format!("a custom field '{key}' already exists"),
                )
                .into());
            }
        }
        check_control_refs(&mut tx, org, &data).await?;
        let s = records::insert(&mut tx, T::SPEC, org, &actor.label, &data).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Replaces a simple context record's data.
    pub async fn update_record<T: ContextRecord>(
        &self,
        actor: &Actor,
        org: &str,
        id: &str,
        expected_version: Option<i64>,
        mut data: T,
    ) -> Result<Stored<T>, AppError> {
        actor.require(if T::SPEC.name == CUSTOM_FIELDS.name {
            Permission::Administer
        } else {
            Permission::Write
        })?;
        data.prepare()?;
        let id = aims_domain::parse_id("id", id)?;
        let mut tx = self.store.begin_write_for(org).await?;
        check_control_refs(&mut tx, org, &data).await?;
        let s = records::update(
            &mut tx,
            T::SPEC,
            org,
            &actor.label,
            &id,
            expected_version,
            &data,
        )
        .await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Deletes a simple context record.
    pub async fn delete_record<T: ContextRecord>(
        &self,
        actor: &Actor,
        org: &str,
        id: &str,
        expected_version: Option<i64>,
    ) -> Result<(), AppError> {
        actor.require(if T::SPEC.name == CUSTOM_FIELDS.name {
            Permission::Administer
        } else {
            Permission::Write
        })?;
        let id = aims_domain::parse_id("id", id)?;
        let mut tx = self.store.begin_write_for(org).await?;
        tx.delete(T::SPEC, org, &actor.label, &id, expected_version)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads one simple context record.
    pub async fn get_record<T: ContextRecord>(
        &self,
        actor: &Actor,
        org: &str,
        id: &str,
    ) -> Result<Stored<T>, AppError> {
        actor.require(Permission::Read)?;
        self.read(T::SPEC, org, id).await
    }

    /// Lists the simple context records of an organization in creation order.
    pub async fn list_records<T: ContextRecord>(
        &self,
        actor: &Actor,
        org: &str,
    ) -> Result<Vec<Stored<T>>, AppError> {
        actor.require(Permission::Read)?;
        self.read_list(T::SPEC, org, &ListQuery::default()).await
    }

    /// The custom field definitions of an organization.
    pub async fn custom_fields(
        &self,
        tx: &mut Conn,
        org: &str,
    ) -> Result<Vec<CustomFieldDef>, AppError> {
        let rows = tx.list(&CUSTOM_FIELDS, org, &ListQuery::default()).await?;
        rows.iter()
            .map(|r| records::from_row::<CustomFieldDef>(r).map(|s| s.data))
            .collect()
    }

    /// Every version of the scope statement, newest first.
    pub async fn scope_versions(
        &self,
        actor: &Actor,
        org: &str,
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
    pub async fn scope(&self, actor: &Actor, org: &str) -> Result<ScopeState, AppError> {
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
        org: &str,
        statement: &str,
        boundaries: &str,
        exclusions: &str,
        expected_version: Option<i64>,
    ) -> Result<Stored<ScopeVersion>, AppError> {
        actor.require(Permission::Write)?;
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
        draft.validate()?;
        let mut tx = self.store.begin_write_for(org).await?;
        let q = ListQuery {
            order_by: Some("number"),
            descending: true,
            ..ListQuery::default()
        };
        let versions: Vec<Stored<ScopeVersion>> = tx
            .list(&SCOPE_VERSIONS, org, &q)
            .await?
            .iter()
            .map(records::from_row)
            .collect::<Result<_, _>>()?;
        let stored = match versions
            .iter()
            .find(|v| v.data.status == ScopeStatus::Draft.as_str())
        {
            Some(existing) => {
                draft.number = existing.data.number;
                records::update(
                    &mut tx,
                    &SCOPE_VERSIONS,
                    org,
                    &actor.label,
                    &existing.id,
                    expected_version,
                    &draft,
                )
                .await?
            }
            None => {
                draft.number = versions.first().map_or(1, |v| v.data.number + 1);
                records::insert(&mut tx, &SCOPE_VERSIONS, org, &actor.label, &draft).await?
            }
        };
        tx.commit().await?;
        Ok(stored)
    }

    /// Approves the pending draft: it becomes the scope in force, and the previously approved version is kept as
    /// superseded.
    pub async fn scope_approve(
        &self,
        actor: &Actor,
        org: &str,
        note: &str,
    ) -> Result<Stored<ScopeVersion>, AppError> {
        actor.require(Permission::Approve)?;
        let mut tx = self.store.begin_write_for(org).await?;
        let drafts = tx
            .list(
                &SCOPE_VERSIONS,
                org,
                &ListQuery {
                    filters: vec![("status", Value::Text("draft".into()))],
                    ..ListQuery::default()
                },
            )
            .await?;
        let Some(row) = drafts.first() else {
            return Err(AppError::Conflict(
                "there is no draft scope statement to approve; write one with `aims scope draft`"
                    .into(),
            ));
        };
        let mut draft: Stored<ScopeVersion> = records::from_row(row)?;
        draft.data.validate()?;
        let approved = tx
            .list(
                &SCOPE_VERSIONS,
                org,
                &ListQuery {
                    filters: vec![("status", Value::Text("approved".into()))],
                    ..ListQuery::default()
                },
            )
            .await?;
        for row in approved {
            let mut old: Stored<ScopeVersion> = records::from_row(&row)?;
            old.data.status = ScopeStatus::Superseded.as_str().to_string();
            records::update(
                &mut tx,
                &SCOPE_VERSIONS,
                org,
                &actor.label,
                &old.id,
                Some(old.version),
                &old.data,
            )
            .await?;
        }
        draft.data.status = ScopeStatus::Approved.as_str().to_string();
        draft.data.approved_by = actor.label.clone();
        draft.data.approved_at = format_micros(aims_store::now_micros());
        draft.data.approval_note = note.trim().to_string();
        let s = records::update(
            &mut tx,
            &SCOPE_VERSIONS,
            org,
            &actor.label,
            &draft.id,
            Some(draft.version),
            &draft.data,
        )
        .await?;
        tx.commit().await?;
        Ok(s)
    }
}
