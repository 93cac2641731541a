//! The only place in aims that speaks SQL. One store over SQLite (the default, a file next to where aims runs) or
//! PostgreSQL (a `postgres://` URL), with the same code path for both: each query body is written once and
//! expanded for each backend by [`on_conn!`]. Every write to an organization record goes through [`WriteTx`],
//! which appends the hash-chained change-log entry in the same transaction.

pub mod backup;
mod bulk;
pub mod catalog;
pub mod changelog;
mod connect;
pub mod error;
pub mod migrate;
mod query;
pub mod records;
pub mod sessions;
pub mod spec;
pub mod testing;
pub mod tokens;
pub mod value;
pub mod views;

pub use connect::{Backend, OpenOptions, Store, redact_url};
pub use error::StoreError;
pub use records::{ListQuery, OrderKey, Row, Tally};

/// Runs the same body against whichever backend a connection or transaction belongs to. The body is compiled
/// once per backend, so it may use sqlx generics freely (`sqlx::query(...).bind(...).fetch_all($c)`).
#[macro_export]
#[doc(hidden)]
macro_rules! on_conn {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $crate::AsConn::as_conn($conn) {
            $crate::Conn::Sqlite(inner) => {
                let $c = &mut **inner;
                $body
            }
            $crate::Conn::Postgres(inner) => {
                let $c = &mut **inner;
                $body
            }
            $crate::Conn::SqlitePlain(inner) => {
                let $c = &mut **inner;
                $body
            }
            $crate::Conn::PostgresPlain(inner) => {
                let $c = &mut **inner;
                $body
            }
        }
    };
}

/// A transaction, or a plain pooled connection for single reads, on either backend.
pub enum Conn {
    /// A SQLite transaction.
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    /// A PostgreSQL transaction.
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
    /// A SQLite connection outside any explicit transaction (each statement is its own).
    SqlitePlain(sqlx::pool::PoolConnection<sqlx::Sqlite>),
    /// A PostgreSQL connection outside any explicit transaction.
    PostgresPlain(sqlx::pool::PoolConnection<sqlx::Postgres>),
}

impl Conn {
    /// Commits the transaction (for a plain connection: gives it back to the pool).
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Conn::Sqlite(t) => t.commit().await?,
            Conn::Postgres(t) => t.commit().await?,
            Conn::SqlitePlain(_) | Conn::PostgresPlain(_) => {}
        }
        Ok(())
    }

    /// Whether this runs on SQLite.
    pub fn is_sqlite(&self) -> bool {
        matches!(self, Conn::Sqlite(_) | Conn::SqlitePlain(_))
    }
}

/// A write transaction. Only [`Store::begin_write`] and [`Store::begin_write_for`] make one, and only it offers
/// `insert`, `update` and `delete`, so a record and its change-log entry are always written in one transaction
/// (a plain connection or a read snapshot cannot write a record). It reads like any [`Conn`].
pub struct WriteTx(Conn);

impl WriteTx {
    /// Wraps a transaction just begun for writing.
    pub(crate) fn new(conn: Conn) -> WriteTx {
        WriteTx(conn)
    }

    /// Commits the transaction: the records and their log entries become visible together.
    pub async fn commit(self) -> Result<(), StoreError> {
        self.0.commit().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.0
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.0
    }
}

/// What [`on_conn!`] runs a statement on: a connection, or a write transaction's connection.
#[doc(hidden)]
pub trait AsConn {
    /// The connection underneath.
    fn as_conn(&mut self) -> &mut Conn;
}

impl AsConn for Conn {
    fn as_conn(&mut self) -> &mut Conn {
        self
    }
}

impl AsConn for WriteTx {
    fn as_conn(&mut self) -> &mut Conn {
        &mut self.0
    }
}

/// Current time in microseconds since the Unix epoch, the form every timestamp is stored in.
pub fn now_micros() -> i64 {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX)
}
