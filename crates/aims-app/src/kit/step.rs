//! Workflow steps on one stored record: approving it, accepting what is left of a risk, adding a dated
//! assessment, retiring it. An edit may not make these changes (the record's checks refuse them), so each is a
//! step of its own, with the role it needs and its own input. The kit runs every step the same way, and the API
//! serves each at `POST /api/v1/{path}/{id}/{segment}` from its declaration.

use super::Record;
use crate::records::OrgWrite;
use crate::{Actor, App, AppError, OrgId, Permission, RecordId, Stored};
use serde::de::DeserializeOwned;
use std::future::Future;

/// The declaration of a step: where the API serves it and what its answers mean.
#[derive(Debug, Clone, Copy)]
pub struct StepDef {
    /// The address segment after the record's (`approval` in `/api/v1/impact-assessments/{id}/approval`).
    pub segment: &'static str,
    /// The OpenAPI operation id.
    pub operation: &'static str,
    /// What the step does, in a sentence (the operation's summary; the first sentence of its help).
    pub about: &'static str,
    /// Who may take it.
    pub permission: Permission,
    /// What a successful answer holds (`The approved assessment`).
    pub done: &'static str,
    /// When it is refused as invalid (422), in a phrase.
    pub invalid: &'static str,
    /// When it is refused because of the record's state (409), in a phrase; empty when it never is.
    pub conflict: &'static str,
}

/// A workflow step on records of type [`Step::Record`].
pub trait Step: Send + Sync + 'static {
    /// The record type the step changes.
    type Record: Record;
    /// What the step takes (the API's request body).
    type Input: DeserializeOwned + utoipa::ToSchema + Send + 'static;
    /// Where it is served and what its answers mean.
    const DEF: &'static StepDef;

    /// Changes `record` by `input`, or refuses it. It runs under the organization's write lock, after a stale
    /// version was refused, and may read and write other records through `w` (an acceptance moves its risk);
    /// `actor` is who takes the step, for the records that name them.
    fn apply(
        w: &mut OrgWrite,
        actor: &Actor,
        record: &mut Stored<Self::Record>,
        input: Self::Input,
    ) -> impl Future<Output = Result<(), AppError>> + Send;
}

/// The refusal of a write to a record that is no longer at the version the caller saw.
pub(crate) fn stale<T: Record>(current: &Stored<T>, expected: i64) -> String {
    format!(
        "{} {} was changed by someone else (you have version {expected}, the store has {}); reload and try \
         again",
        T::DEF.singular_title(),
        current.id,
        current.version
    )
}

impl App {
    /// Takes step `S` on record `id`: with the step's role, refusing a stale `expected_version` (when given) as
    /// [`AppError::Stale`], the record changed by the step and written with its change-log entry in one
    /// transaction.
    pub async fn step<S: Step>(
        &self,
        actor: &Actor,
        org: &OrgId,
        id: &RecordId,
        expected_version: Option<i64>,
        input: S::Input,
    ) -> Result<Stored<S::Record>, AppError> {
        let spec = <S::Record as Record>::DEF.spec;
        let mut w = self.write_in(actor, S::DEF.permission, org).await?;
        let mut current: Stored<S::Record> = w.get(spec, id).await?;
        if let Some(v) = expected_version
            && v != current.version
        {
            return Err(AppError::Stale(stale(&current, v)));
        }
        S::apply(&mut w, actor, &mut current, input).await?;
        let s = w
            .update(spec, &current.id, Some(current.version), &current.data)
            .await?;
        w.done(s).await
    }
}
