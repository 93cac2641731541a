//! Personal API tokens for scripts and pipelines: created by (or for) one user in one organization, shown once,
//! stored only as a SHA-256, valid for a bounded number of days, revocable. A request that carries a token acts as
//! its owner with the owner's current role, so a user who loses the membership (or is disabled) loses the token.

use crate::auth::{Session, token_hash};
use crate::orgs::UserView;
use crate::records::{Stored, format_micros, from_row};
use crate::{Actor, App, AppError};
use crate::{OrgId, RecordId};
use aims_domain::ValidationError;
use aims_domain::error::{MAX_NAME, check_required_text};
use aims_domain::ids::INSTALLATION_CHAIN;
use aims_domain::users::{User, normalise_email};
use aims_domain::vocab::MemberRole;
use aims_store::now_micros;
use aims_store::spec::USERS;
use aims_store::tokens::TokenRow;
use rand::RngCore;
use serde::Serialize;

/// Every token starts with this, so secret scanners and people recognise it.
pub const TOKEN_PREFIX: &str = "aims_";
/// Validity when none is asked for.
pub const DEFAULT_DAYS: i64 = 90;
/// Longest validity allowed.
pub const MAX_DAYS: i64 = 365;
/// Characters of the token kept for display.
const DISPLAY_PREFIX: usize = 12;
/// Last use is written back at most this often, to keep authenticated reads cheap.
const TOUCH_EVERY_MICROS: i64 = 60 * 1_000_000;
const DAY_MICROS: i64 = 24 * 3600 * 1_000_000;

/// A token as shown to its owner: never the hash, never the token.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TokenView {
    /// Token id, for revoking it.
    pub id: String,
    /// Organization the token acts in.
    pub org_id: String,
    /// Name given at creation.
    pub name: String,
    /// First characters of the token.
    pub prefix: String,
    /// Creation time (RFC 3339 UTC).
    pub created_at: String,
    /// End of validity (RFC 3339 UTC).
    pub expires_at: String,
    /// Last use (RFC 3339 UTC), if any.
    pub last_used_at: Option<String>,
    /// Revocation time (RFC 3339 UTC), if revoked.
    pub revoked_at: Option<String>,
    /// `active`, `expired` or `revoked`.
    pub status: String,
}

impl TokenView {
    fn from_row(r: &TokenRow, now: i64) -> TokenView {
        let status = if r.revoked_at.is_some() {
            "revoked"
        } else if r.expires_at <= now {
            "expired"
        } else {
            "active"
        };
        TokenView {
            id: r.id.clone(),
            org_id: r.org_id.clone(),
            name: r.name.clone(),
            prefix: r.prefix.clone(),
            created_at: format_micros(r.created_at),
            expires_at: format_micros(r.expires_at),
            last_used_at: r.last_used_at.map(format_micros),
            revoked_at: r.revoked_at.map(format_micros),
            status: status.to_string(),
        }
    }
}

/// A token just created: the token text (shown only here) and its listing.
#[derive(Debug, Clone, Serialize)]
pub struct NewToken {
    /// The token itself; it cannot be shown again.
    pub token: String,
    /// What the owner will see in their token list.
    #[serde(flatten)]
    pub info: TokenView,
}

fn random_token() -> String {
    let mut b = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut b);
    format!("{TOKEN_PREFIX}{}", hex::encode(b))
}

/// Whether a string has the shape of an aims token (`aims_` and 40 lower-case hex digits); anything else is
/// refused before the database is asked.
pub fn looks_like_token(s: &str) -> bool {
    s.strip_prefix(TOKEN_PREFIX).is_some_and(|rest| {
        rest.len() == 40
            && rest
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Only the local operator (who holds the database) or the user themself may manage a user's tokens.
fn check_owner(actor: &Actor, email: &str) -> Result<(), AppError> {
    if actor.role.is_none() || actor.label.eq_ignore_ascii_case(email) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only the token's owner can manage their API tokens".into(),
        ))
    }
}

impl App {
    async fn user_by_email(&self, email: &str) -> Result<Stored<User>, AppError> {
        let email = normalise_email("user", email)?;
        let mut tx = self.store.begin_read().await?;
        let row = tx.find_by(&USERS, None, "email", &email).await?;
        tx.commit().await?;
        match row {
            Some(r) => from_row(&r),
            None => Err(AppError::NotFound(format!("no user with email {email}"))),
        }
    }

    /// Creates an API token for the user with `email` in organization `org`, valid for `days` (1–365, default
    /// 90). The user must be a member of the organization; the token acts with their role there.
    pub async fn create_token(
        &self,
        actor: &Actor,
        org: &OrgId,
        email: &str,
        name: &str,
        days: Option<i64>,
    ) -> Result<NewToken, AppError> {
        check_owner(actor, email)?;
        let mut errs = ValidationError::default();
        check_required_text(&mut errs, "name", name, MAX_NAME);
        let days = days.unwrap_or(DEFAULT_DAYS);
        if !(1..=MAX_DAYS).contains(&days) {
            errs.push(
                "days",
                format!("must be between 1 and {MAX_DAYS}, not {days}"),
            );
        }
        errs.into_result()?;
        let user = self.user_by_email(email).await?;
        if user.data.disabled {
            return Err(ValidationError::one("user", "the user is disabled").into());
        }
        if !self
            .store
            .memberships_of(&user.id)
            .await?
            .iter()
            .any(|(o, _)| o == org)
        {
            return Err(AppError::NotFound(format!(
                "{} is not a member of this organization",
                user.data.email
            )));
        }
        let token = random_token();
        let now = now_micros();
        let row = TokenRow {
            id: aims_domain::new_id(),
            user_id: user.id.to_string(),
            org_id: org.to_string(),
            name: name.trim().to_string(),
            token_hash: token_hash(&token),
            prefix: token.chars().take(DISPLAY_PREFIX).collect(),
            created_at: now,
            expires_at: now + days * DAY_MICROS,
            last_used_at: None,
            revoked_at: None,
        };
        self.store.token_create(&row, &actor.label).await?;
        Ok(NewToken {
            token,
            info: TokenView::from_row(&row, now),
        })
    }

    /// The tokens of the user with `email`, newest first: in organization `org`, or in every organization when
    /// `None`.
    pub async fn tokens(
        &self,
        actor: &Actor,
        email: &str,
        org: Option<&str>,
    ) -> Result<Vec<TokenView>, AppError> {
        check_owner(actor, email)?;
        let user = self.user_by_email(email).await?;
        let now = now_micros();
        Ok(self
            .store
            .tokens_of_user(&user.id, org)
            .await?
            .iter()
            .map(|r| TokenView::from_row(r, now))
            .collect())
    }

    /// Revokes a token by id. The local operator may revoke any token; a signed-in user only their own (another
    /// user's token is reported as not found, so ids of others' tokens cannot be probed).
    pub async fn revoke_token(&self, actor: &Actor, id: &RecordId) -> Result<TokenView, AppError> {
        let id = aims_domain::parse_id("id", id)?;
        let not_found = || AppError::NotFound(format!("no API token with id {id}"));
        let row = self.store.token_get(&id).await?.ok_or_else(not_found)?;
        if actor.role.is_some() {
            let mut tx = self.store.begin_read().await?;
            let owner = tx.get(&USERS, INSTALLATION_CHAIN, &row.user_id).await?;
            tx.commit().await?;
            let owner: Option<Stored<User>> = owner.as_ref().map(from_row).transpose()?;
            if !owner.is_some_and(|u| u.data.email.eq_ignore_ascii_case(&actor.label)) {
                return Err(not_found());
            }
        }
        let now = now_micros();
        self.store.token_revoke(&id, now, &actor.label).await?;
        let row = self.store.token_get(&id).await?.ok_or_else(not_found)?;
        Ok(TokenView::from_row(&row, now))
    }

    /// Resolves a bearer token into the context a request acts in: its owner, organization and current role.
    /// `None` for anything that is not a valid, unexpired, unrevoked token of an enabled user who is still a
    /// member of the token's organization. The session has no CSRF token (tokens are not sent by browsers on
    /// their own, so requests carrying one need no CSRF protection).
    pub async fn resolve_token(&self, token: &str) -> Result<Option<Session>, AppError> {
        if !looks_like_token(token) {
            return Ok(None);
        }
        let hash = token_hash(token);
        let Some(row) = self.store.token_by_hash(&hash).await? else {
            return Ok(None);
        };
        let now = now_micros();
        if row.revoked_at.is_some() || row.expires_at <= now {
            return Ok(None);
        }
        let mut tx = self.store.begin_read().await?;
        let user_row = tx.get(&USERS, INSTALLATION_CHAIN, &row.user_id).await?;
        tx.commit().await?;
        let Some(user_row) = user_row else {
            return Ok(None);
        };
        let user: Stored<User> = from_row(&user_row)?;
        if user.data.disabled {
            return Ok(None);
        }
        let mut memberships = vec![];
        for (o, r) in self.store.memberships_of(&user.id).await? {
            if let Ok(r) = MemberRole::parse("role", &r) {
                memberships.push((o, r));
            }
        }
        let Some(role) = memberships
            .iter()
            .find(|(o, _)| *o == row.org_id)
            .map(|(_, r)| *r)
        else {
            return Ok(None);
        };
        if row
            .last_used_at
            .is_none_or(|t| now - t > TOUCH_EVERY_MICROS)
        {
            self.store.token_touch(&row.id, now).await?;
        }
        Ok(Some(Session {
            token_hash: hash,
            user: UserView {
                id: user.id.into(),
                email: user.data.email,
                display_name: user.data.display_name,
                disabled: false,
            },
            org_id: row.org_id.into(),
            role,
            csrf_token: String::new(),
            memberships: memberships
                .into_iter()
                .map(|(o, r)| (o.into(), r))
                .collect(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_the_documented_shape() {
        let t = random_token();
        assert!(looks_like_token(&t), "{t}");
        assert_eq!(t.len(), 45);
        assert!(!looks_like_token("aims_xyz"));
        assert!(!looks_like_token(&t.to_uppercase()));
        assert!(!looks_like_token(&format!("{t}0")));
    }

    /// Creating and revoking a token are security-relevant changes: each is an entry of the organization's
    /// chain, by whoever did it, and the chain still verifies.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn token_creation_and_revocation_are_in_the_change_log() {
        crate::test_support::on_each_backend(async |t| {
            let (app, org, op) = (&t.app, &t.org, &t.operator);
            let before = app.chain_head(op, org).await.unwrap().unwrap().0;
            let token = app
                .create_token(op, org, "admin@test.example", "ci", None)
                .await
                .unwrap();
            let owner = Actor::member("admin@test.example", MemberRole::Admin);
            app.revoke_token(&owner, &token.info.id.as_str().into())
                .await
                .unwrap();
            // Revoking again changes nothing and logs nothing.
            app.revoke_token(&owner, &token.info.id.as_str().into())
                .await
                .unwrap();
            let log = app
                .store
                .history(org, aims_store::tokens::TOKEN_RECORD_TYPE, &token.info.id)
                .await
                .unwrap();
            let seen: Vec<(&str, &str)> = log
                .iter()
                .map(|e| (e.action.as_str(), e.actor.as_str()))
                .collect();
            assert_eq!(
                seen,
                vec![("create", "cli:test"), ("update", "admin@test.example")],
                "{:?}",
                t.backend
            );
            assert_eq!(log[0].seq, before + 1);
            let report = app.verify(op, None).await.unwrap();
            assert!(report.intact(), "{:?}: {:?}", t.backend, report.problems);
        })
        .await;
    }
}
