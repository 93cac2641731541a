//! The record kit: one declaration per record type gives it its use cases here, and its REST endpoints, CLI noun
//! and pages in the layers above, all from the same [`RecordDef`]. A record type that fits the kit needs only its
//! domain struct, its table spec, a migration per database and an `impl Record`; special behaviour (links that
//! must exist, uniqueness, workflows) is added through the hooks of [`Record`] or as extra use cases beside the
//! generic ones, never by copying them. See `docs/adding-a-record-type.md`.

mod def;
mod paging;
mod patch;
mod registry;
mod step;
mod usecases;
mod view;

pub use def::{Field, FieldKind, RecordDef};
pub(crate) use def::{def_with_own_faces, or_else};
pub use paging::{DEFAULT_LIMIT, ListParams, MAX_LIMIT, RecordPage};
pub use patch::merge_patch;
pub use registry::{
    RecordVisitor, StepVisitor, each_record, each_record_with_own_faces, each_step,
};
pub use step::{Step, StepDef};
pub use view::{Cell, cells, json_text, summary};

use crate::records::OrgWrite;
use crate::{AppError, Stored};
use crate::{OrgId, RecordId};
use aims_domain::ValidationError;
use aims_store::Conn;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;

/// A record type of the kit: its declaration and the rules that the generic use cases run on every write.
///
/// Its data schema (`ToSchema`) documents the REST API's request and response bodies.
pub trait Record:
    Serialize + DeserializeOwned + Clone + Send + Sync + utoipa::ToSchema + 'static
{
    /// What the generic parts need to know: table, names, roles, fields, filters and sort keys.
    const DEF: &'static RecordDef;

    /// What the form for a new record starts from, as JSON: the defaults a record left blank would take (an AI
    /// system starts as an idea the organization deploys, inside the scope). Nothing by default.
    fn blank() -> serde_json::Value {
        serde_json::Value::Object(serde_json::Map::new())
    }

    /// Normalises and validates the record on its own (before its checks against the rest); nothing by default.
    fn prepare(&mut self) -> Result<(), ValidationError> {
        Ok(())
    }

    /// Checks the record against the rest of the organization inside the write transaction, where the
    /// organization's writes are serialised, so a check-then-write rule holds (a key that must be unique, a
    /// control that must exist). It may also complete the record from what is stored (normalise it against the
    /// organization's custom fields, keep fields that only a workflow step may change, score it by the method in
    /// force), and write records it points at before it is written (an impact assessment raises register risks
    /// that link back to its id); everything it writes is part of the same transaction.
    fn check(
        &mut self,
        w: &mut OrgWrite,
        at: &Target<'_, Self>,
    ) -> impl Future<Output = Result<(), AppError>> + Send {
        let _ = (w, at);
        async { Ok(()) }
    }

    /// Writes what follows from the write in the same transaction (an open risk moving to `treating` when a
    /// treatment plan is created for it). `stored` is the record as written, `previous` the one it replaced.
    fn written(
        w: &mut OrgWrite,
        stored: &Stored<Self>,
        previous: Option<&Stored<Self>>,
    ) -> impl Future<Output = Result<(), AppError>> + Send {
        let _ = (w, stored, previous);
        async { Ok(()) }
    }

    /// Refuses a delete that would leave other records pointing at nothing; runs inside the delete's
    /// transaction.
    fn check_delete(
        tx: &mut Conn,
        org: &OrgId,
        current: &Stored<Self>,
    ) -> impl Future<Output = Result<(), AppError>> + Send {
        let _ = (tx, org, current);
        async { Ok(()) }
    }
}

/// Where a write lands: the record's id and the stored record it replaces.
#[derive(Debug)]
pub struct Target<'a, T> {
    /// The record's id; on a create it is chosen before the checks, so that records written beside it can
    /// point at it.
    pub id: &'a RecordId,
    /// The stored record being replaced; `None` on a create.
    pub current: Option<&'a Stored<T>>,
}

#[cfg(test)]
mod tests;
