//! The generic use cases of every kit record type. Each checks the role the declaration names, scopes to one
//! organization, runs the record's own validation and checks, and writes the record with its change-log entry in
//! one transaction that holds the organization's write lock.

use super::paging::{ListParams, RecordPage};
use super::{Record, RecordDef, Target};
use crate::integrity::HistoryEntry;
use crate::records::{OrgWrite, Stored};
use crate::{Actor, App, AppError};
use crate::{OrgId, RecordId};
use aims_domain::ValidationError;
use aims_store::ListQuery;
use tracing::Instrument;

/// The span a generic use case runs in, so that the log says which operation on which record type it was.
fn span(op: &'static str, def: &RecordDef, org: &OrgId) -> tracing::Span {
    tracing::info_span!(
        "use_case",
        op,
        record_type = def.spec.record_type,
        org = org.as_str()
    )
}

/// The write every create and modification ends in, inside the unit of work: the record's own validation, its
/// checks against the rest, the write with its change-log entry, and what follows from it. `current` is the
/// stored record being replaced (`None` on a create, where `id` is the id chosen for it).
async fn save<T: Record>(
    w: &mut OrgWrite,
    mut data: T,
    id: &RecordId,
    current: Option<&Stored<T>>,
) -> Result<Stored<T>, AppError> {
    let spec = T::DEF.spec;
    data.prepare()?;
    data.check(w, &Target { id, current }).await?;
    let s = match current {
        None => w.insert_as(spec, id, &data).await?,
        Some(c) => w.update(spec, &c.id, Some(c.version), &data).await?,
    };
    T::written(w, &s, current).await?;
    Ok(s)
}

impl App {
    /// Creates a kit record.
    pub async fn create_record<T: Record>(
        &self,
        actor: &Actor,
        org: &OrgId,
        data: T,
    ) -> Result<Stored<T>, AppError> {
        async {
            let mut w = self.write_in(actor, T::DEF.write, org).await?;
            let id = RecordId::from(aims_domain::new_id());
            let s = save(&mut w, data, &id, None).await?;
            w.done(s).await
        }
        .instrument(span("create", T::DEF, org))
        .await
    }

    /// Replaces a kit record's data, refusing a stale `expected_version` (when given).
    pub async fn update_record<T: Record>(
        &self,
        actor: &Actor,
        org: &OrgId,
        id: &RecordId,
        expected_version: Option<i64>,
        data: T,
    ) -> Result<Stored<T>, AppError> {
        self.modify_record(actor, org, id, expected_version, |current: &mut T| {
            *current = data;
            Ok(())
        })
        .await
    }

    /// Applies `change` to a kit record's stored data and saves the result through the same rules as a create.
    /// Under the organization's write lock, the record is read and refused when it is no longer at
    /// `expected_version` (a [`AppError::Conflict`], as the store reports it, whatever else is wrong) before
    /// `change` runs. Replacing, patching, the CLI's `update` and workflow steps such as retiring a system all
    /// come here.
    pub async fn modify_record<T: Record>(
        &self,
        actor: &Actor,
        org: &OrgId,
        id: &RecordId,
        expected_version: Option<i64>,
        change: impl FnOnce(&mut T) -> Result<(), ValidationError> + Send,
    ) -> Result<Stored<T>, AppError> {
        let def = T::DEF;
        async {
            let mut w = self.write_in(actor, def.write, org).await?;
            let current: Stored<T> = w.get(def.spec, id).await?;
            if let Some(v) = expected_version
                && v != current.version
            {
                return Err(AppError::Conflict(super::step::stale(&current, v)));
            }
            let mut data = current.data.clone();
            change(&mut data)?;
            let s = save(&mut w, data, &current.id, Some(&current)).await?;
            w.done(s).await
        }
        .instrument(span("modify", def, org))
        .await
    }

    /// Applies a JSON Merge Patch (RFC 7396) to a kit record's data and saves the result through the same rules
    /// as an update, refusing a stale `expected_version` (when given).
    pub async fn patch_record<T: Record>(
        &self,
        actor: &Actor,
        org: &OrgId,
        id: &RecordId,
        expected_version: Option<i64>,
        patch: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Stored<T>, AppError> {
        self.modify_record(actor, org, id, expected_version, |data: &mut T| {
            *data = super::merge_patch(data, patch, "")?;
            Ok(())
        })
        .await
    }

    /// Deletes a kit record (with `expected_version`, only while it is still at that version).
    pub async fn delete_record<T: Record>(
        &self,
        actor: &Actor,
        org: &OrgId,
        id: &RecordId,
        expected_version: Option<i64>,
    ) -> Result<(), AppError> {
        let def = T::DEF;
        async {
            let mut w = self.write_in(actor, def.write, org).await?;
            if !def.deletable {
                return Err(AppError::Conflict(format!(
                    "{} are kept for the record and cannot be deleted",
                    def.plural_title()
                )));
            }
            let id = aims_domain::parse_id("id", id)?;
            let current: Stored<T> = w.get(def.spec, &id).await?;
            T::check_delete(&mut w, org, &current).await?;
            w.delete(def.spec, &id, expected_version).await?;
            w.commit().await
        }
        .instrument(span("delete", def, org))
        .await
    }

    /// Reads one kit record.
    pub async fn get_record<T: Record>(
        &self,
        actor: &Actor,
        org: &OrgId,
        id: &RecordId,
    ) -> Result<Stored<T>, AppError> {
        actor.require(T::DEF.read)?;
        self.read(T::DEF.spec, org, id).await
    }

    /// Every kit record of an organization in creation order, for overviews and checks that need them all; lists
    /// that people page through use [`App::list_page`].
    pub async fn list_records<T: Record>(
        &self,
        actor: &Actor,
        org: &OrgId,
    ) -> Result<Vec<Stored<T>>, AppError> {
        actor.require(T::DEF.read)?;
        self.read_list(T::DEF.spec, org, &ListQuery::default())
            .await
    }

    /// One page of a kit record list, filtered, searched and ordered in the database.
    pub async fn list_page<T: Record>(
        &self,
        actor: &Actor,
        org: &OrgId,
        params: &ListParams,
    ) -> Result<RecordPage<T>, AppError> {
        let def = T::DEF;
        async {
            actor.require(def.read)?;
            let plan = params.plan::<T>()?;
            let rows = self.store.list(def.spec, org, &plan.query).await?;
            plan.page(rows)
        }
        .instrument(span("list", def, org))
        .await
    }

    /// The change history of one kit record, oldest first.
    pub async fn record_history<T: Record>(
        &self,
        actor: &Actor,
        org: &OrgId,
        id: &RecordId,
    ) -> Result<Vec<HistoryEntry>, AppError> {
        actor.require(T::DEF.read)?;
        self.history(actor, org, T::DEF.spec.record_type, id).await
    }
}
