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
