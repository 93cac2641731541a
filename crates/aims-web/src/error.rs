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
        AppError::Conflict(m) => page(StatusCode::CONFLICT, chrome, "Changed meanwhile", m),
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
