//! AI risk management for scripts (6.1.2, 6.1.3, 8.2, 8.3): the versioned risk method and the risk register's
//! list. Re-assessing a risk and accepting a plan's residual risk are kit steps (`steps`).

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Caller};
use super::id_filter;
use super::schema::{RiskMethodPage, RiskPage, StoredRiskMethod};
use aims_app::risks::RiskFilter;
use aims_domain::risk::RiskMethod;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;

/// The risk method in force: the organization's latest version, or the shipped default while it has saved none.
#[utoipa::path(
    get, path = "/api/v1/risk-method", tag = "risks", operation_id = "get_risk_method",
    responses(
        (status = 200, description = "The risk method in force", body = RiskMethod),
    )
)]
pub async fn method(caller: Caller) -> Result<Response, ApiError> {
    let m = caller
        .app
        .risk_method(&caller.actor(), caller.org())
        .await?;
    Ok(Json(m).into_response())
}

/// Every saved version of the risk method, newest first.
#[utoipa::path(
    get, path = "/api/v1/risk-method/versions", tag = "risks", operation_id = "list_risk_method_versions",
    responses(
        (status = 200, description = "Every saved version, newest first; the list is whole (`next_cursor` is null)", body = RiskMethodPage),
    )
)]
pub async fn method_versions(caller: Caller) -> Result<Response, ApiError> {
    let items = caller
        .app
        .risk_methods(&caller.actor(), caller.org())
        .await?;
    Ok(crate::api::whole(items))
}

/// Save a new version of the risk method (managers and admins). aims numbers it; earlier assessments keep the
/// version that scored them.
#[utoipa::path(
    post, path = "/api/v1/risk-method", tag = "risks", operation_id = "save_risk_method",
    request_body = RiskMethod,
    responses(
        (status = 201, description = "Saved as the next version, now in force", body = StoredRiskMethod,
            headers(("Location" = String, description = "Address of the method in force"))),
        (status = 403, description = "Only managers and admins change the risk method; or the CSRF header is missing", body = ErrorBody),
        (status = 409, description = "Another version was saved at the same moment; try again", body = ErrorBody),
        (status = 422, description = "Scales of the wrong size, a matrix with holes or unknown levels, an appetite that is not a level; `details` names every field", body = ErrorBody),
    )
)]
pub async fn save_method(
    caller: Caller,
    ApiJson(method): ApiJson<RiskMethod>,
) -> Result<Response, ApiError> {
    let s = caller
        .app
        .save_risk_method(&caller.actor(), caller.org(), method)
        .await?;
    let mut res = (StatusCode::CREATED, Json(s)).into_response();
    res.headers_mut().insert(
        header::LOCATION,
        HeaderValue::from_static("/api/v1/risk-method"),
    );
    Ok(res)
}

/// Query of the risk register.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RisksQuery {
    /// Only risks of this AI system (id).
    system_id: Option<String>,
    /// Only risks with this status (`open`, `treating`, `accepted`, `closed`).
    status: Option<String>,
    /// Case-insensitive text in title, description or owner.
    q: Option<String>,
    /// Page size, 1–200 (default 50).
    limit: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    cursor: Option<String>,
}

/// List the risk register, in creation order.
#[utoipa::path(
    get, path = "/api/v1/risks", tag = "risks", operation_id = "list_risks",
    params(RisksQuery),
    responses(
        (status = 200, description = "A page of risks", body = RiskPage),
        (status = 400, description = "Unknown or malformed query parameter, or a bad cursor", body = ErrorBody),
        (status = 422, description = "A status outside its vocabulary, or a system_id that is not an id", body = ErrorBody),
    )
)]
pub async fn list(caller: Caller, ApiQuery(q): ApiQuery<RisksQuery>) -> Result<Response, ApiError> {
    let filter = RiskFilter {
        system_id: id_filter("system_id", q.system_id)?,
        status: q.status.filter(|s| !s.trim().is_empty()),
        search: q.q.filter(|s| !s.trim().is_empty()),
    };
    let (paging, limit) = super::paging(q.limit.as_deref(), q.cursor.as_deref())?;
    let items = caller
        .app
        .risks_page(&caller.actor(), caller.org(), &filter, &paging)
        .await?;
    Ok(crate::api::paged(items, limit))
}
