//! The tamper-evident change log: one hash chain per organization. Each entry's hash covers its own fields and
//! the previous entry's hash; the chain head row is locked while an entry is appended, so concurrent writers
//! queue instead of forking the chain. [`Store::verify`] recomputes every chain and compares each live record
//! with the content hash of its latest entry.

use crate::query::{Fields, Sql, insert_sql};
use crate::records::content_hash;
use crate::spec::{CHAIN_HEADS, CHANGE_LOG, RECORD_TABLES, RECORD_VERSIONS};
use crate::value::{Canonical, Value};
use crate::{Conn, Store, StoreError, now_micros, on_conn};
use serde::Serialize;
use sqlx::Row as _;
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
        let mut next = || it.next().unwrap_or(Value::Null);
        let text = |v: Value| match v {
            Value::Text(s) => s,
            Value::Int(i) => i.to_string(),
            _ => String::new(),
        };
        let int = |v: Value| match v {
            Value::Int(i) => i,
            Value::Text(t) => t.parse().unwrap_or(-1),
            _ => -1,
        };
        LogEntry {
            org_id: text(next()),
            seq: int(next()),
            at: int(next()),
            actor: text(next()),
            action: text(next()),
            record_type: text(next()),
            record_id: text(next()),
            content_hash: text(next()),
            prev_hash: text(next()),
            hash: text(next()),
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

/// One change to log: who did what to which record, and the record's content hash afterwards.
pub(crate) struct Change<'a> {
    pub org: &'a str,
    pub actor: &'a str,
    pub action: Action,
    pub record_type: &'a str,
    pub record_id: &'a str,
    pub content_hash: &'a str,
}

/// Appends an entry to an organization's chain inside the caller's transaction. `head_hint` is the chain head
/// read by the caller's own statement (SQLite only; PostgreSQL always locks and reads the head here).
pub(crate) async fn append(
    conn: &mut Conn,
    change: Change<'_>,
    head_hint: Option<(i64, String)>,
) -> Result<LogEntry, StoreError> {
    let Change {
        org,
        actor,
        action,
        record_type,
        record_id,
        content_hash,
    } = change;
    // On PostgreSQL the no-op UPDATE takes the head row's lock before reading it, so a concurrent writer of the
    // same chain waits here until this transaction ends. On SQLite, BEGIN IMMEDIATE already serialises writers,
    // so a plain read suffices (and writes no page).
    let lock: &'static str = if conn.is_sqlite() {
        "SELECT seq, hash FROM chain_heads WHERE org_id = $1"
    } else {
        "UPDATE chain_heads SET seq = seq WHERE org_id = $1 RETURNING seq, hash"
    };
    let hint = if conn.is_sqlite() { head_hint } else { None };
    let head: Option<(i64, String)> = if hint.is_some() {
        hint
    } else {
        on_conn!(conn, |c| {
            match sqlx::query(lock)
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
                    match sqlx::query(lock)
                        .bind(org.to_string())
                        .fetch_optional(&mut *c)
                        .await?
                    {
                        Some(r) => Some((r.try_get(0)?, r.try_get(1)?)),
                        None => None,
                    }
                }
            }
        })
    };
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
    let insert = Sql::new(insert_sql(CHANGE_LOG.name, CHANGE_LOG.columns))
        .row(CHANGE_LOG.columns, &entry.values());
    // The insert trigger advances the chain head in the same statement (migration 3) and refuses an entry that
    // does not follow the head.
    conn.execute(insert).await?;
    Ok(entry)
}

/// One problem `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    record_type: String,
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
        let sql = Sql::new(sql).text(org).text(record_type).text(record_id);
        let rows = self.read_values(sql, CHANGE_LOG.columns).await?;
        Ok(rows.into_iter().map(LogEntry::from_values).collect())
    }

    /// The stored content of the record versions among `entries` (of one organization), by entry number; an entry
    /// written before versions were kept, or a delete, has none.
    pub async fn versions(
        &self,
        org: &str,
        entries: &[LogEntry],
    ) -> Result<HashMap<i64, String>, StoreError> {
        if entries.is_empty() {
            return Ok(HashMap::new());
        }
        let marks: Vec<String> = (0..entries.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT {} FROM record_versions WHERE org_id = $1 AND seq IN ({})",
            RECORD_VERSIONS.column_list(),
            marks.join(", ")
        );
        let sql = entries
            .iter()
            .fold(Sql::new(sql).text(org), |q, e| q.int(e.seq));
        let rows = self.read_values(sql, RECORD_VERSIONS.columns).await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| match (r.get(1), r.get(2)) {
                (Some(Value::Int(seq)), Some(Value::Text(c))) => Some((*seq, c.clone())),
                _ => None,
            })
            .collect())
    }

    /// Verifies every chain (or only `only_org`'s) and every live record against its latest entry.
    pub async fn verify(&self, only_org: Option<&str>) -> Result<VerifyReport, StoreError> {
        let mut tx = self.begin_snapshot().await?;
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

        // 1. Walk every chain in order, on a blocking thread, while the heads and the records are read below.
        let entries = crate::bulk::read_log(&mut tx, only_org).await?;
        let walker = tokio::task::spawn_blocking(move || walk(entries));

        // Read the heads and every record (with its content hash) while the walk runs.
        let sql = format!("SELECT org_id, seq, hash FROM chain_heads{filter} ORDER BY org_id");
        let mut sql = Sql::new(sql);
        if let Some(org) = only_org {
            sql = sql.text(org);
        }
        let heads: Vec<(String, i64, String)> = tx
            .fetch_values(sql, CHAIN_HEADS.columns)
            .await?
            .into_iter()
            .map(|values| {
                let mut f = Fields::new(values);
                (f.text(), f.int(), f.text())
            })
            .collect();
        let mut tables = Vec::with_capacity(RECORD_TABLES.len());
        for spec in RECORD_TABLES {
            let rows = crate::bulk::read_all(&mut tx, spec, &["id"], only_org).await?;
            let hashes = parallel_map(&rows, |values| content_hash(spec, values));
            tables.push((spec, rows, hashes));
        }
        tx.commit().await?;
        let Walk {
            mut latest,
            chains,
            entries_checked,
            problems,
        } = walker
            .await
            .map_err(|e| StoreError::Database(format!("verification failed: {e}")))?;
        report.entries_checked = entries_checked;
        report.problems.extend(problems);

        // 2. Compare each chain with its head row: deleting the newest entries is caught here.
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
        for (spec, rows, hashes) in tables {
            for (values, hash) in rows.into_iter().zip(hashes) {
                report.records_checked += 1;
                let id = values[0].as_text();
                let org = values[1].as_text();
                let problem = |seq: Option<i64>, message: String| Problem {
                    org_id: org.to_string(),
                    seq,
                    record_type: spec.record_type.to_string(),
                    record_id: id.to_string(),
                    message,
                };
                match latest
                    .get_mut(id)
                    .filter(|l| l.record_type == spec.record_type)
                {
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
                        } else if hash != l.content_hash {
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
        // Token entries are events (see `tokens::TOKEN_RECORD_TYPE`): they have no live record to compare.
        let mut vanished: Vec<(&String, &Latest)> = latest
            .iter()
            .filter(|(_, l)| {
                !l.seen
                    && l.action != Action::Delete.as_str()
                    && l.record_type != crate::tokens::TOKEN_RECORD_TYPE
            })
            .collect();
        vanished.sort_by(|a, b| (&a.1.org_id, a.1.seq).cmp(&(&b.1.org_id, b.1.seq)));
        for (id, l) in vanished {
            let rtype = &l.record_type;
            report.problems.push(Problem {
                org_id: l.org_id.clone(),
                seq: Some(l.seq),
                record_type: rtype.clone(),
                record_id: id.clone(),
                message: format!("{rtype} {id} was deleted outside aims (its latest entry {} does not delete it)", l.seq),
            });
        }
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

/// What walking the chains found.
struct Walk {
    latest: HashMap<String, Latest>,
    chains: BTreeMap<String, ChainSummary>,
    entries_checked: i64,
    problems: Vec<Problem>,
}

/// Walks every chain in order: sequence gaps, broken links and altered entries; remembers each record's latest
/// entry.
fn walk(entries: Vec<Vec<Value>>) -> Walk {
    let mut entries_checked = 0i64;
    let mut problems = Vec::new();
    // Keyed by record id alone: ids are UUIDv7, unique across types and organizations.
    let mut latest: HashMap<String, Latest> = HashMap::new();
    let mut chains: BTreeMap<String, ChainSummary> = BTreeMap::new();
    let entries: Vec<LogEntry> = entries.into_iter().map(LogEntry::from_values).collect();
    // Recomputing the entry hashes is independent per entry: spread it over the machine's cores.
    let hash_ok = parallel_map(&entries, |e| e.compute_hash() == e.hash);
    let mut open: Option<ChainSummary> = None;
    for (e, ok) in entries.into_iter().zip(hash_ok) {
        entries_checked += 1;
        if open.as_ref().is_none_or(|c| c.org_id != e.org_id) {
            if let Some(done) = open.take() {
                chains.insert(done.org_id.clone(), done);
            }
            open = Some(ChainSummary {
                org_id: e.org_id.clone(),
                entries: 0,
                head_seq: 0,
                head_hash: GENESIS.to_string(),
            });
        }
        let Some(chain) = open.as_mut() else { continue };
        let expected_seq = chain.head_seq + 1;
        if e.seq != expected_seq {
            problems.push(Problem {
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
            problems.push(entry_problem(
                &e,
                "does not link to the entry before it (previous hash differs)",
            ));
        }
        if !ok {
            problems.push(entry_problem(
                &e,
                "was altered (its hash does not match its content)",
            ));
        }
        chain.entries += 1;
        chain.head_seq = e.seq;
        chain.head_hash = e.hash;
        latest.insert(
            e.record_id,
            Latest {
                record_type: e.record_type,
                org_id: e.org_id,
                seq: e.seq,
                action: e.action,
                content_hash: e.content_hash,
                seen: false,
            },
        );
    }
    if let Some(done) = open.take() {
        chains.insert(done.org_id.clone(), done);
    }

    Walk {
        latest,
        chains,
        entries_checked,
        problems,
    }
}

/// Applies `f` to every item, splitting the work over the available cores (scoped threads, no pool).
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || items.len() < 4096 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            match h.join() {
                Ok(v) => out.extend(v),
                Err(p) => std::panic::resume_unwind(p),
            }
        }
        out
    })
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
