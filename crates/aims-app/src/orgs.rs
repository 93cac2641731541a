//! Organizations, users and memberships, and `init`, which creates the first organization and its admin.

use crate::OrgId;
use crate::RecordId;
use crate::records::{self, OrgWrite, Stored, from_row};
use crate::{Actor, App, AppError, Permission};
use aims_domain::context::{Organization, slugify};
use aims_domain::ids::INSTALLATION_CHAIN;
use aims_domain::users::{Membership, User, check_password, normalise_email};
use aims_domain::vocab::MemberRole;
use aims_domain::{ValidationError, new_id};
use aims_store::spec::{MEMBERSHIPS, ORGANIZATIONS, USERS};
use aims_store::value::Value;
use aims_store::{Conn, ListQuery, WriteTx};
use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
use argon2::{Argon2, PasswordHash, PasswordVerifier};
use rand::RngCore;
use serde::Serialize;

impl Stored<Organization> {
    /// The organization's record id as the id every use case scopes to.
    pub fn org_id(&self) -> OrgId {
        OrgId::from(self.id.as_str())
    }
}

/// What `init` needs.
#[derive(Debug, Clone)]
pub struct InitInput {
    /// Name of the first organization.
    pub org_name: String,
    /// Its slug; derived from the name when absent.
    pub org_slug: Option<String>,
    /// Email of the first admin.
    pub admin_email: String,
    /// Display name of the first admin.
    pub admin_name: String,
    /// Password; generated (and returned once) when absent.
    pub admin_password: Option<String>,
}

/// What `init` created.
#[derive(Debug, Clone, Serialize)]
pub struct InitOutcome {
    /// The organization.
    pub organization: Stored<Organization>,
    /// The admin's email.
    pub admin_email: String,
    /// The generated password, when none was given; shown once, never stored in clear.
    pub generated_password: Option<String>,
}

/// A user as shown to people: no password hash.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UserView {
    /// User id.
    pub id: String,
    /// Email.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Whether sign-in is blocked.
    pub disabled: bool,
}

/// A member of an organization.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MemberView {
    /// Membership id.
    pub membership_id: String,
    /// The user.
    #[serde(flatten)]
    pub user: UserView,
    /// Role in this organization.
    pub role: String,
}

/// Hashes a password with Argon2id (the crate's defaults: 19 MiB, 2 passes, 1 lane — the OWASP minimum).
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| {
            AppError::Store(aims_store::StoreError::Database(format!(
                "password hashing failed: {e}"
            )))
        })
}

/// Checks a password against a stored Argon2id hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A random password of 20 characters from an unambiguous alphabet.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// The membership `id` of the organization written in.
async fn member_at(w: &mut OrgWrite, id: &RecordId) -> Result<Stored<Membership>, AppError> {
    let id = aims_domain::parse_id("membership_id", id)?;
    match w.find(&MEMBERSHIPS, &id).await? {
        Some(m) => Ok(m),
        None => Err(AppError::NotFound(
            "no such member in this organization".into(),
        )),
    }
}

/// Refuses a change that would leave the organization without an admin: `m` loses its admin role.
async fn keep_an_admin(w: &mut OrgWrite, m: &Stored<Membership>) -> Result<(), AppError> {
    if m.data.role != MemberRole::Admin.as_str() {
        return Ok(());
    }
    let q = ListQuery {
        filters: vec![("role", Value::Text(MemberRole::Admin.as_str().into()))],
        ..ListQuery::default()
    };
    let admins: Vec<Stored<Membership>> = w.select(&MEMBERSHIPS, &q).await?;
    if admins.iter().any(|a| a.id != m.id) {
        return Ok(());
    }
    Err(ValidationError::one(
        "role",
        "an organization keeps at least one admin: make another member admin first",
    )
    .into())
}

/// A membership with its user, as the members list shows it.
async fn member_view(w: &mut OrgWrite, m: Stored<Membership>) -> Result<MemberView, AppError> {
    let Some(row) = Conn::get(w, &USERS, INSTALLATION_CHAIN, &m.data.user_id).await? else {
        return Err(AppError::NotFound("the member's user is gone".into()));
    };
    let user: Stored<User> = from_row(&row)?;
    Ok(MemberView {
        membership_id: m.id.to_string(),
        user: user_view(&user),
        role: m.data.role,
    })
}

fn user_view(u: &Stored<User>) -> UserView {
    UserView {
        id: u.id.to_string(),
        email: u.data.email.clone(),
        display_name: u.data.display_name.clone(),
        disabled: u.data.disabled,
    }
}

impl App {
    /// Creates the first organization and its admin in a new store. Refused when the store already holds an
    /// organization.
    pub async fn init(&self, actor: &Actor, input: InitInput) -> Result<InitOutcome, AppError> {
        let mut tx = self.store.begin_write().await?;
        if self.any_organization(&mut tx).await? {
            return Err(AppError::Conflict(
                "the store is already initialised; add organizations with `aims org add`".into(),
            ));
        }
        let generated = input.admin_password.is_none().then(generate_password);
        let password = input
            .admin_password
            .clone()
            .or_else(|| generated.clone())
            .unwrap_or_default();
        let org = Organization {
            name: input.org_name.clone(),
            slug: input
                .org_slug
                .clone()
                .unwrap_or_else(|| slugify(&input.org_name)),
            legal_name: String::new(),
            sector: String::new(),
            size: String::new(),
            jurisdictions: vec![],
            description: String::new(),
            ai_roles: vec![],
            website: String::new(),
        };
        let org = self.insert_org(&mut tx, actor, org).await?;
        let user = self
            .insert_user(
                &mut tx,
                actor,
                &input.admin_email,
                &input.admin_name,
                &password,
            )
            .await?;
        self.insert_membership(&mut tx, actor, &org.id, &user.id, MemberRole::Admin)
            .await?;
        tx.commit().await?;
        Ok(InitOutcome {
            organization: org,
            admin_email: user.data.email,
            generated_password: generated,
        })
    }

    async fn any_organization(&self, tx: &mut Conn) -> Result<bool, AppError> {
        Ok(!self.all_orgs(tx).await?.is_empty())
    }

    async fn all_orgs(&self, tx: &mut Conn) -> Result<Vec<Stored<Organization>>, AppError> {
        // Organizations are their own chains: list them through their slug index, across chains.
        let mut out = vec![];
        for row in tx.list_all_orgs().await? {
            out.push(from_row(&row)?);
        }
        Ok(out)
    }

    async fn insert_org(
        &self,
        tx: &mut WriteTx,
        actor: &Actor,
        mut org: Organization,
    ) -> Result<Stored<Organization>, AppError> {
        org.normalise_and_validate()?;
        if tx
            .find_by(&ORGANIZATIONS, None, "slug", &org.slug)
            .await?
            .is_some()
        {
            return Err(ValidationError::one(
                "slug",
                format!("an organization with slug '{}' already exists", org.slug),
            )
            .into());
        }
        let id = new_id();
        let row = tx
            .insert(
                &ORGANIZATIONS,
                &id,
                &actor.label,
                &id,
                records::to_values(&ORGANIZATIONS, &org)?,
            )
            .await?;
        from_row(&row)
    }

    async fn insert_user(
        &self,
        tx: &mut WriteTx,
        actor: &Actor,
        email: &str,
        name: &str,
        password: &str,
    ) -> Result<Stored<User>, AppError> {
        let email = normalise_email("email", email)?;
        check_password("password", password)?;
        let mut errs = ValidationError::default();
        aims_domain::error::check_required_text(
            &mut errs,
            "name",
            name,
            aims_domain::error::MAX_NAME,
        );
        errs.into_result()?;
        if tx.find_by(&USERS, None, "email", &email).await?.is_some() {
            return Err(ValidationError::one(
                "email",
                format!("a user with email {email} already exists"),
            )
            .into());
        }
        let hash = tokio::task::spawn_blocking({
            let p = password.to_string();
            move || hash_password(&p)
        })
        .await
        .map_err(|e| AppError::Store(aims_store::StoreError::Database(e.to_string())))??;
        let user = User {
            email,
            display_name: name.trim().to_string(),
            password_hash: hash,
            disabled: false,
        };
        records::insert(tx, &USERS, INSTALLATION_CHAIN, &actor.label, &user).await
    }

    async fn insert_membership(
        &self,
        tx: &mut WriteTx,
        actor: &Actor,
        org: &str,
        user_id: &str,
        role: MemberRole,
    ) -> Result<Stored<Membership>, AppError> {
        let m = Membership {
            user_id: user_id.to_string(),
            role: role.as_str().to_string(),
        };
        records::insert(tx, &MEMBERSHIPS, org, &actor.label, &m).await
    }

    /// Every organization of the installation (for the local operator).
    pub async fn organizations(&self) -> Result<Vec<Stored<Organization>>, AppError> {
        let mut tx = self.store.begin_read().await?;
        let r = self.all_orgs(&mut tx).await;
        tx.commit().await?;
        r
    }

    /// Finds an organization by slug or id; with `None`, the only organization of the installation.
    pub async fn resolve_org(&self, which: Option<&str>) -> Result<Stored<Organization>, AppError> {
        let orgs = self.organizations().await?;
        match which {
            Some(w) => {
                let w = w.trim();
                orgs.into_iter()
                    .find(|o| o.data.slug == w || o.id == w)
                    .ok_or_else(|| {
                        AppError::NotFound(format!("no organization '{w}' (give its slug or id)"))
                    })
            }
            None => match <[_; 1]>::try_from(orgs) {
                Ok([only]) => Ok(only),
                Err(orgs) if orgs.is_empty() => Err(AppError::NotFound(
                    "the store has no organization yet: run `aims init`".into(),
                )),
                Err(orgs) => Err(AppError::Invalid(ValidationError::one(
                    "org",
                    format!(
                        "the store has {} organizations; choose one with --org SLUG",
                        orgs.len()
                    ),
                ))),
            },
        }
    }

    /// Creates another organization, with `admin_user_id` (if given) as its admin.
    pub async fn create_org(
        &self,
        actor: &Actor,
        org: Organization,
        admin_email: Option<&str>,
    ) -> Result<Stored<Organization>, AppError> {
        actor.require(Permission::Administer)?;
        let mut tx = self.store.begin_write().await?;
        let stored = self.insert_org(&mut tx, actor, org).await?;
        if let Some(email) = admin_email {
            let email = normalise_email("admin", email)?;
            let user = tx
                .find_by(&USERS, None, "email", &email)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("no user with email {email}")))?;
            self.insert_membership(&mut tx, actor, &stored.id, user.id(), MemberRole::Admin)
                .await?;
        }
        tx.commit().await?;
        Ok(stored)
    }

    /// The profile of the organization the actor acts in.
    pub async fn organization(
        &self,
        actor: &Actor,
        org: &OrgId,
    ) -> Result<Stored<Organization>, AppError> {
        actor.require(Permission::Read)?;
        self.read(&ORGANIZATIONS, org, org).await
    }

    /// Replaces an organization's profile.
    pub async fn update_org(
        &self,
        actor: &Actor,
        org_id: &OrgId,
        expected_version: Option<i64>,
        mut org: Organization,
    ) -> Result<Stored<Organization>, AppError> {
        let mut w = self.write_in(actor, Permission::Administer, org_id).await?;
        org.normalise_and_validate()?;
        if let Some(other) = w.find_by(&ORGANIZATIONS, None, "slug", &org.slug).await?
            && other.id() != org_id
        {
            return Err(ValidationError::one(
                "slug",
                format!("an organization with slug '{}' already exists", org.slug),
            )
            .into());
        }
        let s = w
            .update(&ORGANIZATIONS, org_id, expected_version, &org)
            .await?;
        w.done(s).await
    }

    /// Creates a user and makes them a member of `org` with `role`.
    pub async fn add_member(
        &self,
        actor: &Actor,
        org: &OrgId,
        email: &str,
        name: &str,
        password: &str,
        role: MemberRole,
    ) -> Result<MemberView, AppError> {
        actor.require(Permission::Administer)?;
        let mut tx = self.store.begin_write().await?;
        let normalised = normalise_email("email", email)?;
        let user = match tx.find_by(&USERS, None, "email", &normalised).await? {
            Some(row) => from_row::<User>(&row)?,
            None => {
                self.insert_user(&mut tx, actor, email, name, password)
                    .await?
            }
        };
        if tx
            .find_by(&MEMBERSHIPS, Some(org), "user_id", &user.id)
            .await?
            .is_some()
        {
            return Err(AppError::Conflict(format!(
                "{} is already a member of this organization",
                user.data.email
            )));
        }
        let m = self
            .insert_membership(&mut tx, actor, org, &user.id, role)
            .await?;
        tx.commit().await?;
        Ok(MemberView {
            membership_id: m.id.into(),
            user: user_view(&user),
            role: m.data.role,
        })
    }

    /// Gives a member another role. An organization always keeps an admin, so the last one cannot be given
    /// another role; the change is in the organization's change log, and the member's sessions act with the new
    /// role from their next request.
    pub async fn change_member_role(
        &self,
        actor: &Actor,
        org: &OrgId,
        membership_id: &RecordId,
        role: MemberRole,
    ) -> Result<MemberView, AppError> {
        let mut w = self.write_in(actor, Permission::Administer, org).await?;
        let mut m = member_at(&mut w, membership_id).await?;
        if role != MemberRole::Admin {
            keep_an_admin(&mut w, &m).await?;
        }
        m.data.role = role.as_str().to_string();
        let s = w
            .update(&MEMBERSHIPS, &m.id, Some(m.version), &m.data)
            .await?;
        let view = member_view(&mut w, s).await?;
        w.done(view).await
    }

    /// Removes a member from the organization (the user stays, with their other memberships); their sessions in
    /// it end. The last admin cannot be removed.
    pub async fn remove_member(
        &self,
        actor: &Actor,
        org: &OrgId,
        membership_id: &RecordId,
    ) -> Result<(), AppError> {
        let mut w = self.write_in(actor, Permission::Administer, org).await?;
        let m = member_at(&mut w, membership_id).await?;
        keep_an_admin(&mut w, &m).await?;
        w.delete(&MEMBERSHIPS, &m.id, Some(m.version)).await?;
        w.commit().await
    }

    /// Members of an organization with their roles.
    pub async fn members(&self, actor: &Actor, org: &OrgId) -> Result<Vec<MemberView>, AppError> {
        actor.require(Permission::Read)?;
        let mut tx = self.store.begin_read().await?;
        let mut out = vec![];
        for m in tx.list(&MEMBERSHIPS, org, &ListQuery::default()).await? {
            let m: Stored<Membership> = from_row(&m)?;
            if let Some(u) = tx.get(&USERS, INSTALLATION_CHAIN, &m.data.user_id).await? {
                out.push(MemberView {
                    membership_id: m.id.to_string(),
                    user: user_view(&from_row(&u)?),
                    role: m.data.role.clone(),
                });
            }
        }
        tx.commit().await?;
        out.sort_by(|a, b| a.user.email.cmp(&b.user.email));
        Ok(out)
    }

    /// Checks an email and password; returns the user when they match and the user is enabled.
    pub async fn authenticate(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Option<UserView>, AppError> {
        let email = match normalise_email("email", email) {
            Ok(e) => e,
            Err(_) => return Ok(None),
        };
        let mut tx = self.store.begin_read().await?;
        let row = tx.find_by(&USERS, None, "email", &email).await?;
        tx.commit().await?;
        let Some(row) = row else { return Ok(None) };
        let user: Stored<User> = from_row(&row)?;
        let hash = user.data.password_hash.clone();
        let password = password.to_string();
        let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .unwrap_or(false);
        Ok((ok && !user.data.disabled).then(|| user_view(&user)))
    }
}

#[cfg(test)]
mod member_tests {
    use crate::test_support::on_each_backend;
    use crate::{Actor, AppError, RecordId};
    use aims_domain::vocab::MemberRole;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn roles_change_members_leave_and_an_organization_keeps_an_admin() {
        on_each_backend(async |t| {
            let (app, org) = (&t.app, &t.org);
            let op = &t.operator;
            let members = app.members(op, org).await.unwrap();
            let admin = RecordId::from(members[0].membership_id.as_str());
            let last = app
                .change_member_role(op, org, &admin, MemberRole::Viewer)
                .await
                .unwrap_err();
            assert!(
                matches!(&last, AppError::Invalid(v) if v.errors[0].field == "role"),
                "{last:?}"
            );
            assert!(app.remove_member(op, org, &admin).await.is_err());
            let m = app
                .add_member(
                    op,
                    org,
                    "mia@test.example",
                    "Mia",
                    "a long enough password",
                    MemberRole::Viewer,
                )
                .await
                .unwrap();
            let mia = RecordId::from(m.membership_id.as_str());
            // Only admins administer members.
            let viewer = Actor::member("mia@test.example", MemberRole::Viewer);
            assert!(matches!(
                app.change_member_role(&viewer, org, &mia, MemberRole::Admin)
                    .await,
                Err(AppError::Forbidden(_))
            ));
            let promoted = app
                .change_member_role(op, org, &mia, MemberRole::Admin)
                .await
                .unwrap();
            assert_eq!(promoted.role, "admin");
            // With a second admin, the first may step down.
            app.change_member_role(op, org, &admin, MemberRole::Manager)
                .await
                .unwrap();
            app.remove_member(op, org, &admin).await.unwrap();
            let left: Vec<String> = (app.members(op, org).await.unwrap().into_iter())
                .map(|m| m.user.email)
                .collect();
            assert_eq!(left, ["mia@test.example"]);
            let history = app.history(op, org, "membership", &mia).await.unwrap();
            assert_eq!(history.len(), 2, "the promotion is in the change log");
            let bad = RecordId::from("not-an-id");
            assert!(app.remove_member(op, org, &bad).await.is_err());
        })
        .await;
    }
}
