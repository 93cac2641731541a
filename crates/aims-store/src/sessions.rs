//! Sign-in sessions and sign-in throttling, kept in the database so that several `aims serve` processes can share
//! them. Only the SHA-256 of a session token is stored; the token itself lives in the user's cookie.

use crate::query::{Fields, Sql, from_values, insert_sql, to_values};
use crate::spec::{SESSIONS, c};
use crate::value::Kind;
use crate::{Store, StoreError, now_micros, on_conn};
use serde::{Deserialize, Serialize};
use sqlx::Row as _;

/// A stored session. The fields are the columns of [`SESSIONS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    /// SHA-256 (hex) of the session token.
    pub token_hash: String,
    /// Signed-in user.
    pub user_id: String,
    /// Organization currently selected.
    pub org_id: String,
    /// Per-session CSRF token put in every form.
    pub csrf_token: String,
    /// Sign-in time (µs).
    pub created_at: i64,
    /// Last request (µs); drives the idle timeout.
    pub last_seen_at: i64,
    /// Absolute end of the session (µs).
    pub expires_at: i64,
}

/// Failed sign-ins for one email.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Throttle {
    /// Consecutive failures.
    pub failures: i64,
    /// Sign-in refused until this time (µs); 0 when not locked.
    pub locked_until: i64,
}

/// A session with its user and the user's memberships, read in one query on every signed-in request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionContext {
    /// The session.
    pub session: SessionRow,
    /// The user's email.
    pub email: String,
    /// The user's display name.
    pub display_name: String,
    /// Whether the user is disabled.
    pub disabled: bool,
    /// Every organization the user belongs to: (organization id, role).
    pub memberships: Vec<(String, String)>,
}

impl Store {
    /// Reads a session, its user and the user's memberships in one query; `None` for an unknown token.
    pub async fn session_context(
        &self,
        token_hash: &str,
    ) -> Result<Option<SessionContext>, StoreError> {
        let sql = Sql::new(
            "SELECT s.token_hash, s.user_id, s.org_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, \
                    u.email, u.display_name, u.disabled, COALESCE(m.org_id, ''), COALESCE(m.role, '') \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             LEFT JOIN memberships m ON m.user_id = s.user_id \
             WHERE s.token_hash = $1 ORDER BY m.org_id",
        )
        .text(token_hash);
        let mut cols = SESSIONS.columns.to_vec();
        cols.extend([
            c("email", Kind::Text),
            c("display_name", Kind::Text),
            c("disabled", Kind::Bool),
            c("org_id", Kind::Text),
            c("role", Kind::Text),
        ]);
        let mut out: Option<SessionContext> = None;
        // The session and user columns are the same on every row, one row per membership; a user without
        // memberships comes back as one row with empty membership columns.
        for mut values in self.read_values(sql, &cols).await? {
            let mut membership = Fields::new(values.split_off(SESSIONS.columns.len() + 3));
            let mut user = Fields::new(values.split_off(SESSIONS.columns.len()));
            let ctx = match out.as_mut() {
                Some(ctx) => ctx,
                None => out.insert(SessionContext {
                    session: from_values(SESSIONS.columns, values)?,
                    email: user.text(),
                    display_name: user.text(),
                    disabled: user.boolean(),
                    memberships: Vec::new(),
                }),
            };
            let (org, role) = (membership.text(), membership.text());
            if !org.is_empty() {
                ctx.memberships.push((org, role));
            }
        }
        Ok(out)
    }

    /// Stores a new session.
    pub async fn session_create(&self, s: &SessionRow) -> Result<(), StoreError> {
        let insert = insert_sql(SESSIONS.name, SESSIONS.columns);
        let values = to_values(SESSIONS.columns, s)?;
        self.write_one(Sql::new(insert).row(SESSIONS.columns, &values))
            .await
            .map(|_| ())
    }

    /// Reads a session by token hash.
    pub async fn session_get(&self, token_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        let sql = Sql::new(format!(
            "SELECT {} FROM sessions WHERE token_hash = $1",
            SESSIONS.column_list()
        ))
        .text(token_hash);
        let row = self.read_first(sql, SESSIONS.columns).await?;
        row.map(|values| from_values(SESSIONS.columns, values))
            .transpose()
    }

    /// Records activity on a session and, optionally, switches its organization.
    pub async fn session_touch(
        &self,
        token_hash: &str,
        org_id: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = now_micros();
        let sql = match org_id {
            Some(o) => {
                Sql::new("UPDATE sessions SET last_seen_at = $2, org_id = $3 WHERE token_hash = $1")
                    .text(token_hash)
                    .int(now)
                    .text(o)
            }
            None => Sql::new("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
                .text(token_hash)
                .int(now),
        };
        self.write_one(sql).await.map(|_| ())
    }

    /// Ends a session.
    pub async fn session_delete(&self, token_hash: &str) -> Result<(), StoreError> {
        self.write_one(Sql::new("DELETE FROM sessions WHERE token_hash = $1").text(token_hash))
            .await
            .map(|_| ())
    }

    /// Ends every session of a user (password change, reset, disabling).
    pub async fn session_delete_user(&self, user_id: &str) -> Result<(), StoreError> {
        self.write_one(Sql::new("DELETE FROM sessions WHERE user_id = $1").text(user_id))
            .await
            .map(|_| ())
    }

    /// Removes sessions past their absolute expiry or idle longer than `idle_micros`.
    pub async fn session_purge(&self, idle_micros: i64) -> Result<u64, StoreError> {
        let now = now_micros();
        let sql = Sql::new("DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2")
            .int(now)
            .int(now - idle_micros);
        self.write_one(sql).await
    }

    /// The throttle state of an email.
    pub async fn throttle_get(&self, email: &str) -> Result<Throttle, StoreError> {
        let sql = Sql::new("SELECT failures, locked_until FROM login_throttle WHERE email = $1")
            .text(email);
        let cols = [c("failures", Kind::Int), c("locked_until", Kind::Int)];
        let row = self.read_first(sql, &cols).await?;
        Ok(row.map_or_else(Throttle::default, |values| {
            let mut f = Fields::new(values);
            Throttle {
                failures: f.int(),
                locked_until: f.int(),
            }
        }))
    }

    /// Counts a failed sign-in; after `max_failures` in a row the email is locked for `lock_micros`.
    pub async fn throttle_fail(
        &self,
        email: &str,
        max_failures: i64,
        lock_micros: i64,
    ) -> Result<Throttle, StoreError> {
        let now = now_micros();
        let mut tx = self.begin_write().await?;
        let t = on_conn!(&mut tx, |c| {
            let r = sqlx::query(
                "INSERT INTO login_throttle (email, failures, locked_until, updated_at) VALUES ($1, 1, 0, $2) \
                 ON CONFLICT (email) DO UPDATE SET failures = login_throttle.failures + 1, updated_at = $2 \
                 RETURNING failures, locked_until",
            )
            .bind(email.to_string())
            .bind(now)
            .fetch_one(&mut *c)
            .await?;
            let failures: i64 = r.try_get(0)?;
            let mut locked_until: i64 = r.try_get(1)?;
            if failures >= max_failures {
                locked_until = now + lock_micros;
                sqlx::query(
                    "UPDATE login_throttle SET failures = 0, locked_until = $2 WHERE email = $1",
                )
                .bind(email.to_string())
                .bind(locked_until)
                .execute(&mut *c)
                .await?;
            }
            Throttle {
                failures,
                locked_until,
            }
        });
        tx.commit().await?;
        Ok(t)
    }

    /// Clears the failure count after a successful sign-in.
    pub async fn throttle_reset(&self, email: &str) -> Result<(), StoreError> {
        self.write_one(Sql::new("DELETE FROM login_throttle WHERE email = $1").text(email))
            .await
            .map(|_| ())
    }

    /// Organizations a user belongs to, with the role in each: (org id, role).
    pub async fn memberships_of(&self, user_id: &str) -> Result<Vec<(String, String)>, StoreError> {
        let sql =
            Sql::new("SELECT org_id, role FROM memberships WHERE user_id = $1 ORDER BY org_id")
                .text(user_id);
        let cols = [c("org_id", Kind::Text), c("role", Kind::Text)];
        let rows = self.read_values(sql, &cols).await?;
        Ok(rows
            .into_iter()
            .map(|values| {
                let mut f = Fields::new(values);
                (f.text(), f.text())
            })
            .collect())
    }
}
