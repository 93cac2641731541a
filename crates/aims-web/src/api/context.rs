//! Clause 4 for scripts: the organization profile and the scope statement with its versions. Issues,
//! interested parties and suppliers are kit records, served by `api::records`.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, Caller, if_match};
use super::schema::{
    ScopeApprovalInput, ScopeDraftInput, ScopeState, ScopeVersionPage, StoredOrganization,
    StoredScopeVersion,
};
use super::{one, stale};
use axum::Json;
use axum::response::{IntoResponse, Response};

/// The organization the caller acts in.
#[utoipa::path(
    get, path = "/api/v1/organization", tag = "context", operation_id = "get_organization",
    responses(
        (status = 200, description = "The organization profile", body = StoredOrganization,
            headers(("ETag" = String, description = "The version, quoted"))),
    )
)]
pub async fn organization(caller: Caller) -> Result<Response, ApiError> {
    let org = caller
        .app
        .organization(&caller.actor(), caller.org())
        .await?;
    Ok(one(&org))
}

/// The scope statement: the approved version and the pending draft.
#[utoipa::path(
    get, path = "/api/v1/scope", tag = "context", operation_id = "get_scope",
    responses(
        (status = 200, description = "Approved version and draft (either may be null)", body = ScopeState),
    )
)]
pub async fn scope(caller: Caller) -> Result<Response, ApiError> {
    let s = caller.app.scope(&caller.actor(), caller.org()).await?;
    Ok(Json(s).into_response())
}

/// Every version of the scope statement, newest first.
#[utoipa::path(
    get, path = "/api/v1/scope/versions", tag = "context", operation_id = "list_scope_versions",
    responses(
        (status = 200, description = "Every version, newest first; the list is whole (`next_cursor` is null)", body = ScopeVersionPage),
    )
)]
pub async fn scope_versions(caller: Caller) -> Result<Response, ApiError> {
    let items = caller
        .app
        .scope_versions(&caller.actor(), caller.org())
        .await?;
    Ok(crate::api::whole(items))
}

/// Write the draft scope statement: replaces the pending draft (with `If-Match`, only while it is at that
/// version), or starts the version after the newest.
#[utoipa::path(
    put, path = "/api/v1/scope/draft", tag = "context", operation_id = "save_scope_draft",
    params(
        ("If-Match" = Option<String>, Header, description = "Optional: ETag of the draft being replaced"),
    ),
    request_body = ScopeDraftInput,
    responses(
        (status = 200, description = "The draft as saved", body = StoredScopeVersion,
            headers(("ETag" = String, description = "The draft's version, quoted"))),
        (status = 422, description = "No statement, or a text too long; `details` names every field", body = ErrorBody),
    )
)]
pub async fn save_draft(
    caller: Caller,
    headers: axum::http::HeaderMap,
    ApiJson(d): ApiJson<ScopeDraftInput>,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers, false)?;
    let s = caller
        .app
        .scope_draft(
            &caller.actor(),
            caller.org(),
            &d.statement,
            &d.boundaries,
            &d.exclusions,
            expected,
        )
        .await
        .map_err(stale)?;
    Ok(one(&s))
}

/// Approve the pending draft (managers and admins): it becomes the scope in force, and the version approved
/// before it is kept as superseded.
#[utoipa::path(
    post, path = "/api/v1/scope/approval", tag = "context", operation_id = "approve_scope",
    request_body = ScopeApprovalInput,
    responses(
        (status = 200, description = "The approved version", body = StoredScopeVersion,
            headers(("ETag" = String, description = "The version, quoted"))),
        (status = 409, description = "There is no draft to approve", body = ErrorBody),
        (status = 422, description = "The draft does not validate; `details` names every field", body = ErrorBody),
    )
)]
pub async fn approve(
    caller: Caller,
    ApiJson(a): ApiJson<ScopeApprovalInput>,
) -> Result<Response, ApiError> {
    let s = caller
        .app
        .scope_approve(&caller.actor(), caller.org(), &a.note)
        .await?;
    Ok(one(&s))
}
