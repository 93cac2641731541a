//! Clause 4 for scripts: the organization profile and the scope statement with its versions. Issues,
//! interested parties and suppliers are kit records, served by `api::records`.

use super::error::ApiError;
use super::extract::Caller;
use super::one;
use super::schema::{ScopeState, ScopeVersionPage, StoredOrganization};
use crate::AppState;
use aims_app::Permission;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

/// The organization the caller acts in.
#[utoipa::path(
    get, path = "/api/v1/organization", tag = "context", operation_id = "get_organization",
    responses(
        (status = 200, description = "The organization profile", body = StoredOrganization,
            headers(("ETag" = String, description = "The version, quoted"))),
    )
)]
pub async fn organization(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    caller.actor().require(Permission::Read)?;
    let org = state.app.resolve_org(Some(caller.org())).await?;
    Ok(one(&org))
}

/// The scope statement: the approved version and the pending draft.
#[utoipa::path(
    get, path = "/api/v1/scope", tag = "context", operation_id = "get_scope",
    responses(
        (status = 200, description = "Approved version and draft (either may be null)", body = ScopeState),
    )
)]
pub async fn scope(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let s = state.app.scope(&caller.actor(), caller.org()).await?;
    Ok(Json(s).into_response())
}

/// Every version of the scope statement, newest first.
#[utoipa::path(
    get, path = "/api/v1/scope/versions", tag = "context", operation_id = "list_scope_versions",
    responses(
        (status = 200, description = "Every version, newest first; the list is whole (`next_cursor` is null)", body = ScopeVersionPage),
    )
)]
pub async fn scope_versions(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let items = state
        .app
        .scope_versions(&caller.actor(), caller.org())
        .await?;
    Ok(crate::api::whole(items))
}
