//! User administration for organization admins: the members and their roles, adding a member, and resetting a
//! member's password (which ends all their sessions). The posts are refused by the router (`post_needs`) unless
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
#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    new_password: String,
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
    let view = match field_errors(reset)? {
        Ok(()) => UsersView {
            message: "The password was reset; the member's sessions have ended.".into(),
            ..UsersView::default()
        },
        Err(errors) => UsersView {
            errors,
            ..UsersView::default()
        },
    };
    users_page(ctx, view).await
}
