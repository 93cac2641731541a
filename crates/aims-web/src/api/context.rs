//! Clause 4 for scripts: the organization profile, the scope statement and its versions, and the simple context
//! records — issues, interested parties, suppliers — with list, create, read (`ETag`), replace (`If-Match`) and
//! delete.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, Caller, if_match};
use super::responses::RecordById;
use super::schema::{
    ContextIssuePage, InterestedPartyPage, ScopeState, ScopeVersionPage, StoredContextIssue,
    StoredInterestedParty, StoredOrganization, StoredSupplier, SupplierPage,
};
use super::{created, one};
use crate::AppState;
use aims_app::Permission;
use aims_domain::context::{ContextIssue, InterestedParty, Supplier};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
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

/// Handlers for one simple context record type: list, create, read, replace, delete.
macro_rules! context_records {
    (
        $module:ident, $ty:ty, $stored:ty, $page:ty, $tag:tt,
        $list_path:tt, $item_path:tt,
        $list_op:tt, $create_op:tt, $get_op:tt, $replace_op:tt, $delete_op:tt
    ) => {
        /// Handlers of one context record type.
        pub mod $module {
            use super::*;

            /// List every record, in creation order.
            #[utoipa::path(
                get, path = $list_path, tag = $tag, operation_id = $list_op,
                responses(
                    (status = 200, description = "Every record, in creation order; the list is whole (`next_cursor` is null)", body = $page),
                )
            )]
            pub async fn list(
                State(state): State<AppState>,
                caller: Caller,
            ) -> Result<Response, ApiError> {
                let items = state
                    .app
                    .list_records::<$ty>(&caller.actor(), caller.org())
                    .await?;
                Ok(crate::api::whole(items))
            }

            /// Create a record.
            #[utoipa::path(
                post, path = $list_path, tag = $tag, operation_id = $create_op,
                request_body = $ty,
                responses(
                    (status = 201, description = "Created; `Location` names the new record", body = $stored,
                        headers(("ETag" = String, description = "The version, quoted"), ("Location" = String, description = "Address of the new record"))),
                    (status = 422, description = "Invalid values; `details` names every field", body = ErrorBody),
                )
            )]
            pub async fn create(
                State(state): State<AppState>,
                caller: Caller,
                ApiJson(data): ApiJson<$ty>,
            ) -> Result<Response, ApiError> {
                let s = state
                    .app
                    .create_record(&caller.actor(), caller.org(), data)
                    .await?;
                Ok(created($list_path, &s))
            }

            /// Read one record.
            #[utoipa::path(
                get, path = $item_path, tag = $tag, operation_id = $get_op,
                params(("id" = String, Path, description = "Record id")),
                responses(
                    (status = 200, description = "The record", body = $stored,
                        headers(("ETag" = String, description = "The version, quoted; send it back in If-Match"))),
                    RecordById,
                )
            )]
            pub async fn get(
                State(state): State<AppState>,
                caller: Caller,
                Path(id): Path<String>,
            ) -> Result<Response, ApiError> {
                let s = state
                    .app
                    .get_record::<$ty>(&caller.actor(), caller.org(), &id)
                    .await?;
                Ok(one(&s))
            }

            /// Replace a record's data.
            #[utoipa::path(
                put, path = $item_path, tag = $tag, operation_id = $replace_op,
                params(
                    ("id" = String, Path, description = "Record id"),
                    ("If-Match" = String, Header, description = "ETag of the version being replaced, e.g. \"3\"; `*` for any"),
                ),
                request_body = $ty,
                responses(
                    (status = 200, description = "The updated record", body = $stored,
                        headers(("ETag" = String, description = "The new version, quoted"))),
                    (status = 404, description = "No such record in this organization", body = ErrorBody),
                    (status = 422, description = "Invalid values; `details` names every field", body = ErrorBody),
                )
            )]
            pub async fn replace(
                State(state): State<AppState>,
                caller: Caller,
                Path(id): Path<String>,
                headers: HeaderMap,
                ApiJson(data): ApiJson<$ty>,
            ) -> Result<Response, ApiError> {
                let expected = if_match(&headers, true)?;
                let s = state
                    .app
                    .update_record(&caller.actor(), caller.org(), &id, expected, data)
                    .await
                    .map_err(super::super::stale)?;
                Ok(one(&s))
            }

            /// Delete a record (with `If-Match`, only while it is still at that version).
            #[utoipa::path(
                delete, path = $item_path, tag = $tag, operation_id = $delete_op,
                params(
                    ("id" = String, Path, description = "Record id"),
                    ("If-Match" = Option<String>, Header, description = "Optional: ETag of the version being deleted"),
                ),
                responses(
                    (status = 204, description = "Deleted"),
                    RecordById,
                )
            )]
            pub async fn delete(
                State(state): State<AppState>,
                caller: Caller,
                Path(id): Path<String>,
                headers: HeaderMap,
            ) -> Result<Response, ApiError> {
                let expected = if_match(&headers, false)?;
                state
                    .app
                    .delete_record::<$ty>(&caller.actor(), caller.org(), &id, expected)
                    .await
                    .map_err(super::super::stale)?;
                Ok(StatusCode::NO_CONTENT.into_response())
            }
        }
    };
}

context_records!(
    issues,
    ContextIssue,
    StoredContextIssue,
    ContextIssuePage,
    "context",
    "/api/v1/context-issues",
    "/api/v1/context-issues/{id}",
    "list_context_issues",
    "create_context_issue",
    "get_context_issue",
    "replace_context_issue",
    "delete_context_issue"
);

context_records!(
    parties,
    InterestedParty,
    StoredInterestedParty,
    InterestedPartyPage,
    "context",
    "/api/v1/interested-parties",
    "/api/v1/interested-parties/{id}",
    "list_interested_parties",
    "create_interested_party",
    "get_interested_party",
    "replace_interested_party",
    "delete_interested_party"
);

context_records!(
    suppliers,
    Supplier,
    StoredSupplier,
    SupplierPage,
    "context",
    "/api/v1/suppliers",
    "/api/v1/suppliers/{id}",
    "list_suppliers",
    "create_supplier",
    "get_supplier",
    "replace_supplier",
    "delete_supplier"
);
