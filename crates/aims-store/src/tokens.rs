//! Personal API tokens, kept in the database so that several `aims serve` processes accept the same tokens. Only
//! the SHA-256 of a token is stored; the token itself is shown once to the person who created it.

use crate::changelog::{Action, Change, append};
use crate::value::Canonical;
use crate::{Conn, Store, StoreError, on_conn};
use sqlx::{AssertSqlSafe, Row as _};

/// A stored API token (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    /// Token id (UUIDv7), used to list and revoke it.
    pub id: String,
    /// Owner of the token.
    pub user_id: String,
    /// Organization the token acts in.
    pub org_id: String,
    /// Name given by the owner ("CI pipeline").
    pub name: String,
    /// SHA-256 (hex) of the token.
    pub token_hash: String,
    /// First characters of the token, so people can recognise it in a list.
    pub prefix: String,
    /// Creation time (µs).
    pub created_at: i64,
    /// End of validity (µs).
    pub expires_at: i64,
    /// Last request made with it (µs), if any.
    pub last_used_at: Option<i64>,
    /// When it was revoked (µs), if it was.
    pub revoked_at: Option<i64>,
}

const COLUMNS: &str = "id, user_id, org_id, name, token_hash, prefix, created_at, expires_at, last_used_at, revoked_at";

macro_rules! token_row {
    ($r:expr) => {
        TokenRow {
            id: $r.try_get(0)?,
            user_id: $r.try_get(1)?,
            org_id: $r.try_get(2)?,
            name: $r.try_get(3)?,
            token_hash: $r.try_get(4)?,
            prefix: $r.try_get(5)?,
            created_at: $r.try_get(6)?,
            expires_at: $r.try_get(7)?,
            last_used_at: $r.try_get(8)?,
            revoked_at: $r.try_get(9)?,
        }
    };
}

/// The change-log record type of API tokens. A token's row changes on every use (its last-used time), so the log
/// records its creation and revocation as events of the token's organization rather than as a record to compare.
pub const TOKEN_RECORD_TYPE: &str = "api_token";

/// What a token's log entry vouches for: everything but the secret's hash and the last-used time.
fn token_content_hash(t: &TokenRow) -> String {
    let mut c = Canonical::new("aims-token-v1");
    c.str(&t.id)
        .str(&t.user_id)
        .str(&t.org_id)
        .str(&t.name)
        .str(&t.prefix)
        .int(t.created_at)
        .int(t.expires_at)
        .int(t.revoked_at.unwrap_or(0));
    c.sha256_hex()
}

async fn log_token(
    tx: &mut Conn,
    t: &TokenRow,
    actor: &str,
    action: Action,
) -> Result<(), StoreError> {
    append(
        tx,
        Change {
            org: &t.org_id,
            actor,
            action,
            record_type: TOKEN_RECORD_TYPE,
            record_id: &t.id,
            content_hash: &token_content_hash(t),
        },
        None,
    )
    .await
    .map(|_| ())
}

impl Store {
    /// Stores a new token and logs its creation by `actor` in the token organization's change log, in one
    /// transaction.
    pub async fn token_create(&self, t: &TokenRow, actor: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        on_conn!(&mut tx, |c| {
            sqlx::query(
                "INSERT INTO api_tokens (id, user_id, org_id, name, token_hash, prefix, created_at, expires_at, \
                 last_used_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(t.id.clone())
            .bind(t.user_id.clone())
            .bind(t.org_id.clone())
            .bind(t.name.clone())
            .bind(t.token_hash.clone())
            .bind(t.prefix.clone())
            .bind(t.created_at)
            .bind(t.expires_at)
            .bind(t.last_used_at)
            .bind(t.revoked_at)
            .execute(c)
            .await
            .map(|_| ())?
        });
        log_token(&mut tx, t, actor, Action::Create).await?;
        tx.commit().await
    }

    /// Finds a token by the SHA-256 of its text.
    pub async fn token_by_hash(&self, token_hash: &str) -> Result<Option<TokenRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM api_tokens WHERE token_hash = $1");
        let mut tx = self.begin_read().await?;
        let row = on_conn!(&mut tx, |c| {
            match sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(token_hash.to_string())
                .fetch_optional(c)
                .await?
            {
                Some(r) => Some(token_row!(r)),
                None => None,
            }
        });
        tx.commit().await?;
        Ok(row)
    }

    /// Finds a token by id.
    pub async fn token_get(&self, id: &str) -> Result<Option<TokenRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM api_tokens WHERE id = $1");
        let mut tx = self.begin_read().await?;
        let row = on_conn!(&mut tx, |c| {
            match sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(id.to_string())
                .fetch_optional(c)
                .await?
            {
                Some(r) => Some(token_row!(r)),
                None => None,
            }
        });
        tx.commit().await?;
        Ok(row)
    }

    /// Every token of a user (in one organization, or in all), newest first.
    pub async fn tokens_of_user(
        &self,
        user_id: &str,
        org_id: Option<&str>,
    ) -> Result<Vec<TokenRow>, StoreError> {
        let sql = match org_id {
            Some(_) => format!(
                "SELECT {COLUMNS} FROM api_tokens WHERE user_id = $1 AND org_id = $2 ORDER BY id DESC"
            ),
            None => format!("SELECT {COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id DESC"),
        };
        let mut tx = self.begin_read().await?;
        let rows = on_conn!(&mut tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id.to_string());
            if let Some(o) = org_id {
                q = q.bind(o.to_string());
            }
            let fetched = q.fetch_all(c).await?;
            let mut out = Vec::with_capacity(fetched.len());
            for r in fetched {
                out.push(token_row!(r));
            }
            out
        });
        tx.commit().await?;
        Ok(rows)
    }

    /// Marks a token revoked (once; a revoked token keeps its first revocation time) and logs the revocation by
    /// `actor`, in one transaction. Returns whether a token with this id exists.
    pub async fn token_revoke(&self, id: &str, at: i64, actor: &str) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let sql = format!("SELECT {COLUMNS} FROM api_tokens WHERE id = $1");
        let row = on_conn!(&mut tx, |c| {
            match sqlx::query(AssertSqlSafe(sql))
                .bind(id.to_string())
                .fetch_optional(c)
                .await?
            {
                Some(r) => Some(token_row!(r)),
                None => None,
            }
        });
        let Some(mut t) = row else {
            tx.commit().await?;
            return Ok(false);
        };
        if t.revoked_at.is_none() {
            on_conn!(&mut tx, |c| {
                sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1")
                    .bind(id.to_string())
                    .bind(at)
                    .execute(c)
                    .await
                    .map(|_| ())?
            });
            t.revoked_at = Some(at);
            log_token(&mut tx, &t, actor, Action::Update).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Records that a token was used.
    pub async fn token_touch(&self, id: &str, at: i64) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        on_conn!(&mut tx, |c| {
            sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
                .bind(id.to_string())
                .bind(at)
                .execute(c)
                .await
                .map(|_| ())?
        });
        tx.commit().await
    }

    /// Sets a token's expiry (used by tests and by administrators cutting a token short).
    pub async fn token_set_expiry(&self, id: &str, expires_at: i64) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        on_conn!(&mut tx, |c| {
            sqlx::query("UPDATE api_tokens SET expires_at = $2 WHERE id = $1")
                .bind(id.to_string())
                .bind(expires_at)
                .execute(c)
                .await
                .map(|_| ())?
        });
        tx.commit().await
    }
}
