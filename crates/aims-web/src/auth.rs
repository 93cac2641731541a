//! Sign-in, sign-out, organization switch and password change, and the extractor that gives handlers the
//! signed-in session (or sends the browser to the sign-in page).

use crate::AppState;
use crate::chrome::{self, Chrome};
use crate::error::{self, render};
use crate::security::{same_origin, same_secret};
use aims_app::auth::{Session, SignInError};
use askama::Template;
use axum::Form;
use axum::extract::{FromRequestParts, Query, State};
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

/// The signed-in session of a request. Pages that need one take this argument; without a valid session the
/// browser is sent to the sign-in page (htmx requests get `HX-Redirect`).
pub struct Signed(pub Session);

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(s) = parts.extensions.get::<Session>() {
            return Ok(Signed(s.clone()));
        }
        session_of(parts, state).await.map(Signed)
    }
}

/// Resolves the session of a request from its cookie; without a valid one, the response that sends the browser
/// to the sign-in page (htmx requests get `HX-Redirect`). Shared by the `Signed` extractor and the signed-area
/// layer.
pub async fn session_of(parts: &Parts, state: &AppState) -> Result<Session, Response> {
    let token = cookie(&parts.headers, SESSION_COOKIE);
    let session = match token {
        Some(t) if !t.is_empty() => state
            .app
            .session(&t)
            .await
            .map_err(|e| error::app_error(None, e))?,
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

/// Checks a form post: same origin, and the form's CSRF token equals the session's.
/// Returns the refusal page when the check fails.
pub fn check_form(headers: &HeaderMap, session: &Session, csrf: &str) -> Option<Response> {
    if same_origin(headers) && same_secret(csrf, &session.csrf_token) {
        None
    } else {
        Some(error::page(
            StatusCode::FORBIDDEN,
            None,
            "Form expired",
            "This form is no longer valid (or came from another site). Go back, reload the page and try again.",
        ))
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
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: Option<String>,
}

/// POST /login
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if !same_origin(&headers) || !same_secret(&f.csrf, &expected) {
        return login_response(
            &state,
            StatusCode::FORBIDDEN,
            next,
            f.email,
            "The sign-in form expired. Please try again.".into(),
        );
    }
    let result = match state.app.sign_in(&f.email, &f.password).await {
        Ok(r) => r,
        Err(e) => return error::app_error(None, e),
    };
    match result {
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
            res
        }
        Err(SignInError::BadCredentials) => login_response(
            &state,
            StatusCode::UNAUTHORIZED,
            next,
            f.email,
            "Email or password is wrong.".into(),
        ),
        Err(SignInError::Locked(_)) => login_response(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            next,
            f.email,
            "Too many failed attempts. Sign-in for this email is locked for 15 minutes.".into(),
        ),
        Err(SignInError::NoOrganization) => login_response(
            &state,
            StatusCode::FORBIDDEN,
            next,
            f.email,
            "Your account is not a member of any organization. Ask an administrator to add you."
                .into(),
        ),
    }
}

/// POST /logout
pub async fn logout(State(state): State<AppState>, Signed(s): Signed) -> Response {
    if let Err(e) = state.app.sign_out(&s.token_hash).await {
        return error::app_error(None, e);
    }
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", Some(0)),
    );
    res
}

/// The organization switch form.
#[derive(Deserialize)]
pub struct SwitchForm {
    #[serde(default)]
    org: String,
}

/// POST /org/switch
pub async fn switch_org(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<SwitchForm>,
) -> Response {
    match state.app.switch_org(&s, &f.org).await {
        Ok(()) => Redirect::to("/").into_response(),
        Err(e) => error::app_error(None, e),
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    message: String,
    errors: Vec<(String, String)>,
    /// The user's API tokens in this organization.
    tokens: Vec<aims_app::tokens::TokenView>,
    /// A token just created, shown once; empty otherwise.
    new_token: String,
    /// Problems with the token form.
    token_errors: Vec<(String, String)>,
}

/// What the account page shows besides the chrome.
#[derive(Default)]
struct AccountView {
    message: String,
    errors: Vec<(String, String)>,
    new_token: String,
    token_errors: Vec<(String, String)>,
}

/// Renders the account page with the user's API tokens.
async fn account_response(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    v: AccountView,
) -> Response {
    let chrome = Chrome::new(&state.app, s, "account").await;
    let tokens = match state
        .app
        .tokens(&s.actor(), &s.user.email, Some(&s.org_id))
        .await
    {
        Ok(t) => t,
        Err(e) => return error::app_error(Some(chrome), e),
    };
    let mut res = render(&AccountPage {
        chrome,
        message: v.message,
        errors: v.errors,
        tokens,
        new_token: v.new_token,
        token_errors: v.token_errors,
    });
    *res.status_mut() = status;
    res
}

/// GET /account
pub async fn account_page(State(state): State<AppState>, Signed(s): Signed) -> Response {
    account_response(&state, &s, StatusCode::OK, AccountView::default()).await
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
pub async fn create_token(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<TokenForm>,
) -> Response {
    let days = match f.days.trim() {
        "" => None,
        d => match d.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                let v = AccountView {
                    token_errors: vec![("days".into(), format!("'{d}' is not a number of days"))],
                    ..AccountView::default()
                };
                return account_response(&state, &s, StatusCode::UNPROCESSABLE_ENTITY, v).await;
            }
        },
    };
    match state
        .app
        .create_token(&s.actor(), &s.org_id, &s.user.email, &f.name, days)
        .await
    {
        Ok(t) => {
            let v = AccountView {
                message: format!(
                    "API token '{}' created. Copy it now: it is shown only once.",
                    t.info.name
                ),
                new_token: t.token,
                ..AccountView::default()
            };
            account_response(&state, &s, StatusCode::OK, v).await
        }
        Err(aims_app::AppError::Invalid(e)) => {
            let v = AccountView {
                token_errors: e.errors.into_iter().map(|x| (x.field, x.message)).collect(),
                ..AccountView::default()
            };
            account_response(&state, &s, StatusCode::UNPROCESSABLE_ENTITY, v).await
        }
        Err(e) => error::app_error(None, e),
    }
}

/// The form that revokes an API token.
#[derive(Deserialize)]
pub struct RevokeForm {
    id: String,
}

/// POST /account/tokens/revoke: revokes one of the user's own API tokens.
pub async fn revoke_token(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<RevokeForm>,
) -> Response {
    match state.app.revoke_token(&s.actor(), &f.id).await {
        Ok(_) => Redirect::to("/account").into_response(),
        Err(e) => error::app_error(None, e),
    }
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
pub async fn change_password(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<PasswordForm>,
) -> Response {
    match state
        .app
        .change_password(&s, &f.current_password, &f.new_password)
        .await
    {
        Ok(()) => {
            let mut res = Redirect::to("/login").into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(&state, SESSION_COOKIE, "", Some(0)),
            );
            res
        }
        Err(aims_app::AppError::Invalid(v)) => {
            let view = AccountView {
                errors: v.errors.into_iter().map(|e| (e.field, e.message)).collect(),
                ..AccountView::default()
            };
            account_response(&state, &s, StatusCode::UNPROCESSABLE_ENTITY, view).await
        }
        Err(e) => error::app_error(None, e),
    }
}
