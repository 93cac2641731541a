//! The generic use cases of every kit record type. Each checks the role the declaration names, scopes to one
//! organization, runs the record's own validation and checks, and writes the record with its change-log entry in
//! one transaction that holds the organization's write lock.

use super::paging::{ListParams, RecordPage};
use super::{Record, RecordDef};
use crate::integrity::HistoryEntry;
use crate::records::Stored;
use crate::{Actor, App, AppError};
use crate::{OrgId, RecordId};
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

impl App {
    /// Creates a kit record.
    pub async fn create_record<T: Record>(
        &self,
        actor: &Actor,
        org: &OrgId,
        data: T,
    ) -> Result<Stored<T>, AppError> {
        self.write_record(actor, org, None, data)
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
        self.write_record(actor, org, Some((id, expected_version)), data)
            .instrument(span("update", T::DEF, org))
            .await
    }

    /// The one write path of the kit: role, the record's own validation, then, under the organization's write
    /// lock, its checks against the rest and the write with its change-log entry. `target` names the record
    /// being replaced (and the version it must still be at); `None` creates one.
    async fn write_record<T: Record>(
        &self,
        actor: &Actor,
        org: &OrgId,
        target: Option<(&str, Option<i64>)>,
        mut data: T,
    ) -> Result<Stored<T>, AppError> {
        let def = T::DEF;
        let mut w = self.write_in(actor, def.write, org).await?;
        data.prepare()?;
        let s = match target {
            None => {
                data.check(&mut w, org, None).await?;
                w.insert(def.spec, &data).await?
            }
            Some((id, expected_version)) => {
                let current: Stored<T> = w.get(def.spec, id).await?;
                data.check(&mut w, org, Some(&current)).await?;
                w.update(def.spec, &current.id, expected_version, &data)
                    .await?
            }
        };
        w.done(s).await
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
