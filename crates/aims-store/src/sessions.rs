//! Sign-in sessions and sign-in throttling, kept in the database so that several `aims serve` processes can share
//! them. Only the SHA-256 of a session token is stored; the token itself lives in the user's cookie.

use crate::{Store, StoreError, now_micros, on_conn};
use sqlx::Row as _;

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
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
        let mut conn = self.begin_read().await?;
        let rows = on_conn!(&mut conn, |c| {
            let rows = sqlx::query(
                "SELECT s.token_hash, s.user_id, s.org_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, \
                        u.email, u.display_name, u.disabled, m.org_id, m.role \
                 FROM sessions s JOIN users u ON u.id = s.user_id \
                 LEFT JOIN memberships m ON m.user_id = s.user_id \
                 WHERE s.token_hash = $1 ORDER BY m.org_id",
            )
            .bind(token_hash.to_string())
            .fetch_all(c)
            .await?;
            let mut out: Option<SessionContext> = None;
            for r in rows {
                let ctx = match out.as_mut() {
                    Some(ctx) => ctx,
                    None => out.insert(SessionContext {
                        session: SessionRow {
                            token_hash: r.try_get(0)?,
                            user_id: r.try_get(1)?,
                            org_id: r.try_get(2)?,
                            csrf_token: r.try_get(3)?,
                            created_at: r.try_get(4)?,
                            last_seen_at: r.try_get(5)?,
                            expires_at: r.try_get(6)?,
                        },
                        email: r.try_get(7)?,
                        display_name: r.try_get(8)?,
                        disabled: r.try_get(9)?,
                        memberships: Vec::new(),
                    }),
                };
                if let (Some(org), Some(role)) = (
                    r.try_get::<Option<String>, _>(10)?,
                    r.try_get::<Option<String>, _>(11)?,
                ) {
                    ctx.memberships.push((org, role));
                }
            }
            out
        });
        conn.commit().await?;
        Ok(rows)
    }

    /// Stores a new session.
    pub async fn session_create(&self, s: &SessionRow) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        on_conn!(&mut tx, |c| {
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, org_id, csrf_token, created_at, last_seen_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(s.token_hash.clone())
            .bind(s.user_id.clone())
            .bind(s.org_id.clone())
            .bind(s.csrf_token.clone())
            .bind(s.created_at)
            .bind(s.last_seen_at)
            .bind(s.expires_at)
            .execute(c)
            .await
            .map(|_| ())?
        });
        tx.commit().await
    }

    /// Reads a session by token hash.
    pub async fn session_get(&self, token_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        let mut tx = self.begin_read().await?;
        let row = on_conn!(&mut tx, |c| {
            match sqlx::query(
                "SELECT token_hash, user_id, org_id, csrf_token, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = $1",
            )
            .bind(token_hash.to_string())
            .fetch_optional(c)
            .await?
            {
                Some(r) => Some(SessionRow {
                    token_hash: r.try_get(0)?,
                    user_id: r.try_get(1)?,
                    org_id: r.try_get(2)?,
                    csrf_token: r.try_get(3)?,
                    created_at: r.try_get(4)?,
                    last_seen_at: r.try_get(5)?,
                    expires_at: r.try_get(6)?,
                }),
                None => None,
            }
        });
        tx.commit().await?;
        Ok(row)
    }

    /// Records activity on a session and, optionally, switches its organization.
    pub async fn session_touch(
        &self,
        token_hash: &str,
        org_id: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let now = now_micros();
        on_conn!(&mut tx, |c| {
            match org_id {
                Some(o) => sqlx::query(
                    "UPDATE sessions SET last_seen_at = $2, org_id = $3 WHERE token_hash = $1",
                )
                .bind(token_hash.to_string())
                .bind(now)
                .bind(o.to_string())
                .execute(c)
                .await
                .map(|_| ())?,
                None => sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
                    .bind(token_hash.to_string())
                    .bind(now)
                    .execute(c)
                    .await
                    .map(|_| ())?,
            }
        });
        tx.commit().await
    }

    /// Ends a session.
    pub async fn session_delete(&self, token_hash: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        on_conn!(&mut tx, |c| {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash.to_string())
                .execute(c)
                .await
                .map(|_| ())?
        });
        tx.commit().await
    }

    /// Ends every session of a user (password change, reset, disabling).
    pub async fn session_delete_user(&self, user_id: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        on_conn!(&mut tx, |c| {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id.to_string())
                .execute(c)
                .await
                .map(|_| ())?
        });
        tx.commit().await
    }

    /// Removes sessions past their absolute expiry or idle longer than `idle_micros`.
    pub async fn session_purge(&self, idle_micros: i64) -> Result<u64, StoreError> {
        let now = now_micros();
        let mut tx = self.begin_write().await?;
        let n = on_conn!(&mut tx, |c| {
            sqlx::query("DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2")
                .bind(now)
                .bind(now - idle_micros)
                .execute(c)
                .await?
                .rows_affected()
        });
        tx.commit().await?;
        Ok(n)
    }

    /// The throttle state of an email.
    pub async fn throttle_get(&self, email: &str) -> Result<Throttle, StoreError> {
        let mut tx = self.begin_read().await?;
        let t = on_conn!(&mut tx, |c| {
            match sqlx::query("SELECT failures, locked_until FROM login_throttle WHERE email = $1")
                .bind(email.to_string())
                .fetch_optional(c)
                .await?
            {
                Some(r) => Throttle {
                    failures: r.try_get(0)?,
                    locked_until: r.try_get(1)?,
                },
                None => Throttle::default(),
            }
        });
        tx.commit().await?;
        Ok(t)
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
        let mut tx = self.begin_write().await?;
        on_conn!(&mut tx, |c| {
            sqlx::query("DELETE FROM login_throttle WHERE email = $1")
                .bind(email.to_string())
                .execute(c)
                .await
                .map(|_| ())?
        });
        tx.commit().await
    }

    /// Organizations a user belongs to, with the role in each: (org id, role).
    pub async fn memberships_of(&self, user_id: &str) -> Result<Vec<(String, String)>, StoreError> {
        let mut tx = self.begin_read().await?;
        let v = on_conn!(&mut tx, |c| {
            let rows = sqlx::query(
                "SELECT org_id, role FROM memberships WHERE user_id = $1 ORDER BY org_id",
            )
            .bind(user_id.to_string())
            .fetch_all(c)
            .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push((r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?));
            }
            out
        });
        tx.commit().await?;
        Ok(v)
    }
}
