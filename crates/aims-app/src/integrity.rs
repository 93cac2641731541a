//! Integrity use cases: record history from the change log, verification of the chains, backup and restore.

use crate::records::format_micros;
use crate::{Actor, App, AppError, Permission};
use crate::{OrgId, RecordId};
pub use aims_store::backup::BackupSummary;
pub use aims_store::changelog::{ChainSummary, Problem, VerifyReport};

use aims_store::changelog::LogEntry;
use aims_store::spec;
use serde::Serialize;
use std::collections::HashMap;

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
    /// The fields an update changed, old and new; empty for a create and a delete, and for an entry whose versions
    /// were written before aims kept them.
    pub changes: Vec<ChangedField>,
}

/// One field an update changed.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct ChangedField {
    /// The field (its JSON key).
    pub field: String,
    /// The value before, as text (an object as JSON); empty when it had none. For a list: the items removed.
    pub before: String,
    /// The value after, as text; empty when it has none. For a list: the items added.
    pub after: String,
    /// Whether the field is a list, whose items `before` and `after` name (`; ` between them).
    pub list: bool,
}

impl HistoryEntry {
    /// The changes in one line: `owner: "Ann" → "Bob"; status: "open" → "closed"`.
    pub fn changes_text(&self) -> String {
        (self.changes.iter())
            .map(|c| match c.list {
                true => format!(
                    "{}: removed {}, added {}",
                    c.field,
                    quoted(&c.before),
                    quoted(&c.after)
                ),
                false => format!("{}: {} → {}", c.field, quoted(&c.before), quoted(&c.after)),
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn quoted(s: &str) -> String {
    if s.is_empty() {
        "(none)".to_string()
    } else {
        format!("\"{s}\"")
    }
}

/// The fields of a record version people edit: its stored content without the system fields.
fn data_of(content: &str) -> serde_json::Map<String, serde_json::Value> {
    let mut m = match serde_json::from_str::<serde_json::Value>(content) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    for system in ["id", "version", "created_at", "updated_at"] {
        m.remove(system);
    }
    m
}

fn text_of(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// How one item of a list reads: a small record by its name (or title, role, text), anything else as text.
fn item_text(v: &serde_json::Value) -> String {
    let named = ["name", "title", "role", "text", "control"]
        .iter()
        .find_map(|k| {
            v.get(k)
                .and_then(serde_json::Value::as_str)
                .filter(|s| !s.is_empty())
        });
    named.map_or_else(|| text_of(Some(v)), str::to_string)
}

/// The items of `from` that `other` does not hold, as text.
fn missing_from(from: &[serde_json::Value], other: &[serde_json::Value]) -> String {
    (from.iter())
        .filter(|i| !other.contains(i))
        .map(item_text)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The fields that differ between two versions, in key order; a list by the items removed and added.
fn changed(before: &str, after: &str) -> Vec<ChangedField> {
    let (b, a) = (data_of(before), data_of(after));
    let keys: std::collections::BTreeSet<&String> = b.keys().chain(a.keys()).collect();
    let none: Vec<serde_json::Value> = vec![];
    keys.into_iter()
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| {
            let (old, new) = (b.get(k), a.get(k));
            let as_list =
                |v: Option<&serde_json::Value>| v.and_then(serde_json::Value::as_array).cloned();
            match (as_list(old), as_list(new)) {
                (o, n) if o.is_some() || n.is_some() => {
                    let (o, n) = (
                        o.unwrap_or_else(|| none.clone()),
                        n.unwrap_or_else(|| none.clone()),
                    );
                    ChangedField {
                        field: k.clone(),
                        before: missing_from(&o, &n),
                        after: missing_from(&n, &o),
                        list: true,
                    }
                }
                _ => ChangedField {
                    field: k.clone(),
                    before: text_of(old),
                    after: text_of(new),
                    list: false,
                },
            }
        })
        .collect()
}

/// The entries of one record, oldest first, each update with the fields it changed (from the stored versions).
fn with_changes(entries: Vec<LogEntry>, versions: &HashMap<i64, String>) -> Vec<HistoryEntry> {
    let mut previous: Option<&String> = None;
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let content = versions.get(&e.seq);
        let changes = match (e.action.as_str(), previous, content) {
            ("update", Some(b), Some(a)) => changed(b, a),
            _ => vec![],
        };
        previous = content;
        out.push(HistoryEntry {
            seq: e.seq,
            at: format_micros(e.at),
            actor: e.actor,
            action: e.action,
            content_hash: e.content_hash,
            hash: e.hash,
            changes,
        });
    }
    out
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
        let versions = self.store.versions(org, &entries).await?;
        Ok(with_changes(entries, &versions))
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
