//! The caller's own personal API tokens: list, create (the token is shown once, in the response) and revoke. A
//! token acts with its owner's role in the organization it was made for; only its owner manages it.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, Caller};
use aims_app::RecordId;
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A token as its owner sees it in a list: never the token itself, never its hash.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct TokenInfo {
    /// Token id, for revoking it.
    id: String,
    /// Organization the token acts in.
    org_id: String,
    /// Name given at creation.
    name: String,
    /// First characters of the token, to recognise it.
    prefix: String,
    /// Creation time (RFC 3339 UTC).
    created_at: String,
    /// End of validity (RFC 3339 UTC).
    expires_at: String,
    /// Last use (RFC 3339 UTC), if any.
    last_used_at: Option<String>,
    /// Revocation time (RFC 3339 UTC), if revoked.
    revoked_at: Option<String>,
    /// `active`, `expired` or `revoked`.
    status: String,
}

/// A token just created: the token itself beside its listing (`last_used_at` and `revoked_at` null, `status`
/// `active`). `token` is shown only in this response; store it in a secret manager.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct CreatedToken {
    /// The token: `aims_` and 40 hex digits. Send it as `Authorization: Bearer …`.
    token: String,
    /// What the token list will show of it.
    #[serde(flatten)]
    info: TokenInfo,
}

/// What a new token is for and how long it lives.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenInput {
    /// What the token is for ("CI pipeline").
    name: String,
    /// Days until it expires, 1 to 365 (90 when left out).
    #[serde(default)]
    days: Option<i64>,
}

/// The caller's tokens in this organization, newest first.
#[utoipa::path(
    get, path = "/api/v1/tokens", tag = "tokens", operation_id = "list_tokens",
    responses(
        (status = 200, description = "The caller's tokens for this organization", body = Vec<TokenInfo>),
    )
)]
pub async fn list(caller: Caller) -> Result<Response, ApiError> {
    let tokens = caller
        .app
        .tokens(
            &caller.actor(),
            &caller.session.user.email,
            Some(caller.org()),
        )
        .await?;
    Ok(Json(tokens).into_response())
}

/// Create a token for the caller in this organization; the token is in this response only.
#[utoipa::path(
    post, path = "/api/v1/tokens", tag = "tokens", operation_id = "create_token",
    request_body = NewTokenInput,
    responses(
        (status = 201, description = "The new token, shown once", body = CreatedToken),
        (status = 400, description = "Malformed JSON or unknown fields", body = ErrorBody),
        (status = 403, description = "Called with an API token (tokens are made from a session), or the CSRF header is missing", body = ErrorBody),
        (status = 422, description = "Empty name or days outside 1–365", body = ErrorBody),
    )
)]
pub async fn create(
    caller: Caller,
    ApiJson(input): ApiJson<NewTokenInput>,
) -> Result<Response, ApiError> {
    // A token cannot mint tokens: a leaked one must not be able to outlive its own expiry or revocation.
    if caller.session.csrf_token.is_empty() {
        return Err(ApiError::forbidden(
            "API tokens are created from a signed-in browser session or with `aims token create`, not with another token",
        ));
    }
    let t = caller
        .app
        .create_token(
            &caller.actor(),
            caller.org(),
            &caller.session.user.email,
            &input.name,
            input.days,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(t)).into_response())
}

/// Revoke one of the caller's tokens; requests with it are refused from then on.
#[utoipa::path(
    delete, path = "/api/v1/tokens/{id}", tag = "tokens", operation_id = "revoke_token",
    params(("id" = String, Path, description = "Token id")),
    responses(
        (status = 200, description = "The revoked token", body = TokenInfo),
        (status = 403, description = "Missing CSRF header (session callers)", body = ErrorBody),
        (status = 404, description = "No such token of the caller", body = ErrorBody),
        (status = 422, description = "The id is not a UUID", body = ErrorBody),
    )
)]
pub async fn revoke(caller: Caller, Path(id): Path<RecordId>) -> Result<Response, ApiError> {
    let t = caller.app.revoke_token(&caller.actor(), &id).await?;
    Ok(Json(t).into_response())
}
