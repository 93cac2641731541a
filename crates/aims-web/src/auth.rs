//! Sign-in, sign-out, organization switch, password change and API tokens, and the resolution of the signed-in
//! session (or the answer that sends the browser to the sign-in page) that the signed-area layer uses. The
//! account pages are handlers of the `account` area: its layers resolve the session and check the CSRF token.

use crate::AppState;
use crate::chrome::{self, Chrome};
use crate::error::{PageError, PageResult, render};
use crate::filters;
use crate::pages::ctx::Ctx;
use crate::pages::form::{Errors, checked, go, render_form};
use crate::security::{same_origin, same_secret};
use aims_app::auth::{Session, SignInError};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "aims_session";
/// Name of the cookie that carries the sign-in form's CSRF token (there is no session yet).
const LOGIN_CSRF_COOKIE: &str = "aims_login_csrf";

/// Reads a cookie value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn set_cookie(state: &AppState, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let age = max_age
        .map(|a| format!("; Max-Age={a}"))
        .unwrap_or_default();
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Resolves the session of a request from its cookie; without a valid one, the response that sends the browser
/// to the sign-in page (htmx requests get `HX-Redirect`). Used by the signed-area layer and the `Ctx` extractor.
pub async fn session_of(parts: &Parts, state: &AppState) -> Result<Session, Response> {
    let token = cookie(&parts.headers, SESSION_COOKIE);
    let session = match token {
        Some(t) if !t.is_empty() => state
            .app
            .session(&t)
            .await
            .map_err(|e| PageError::from(e).into_response())?,
        _ => None,
    };
    match session {
        Some(s) => Ok(s),
        None => {
            let next = parts
                .uri
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let target = format!("/login?next={}", encode(next));
            if parts.headers.contains_key("hx-request") {
                let mut r = StatusCode::UNAUTHORIZED.into_response();
                if let Ok(v) = HeaderValue::from_str(&target) {
                    r.headers_mut().insert("hx-redirect", v);
                }
                Err(r)
            } else {
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

/// Percent-encodes a value for a query string.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Checks a form post: same origin, and the form's CSRF token equals the session's; otherwise the "form
/// expired" refusal.
pub fn check_form(headers: &HeaderMap, session: &Session, csrf: &str) -> Result<(), PageError> {
    if same_origin(headers) && same_secret(csrf, &session.csrf_token) {
        Ok(())
    } else {
        Err(PageError::form_expired())
    }
}

/// Only local paths are followed after sign-in, never another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    css: String,
    csrf: String,
    next: String,
    email: String,
    error: String,
}

/// Query of the sign-in page.
#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

fn random_hex() -> String {
    use sha2::Digest;
    let seed = format!(
        "{:?}{}",
        std::time::SystemTime::now(),
        aims_domain::new_id()
    );
    hex::encode(sha2::Sha256::digest(seed.as_bytes()))
}

fn login_response(
    state: &AppState,
    status: StatusCode,
    next: String,
    email: String,
    error_msg: String,
) -> Response {
    let csrf = random_hex();
    let mut res = render(&LoginPage {
        css: chrome::css(),
        csrf: csrf.clone(),
        next,
        email,
        error: error_msg,
    });
    *res.status_mut() = status;
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(state, LOGIN_CSRF_COOKIE, &csrf, Some(3600)),
    );
    res
}

/// GET /login
pub async fn login_page(State(state): State<AppState>, Query(q): Query<NextQuery>) -> Response {
    login_response(
        &state,
        StatusCode::OK,
        safe_next(q.next.as_deref()),
        String::new(),
        String::new(),
    )
}

/// The sign-in form.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

/// POST /login
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> PageResult {
    let next = safe_next(f.next.as_deref());
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if !same_origin(&headers) || !same_secret(&f.csrf, &expected) {
        return Ok(login_response(
            &state,
            StatusCode::FORBIDDEN,
            next,
            f.email,
            "The sign-in form expired. Please try again.".into(),
        ));
    }
    let refusal = match state.app.sign_in(&f.email, &f.password).await? {
        Ok(signed) => {
            // Rotation: whatever session the browser had before is ended; the new token replaces it.
            if let Some(old) = cookie(&headers, SESSION_COOKIE) {
                let _ = state.app.sign_out(&aims_app::auth::token_hash(&old)).await;
            }
            let mut res = Redirect::to(&next).into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(&state, SESSION_COOKIE, &signed.token, None),
            );
            res.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(&state, LOGIN_CSRF_COOKIE, "", Some(0)),
            );
            return Ok(res);
        }
        Err(SignInError::BadCredentials) => {
            (StatusCode::UNAUTHORIZED, "Email or password is wrong.")
        }
        Err(SignInError::Locked(_)) => (
            StatusCode::TOO_MANY_REQUESTS,
            "Too many failed attempts. Sign-in for this email is locked for 15 minutes.",
        ),
        Err(SignInError::NoOrganization) => (
            StatusCode::FORBIDDEN,
            "Your account is not a member of any organization. Ask an administrator to add you.",
        ),
    };
    let (status, message) = refusal;
    Ok(login_response(
        &state,
        status,
        next,
        f.email,
        message.into(),
    ))
}

/// Ends the session cookie in the browser and sends it to the sign-in page (after sign-out or a password change).
fn to_sign_in(state: &AppState) -> PageResult {
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(state, SESSION_COOKIE, "", Some(0)),
    );
    Ok(res)
}

/// POST /logout
pub async fn logout(ctx: Ctx) -> PageResult {
    ctx.state.app.sign_out(&ctx.s.token_hash).await?;
    to_sign_in(&ctx.state)
}

/// The organization switch form.
#[derive(Deserialize)]
pub struct SwitchForm {
    #[serde(default)]
    org: String,
}

/// POST /org/switch
pub async fn switch_org(ctx: Ctx, Form(f): Form<SwitchForm>) -> PageResult {
    ctx.state
        .app
        .switch_org(&ctx.s, &f.org.as_str().into())
        .await?;
    go("/")
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    message: String,
    errors: Errors,
    /// The user's API tokens in this organization.
    tokens: Vec<aims_app::tokens::TokenView>,
    /// A token just created, shown once; empty otherwise.
    new_token: String,
    /// Problems with the token form.
    token_errors: Errors,
}

/// What the account page shows besides the chrome.
#[derive(Default)]
struct AccountView {
    message: String,
    errors: Errors,
    new_token: String,
    token_errors: Errors,
}

/// Renders the account page with the user's API tokens (422 when a form comes back with messages).
async fn account_response(ctx: Ctx, v: AccountView) -> PageResult {
    let Ctx { state, s, chrome } = ctx;
    let tokens = state
        .app
        .tokens(&s.actor(), &s.user.email, Some(&s.org_id))
        .await?;
    let invalid = !v.errors.is_empty() || !v.token_errors.is_empty();
    let page = AccountPage {
        chrome,
        message: v.message,
        errors: v.errors,
        tokens,
        new_token: v.new_token,
        token_errors: v.token_errors,
    };
    render_form(&page, invalid)
}

/// GET /account
pub async fn account_page(ctx: Ctx) -> PageResult {
    account_response(ctx, AccountView::default()).await
}

/// The form that creates an API token.
#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    days: String,
}

/// POST /account/tokens: creates a personal API token in the current organization and shows it once.
pub async fn create_token(ctx: Ctx, Form(f): Form<TokenForm>) -> PageResult {
    let days = match f.days.trim() {
        "" => None,
        d => match d.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                let v = AccountView {
                    token_errors: Errors::one("days", &format!("'{d}' is not a number of days")),
                    ..AccountView::default()
                };
                return account_response(ctx, v).await;
            }
        },
    };
    let s = &ctx.s;
    let created = ctx
        .state
        .app
        .create_token(&s.actor(), &s.org_id, &s.user.email, &f.name, days)
        .await;
    let v = match checked(created)? {
        Ok(t) => AccountView {
            message: format!(
                "API token '{}' created. Copy it now: it is shown only once.",
                t.info.name
            ),
            new_token: t.token,
            ..AccountView::default()
        },
        Err(token_errors) => AccountView {
            token_errors,
            ..AccountView::default()
        },
    };
    account_response(ctx, v).await
}

/// The form that revokes an API token.
#[derive(Deserialize)]
pub struct RevokeForm {
    id: String,
}

/// POST /account/tokens/revoke: revokes one of the user's own API tokens.
pub async fn revoke_token(ctx: Ctx, Form(f): Form<RevokeForm>) -> PageResult {
    ctx.state
        .app
        .revoke_token(&ctx.s.actor(), &f.id.as_str().into())
        .await?;
    go("/account")
}

/// The password change form.
#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

/// POST /account/password
pub async fn change_password(ctx: Ctx, Form(f): Form<PasswordForm>) -> PageResult {
    let changed = ctx
        .state
        .app
        .change_password(&ctx.s, &f.current_password, &f.new_password)
        .await;
    match checked(changed)? {
        Ok(()) => to_sign_in(&ctx.state),
        Err(errors) => {
            let v = AccountView {
                errors,
                ..AccountView::default()
            };
            account_response(ctx, v).await
        }
    }
}
