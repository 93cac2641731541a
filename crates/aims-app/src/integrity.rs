//! Integrity use cases: record history from the change log, verification of the chains, backup and restore.

use crate::records::format_micros;
use crate::{Actor, App, AppError, Permission};
use crate::{OrgId, RecordId};
pub use aims_store::backup::BackupSummary;
pub use aims_store::changelog::{ChainSummary, Problem, VerifyReport};

use aims_store::changelog::LogEntry;
use aims_store::spec;
use serde::Serialize;

/// One change of a record, from the hash-chained change log, for people and for the API.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct HistoryEntry {
    /// Position in the organization's chain.
    pub seq: i64,
    /// When (RFC 3339 UTC).
    pub at: String,
    /// Who.
    pub actor: String,
    /// `create`, `update` or `delete`.
    pub action: String,
    /// SHA-256 of the record's content after the change.
    pub content_hash: String,
    /// Hash of the entry.
    pub hash: String,
}

impl From<LogEntry> for HistoryEntry {
    fn from(e: LogEntry) -> Self {
        HistoryEntry {
            seq: e.seq,
            at: format_micros(e.at),
            actor: e.actor,
            action: e.action,
            content_hash: e.content_hash,
            hash: e.hash,
        }
    }
}

impl App {
    /// Who changed a record, what they did and when, oldest first.
    pub async fn history(
        &self,
        actor: &Actor,
        org: &OrgId,
        record_type: &str,
        id: &RecordId,
    ) -> Result<Vec<HistoryEntry>, AppError> {
        actor.require(Permission::Read)?;
        if spec::by_record_type(record_type).is_none() {
            return Err(AppError::Invalid(aims_domain::ValidationError::one(
                "record_type",
                format!("unknown record type '{record_type}'"),
            )));
        }
        let id = aims_domain::parse_id("id", id)?;
        let entries = self.store.history(org, record_type, &id).await?;
        if entries.is_empty() {
            return Err(AppError::NotFound(format!(
                "no {} with id {id} in this organization",
                record_type.replace('_', " ")
            )));
        }
        Ok(entries.into_iter().map(HistoryEntry::from).collect())
    }

    /// Verifies the change-log chains and every record, of one organization or (for the local operator only,
    /// who holds the whole database) of all.
    pub async fn verify(
        &self,
        actor: &Actor,
        only_org: Option<&str>,
    ) -> Result<VerifyReport, AppError> {
        actor.require(Permission::Verify)?;
        if only_org.is_none() {
            require_operator(actor, "verify every organization")?;
        }
        Ok(self.store.verify(only_org).await?)
    }

    /// The newest entry of an organization's change-log chain (its sequence number and hash), or none before the
    /// first change: the figure a dashboard shows and an auditor notes down to compare later.
    pub async fn chain_head(
        &self,
        actor: &Actor,
        org: &OrgId,
    ) -> Result<Option<(i64, String)>, AppError> {
        actor.require(Permission::Read)?;
        Ok(self.store.chain_head(org).await?)
    }

    /// Writes every row and change-log entry of the database to `out`. Only the local operator backs up: the file
    /// holds every organization.
    pub async fn backup<W: std::io::Write>(
        &self,
        actor: &Actor,
        out: W,
    ) -> Result<BackupSummary, AppError> {
        require_operator(actor, "back up the database")?;
        Ok(self.store.backup(out).await?)
    }

    /// Loads a backup into an empty database. Only the local operator restores.
    pub async fn restore<R: std::io::BufRead>(
        &self,
        actor: &Actor,
        input: R,
    ) -> Result<BackupSummary, AppError> {
        require_operator(actor, "restore a backup")?;
        Ok(self.store.restore(input).await?)
    }
}

/// Refuses a signed-in member: some operations span every organization of the database, so only the operator who
/// holds the database itself may run them.
fn require_operator(actor: &Actor, what: &str) -> Result<(), AppError> {
    match actor.role {
        None => Ok(()),
        Some(role) => Err(AppError::Forbidden(format!(
            "the {role} role does not allow to {what}; only the operator of the database may"
        ))),
    }
}
