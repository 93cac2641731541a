//! User administration for organization admins: the members and their roles, adding a member, and resetting a
//! member's password (which ends all their sessions).

use crate::AppState;
use crate::auth::{Signed, check_form};
use crate::chrome::Chrome;
use crate::error::{app_error, page, render};
use aims_app::orgs::MemberView;
use aims_app::{AppError, Permission};
use aims_domain::vocab::MemberRole;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    chrome: Chrome,
    members: Vec<MemberView>,
    roles: Vec<&'static str>,
    message: String,
    errors: Vec<(String, String)>,
    email: String,
    name: String,
}

async fn users_page(
    state: &AppState,
    s: &aims_app::auth::Session,
    message: String,
    errors: Vec<(String, String)>,
    email: String,
    name: String,
) -> Response {
    let chrome = Chrome::new(&state.app, s, "admin").await;
    if s.actor().require(Permission::Administer).is_err() {
        return page(
            StatusCode::FORBIDDEN,
            Some(chrome),
            "Not allowed",
            "Only administrators of this organization manage its users.",
        );
    }
    match state.app.members(&s.actor(), &s.org_id).await {
        Ok(members) => {
            let status = if errors.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let mut res = render(&UsersPage {
                chrome,
                members,
                roles: MemberRole::ALL.iter().map(|r| r.as_str()).collect(),
                message,
                errors,
                email,
                name,
            });
            *res.status_mut() = status;
            res
        }
        Err(e) => app_error(Some(chrome), e),
    }
}

/// GET /admin/users
pub async fn users(State(state): State<AppState>, Signed(s): Signed) -> Response {
    users_page(
        &state,
        &s,
        String::new(),
        vec![],
        String::new(),
        String::new(),
    )
    .await
}

/// The add-member form.
#[derive(Deserialize)]
pub struct AddMemberForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

fn field_errors(e: AppError) -> Result<Vec<(String, String)>, AppError> {
    match e {
        AppError::Invalid(v) => Ok(v.errors.into_iter().map(|x| (x.field, x.message)).collect()),
        AppError::Conflict(m) => Ok(vec![("email".into(), m)]),
        other => Err(other),
    }
}

/// POST /admin/users
pub async fn add_member(
    State(state): State<AppState>,
    headers: HeaderMap,
    Signed(s): Signed,
    Form(f): Form<AddMemberForm>,
) -> Response {
    if let Some(r) = check_form(&headers, &s, &f.csrf) {
        return r;
    }
    let role = match MemberRole::parse("role", &f.role) {
        Ok(r) => r,
        Err(v) => {
            return users_page(
                &state,
                &s,
                String::new(),
                v.errors.into_iter().map(|x| (x.field, x.message)).collect(),
                f.email,
                f.name,
            )
            .await;
        }
    };
    match state
        .app
        .add_member(&s.actor(), &s.org_id, &f.email, &f.name, &f.password, role)
        .await
    {
        Ok(m) => {
            users_page(
                &state,
                &s,
                format!("{} is now {} of this organization.", m.user.email, m.role),
                vec![],
                String::new(),
                String::new(),
            )
            .await
        }
        Err(e) => match field_errors(e) {
            Ok(errors) => users_page(&state, &s, String::new(), errors, f.email, f.name).await,
            Err(e) => app_error(None, e),
        },
    }
}

/// The password reset form.
#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    new_password: String,
}

/// POST /admin/users/reset
pub async fn reset_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Signed(s): Signed,
    Form(f): Form<ResetForm>,
) -> Response {
    if let Some(r) = check_form(&headers, &s, &f.csrf) {
        return r;
    }
    match state
        .app
        .reset_password(&s.actor(), &s.org_id, &f.user_id, &f.new_password)
        .await
    {
        Ok(()) => {
            users_page(
                &state,
                &s,
                "The password was reset; the member's sessions have ended.".into(),
                vec![],
                String::new(),
                String::new(),
            )
            .await
        }
        Err(e) => match field_errors(e) {
            Ok(errors) => {
                users_page(
                    &state,
                    &s,
                    String::new(),
                    errors,
                    String::new(),
                    String::new(),
                )
                .await
            }
            Err(e) => app_error(None, e),
        },
    }
}
