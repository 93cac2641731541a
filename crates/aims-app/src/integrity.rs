//! Integrity use cases: record history from the change log, verification of the chains, backup and restore.

use crate::records::format_micros;
use crate::{Actor, App, AppError, Permission};
use aims_store::changelog::{LogEntry, VerifyReport};
use aims_store::spec;
use serde::Serialize;

/// One change of a record, for people.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HistoryEntry {
    /// Position in the organization's chain.
    pub seq: i64,
    /// When (RFC 3339 UTC).
    pub at: String,
    /// Who.
    pub actor: String,
    /// create, update or delete.
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
        org: &str,
        record_type: &str,
        id: &str,
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

    /// Verifies the change-log chains and every record (of one organization, or all).
    pub async fn verify(&self, only_org: Option<&str>) -> Result<VerifyReport, AppError> {
        Ok(self.store.verify(only_org).await?)
    }
}
