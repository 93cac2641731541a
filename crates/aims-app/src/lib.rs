//! Use cases of aims. The CLI (and later the web layer) call these and nothing below them: each use case checks
//! who is acting, scopes everything to one organization, validates the input, and writes in one transaction that
//! also appends the change-log entry.

pub mod access;
pub mod auth;
pub mod catalogue;
pub mod classify;
pub mod context;
pub mod controls;
pub mod dashboard;
pub mod demo;
pub mod error;
pub mod impact;
pub mod import;
pub mod integrity;
pub mod kit;
pub mod orgs;
pub mod records;
pub mod risk_rules;
pub mod risks;
pub mod soa;
pub mod systems;
pub mod tokens;

#[cfg(test)]
mod test_support;

pub use access::{Actor, Permission};
pub use aims_domain::{OrgId, RecordId};
pub use error::AppError;
pub use records::Stored;

use aims_store::{OpenOptions, Store};

/// The application: a store plus the rules. Cheap to clone.
#[derive(Clone)]
pub struct App {
    /// The underlying store. Private: the web and command-line layers reach data only through use cases,
    /// which check the acting user's role.
    store: Store,
}

impl App {
    /// Opens an existing store (fails when a SQLite file does not exist).
    pub async fn open(url: &str) -> Result<App, AppError> {
        Ok(App {
            store: Store::open(url, OpenOptions::default()).await?,
        })
    }

    /// Opens a store, creating the SQLite file when missing.
    pub async fn open_or_create(url: &str) -> Result<App, AppError> {
        Ok(App {
            store: Store::open(
                url,
                OpenOptions {
                    create: true,
                    ..OpenOptions::default()
                },
            )
            .await?,
        })
    }
}

impl App {
    /// Where the data lives, with any password removed, for start-up messages.
    pub fn describe(&self) -> &str {
        self.store.describe()
    }

    /// The database kind in lower case (`sqlite`, `postgres`), for metrics and start-up messages.
    pub fn backend_name(&self) -> String {
        format!("{:?}", self.store.backend()).to_lowercase()
    }

    /// Whether the database answers (a read transaction opens and ends), for readiness probes.
    pub async fn ready(&self) -> Result<(), AppError> {
        self.store.begin_read().await?.commit().await?;
        Ok(())
    }

    /// Closes the connection pool so that a SQLite file is left checkpointed and unlocked.
    pub async fn close(&self) {
        self.store.close().await;
    }

    /// The store itself, for tests that must reach below the use cases (to tamper with rows or age a token).
    #[cfg(feature = "testing")]
    pub fn store_for_tests(&self) -> &Store {
        &self.store
    }
}

/// The storage crate, re-exported only for tests that set up states no use case may produce.
#[cfg(feature = "testing")]
pub use aims_store as test_store;

/// Today's date in UTC as YYYY-MM-DD, for approvals and assessments dated by aims.
pub fn today() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}
