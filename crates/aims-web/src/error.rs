//! Error pages: a readable page for people, the right status code, never a stack trace or SQL.

use crate::chrome::Chrome;
use aims_app::AppError;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Option<Chrome>,
    status: u16,
    title: String,
    message: String,
}

/// Renders an error page.
pub fn page(status: StatusCode, chrome: Option<Chrome>, title: &str, message: &str) -> Response {
    let body = ErrorPage {
        chrome,
        status: status.as_u16(),
        title: title.to_string(),
        message: message.to_string(),
    }
    .render()
    .unwrap_or_else(|_| "error".to_string());
    (status, Html(body)).into_response()
}

/// Maps a use-case error to a page; internal errors are logged and shown without details.
pub fn app_error(chrome: Option<Chrome>, e: AppError) -> Response {
    match &e {
        AppError::NotFound(m) => page(StatusCode::NOT_FOUND, chrome, "Not found", m),
        AppError::Forbidden(m) => page(StatusCode::FORBIDDEN, chrome, "Not allowed", m),
        AppError::Conflict(m) | AppError::Stale(m) => {
            page(StatusCode::CONFLICT, chrome, "Changed meanwhile", m)
        }
        AppError::Invalid(v) => page(
            StatusCode::UNPROCESSABLE_ENTITY,
            chrome,
            "Invalid input",
            &v.to_string(),
        ),
        AppError::Store(s) => {
            tracing::error!(error = %s, "request failed");
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                chrome,
                "Something went wrong",
                "The request could not be completed. It has been logged.",
            )
        }
    }
}

/// Renders a template or an internal error page.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                None,
                "Something went wrong",
                "The page could not be rendered.",
            )
        }
    }
}

/// The 404 page for unknown addresses.
pub async fn not_found() -> Response {
    page(
        StatusCode::NOT_FOUND,
        None,
        "Not found",
        "There is no page at this address.",
    )
}

/// What an error page says. A [`PageError`] leaves it on its response so that the signed-area layer can render
/// the same page again with the navigation chrome of the signed-in user.
#[derive(Debug, Clone)]
pub struct ErrorSpec {
    /// HTTP status of the page.
    pub status: StatusCode,
    /// Heading.
    pub title: String,
    /// Explanation shown to people.
    pub message: String,
}

/// The error of a page handler, so that handlers can use `?`: a use-case error, an address naming no record, a
/// form the role may not use, or an expired form. It renders the error page with the right status; inside a
/// signed area the page gets the navigation chrome (added by the area layer), except for the refusals that are
/// shown without it today (expired forms, permission checks before a form is read).
#[derive(Debug, Clone)]
pub struct PageError {
    spec: ErrorSpec,
    chrome: bool,
}

impl PageError {
    fn new(status: StatusCode, title: &str, message: String, chrome: bool) -> PageError {
        PageError {
            spec: ErrorSpec {
                status,
                title: title.to_string(),
                message,
            },
            chrome,
        }
    }

    /// An error page of its own kind (`409 Not a draft`), shown with the navigation chrome.
    pub fn page(status: StatusCode, title: &str, message: String) -> PageError {
        PageError::new(status, title, message, true)
    }

    /// The 404 page for an address that names no `what` (a record kind, `risk`).
    pub fn not_found(what: &str) -> PageError {
        PageError::new(
            StatusCode::NOT_FOUND,
            "Not found",
            format!("There is no {what} with this id in this organization."),
            true,
        )
    }

    /// The 403 page for a form the role may not use; `what` completes "Your role in this organization cannot …".
    pub fn forbidden(what: &str) -> PageError {
        PageError::new(
            StatusCode::FORBIDDEN,
            "Not allowed",
            format!("Your role in this organization cannot {what}."),
            true,
        )
    }

    /// The 403 page of a form post whose CSRF token or origin does not match the session.
    pub fn form_expired() -> PageError {
        PageError::new(
            StatusCode::FORBIDDEN,
            "Form expired",
            "This form is no longer valid (or came from another site). Go back, reload the page and try again."
                .to_string(),
            false,
        )
    }
}

impl From<AppError> for PageError {
    /// Internal errors are logged here and shown without details.
    fn from(e: AppError) -> PageError {
        match e {
            AppError::NotFound(m) => PageError::new(StatusCode::NOT_FOUND, "Not found", m, true),
            AppError::Forbidden(m) => PageError::new(StatusCode::FORBIDDEN, "Not allowed", m, true),
            AppError::Conflict(m) | AppError::Stale(m) => {
                PageError::new(StatusCode::CONFLICT, "Changed meanwhile", m, true)
            }
            AppError::Invalid(v) => PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid input",
                v.to_string(),
                true,
            ),
            AppError::Store(s) => {
                tracing::error!(error = %s, "request failed");
                PageError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "The request could not be completed. It has been logged.".to_string(),
                    true,
                )
            }
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut res = page(self.spec.status, None, &self.spec.title, &self.spec.message);
        if self.chrome {
            res.extensions_mut().insert(self.spec);
        }
        res
    }
}

/// Renders `spec` again with the navigation chrome.
pub fn with_chrome(spec: &ErrorSpec, chrome: Chrome) -> Response {
    page(spec.status, Some(chrome), &spec.title, &spec.message)
}

/// The result of a page handler.
pub type PageResult = Result<Response, PageError>;
