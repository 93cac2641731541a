//! Integrity for scripts: the change history of any record of the organization, and verification of the
//! organization's hash-chained change log (for the roles that answer for it: admin, manager, auditor).

use super::error::{ApiError, ErrorBody};
use super::extract::Caller;
use super::schema::VerifyResult;
use aims_app::integrity::HistoryEntry;
use axum::Json;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};

/// The change history of a record, oldest first.
#[utoipa::path(
    get, path = "/api/v1/history/{record_type}/{id}", tag = "integrity", operation_id = "record_history",
    params(
        ("record_type" = String, Path, description = "Record type: organization, membership, scope_version, context_issue, interested_party, supplier, custom_field, ai_system"),
        ("id" = String, Path, description = "Record id"),
    ),
    responses(
        (status = 200, description = "Every change, oldest first", body = Vec<HistoryEntry>),
        (status = 404, description = "No such record in this organization", body = ErrorBody),
        (status = 422, description = "Unknown record type, or the id is not a UUID", body = ErrorBody),
    )
)]
pub async fn history(
    caller: Caller,
    Path((record_type, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let entries = caller
        .app
        .history(
            &caller.actor(),
            caller.org(),
            &record_type,
            &id.as_str().into(),
        )
        .await?;
    Ok(Json(entries).into_response())
}

/// Verify the organization's change log and every record against it.
#[utoipa::path(
    post, path = "/api/v1/verify", tag = "integrity", operation_id = "verify",
    responses(
        (status = 200, description = "The report; `intact` says whether everything matched", body = VerifyResult),
        (status = 403, description = "Only admins, managers and auditors verify; or the CSRF header is missing", body = ErrorBody),
    )
)]
pub async fn verify(caller: Caller) -> Result<Response, ApiError> {
    let report = caller
        .app
        .verify(&caller.actor(), Some(caller.org()))
        .await?;
    Ok(Json(VerifyResult::from(report)).into_response())
}
