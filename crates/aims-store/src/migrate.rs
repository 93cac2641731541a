//! Embedded schema migrations, one directory per backend kept in lockstep. They run at every start and fail
//! closed: a migration the database has but this build does not know, a changed migration, or a failing one stops
//! start-up with a message that says which.

use crate::connect::Pool;
use crate::value::Canonical;
use crate::{Store, StoreError, now_micros};
use sqlx::{AssertSqlSafe, Row};

/// One migration: its number, its name and the SQL for each backend.
#[derive(Debug)]
pub struct Migration {
    /// Sequential version number, starting at 1.
    pub version: i64,
    /// Short name (the file name without number and extension).
    pub name: &'static str,
    /// SQL for SQLite.
    pub sqlite: &'static str,
    /// SQL for PostgreSQL.
    pub postgres: &'static str,
}

/// Every migration this build knows, in order.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "sessions",
        sqlite: include_str!("../migrations/sqlite/0002_sessions.sql"),
        postgres: include_str!("../migrations/postgres/0002_sessions.sql"),
    },
    Migration {
        version: 3,
        name: "chain_head_trigger",
        sqlite: include_str!("../migrations/sqlite/0003_chain_head_trigger.sql"),
        postgres: include_str!("../migrations/postgres/0003_chain_head_trigger.sql"),
    },
    Migration {
        version: 4,
        name: "api_tokens",
        sqlite: include_str!("../migrations/sqlite/0004_api_tokens.sql"),
        postgres: include_str!("../migrations/postgres/0004_api_tokens.sql"),
    },
    Migration {
        version: 5,
        name: "smaller_log_index",
        sqlite: include_str!("../migrations/sqlite/0005_smaller_log_index.sql"),
        postgres: include_str!("../migrations/postgres/0005_smaller_log_index.sql"),
    },
    Migration {
        version: 6,
        name: "risk_and_soa",
        sqlite: include_str!("../migrations/sqlite/0006_risk_and_soa.sql"),
        postgres: include_str!("../migrations/postgres/0006_risk_and_soa.sql"),
    },
    Migration {
        version: 7,
        name: "record_versions",
        sqlite: include_str!("../migrations/sqlite/0007_record_versions.sql"),
        postgres: include_str!("../migrations/postgres/0007_record_versions.sql"),
    },
];

/// The schema version this build expects; backups record it.
pub fn current_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

impl Migration {
    fn checksum(&self, sql: &str) -> String {
        let mut c = Canonical::new("aims-migration-v1");
        c.int(self.version).str(self.name).str(sql);
        c.sha256_hex()
    }
}

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS aims_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)";
/// Arbitrary but fixed key for the PostgreSQL advisory lock that serialises concurrent start-ups.
const PG_LOCK_KEY: i64 = 0x4149_4d53_4d49_4752;

/// Applies pending migrations after checking that every applied one is known and unchanged.
pub(crate) async fn run(store: &Store) -> Result<(), StoreError> {
    match &store.pool {
        Pool::Sqlite(pool) => {
            let mut conn = pool.acquire().await?;
            let applied = read_applied_sqlite(&mut conn).await?;
            let pending = check(&applied, |m| m.sqlite)?;
            for m in pending {
                let mut tx = pool
                    .begin_with("BEGIN IMMEDIATE")
                    .await
                    .map_err(schema_error(m))?;
                sqlx::raw_sql(AssertSqlSafe(m.sqlite))
                    .execute(&mut *tx)
                    .await
                    .map_err(schema_error(m))?;
                record(&mut *tx, m, m.sqlite)
                    .await
                    .map_err(schema_error(m))?;
                tx.commit().await.map_err(schema_error(m))?;
            }
            Ok(())
        }
        Pool::Postgres(pool) => {
            let mut conn = pool.acquire().await?;
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(PG_LOCK_KEY)
                .execute(&mut *conn)
                .await?;
            let result = async {
                // Create the bookkeeping table only when missing, so a read-only database can still be opened.
                let exists: Option<String> =
                    sqlx::query_scalar("SELECT to_regclass('aims_migrations')::text")
                        .fetch_one(&mut *conn)
                        .await?;
                if exists.is_none() {
                    sqlx::query(CREATE_TABLE).execute(&mut *conn).await?;
                }
                let rows = sqlx::query(
                    "SELECT version, name, checksum FROM aims_migrations ORDER BY version",
                )
                .fetch_all(&mut *conn)
                .await?;
                let applied: Vec<(i64, String, String)> = rows
                    .iter()
                    .map(|r| (r.get(0), r.get(1), r.get(2)))
                    .collect();
                let pending = check(&applied, |m| m.postgres)?;
                for m in pending {
                    let mut tx = sqlx::Connection::begin(&mut *conn)
                        .await
                        .map_err(schema_error(m))?;
                    sqlx::raw_sql(AssertSqlSafe(m.postgres))
                        .execute(&mut *tx)
                        .await
                        .map_err(schema_error(m))?;
                    record(&mut *tx, m, m.postgres)
                        .await
                        .map_err(schema_error(m))?;
                    tx.commit().await.map_err(schema_error(m))?;
                }
                Ok::<(), StoreError>(())
            }
            .await;
            let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(PG_LOCK_KEY)
                .execute(&mut *conn)
                .await;
            result
        }
    }
}

async fn read_applied_sqlite(
    conn: &mut sqlx::SqliteConnection,
) -> Result<Vec<(i64, String, String)>, StoreError> {
    let exists: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'aims_migrations'",
    )
    .fetch_optional(&mut *conn)
    .await?;
    if exists.is_none() {
        sqlx::query(CREATE_TABLE).execute(&mut *conn).await?;
    }
    let rows = sqlx::query("SELECT version, name, checksum FROM aims_migrations ORDER BY version")
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

fn check(
    applied: &[(i64, String, String)],
    sql_of: fn(&Migration) -> &'static str,
) -> Result<Vec<&'static Migration>, StoreError> {
    for (version, name, checksum) in applied {
        let Some(m) = MIGRATIONS.iter().find(|m| m.version == *version) else {
            return Err(StoreError::Schema(format!(
                "the database has migration {version} '{name}', which this build of aims does not know; \
                 it was written by a newer aims (this build knows migrations up to {})",
                current_version()
            )));
        };
        if m.checksum(sql_of(m)) != *checksum || m.name != name {
            return Err(StoreError::Schema(format!(
                "migration {version} '{name}' in the database differs from the one built into aims; \
                 refusing to start"
            )));
        }
    }
    Ok(MIGRATIONS
        .iter()
        .filter(|m| !applied.iter().any(|(v, _, _)| *v == m.version))
        .collect())
}

async fn record<'c, E>(exec: E, m: &Migration, sql: &str) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'c>,
    i64: sqlx::Encode<'c, E::Database> + sqlx::Type<E::Database>,
    String: sqlx::Encode<'c, E::Database> + sqlx::Type<E::Database>,
    <E::Database as sqlx::Database>::Arguments: sqlx::IntoArguments<E::Database>,
{
    sqlx::query(
        "INSERT INTO aims_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(m.version)
    .bind(m.name.to_string())
    .bind(m.checksum(sql))
    .bind(now_micros())
    .execute(exec)
    .await?;
    Ok(())
}

fn schema_error(m: &Migration) -> impl Fn(sqlx::Error) -> StoreError + '_ {
    move |e| {
        let inner: StoreError = e.into();
        match inner {
            StoreError::ReadOnly(msg) => StoreError::ReadOnly(msg),
            other => StoreError::Schema(format!(
                "migration {} '{}' failed: {other}",
                m.version, m.name
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest_dir() -> String {
        std::env::var("CARGO_MANIFEST_DIR")
            .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
    }

    #[test]
    fn migration_directories_are_in_lockstep() {
        let list = |dir: &str| -> Vec<String> {
            let mut v: Vec<String> =
                // The manifest directory of this run (cargo and nextest set it), not the one of the build: a
                // reused build directory may hold a binary built in a clone that is gone.
                std::fs::read_dir(format!("{}/migrations/{dir}", manifest_dir()))
                    .unwrap()
                    .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                    .collect();
            v.sort();
            v
        };
        let sqlite = list("sqlite");
        assert_eq!(sqlite, list("postgres"));
        assert_eq!(
            sqlite.len(),
            MIGRATIONS.len(),
            "every migration file is embedded"
        );
        for (file, m) in sqlite.iter().zip(MIGRATIONS) {
            assert_eq!(file, &format!("{:04}_{}.sql", m.version, m.name));
        }
    }

    #[test]
    fn unknown_and_changed_migrations_are_refused() {
        let all: Vec<(i64, String, String)> = MIGRATIONS
            .iter()
            .map(|m| (m.version, m.name.to_string(), m.checksum(m.sqlite)))
            .collect();
        assert!(
            check(&all, |m| m.sqlite).unwrap().is_empty(),
            "nothing pending when all are applied"
        );
        assert_eq!(
            check(&all[..1], |m| m.sqlite).unwrap().len(),
            MIGRATIONS.len() - 1
        );
        let mut unknown = all.clone();
        unknown.push((99, "future".into(), "x".into()));
        assert!(
            check(&unknown, |m| m.sqlite)
                .unwrap_err()
                .to_string()
                .contains("newer aims")
        );
        let m = &MIGRATIONS[0];
        let changed = vec![(1, m.name.to_string(), "0".repeat(64))];
        assert!(
            check(&changed, |m| m.sqlite)
                .unwrap_err()
                .to_string()
                .contains("differs")
        );
    }
}
