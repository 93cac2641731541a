//! The tamper-evident change log: one hash chain per organization. Each entry's hash covers its own fields and
//! the previous entry's hash; the chain head row is locked while an entry is appended, so concurrent writers
//! queue instead of forking the chain. [`Store::verify`] recomputes every chain and compares each live record
//! with the content hash of its latest entry.

use crate::records::{content_hash, decode_values};
use crate::spec::{CHANGE_LOG, RECORD_TABLES};
use crate::value::{Canonical, Kind, Value};
use crate::{Conn, Store, StoreError, now_micros, on_conn};
use serde::Serialize;
use sqlx::{AssertSqlSafe, Row as _};
use std::collections::{BTreeMap, HashMap};

/// The previous-hash of the first entry of every chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// The content hash recorded for a deletion: the record must not exist afterwards.
pub const DELETED: &str = "deleted";

/// What a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The record was created.
    Create,
    /// The record was changed.
    Update,
    /// The record was deleted.
    Delete,
}

impl Action {
    /// Stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
}

/// One entry of the change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogEntry {
    /// Chain (organization id, or the installation chain).
    pub org_id: String,
    /// Position in the chain, from 1 without gaps.
    pub seq: i64,
    /// Time of the change, µs since the epoch (UTC).
    pub at: i64,
    /// Who made the change.
    pub actor: String,
    /// create, update or delete.
    pub action: String,
    /// Record type (`ai_system`, ...).
    pub record_type: String,
    /// Record id.
    pub record_id: String,
    /// SHA-256 of the record's canonical content after the change (`deleted` for deletions).
    pub content_hash: String,
    /// Hash of the previous entry ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// Hash of this entry.
    pub hash: String,
}

impl LogEntry {
    /// Recomputes this entry's hash from its fields.
    pub fn compute_hash(&self) -> String {
        let mut c = Canonical::new("aims-log-v1");
        c.str(&self.org_id)
            .int(self.seq)
            .int(self.at)
            .str(&self.actor)
            .str(&self.action)
            .str(&self.record_type)
            .str(&self.record_id)
            .str(&self.content_hash)
            .str(&self.prev_hash);
        c.sha256_hex()
    }

    fn from_values(v: Vec<Value>) -> LogEntry {
        let mut it = v.into_iter();
        let mut text = || match it.next() {
            Some(Value::Text(s)) => s,
            Some(Value::Int(i)) => i.to_string(),
            _ => String::new(),
        };
        let org_id = text();
        let seq = text().parse().unwrap_or(-1);
        let at = text().parse().unwrap_or(-1);
        LogEntry {
            org_id,
            seq,
            at,
            actor: text(),
            action: text(),
            record_type: text(),
            record_id: text(),
            content_hash: text(),
            prev_hash: text(),
            hash: text(),
        }
    }

    fn values(&self) -> Vec<Value> {
        vec![
            Value::Text(self.org_id.clone()),
            Value::Int(self.seq),
            Value::Int(self.at),
            Value::Text(self.actor.clone()),
            Value::Text(self.action.clone()),
            Value::Text(self.record_type.clone()),
            Value::Text(self.record_id.clone()),
            Value::Text(self.content_hash.clone()),
            Value::Text(self.prev_hash.clone()),
            Value::Text(self.hash.clone()),
        ]
    }
}

/// Appends an entry to an organization's chain inside the caller's transaction.
pub(crate) async fn append(
    conn: &mut Conn,
    org: &str,
    actor: &str,
    action: Action,
    record_type: &str,
    record_id: &str,
    content_hash: &str,
) -> Result<LogEntry, StoreError> {
    // The no-op UPDATE takes the head row's lock (PostgreSQL) before reading it, so a concurrent writer of the
    // same chain waits here until this transaction ends; on SQLite BEGIN IMMEDIATE already serialises writers.
    const LOCK: &str = "UPDATE chain_heads SET seq = seq WHERE org_id = $1 RETURNING seq, hash";
    let head: Option<(i64, String)> = on_conn!(conn, |c| {
        match sqlx::query(LOCK)
            .bind(org.to_string())
            .fetch_optional(&mut *c)
            .await?
        {
            Some(r) => Some((r.try_get(0)?, r.try_get(1)?)),
            None => {
                sqlx::query("INSERT INTO chain_heads (org_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (org_id) DO NOTHING")
                    .bind(org.to_string())
                    .bind(GENESIS)
                    .execute(&mut *c)
                    .await?;
                match sqlx::query(LOCK)
                    .bind(org.to_string())
                    .fetch_optional(&mut *c)
                    .await?
                {
                    Some(r) => Some((r.try_get(0)?, r.try_get(1)?)),
                    None => None,
                }
            }
        }
    });
    let (seq, prev_hash) =
        head.ok_or_else(|| StoreError::Database(format!("chain head of {org} is missing")))?;
    let mut entry = LogEntry {
        org_id: org.to_string(),
        seq: seq + 1,
        at: now_micros(),
        actor: actor.to_string(),
        action: action.as_str().to_string(),
        record_type: record_type.to_string(),
        record_id: record_id.to_string(),
        content_hash: content_hash.to_string(),
        prev_hash,
        hash: String::new(),
    };
    entry.hash = entry.compute_hash();
    let values = entry.values();
    let insert = format!(
        "INSERT INTO change_log ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        CHANGE_LOG.column_list()
    );
    let updated = on_conn!(conn, |c| {
        let mut q = sqlx::query(AssertSqlSafe(insert));
        for v in &values {
            q = crate::records::bind_value!(q, Kind::Text, v);
        }
        q.execute(&mut *c).await?;
        sqlx::query("UPDATE chain_heads SET seq = $2, hash = $3 WHERE org_id = $1 AND seq = $4")
            .bind(org.to_string())
            .bind(entry.seq)
            .bind(entry.hash.clone())
            .bind(seq)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if updated != 1 {
        return Err(StoreError::Database(format!(
            "the change-log chain of {org} moved during the write; nothing was written"
        )));
    }
    Ok(entry)
}

/// One problem `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Chain the problem is in.
    pub org_id: String,
    /// The entry concerned, when there is one.
    pub seq: Option<i64>,
    /// Record type concerned, when a record is.
    pub record_type: String,
    /// Record id concerned, when a record is.
    pub record_id: String,
    /// What is wrong, in a sentence.
    pub message: String,
}

/// The state of one chain after verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainSummary {
    /// Chain id.
    pub org_id: String,
    /// Number of entries.
    pub entries: i64,
    /// Sequence number of the head entry.
    pub head_seq: i64,
    /// Hash of the head entry; print it in reports so a rewritten history cannot pass unnoticed.
    pub head_hash: String,
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Every chain checked.
    pub chains: Vec<ChainSummary>,
    /// Entries checked.
    pub entries_checked: i64,
    /// Live records checked against their latest entry.
    pub records_checked: i64,
    /// Problems, first problem first.
    pub problems: Vec<Problem>,
}

impl VerifyReport {
    /// True when the chains are unbroken and every record matches.
    pub fn intact(&self) -> bool {
        self.problems.is_empty()
    }
}

struct Latest {
    org_id: String,
    seq: i64,
    action: String,
    content_hash: String,
    seen: bool,
}

impl Store {
    /// The head of one chain: (newest sequence number, its hash); `None` before the first change.
    pub async fn chain_head(&self, org: &str) -> Result<Option<(i64, String)>, StoreError> {
        let mut tx = self.begin_read().await?;
        let head = on_conn!(&mut tx, |c| {
            match sqlx::query("SELECT seq, hash FROM chain_heads WHERE org_id = $1")
                .bind(org.to_string())
                .fetch_optional(c)
                .await?
            {
                Some(r) => Some((r.try_get::<i64, _>(0)?, r.try_get::<String, _>(1)?)),
                None => None,
            }
        });
        tx.commit().await?;
        Ok(head)
    }

    /// The change-log entries of one record, oldest first.
    pub async fn history(
        &self,
        org: &str,
        record_type: &str,
        record_id: &str,
    ) -> Result<Vec<LogEntry>, StoreError> {
        let sql = format!(
            "SELECT {} FROM change_log WHERE org_id = $1 AND record_type = $2 AND record_id = $3 ORDER BY seq",
            CHANGE_LOG.column_list()
        );
        let mut tx = self.begin_read().await?;
        let rows = on_conn!(&mut tx, |c| {
            let rows = sqlx::query(AssertSqlSafe(sql))
                .bind(org.to_string())
                .bind(record_type.to_string())
                .bind(record_id.to_string())
                .fetch_all(c)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push(decode_values!(r, CHANGE_LOG.columns));
            }
            out
        });
        tx.commit().await?;
        Ok(rows.into_iter().map(LogEntry::from_values).collect())
    }

    /// Verifies every chain (or only `only_org`'s) and every live record against its latest entry.
    pub async fn verify(&self, only_org: Option<&str>) -> Result<VerifyReport, StoreError> {
        let mut tx = self.begin_read().await?;
        let mut report = VerifyReport {
            chains: vec![],
            entries_checked: 0,
            records_checked: 0,
            problems: vec![],
        };
        let filter = if only_org.is_some() {
            " WHERE org_id = $1"
        } else {
            ""
        };
        let org_bind = only_org.unwrap_or_default().to_string();

        // 1. Walk every chain in order.
        let mut latest: HashMap<(String, String), Latest> = HashMap::new();
        let mut chains: BTreeMap<String, ChainSummary> = BTreeMap::new();
        let sql = format!(
            "SELECT {} FROM change_log{filter} ORDER BY org_id, seq",
            CHANGE_LOG.column_list()
        );
        let entries: Vec<Vec<Value>> = on_conn!(&mut tx, |c| {
            let mut q = sqlx::query(AssertSqlSafe(sql));
            if only_org.is_some() {
                q = q.bind(org_bind.clone());
            }
            let rows = q.fetch_all(&mut *c).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push(decode_values!(r, CHANGE_LOG.columns));
            }
            out
        });
        for values in entries {
            let e = LogEntry::from_values(values);
            report.entries_checked += 1;
            let chain = chains
                .entry(e.org_id.clone())
                .or_insert_with(|| ChainSummary {
                    org_id: e.org_id.clone(),
                    entries: 0,
                    head_seq: 0,
                    head_hash: GENESIS.to_string(),
                });
            let expected_seq = chain.head_seq + 1;
            if e.seq != expected_seq {
                report.problems.push(Problem {
                    org_id: e.org_id.clone(),
                    seq: Some(expected_seq),
                    record_type: String::new(),
                    record_id: String::new(),
                    message: format!(
                        "change-log entry {expected_seq} is missing (the chain jumps from {} to {})",
                        chain.head_seq, e.seq
                    ),
                });
            } else if e.prev_hash != chain.head_hash {
                report.problems.push(entry_problem(
                    &e,
                    "does not link to the entry before it (previous hash differs)",
                ));
            }
            if e.compute_hash() != e.hash {
                report.problems.push(entry_problem(
                    &e,
                    "was altered (its hash does not match its content)",
                ));
            }
            chain.entries += 1;
            chain.head_seq = e.seq;
            chain.head_hash = e.hash.clone();
            latest.insert(
                (e.record_type.clone(), e.record_id.clone()),
                Latest {
                    org_id: e.org_id,
                    seq: e.seq,
                    action: e.action,
                    content_hash: e.content_hash,
                    seen: false,
                },
            );
        }

        // 2. Compare each chain with its head row: deleting the newest entries is caught here.
        let sql = format!("SELECT org_id, seq, hash FROM chain_heads{filter} ORDER BY org_id");
        let heads: Vec<(String, i64, String)> = on_conn!(&mut tx, |c| {
            let mut q = sqlx::query(AssertSqlSafe(sql));
            if only_org.is_some() {
                q = q.bind(org_bind.clone());
            }
            let rows = q.fetch_all(&mut *c).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
            }
            out
        });
        for (org, seq, hash) in &heads {
            match chains.get(org) {
                Some(ch) if ch.head_seq == *seq && ch.head_hash == *hash => {}
                Some(ch) => report.problems.push(Problem {
                    org_id: org.clone(),
                    seq: Some(*seq),
                    record_type: String::new(),
                    record_id: String::new(),
                    message: format!(
                        "the chain head says entry {seq} is the newest, but the log ends at entry {} with another hash: entries were removed or rewritten",
                        ch.head_seq
                    ),
                }),
                None if *seq == 0 => {}
                None => report.problems.push(Problem {
                    org_id: org.clone(),
                    seq: Some(*seq),
                    record_type: String::new(),
                    record_id: String::new(),
                    message: format!("the chain head says entry {seq} is the newest, but the chain has no entries"),
                }),
            }
        }
        for ch in chains.values() {
            if !heads.iter().any(|(o, _, _)| o == &ch.org_id) {
                report.problems.push(Problem {
                    org_id: ch.org_id.clone(),
                    seq: Some(ch.head_seq),
                    record_type: String::new(),
                    record_id: String::new(),
                    message: "the chain has entries but no head row".into(),
                });
            }
        }

        // 3. Every live record must match the content hash of its latest entry.
        for spec in RECORD_TABLES {
            let sql = format!("SELECT {} FROM {}{filter}", spec.column_list(), spec.name);
            let rows: Vec<Vec<Value>> = on_conn!(&mut tx, |c| {
                let mut q = sqlx::query(AssertSqlSafe(sql));
                if only_org.is_some() {
                    q = q.bind(org_bind.clone());
                }
                let rows = q.fetch_all(&mut *c).await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    out.push(decode_values!(r, spec.columns));
                }
                out
            });
            for values in rows {
                report.records_checked += 1;
                let id = values[0].as_text().to_string();
                let org = values[1].as_text().to_string();
                let key = (spec.record_type.to_string(), id.clone());
                let problem = |seq: Option<i64>, message: String| Problem {
                    org_id: org.clone(),
                    seq,
                    record_type: spec.record_type.to_string(),
                    record_id: id.clone(),
                    message,
                };
                match latest.get_mut(&key) {
                    None => report.problems.push(problem(
                        None,
                        format!(
                            "{} {id} has no change-log entry: it was written outside aims",
                            spec.record_type
                        ),
                    )),
                    Some(l) => {
                        l.seen = true;
                        if l.org_id != org {
                            report.problems.push(problem(
                                Some(l.seq),
                                format!(
                                    "{} {id} was moved to another organization outside aims",
                                    spec.record_type
                                ),
                            ));
                        } else if l.action == Action::Delete.as_str() {
                            report.problems.push(problem(
                                Some(l.seq),
                                format!(
                                    "{} {id} exists although entry {} deleted it",
                                    spec.record_type, l.seq
                                ),
                            ));
                        } else if content_hash(spec, &values) != l.content_hash {
                            report.problems.push(problem(
                                Some(l.seq),
                                format!(
                                    "{} {id} was altered outside aims: it no longer matches change-log entry {}",
                                    spec.record_type, l.seq
                                ),
                            ));
                        }
                    }
                }
            }
        }
        let mut vanished: Vec<(&(String, String), &Latest)> = latest
            .iter()
            .filter(|(_, l)| !l.seen && l.action != Action::Delete.as_str())
            .collect();
        vanished.sort_by(|a, b| (&a.1.org_id, a.1.seq).cmp(&(&b.1.org_id, b.1.seq)));
        for ((rtype, id), l) in vanished {
            report.problems.push(Problem {
                org_id: l.org_id.clone(),
                seq: Some(l.seq),
                record_type: rtype.clone(),
                record_id: id.clone(),
                message: format!("{rtype} {id} was deleted outside aims (its latest entry {} does not delete it)", l.seq),
            });
        }
        tx.commit().await?;
        report.chains = chains.into_values().collect();
        report
            .problems
            .extend(
                crate::catalog::verify_catalog(self)
                    .await?
                    .into_iter()
                    .map(|message| Problem {
                        org_id: String::new(),
                        seq: None,
                        record_type: "catalog".into(),
                        record_id: String::new(),
                        message,
                    }),
            );
        Ok(report)
    }
}

fn entry_problem(e: &LogEntry, what: &str) -> Problem {
    Problem {
        org_id: e.org_id.clone(),
        seq: Some(e.seq),
        record_type: e.record_type.clone(),
        record_id: e.record_id.clone(),
        message: format!(
            "change-log entry {} ({} {} {}) {what}",
            e.seq, e.action, e.record_type, e.record_id
        ),
    }
}
