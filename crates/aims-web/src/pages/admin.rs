//! User administration for organization admins: the members and their roles, adding a member, changing a
//! member's role, removing a member, and resetting a member's password (which ends all their sessions). The posts are refused by the router (`post_needs`) unless
//! the role administers the organization; the page itself refuses with the same permission check.

use crate::chrome::Chrome;
use crate::error::PageError;
use crate::pages::ctx::{Ctx, PageResult};
use crate::pages::form::{Errors, Opt, checked, render_form, vocab};
use aims_app::orgs::MemberView;
use aims_app::{AppError, Permission};
use aims_domain::vocab::MemberRole;
use askama::Template;
use axum::Form;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    chrome: Chrome,
    members: Vec<MemberView>,
    roles: Vec<Opt>,
    /// Every role, for the role change of each member.
    role_names: Vec<&'static str>,
    message: String,
    errors: Errors,
    email: String,
    /// The name typed into the add form (not `name`, which the field macros use for the field name).
    member_name: String,
}

impl UsersPage {
    fn other_errors(&self) -> Vec<String> {
        self.errors.others(&["email", "name", "role", "password"])
    }
}

/// What the users page shows besides the members: a message after a change, or the add form sent back with its
/// messages.
#[derive(Default)]
struct UsersView {
    message: String,
    errors: Errors,
    email: String,
    name: String,
    role: String,
}

async fn users_page(ctx: Ctx, v: UsersView) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    s.actor().require(Permission::Administer).map_err(|_| {
        AppError::Forbidden("Only administrators of this organization manage its users.".into())
    })?;
    let members = state.app.members(&s.actor(), &s.org_id).await?;
    let role = if v.role.is_empty() { "viewer" } else { &v.role };
    let invalid = !v.errors.is_empty();
    render_form(
        &UsersPage {
            chrome,
            members,
            roles: Opt::vocab(&vocab(MemberRole::ALL, MemberRole::as_str), role, None),
            role_names: vocab(MemberRole::ALL, MemberRole::as_str),
            message: v.message,
            errors: v.errors,
            email: v.email,
            member_name: v.name,
        },
        invalid,
    )
}

/// GET /admin/users
pub async fn users(ctx: Ctx) -> PageResult {
    users_page(ctx, UsersView::default()).await
}

/// The add-member form.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct AddMemberForm {
    email: String,
    name: String,
    role: String,
    password: String,
}

/// A refusal the form shows next to its fields: invalid values, or an email that is already a member.
fn field_errors<T>(r: Result<T, AppError>) -> Result<Result<T, Errors>, PageError> {
    match r {
        Err(AppError::Conflict(m)) => Ok(Err(Errors::one("email", &m))),
        r => checked(r),
    }
}

/// POST /admin/users
pub async fn add_member(ctx: Ctx, Form(f): Form<AddMemberForm>) -> PageResult {
    let added = match MemberRole::parse("role", &f.role) {
        Ok(role) => {
            let (app, s) = (&ctx.state.app, &ctx.s);
            field_errors(
                app.add_member(&s.actor(), &s.org_id, &f.email, &f.name, &f.password, role)
                    .await,
            )?
        }
        Err(v) => Err(Errors::from_validation(v)),
    };
    let view = match added {
        Ok(m) => UsersView {
            message: format!("{} is now {} of this organization.", m.user.email, m.role),
            ..UsersView::default()
        },
        Err(errors) => UsersView {
            errors,
            email: f.email,
            name: f.name,
            role: f.role,
            ..UsersView::default()
        },
    };
    users_page(ctx, view).await
}

/// The password reset form.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ResetForm {
    user_id: String,
    new_password: String,
}

/// The page after a change of one member: its message, or its refusals above the members.
fn after(done: Result<String, Errors>) -> UsersView {
    match done {
        Ok(message) => UsersView {
            message,
            ..UsersView::default()
        },
        Err(errors) => UsersView {
            errors,
            ..UsersView::default()
        },
    }
}

/// POST /admin/users/reset
pub async fn reset_password(ctx: Ctx, Form(f): Form<ResetForm>) -> PageResult {
    let (app, s) = (&ctx.state.app, &ctx.s);
    let reset = app
        .reset_password(
            &s.actor(),
            &s.org_id,
            &f.user_id.as_str().into(),
            &f.new_password,
        )
        .await;
    let done = field_errors(reset)?
        .map(|()| "The password was reset; the member's sessions have ended.".to_string());
    users_page(ctx, after(done)).await
}

/// The form of one member: a new role, or (with `action` = `remove`) the member's removal.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct MemberForm {
    membership_id: String,
    role: String,
    action: String,
}

/// POST /admin/users/member: changes a member's role, or removes the member. A refusal (the last admin, an
/// unknown role) is shown above the members, as it belongs to no field of the add form.
pub async fn change_member(ctx: Ctx, Form(f): Form<MemberForm>) -> PageResult {
    let (app, s) = (&ctx.state.app, &ctx.s);
    let (actor, id) = (s.actor(), f.membership_id.as_str().into());
    let done = if f.action == "remove" {
        let removed = app.remove_member(&actor, &s.org_id, &id).await;
        checked(removed)?.map(|()| {
            "The member was removed from this organization; their sessions in it have ended."
                .to_string()
        })
    } else {
        match MemberRole::parse("role", &f.role) {
            Ok(role) => checked(app.change_member_role(&actor, &s.org_id, &id, role).await)?
                .map(|m| format!("{} is now {} of this organization.", m.user.email, m.role)),
            Err(v) => Err(Errors::from_validation(v)),
        }
    };
    users_page(ctx, after(done.map_err(|e| e.rename("role", "member")))).await
}
