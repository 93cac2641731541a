//! Fresh databases for tests, on both backends. Every storage test runs once on a temporary SQLite file and once
//! on a new PostgreSQL database when `AIMS_TEST_PG_URL` points at a server (CI always sets it; with
//! `AIMS_TEST_REQUIRE_PG=1` a missing server fails the run instead of skipping PostgreSQL).

use crate::{Backend, StoreError};
use sqlx::{AssertSqlSafe, Connection};

/// A scratch database; the SQLite file lives in a temporary directory removed on drop, the PostgreSQL database
/// is left for the scratch cluster to discard.
pub struct TestDb {
    /// URL to open the store with.
    pub url: String,
    /// Which backend.
    pub backend: Backend,
    _dir: Option<tempfile_dir::TempDir>,
}

mod tempfile_dir {
    /// Minimal temporary directory removed on drop (avoids a dependency of the library on `tempfile`).
    pub struct TempDir(pub std::path::PathBuf);
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// The backends to run storage tests on: SQLite always, PostgreSQL when configured.
#[allow(
    clippy::panic,
    reason = "test support: a run that must cover PostgreSQL stops at once when it cannot"
)]
pub fn backends() -> Vec<Backend> {
    let mut v = vec![Backend::Sqlite];
    match std::env::var("AIMS_TEST_PG_URL") {
        Ok(u) if !u.is_empty() => v.push(Backend::Postgres),
        _ => {
            if std::env::var("AIMS_TEST_REQUIRE_PG").is_ok_and(|v| v == "1") {
                panic!("AIMS_TEST_REQUIRE_PG=1 but AIMS_TEST_PG_URL is not set");
            }
        }
    }
    v
}

impl TestDb {
    /// Creates an empty database on `backend`.
    pub async fn new(backend: Backend) -> Result<TestDb, StoreError> {
        let name = format!("aims_test_{}", uuid::Uuid::now_v7().simple());
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(&name);
                std::fs::create_dir_all(&dir)
                    .map_err(|e| StoreError::Unavailable(e.to_string()))?;
                Ok(TestDb {
                    url: dir.join("aims.db").display().to_string(),
                    backend,
                    _dir: Some(tempfile_dir::TempDir(dir)),
                })
            }
            Backend::Postgres => {
                let admin = std::env::var("AIMS_TEST_PG_URL")
                    .map_err(|_| StoreError::BadUrl("AIMS_TEST_PG_URL is not set".into()))?;
                let mut conn = sqlx::PgConnection::connect(&admin).await?;
                sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut conn)
                    .await?;
                conn.close().await?;
                let mut url =
                    url::Url::parse(&admin).map_err(|e| StoreError::BadUrl(e.to_string()))?;
                url.set_path(&format!("/{name}"));
                Ok(TestDb {
                    url: url.to_string(),
                    backend,
                    _dir: None,
                })
            }
        }
    }
}
