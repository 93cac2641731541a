//! Personal API tokens, kept in the database so that several `aims serve` processes accept the same tokens. Only
//! the SHA-256 of a token is stored; the token itself is shown once to the person who created it.

use crate::changelog::{Action, Change, append};
use crate::query::{Sql, from_values, insert_sql, to_values};
use crate::spec::API_TOKENS;
use crate::value::{Canonical, Column};
use crate::{Conn, Store, StoreError};
use serde::{Deserialize, Serialize};

/// A stored API token (never the token itself). The fields are the columns of [`API_TOKENS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// Every token column, in order (the fields of [`TokenRow`] are named after them).
const COLUMNS: &[Column] = API_TOKENS.columns;

/// `UPDATE` of one time column of the token `id`.
fn set_where_id(column: &str, id: &str, at: i64) -> Sql {
    Sql::new(format!("UPDATE api_tokens SET {column} = $2 WHERE id = $1"))
        .text(id)
        .int(at)
}

/// `SELECT` of every token column, for a condition and order to follow.
fn select_tokens(condition: &str) -> Sql {
    Sql::new(format!(
        "SELECT {} FROM api_tokens WHERE {condition}",
        API_TOKENS.column_list()
    ))
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
        let insert = insert_sql(API_TOKENS.name, API_TOKENS.columns);
        tx.execute(Sql::new(insert).row(COLUMNS, &to_values(COLUMNS, t)?))
            .await?;
        log_token(&mut tx, t, actor, Action::Create).await?;
        tx.commit().await
    }

    /// Finds a token by the SHA-256 of its text.
    pub async fn token_by_hash(&self, token_hash: &str) -> Result<Option<TokenRow>, StoreError> {
        self.token_where("token_hash", token_hash).await
    }

    /// Finds a token by id.
    pub async fn token_get(&self, id: &str) -> Result<Option<TokenRow>, StoreError> {
        self.token_where("id", id).await
    }

    /// The token whose unique `column` (id or hash) holds `value`, if any.
    async fn token_where(
        &self,
        column: &'static str,
        value: &str,
    ) -> Result<Option<TokenRow>, StoreError> {
        let sql = select_tokens(&format!("{column} = $1")).text(value);
        let row = self.read_first(sql, COLUMNS).await?;
        row.map(|values| from_values(COLUMNS, values)).transpose()
    }

    /// Every token of a user (in one organization, or in all), newest first.
    pub async fn tokens_of_user(
        &self,
        user_id: &str,
        org_id: Option<&str>,
    ) -> Result<Vec<TokenRow>, StoreError> {
        let sql = match org_id {
            Some(o) => select_tokens("user_id = $1 AND org_id = $2 ORDER BY id DESC")
                .text(user_id)
                .text(o),
            None => select_tokens("user_id = $1 ORDER BY id DESC").text(user_id),
        };
        let rows = self.read_values(sql, COLUMNS).await?;
        rows.into_iter()
            .map(|values| from_values(COLUMNS, values))
            .collect()
    }

    /// Marks a token revoked (once; a revoked token keeps its first revocation time) and logs the revocation by
    /// `actor`, in one transaction. Returns whether a token with this id exists.
    pub async fn token_revoke(&self, id: &str, at: i64, actor: &str) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let row = tx
            .fetch_first(select_tokens("id = $1").text(id), COLUMNS)
            .await?;
        let Some(mut t) = row
            .map(|values| from_values::<TokenRow>(COLUMNS, values))
            .transpose()?
        else {
            tx.commit().await?;
            return Ok(false);
        };
        if t.revoked_at.is_none() {
            tx.execute(set_where_id("revoked_at", id, at)).await?;
            t.revoked_at = Some(at);
            log_token(&mut tx, &t, actor, Action::Update).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Records that a token was used.
    pub async fn token_touch(&self, id: &str, at: i64) -> Result<(), StoreError> {
        self.write_one(set_where_id("last_used_at", id, at))
            .await
            .map(|_| ())
    }

    /// Sets a token's expiry (used by tests and by administrators cutting a token short).
    pub async fn token_set_expiry(&self, id: &str, expires_at: i64) -> Result<(), StoreError> {
        self.write_one(set_where_id("expires_at", id, expires_at))
            .await
            .map(|_| ())
    }
}
