//! The one error shape of the API, `{"error": {"code", "message", "details"}}`, and the mapping of use-case errors
//! onto HTTP statuses. Internal errors are logged and answered without details: no SQL, no stack trace.

use aims_app::AppError;
use aims_domain::FieldError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong, for programs (`code`) and for people (`message`), with the fields at fault.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code: `bad_request`, `unauthorized`, `forbidden`, `not_found`, `conflict`,
    /// `precondition_failed`, `payload_too_large`, `unsupported_media_type`, `invalid_input`,
    /// `precondition_required`, `method_not_allowed`, `not_classified` (an AI system without an EU AI Act
    /// classification yet), `internal`.
    #[schema(example = "invalid_input")]
    pub code: String,
    /// One sentence for people.
    pub message: String,
    /// The fields at fault (empty when the error is not about a field).
    pub details: Vec<FieldError>,
}

/// An API error: status plus body. Handlers return `Result<_, ApiError>`.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Body.
    pub body: ErrorBody,
}

impl ApiError {
    /// An error without field details.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: ErrorBody {
                error: ErrorDetail {
                    code: code.to_string(),
                    message: message.into(),
                    details: vec![],
                },
            },
        }
    }

    /// A 400 naming the field at fault.
    pub fn bad_field(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        let field = field.into();
        let message = message.into();
        let mut e = ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("{field}: {message}"),
        );
        e.body.error.details.push(FieldError { field, message });
        e
    }

    /// 401: no credentials, or credentials that are not (or no longer) valid.
    pub fn unauthorized(message: &str) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 403.
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid(v) => {
                let message = v.to_string();
                ApiError {
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    body: ErrorBody {
                        error: ErrorDetail {
                            code: "invalid_input".into(),
                            message,
                            details: v.errors,
                        },
                    },
                }
            }
            AppError::NotFound(m) => ApiError::not_found(m),
            AppError::Forbidden(m) => ApiError::forbidden(format!("not allowed: {m}")),
            AppError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            AppError::Stale(m) => {
                ApiError::new(StatusCode::PRECONDITION_FAILED, "precondition_failed", m)
            }
            AppError::Store(s) => {
                tracing::error!(error = %s, "API request failed");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the request could not be completed; it has been logged",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let unauthorized = self.status == StatusCode::UNAUTHORIZED;
        let mut res = (self.status, Json(self.body)).into_response();
        if unauthorized {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"aims\""),
            );
        }
        res
    }
}

/// Turns the bare responses axum produces itself inside `/api/v1` (405 for a known path with another method) into
/// the error shape.
pub async fn shape_bare_errors(res: Response) -> Response {
    if res.status() == StatusCode::METHOD_NOT_ALLOWED
        && !res.headers().contains_key(header::CONTENT_TYPE)
    {
        let allow = res.headers().get(header::ALLOW).cloned();
        let mut shaped = ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "this endpoint does not accept this method",
        )
        .into_response();
        if let Some(a) = allow {
            shaped.headers_mut().insert(header::ALLOW, a);
        }
        return shaped;
    }
    res
}

/// 404 for addresses under `/api/v1` that name no endpoint.
pub async fn no_such_endpoint() -> ApiError {
    ApiError::not_found("there is no API endpoint at this address")
}
