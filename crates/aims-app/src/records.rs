//! Typed records over the store's generic rows: a domain struct plus the system fields every record has.

use crate::{App, AppError};
use crate::{OrgId, RecordId};
use aims_store::spec::TableSpec;
use aims_store::{Conn, ListQuery, Row, WriteTx};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A record as stored: id, version and timestamps, and the domain data flattened beside them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stored<T> {
    /// Record id (UUIDv7).
    pub id: RecordId,
    /// Version for optimistic concurrency; pass it back to update.
    pub version: i64,
    /// Creation time, RFC 3339 UTC.
    pub created_at: String,
    /// Last change, RFC 3339 UTC.
    pub updated_at: String,
    /// The record's data.
    #[serde(flatten)]
    pub data: T,
}

/// A page of a list in creation order: after the record with this id, at most this many.
#[derive(Debug, Clone, Default)]
pub struct Paging {
    /// Id of the last record of the previous page.
    pub after: Option<String>,
    /// Most records to return.
    pub limit: Option<i64>,
}

impl Paging {
    /// Applies the page to a store query ordered by id.
    pub fn apply(&self, q: &mut ListQuery) -> Result<(), AppError> {
        if let Some(a) = &self.after {
            let id = aims_domain::parse_id("cursor", a)?;
            q.after = Some((aims_store::value::Value::Text(id.clone()), id));
        }
        q.limit = self.limit;
        Ok(())
    }
}

/// Formats µs since the epoch as RFC 3339 UTC with microseconds (fixed width, so it sorts as text).
pub use aims_store::records::format_micros;

/// Converts a stored row into a typed record.
pub fn from_row<T: DeserializeOwned>(row: &Row) -> Result<Stored<T>, AppError> {
    let data = serde_json::from_value(row.data_json()).map_err(|e| {
        AppError::Store(aims_store::StoreError::Database(format!(
            "{} {} cannot be read: {e}",
            row.spec.record_type,
            row.id()
        )))
    })?;
    Ok(Stored {
        id: RecordId::from(row.id()),
        version: row.version(),
        created_at: format_micros(row.created_at()),
        updated_at: format_micros(row.updated_at()),
        data,
    })
}

/// Converts typed data into the store's column values.
pub fn to_values<T: Serialize>(
    spec: &TableSpec,
    data: &T,
) -> Result<Vec<aims_store::value::Value>, AppError> {
    let json = serde_json::to_value(data)
        .map_err(|e| AppError::Store(aims_store::StoreError::Database(e.to_string())))?;
    Ok(aims_store::records::data_from_json(spec, &json)?)
}

/// Inserts typed data as a new record inside `tx`.
pub async fn insert<T: Serialize + DeserializeOwned>(
    tx: &mut WriteTx,
    spec: &'static TableSpec,
    org: &str,
    actor: &str,
    data: &T,
) -> Result<Stored<T>, AppError> {
    let id = aims_domain::new_id();
    let row = tx
        .insert(spec, org, actor, &id, to_values(spec, data)?)
        .await?;
    from_row(&row)
}

/// Replaces a record's data inside `tx`, refusing a stale `expected_version`.
pub async fn update<T: Serialize + DeserializeOwned>(
    tx: &mut WriteTx,
    spec: &'static TableSpec,
    org: &str,
    actor: &str,
    id: &str,
    expected_version: Option<i64>,
    data: &T,
) -> Result<Stored<T>, AppError> {
    let row = tx
        .update(
            spec,
            org,
            actor,
            id,
            expected_version,
            to_values(spec, data)?,
        )
        .await?;
    from_row(&row)
}

/// Reads a record inside `tx`, as [`AppError::NotFound`] when absent.
pub async fn get<T: DeserializeOwned>(
    tx: &mut Conn,
    spec: &'static TableSpec,
    org: &str,
    id: &str,
) -> Result<Stored<T>, AppError> {
    let id = aims_domain::parse_id("id", id)?;
    match tx.get(spec, org, &id).await? {
        Some(row) => from_row(&row),
        None => Err(AppError::NotFound(format!(
            "no {} with id {id} in this organization",
            spec.record_type.replace('_', " ")
        ))),
    }
}

impl App {
    /// Reads one record of an organization.
    pub async fn read<T: DeserializeOwned>(
        &self,
        spec: &'static TableSpec,
        org: &OrgId,
        id: &str,
    ) -> Result<Stored<T>, AppError> {
        let mut tx = self.store.begin_read().await?;
        let r = get(&mut tx, spec, org, id).await;
        tx.commit().await?;
        r
    }

    /// Lists records of an organization.
    pub async fn read_list<T: DeserializeOwned>(
        &self,
        spec: &'static TableSpec,
        org: &OrgId,
        q: &ListQuery,
    ) -> Result<Vec<Stored<T>>, AppError> {
        self.store
            .list(spec, org, q)
            .await?
            .iter()
            .map(from_row)
            .collect()
    }
}

/// The unit of work of one write use case: the write transaction (which holds the organization's write lock
/// from its start), the organization it writes in and the actor the change log names. Reads and writes through
/// it are scoped to that organization and attributed to that actor, so a use case names neither again; nothing
/// is kept unless [`OrgWrite::commit`] is called. It derefs to the transaction for the store's own queries.
pub struct OrgWrite {
    tx: WriteTx,
    org: OrgId,
    actor: String,
}

impl App {
    /// Checks that `actor` may do `p`, then opens the unit of work for a write in `org`.
    pub(crate) async fn write_in(
        &self,
        actor: &crate::Actor,
        p: crate::Permission,
        org: &OrgId,
    ) -> Result<OrgWrite, AppError> {
        actor.require(p)?;
        Ok(OrgWrite {
            tx: self.store.begin_write_for(org).await?,
            org: org.clone(),
            actor: actor.label.clone(),
        })
    }
}

impl OrgWrite {
    /// The organization written in.
    pub fn org(&self) -> &OrgId {
        &self.org
    }

    /// Reads a record of the organization, as [`AppError::NotFound`] when absent.
    pub async fn get<T: DeserializeOwned>(
        &mut self,
        spec: &'static TableSpec,
        id: &str,
    ) -> Result<Stored<T>, AppError> {
        get(&mut self.tx, spec, &self.org, id).await
    }

    /// The organization's records of `spec` that `q` selects, typed.
    pub async fn select<T: DeserializeOwned>(
        &mut self,
        spec: &'static TableSpec,
        q: &ListQuery,
    ) -> Result<Vec<Stored<T>>, AppError> {
        self.tx
            .list(spec, &self.org, q)
            .await?
            .iter()
            .map(from_row)
            .collect()
    }

    /// The id of the organization's record of `spec` whose `column` holds `key` (a record kept one per key, such
    /// as a control's implementation or a system's classification).
    pub async fn find_id(
        &mut self,
        spec: &'static TableSpec,
        column: &'static str,
        key: &str,
    ) -> Result<Option<String>, AppError> {
        let row = self.tx.find_by(spec, Some(&self.org), column, key).await?;
        Ok(row.map(|r| r.id().to_string()))
    }

    /// Reads a record of the organization when there is one (a link the use case checks and then reads).
    pub async fn find<T: DeserializeOwned>(
        &mut self,
        spec: &'static TableSpec,
        id: &str,
    ) -> Result<Option<Stored<T>>, AppError> {
        match self.tx.get(spec, &self.org, id).await? {
            Some(row) => Ok(Some(from_row(&row)?)),
            None => Ok(None),
        }
    }

    /// Whether the organization has a record `id` of `spec` (a link that must point at something).
    pub async fn exists(&mut self, spec: &'static TableSpec, id: &str) -> Result<bool, AppError> {
        Ok(self.tx.get(spec, &self.org, id).await?.is_some())
    }

    /// Refuses links that point at no record of `spec` in the organization: every `(field, id)` whose id is not
    /// empty and names nothing is listed under its field as "no {what} with id … in this organization".
    pub async fn check_links(
        &mut self,
        spec: &'static TableSpec,
        what: &str,
        links: Vec<(String, String)>,
    ) -> Result<(), AppError> {
        let mut errs = aims_domain::ValidationError::default();
        for (field, id) in links {
            if !id.is_empty() && !self.exists(spec, &id).await? {
                errs.push(
                    field,
                    format!("no {what} with id {id} in this organization"),
                );
            }
        }
        Ok(errs.into_result()?)
    }

    /// Inserts a new record under an id chosen before (one that other records written in the same unit point
    /// at), with its change-log entry.
    pub async fn insert_as<T: Serialize + DeserializeOwned>(
        &mut self,
        spec: &'static TableSpec,
        id: &str,
        data: &T,
    ) -> Result<Stored<T>, AppError> {
        let row = self
            .tx
            .insert(spec, &self.org, &self.actor, id, to_values(spec, data)?)
            .await?;
        from_row(&row)
    }

    /// Inserts a new record with its change-log entry.
    pub async fn insert<T: Serialize + DeserializeOwned>(
        &mut self,
        spec: &'static TableSpec,
        data: &T,
    ) -> Result<Stored<T>, AppError> {
        insert(&mut self.tx, spec, &self.org, &self.actor, data).await
    }

    /// Replaces a record's data with its change-log entry, refusing a stale `expected_version`.
    pub async fn update<T: Serialize + DeserializeOwned>(
        &mut self,
        spec: &'static TableSpec,
        id: &str,
        expected_version: Option<i64>,
        data: &T,
    ) -> Result<Stored<T>, AppError> {
        update(
            &mut self.tx,
            spec,
            &self.org,
            &self.actor,
            id,
            expected_version,
            data,
        )
        .await
    }

    /// Deletes a record with its change-log entry, refusing a stale `expected_version`.
    pub async fn delete(
        &mut self,
        spec: &'static TableSpec,
        id: &str,
        expected_version: Option<i64>,
    ) -> Result<(), AppError> {
        Ok(self
            .tx
            .delete(spec, &self.org, &self.actor, id, expected_version)
            .await?)
    }

    /// Makes every write of the unit durable, with their change-log entries.
    pub async fn commit(self) -> Result<(), AppError> {
        Ok(self.tx.commit().await?)
    }

    /// Commits and hands back `value` (the record a use case wrote), so that a use case ends in one line.
    pub async fn done<V>(self, value: V) -> Result<V, AppError> {
        self.commit().await?;
        Ok(value)
    }
}

impl std::ops::Deref for OrgWrite {
    type Target = WriteTx;
    fn deref(&self) -> &WriteTx {
        &self.tx
    }
}

impl std::ops::DerefMut for OrgWrite {
    fn deref_mut(&mut self) -> &mut WriteTx {
        &mut self.tx
    }
}
