//! Sign-in, sessions and passwords for the web application. Sessions live in the database (several servers can
//! share them); the cookie holds a random token of which only the SHA-256 is stored. Failed sign-ins are counted
//! per email and lock the email out for a while.

use crate::orgs::{UserView, hash_password, verify_password};
use crate::records::{self, Stored, from_row};
use crate::{Actor, App, AppError};
use crate::{OrgId, RecordId};
use aims_domain::ValidationError;
use aims_domain::ids::INSTALLATION_CHAIN;
use aims_domain::users::{User, check_password, normalise_email};
use aims_domain::vocab::MemberRole;
use aims_store::now_micros;
use aims_store::sessions::SessionRow;
use aims_store::spec::USERS;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Sessions end after this long without a request.
pub const IDLE_TIMEOUT_MICROS: i64 = 30 * 60 * 1_000_000;
/// Sessions end this long after sign-in, whatever the activity.
pub const ABSOLUTE_TIMEOUT_MICROS: i64 = 12 * 3600 * 1_000_000;
/// Failed sign-ins in a row before the email is locked.
pub const MAX_FAILURES: i64 = 5;
/// How long a locked email stays locked.
pub const LOCK_MICROS: i64 = 15 * 60 * 1_000_000;
/// Activity is written back at most this often, to keep reads cheap.
const TOUCH_EVERY_MICROS: i64 = 60 * 1_000_000;

/// Why a sign-in was refused. Deliberately vague about which part was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInError {
    /// Wrong email or password (or a disabled user).
    BadCredentials,
    /// Too many failures; locked until this time (µs).
    Locked(i64),
    /// The user belongs to no organization.
    NoOrganization,
}

/// A successful sign-in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The session token for the cookie (shown only here).
    pub token: String,
    /// The user.
    pub user: UserView,
}

/// A valid session, resolved from its token.
#[derive(Debug, Clone)]
pub struct Session {
    /// SHA-256 of the token.
    pub token_hash: String,
    /// The user.
    pub user: UserView,
    /// Organization currently selected.
    pub org_id: OrgId,
    /// The user's role in it.
    pub role: MemberRole,
    /// CSRF token for forms of this session.
    pub csrf_token: String,
    /// Every organization the user belongs to: (id, role).
    pub memberships: Vec<(OrgId, MemberRole)>,
}

impl Session {
    /// The actor for use cases run in this session.
    pub fn actor(&self) -> Actor {
        Actor::member(&self.user.email, self.role)
    }
}

/// SHA-256 hex of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// An Argon2id hash of a random password, verified against when the email is unknown so that unknown and known
/// emails take the same time.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
}

impl App {
    async fn memberships(&self, user_id: &str) -> Result<Vec<(String, MemberRole)>, AppError> {
        let mut out = vec![];
        for (org, role) in self.store.memberships_of(user_id).await? {
            if let Ok(r) = MemberRole::parse("role", &role) {
                out.push((org, r));
            }
        }
        Ok(out)
    }

    /// Checks the credentials, counts failures, and on success opens a new session in the user's first
    /// organization. Any earlier session token the browser held should be ended by the caller (rotation).
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Result<SignedIn, SignInError>, AppError> {
        let email = match normalise_email("email", email) {
            Ok(e) => e,
            Err(_) => return Ok(Err(SignInError::BadCredentials)),
        };
        let now = now_micros();
        let throttle = self.store.throttle_get(&email).await?;
        if throttle.locked_until > now {
            return Ok(Err(SignInError::Locked(throttle.locked_until)));
        }
        let mut tx = self.store.begin_read().await?;
        let row = tx.find_by(&USERS, None, "email", &email).await?;
        tx.commit().await?;
        let user: Option<Stored<User>> = row.as_ref().map(from_row).transpose()?;
        let hash = user.as_ref().map_or_else(
            || dummy_hash().to_string(),
            |u| u.data.password_hash.clone(),
        );
        let pw = password.to_string();
        let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
            .await
            .unwrap_or(false);
        let user = match user {
            Some(u) if ok && !u.data.disabled => u,
            _ => {
                let t = self
                    .store
                    .throttle_fail(&email, MAX_FAILURES, LOCK_MICROS)
                    .await?;
                return Ok(Err(if t.locked_until > now {
                    SignInError::Locked(t.locked_until)
                } else {
                    SignInError::BadCredentials
                }));
            }
        };
        self.store.throttle_reset(&email).await?;
        let memberships = self.memberships(&user.id).await?;
        let Some((org, _)) = memberships.first() else {
            return Ok(Err(SignInError::NoOrganization));
        };
        let token = random_token();
        self.store
            .session_create(&SessionRow {
                token_hash: token_hash(&token),
                user_id: user.id.to_string(),
                org_id: org.clone(),
                csrf_token: random_token(),
                created_at: now,
                last_seen_at: now,
                expires_at: now + ABSOLUTE_TIMEOUT_MICROS,
            })
            .await?;
        Ok(Ok(SignedIn {
            token,
            user: UserView {
                id: user.id.into(),
                email: user.data.email,
                display_name: user.data.display_name,
                disabled: false,
            },
        }))
    }

    /// Resolves a session token; `None` when unknown, expired, idle too long, or the user lost access.
    pub async fn session(&self, token: &str) -> Result<Option<Session>, AppError> {
        let hash = token_hash(token);
        // One query for the session, its user and the user's memberships: this runs on every request.
        let Some(ctx) = self.store.session_context(&hash).await? else {
            return Ok(None);
        };
        let row = ctx.session;
        let now = now_micros();
        if row.expires_at <= now || row.last_seen_at + IDLE_TIMEOUT_MICROS <= now || ctx.disabled {
            self.store.session_delete(&hash).await?;
            return Ok(None);
        }
        let memberships: Vec<(String, MemberRole)> = ctx
            .memberships
            .into_iter()
            .filter_map(|(org, role)| MemberRole::parse("role", &role).ok().map(|r| (org, r)))
            .collect();
        let Some(role) = memberships
            .iter()
            .find(|(o, _)| *o == row.org_id)
            .map(|(_, r)| *r)
        else {
            self.store.session_delete(&hash).await?;
            return Ok(None);
        };
        if now - row.last_seen_at > TOUCH_EVERY_MICROS {
            self.store.session_touch(&hash, None).await?;
        }
        Ok(Some(Session {
            token_hash: hash,
            user: UserView {
                id: row.user_id,
                email: ctx.email,
                display_name: ctx.display_name,
                disabled: false,
            },
            org_id: row.org_id.into(),
            role,
            csrf_token: row.csrf_token,
            memberships: memberships
                .into_iter()
                .map(|(o, r)| (o.into(), r))
                .collect(),
        }))
    }

    /// Ends a session.
    pub async fn sign_out(&self, token_hash: &str) -> Result<(), AppError> {
        Ok(self.store.session_delete(token_hash).await?)
    }

    /// Switches the session to another organization the user belongs to.
    pub async fn switch_org(&self, session: &Session, org_id: &OrgId) -> Result<(), AppError> {
        if !session.memberships.iter().any(|(o, _)| o == org_id) {
            return Err(AppError::NotFound("no such organization".into()));
        }
        Ok(self
            .store
            .session_touch(&session.token_hash, Some(org_id))
            .await?)
    }

    async fn set_password(
        &self,
        actor: &Actor,
        user_id: &str,
        new_password: &str,
    ) -> Result<(), AppError> {
        check_password("new_password", new_password)?;
        let pw = new_password.to_string();
        let hash = tokio::task::spawn_blocking(move || hash_password(&pw))
            .await
            .map_err(|e| AppError::Store(aims_store::StoreError::Database(e.to_string())))??;
        let mut tx = self.store.begin_write().await?;
        let current: Stored<User> =
            records::get(&mut tx, &USERS, INSTALLATION_CHAIN, user_id).await?;
        let mut data = current.data.clone();
        data.password_hash = hash;
        records::update(
            &mut tx,
            &USERS,
            INSTALLATION_CHAIN,
            &actor.label,
            &current.id,
            Some(current.version),
            &data,
        )
        .await?;
        tx.commit().await?;
        self.store.session_delete_user(user_id).await?;
        Ok(())
    }

    /// Changes the signed-in user's own password after checking the current one; ends all their sessions.
    pub async fn change_password(
        &self,
        session: &Session,
        current: &str,
        new_password: &str,
    ) -> Result<(), AppError> {
        match self.sign_in_check(&session.user.email, current).await? {
            true => {
                self.set_password(&session.actor(), &session.user.id, new_password)
                    .await
            }
            false => {
                Err(ValidationError::one("current_password", "is not your current password").into())
            }
        }
    }

    async fn sign_in_check(&self, email: &str, password: &str) -> Result<bool, AppError> {
        let mut tx = self.store.begin_read().await?;
        let row = tx.find_by(&USERS, None, "email", email).await?;
        tx.commit().await?;
        let Some(row) = row else { return Ok(false) };
        let user: Stored<User> = from_row(&row)?;
        let pw = password.to_string();
        Ok(
            tokio::task::spawn_blocking(move || verify_password(&pw, &user.data.password_hash))
                .await
                .unwrap_or(false),
        )
    }

    /// An organization admin sets a new password for a member; all the member's sessions end.
    pub async fn reset_password(
        &self,
        actor: &Actor,
        org: &OrgId,
        user_id: &RecordId,
        new_password: &str,
    ) -> Result<(), AppError> {
        actor.require(crate::Permission::Administer)?;
        let user_id = aims_domain::parse_id("user_id", user_id)?;
        if !self
            .store
            .memberships_of(&user_id)
            .await?
            .iter()
            .any(|(o, _)| o == org)
        {
            return Err(AppError::NotFound(
                "no such member in this organization".into(),
            ));
        }
        self.set_password(actor, &user_id, new_password).await
    }
}
