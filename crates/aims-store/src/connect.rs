//! Opening a store from a URL or a file path, on SQLite or PostgreSQL.

use crate::{Conn, StoreError, WriteTx};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// How to open a store.
#[derive(Debug, Clone, Copy)]
pub struct OpenOptions {
    /// Create the SQLite file when it does not exist (only `aims init` and `aims serve --demo` do).
    pub create: bool,
    /// Maximum pooled connections.
    pub max_connections: u32,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            create: false,
            max_connections: 8,
        }
    }
}

#[derive(Clone)]
pub(crate) enum Pool {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// An open, migrated store with the catalogue loaded. Cheap to clone (it holds a pool).
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: Pool,
    url_for_humans: String,
}

/// The URL with any password replaced, fit for messages and logs.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            if u.set_password(Some("****")).is_ok() {
                u.to_string()
            } else {
                redact_by_hand(url)
            }
        }
        Ok(_) => url.to_string(),
        // A URL that does not parse may still carry a password: hide whatever stands between the user name's
        // colon and the last `@` of the authority.
        Err(_) => redact_by_hand(url),
    }
}

fn redact_by_hand(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rfind('@') {
        Some(at) => {
            let userinfo = &authority[..at];
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            let masked = if userinfo.contains(':') {
                format!("{user}:****")
            } else {
                user.to_string()
            };
            format!("{scheme}://{masked}{}{tail}", &authority[at..])
        }
        None => url.to_string(),
    }
}

enum Target {
    Sqlite(PathBuf, bool),
    Postgres(Box<PgConnectOptions>),
}

fn parse_target(url: &str) -> Result<Target, StoreError> {
    let trimmed = url.trim();
    if trimmed.is_empty() {
        return Err(StoreError::BadUrl("is empty".into()));
    }
    let lower = trimmed.to_ascii_lowercase();
    if (lower.starts_with("postgres:") || lower.starts_with("postgresql:"))
        && !(lower.starts_with("postgres://") || lower.starts_with("postgresql://"))
    {
        return Err(StoreError::BadUrl(format!(
            "'{}' is not a PostgreSQL URL: write postgres://USER@HOST/DBNAME",
            redact_url(trimmed)
        )));
    }
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        let parsed = url::Url::parse(trimmed).map_err(|e| {
            StoreError::BadUrl(format!("'{}' is malformed: {e}", redact_url(trimmed)))
        })?;
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err(StoreError::BadUrl(format!(
                "'{}' names no host",
                redact_url(trimmed)
            )));
        }
        if parsed.path().trim_start_matches('/').is_empty() {
            return Err(StoreError::BadUrl(format!(
                "'{}' names no database (add /DBNAME)",
                redact_url(trimmed)
            )));
        }
        let opts = PgConnectOptions::from_str(trimmed).map_err(|e| {
            StoreError::BadUrl(format!("'{}' is malformed: {e}", redact_url(trimmed)))
        })?;
        return Ok(Target::Postgres(Box::new(opts)));
    }
    if let Some(rest) = trimmed
        .strip_prefix("sqlite://")
        .or_else(|| trimmed.strip_prefix("sqlite:"))
    {
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        if path.is_empty() {
            return Err(StoreError::BadUrl("sqlite URL names no file".into()));
        }
        let read_only = query.split('&').any(|kv| kv == "mode=ro");
        return Ok(Target::Sqlite(PathBuf::from(path), read_only));
    }
    if let Some((scheme, _)) = trimmed.split_once("://") {
        return Err(StoreError::BadUrl(format!(
            "unsupported scheme '{scheme}': use a file path, sqlite:PATH or postgres://USER@HOST/DB"
        )));
    }
    Ok(Target::Sqlite(PathBuf::from(trimmed), false))
}

impl Store {
    /// Opens (and with `create`, creates) the store, runs the embedded migrations and loads the catalogue.
    /// Fails closed: an unknown or failed migration stops here with a clear message.
    pub async fn open(url: &str, opts: OpenOptions) -> Result<Store, StoreError> {
        let pool = match parse_target(url)? {
            Target::Sqlite(path, read_only) => {
                if !opts.create && !path.exists() {
                    return Err(StoreError::Unavailable(format!(
                        "database file '{}' does not exist (run `aims init` to create it)",
                        path.display()
                    )));
                }
                if path.is_dir() {
                    return Err(StoreError::Unavailable(format!(
                        "'{}' is a directory, not a database file",
                        path.display()
                    )));
                }
                let mut o = SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(opts.create)
                    .busy_timeout(Duration::from_secs(30))
                    .foreign_keys(true)
                    .read_only(read_only);
                if !read_only {
                    o = o
                        .journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Normal)
                        // Read the file through a memory map (up to 256 MiB): large scans (the Statement of
                        // Applicability over 100,000 risks, verify) then read pages without a copy each; the
                        // mapped pages are the OS's file cache, not heap (docs/benchmarks.md).
                        .pragma("mmap_size", "268435456");
                }
                // No ping before each use: an embedded file does not drop connections, and the ping would cost a
                // round trip to SQLite's worker thread on every request.
                let pool = SqlitePoolOptions::new()
                    .test_before_acquire(false)
                    .max_connections(opts.max_connections.max(1))
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(o)
                    .await
                    .map_err(|e| open_error(&path.display().to_string(), e))?;
                Pool::Sqlite(pool)
            }
            Target::Postgres(o) => {
                // One direct connection first, so that an unreachable server or a refused login is reported
                // with its real cause rather than as a pool time-out.
                let probe = tokio::time::timeout(
                    Duration::from_secs(10),
                    <sqlx::PgConnection as sqlx::Connection>::connect_with(&o),
                )
                .await;
                match probe {
                    Err(_) => {
                        return Err(StoreError::Unavailable(format!(
                            "{}: no answer within 10 s",
                            redact_url(url)
                        )));
                    }
                    Ok(Err(e)) => return Err(open_error(&redact_url(url), e)),
                    Ok(Ok(c)) => {
                        let _ = sqlx::Connection::close(c).await;
                    }
                }
                let pool = PgPoolOptions::new()
                    .max_connections(opts.max_connections.max(1))
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(*o)
                    .await
                    .map_err(|e| open_error(&redact_url(url), e))?;
                Pool::Postgres(pool)
            }
        };
        let store = Store {
            pool,
            url_for_humans: redact_url(url),
        };
        crate::migrate::run(&store).await?;
        crate::catalog::ensure_loaded(&store).await?;
        Ok(store)
    }

    /// Which backend this store runs on.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// The store's URL with the password hidden.
    pub fn describe(&self) -> &str {
        &self.url_for_humans
    }

    /// Begins a write transaction. On SQLite it is `BEGIN IMMEDIATE`, so writers queue for the lock instead of
    /// failing on lock upgrade; on PostgreSQL the chain head row lock serialises writers of one organization.
    pub async fn begin_write(&self) -> Result<WriteTx, StoreError> {
        Ok(WriteTx::new(match &self.pool {
            Pool::Sqlite(p) => Conn::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(p) => Conn::Postgres(p.begin().await?),
        }))
    }

    /// Begins a write transaction on one organization's records, serialised against every other writer of that
    /// organization from its first statement on both databases, so that a use case's check-then-write rules
    /// (a unique name, a version still current, a link that must exist) hold. SQLite's `BEGIN IMMEDIATE` already
    /// serialises all writers; on PostgreSQL the organization's chain head row is locked here (created first if the
    /// organization has no change yet) — the same lock the change-log append takes.
    pub async fn begin_write_for(&self, org: &str) -> Result<WriteTx, StoreError> {
        let mut tx = self.begin_write().await?;
        if let Conn::Postgres(c) = &mut *tx {
            sqlx::query(
                "INSERT INTO chain_heads (org_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (org_id) DO NOTHING",
            )
            .bind(org.to_string())
            .bind(crate::changelog::GENESIS)
            .execute(&mut **c)
            .await?;
            sqlx::query("SELECT seq FROM chain_heads WHERE org_id = $1 FOR UPDATE")
                .bind(org.to_string())
                .execute(&mut **c)
                .await?;
        }
        Ok(tx)
    }

    /// A connection for reads that need no snapshot across statements: no BEGIN/COMMIT round trips.
    pub async fn begin_read(&self) -> Result<Conn, StoreError> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Conn::SqlitePlain(p.acquire().await?),
            Pool::Postgres(p) => Conn::PostgresPlain(p.acquire().await?),
        })
    }

    /// A read transaction: one consistent snapshot for several statements (verify, backup).
    pub async fn begin_snapshot(&self) -> Result<Conn, StoreError> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Conn::Sqlite(p.begin().await?),
            Pool::Postgres(p) => Conn::Postgres(p.begin().await?),
        })
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

fn open_error(target: &str, e: sqlx::Error) -> StoreError {
    let msg = match &e {
        sqlx::Error::Database(db) => db.message().to_string(),
        other => other.to_string(),
    };
    StoreError::Unavailable(format!("{target}: {msg}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_classified_and_bad_ones_named() {
        assert!(matches!(
            parse_target("aims.db"),
            Ok(Target::Sqlite(_, false))
        ));
        assert!(matches!(
            parse_target("sqlite:x.db?mode=ro"),
            Ok(Target::Sqlite(_, true))
        ));
        assert!(matches!(
            parse_target("postgres://u:p@localhost/aims"),
            Ok(Target::Postgres(_))
        ));
        for bad in [
            "",
            "mysql://x/y",
            "postgres://",
            "postgres://localhost",
            "postgres://u:p@:5432/x",
        ] {
            assert!(parse_target(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://u:secret@h/db"),
            "postgres://u:****@h/db"
        );
        assert_eq!(redact_url("aims.db"), "aims.db");
        assert_eq!(
            redact_url("postgres://u:s3cret@/db"),
            "postgres://u:****@/db"
        );
        assert_eq!(
            redact_url("postgres://u:p@ss@h:99999/db"),
            "postgres://u:****@h:99999/db"
        );
        assert!(!redact_url("postgres://u:s3cret@h:99999/db").contains("s3cret"));
    }
}
