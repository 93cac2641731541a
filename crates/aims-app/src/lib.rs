//! Use cases of aims. The CLI (and later the web layer) call these and nothing below them: each use case checks
//! who is acting, scopes everything to one organization, validates the input, and writes in one transaction that
//! also appends the change-log entry.

pub mod access;
pub mod auth;
pub mod classify;
pub mod context;
pub mod controls;
pub mod demo;
pub mod demo_risk;
pub mod error;
pub mod impact;
pub mod integrity;
pub mod orgs;
pub mod records;
pub mod risks;
pub mod soa;
pub mod systems;
pub mod tokens;

pub use access::{Actor, Permission};
pub use error::AppError;
pub use records::Stored;

use aims_store::{OpenOptions, Store};

/// The application: a store plus the rules. Cheap to clone.
#[derive(Clone)]
pub struct App {
    /// The underlying store (exposed for the integrity commands and tests).
    pub store: Store,
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

/// Today's date in UTC as YYYY-MM-DD, for approvals and assessments dated by aims.
pub fn today() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}
