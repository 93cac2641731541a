//! AI system impact assessments for scripts (6.1.4, 8.4, A.5): the approval step and the templates assessments
//! follow. Their list, create, read, revision of a draft and history are the record kit's (`records`).

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, Caller, if_match};
use super::one;
use super::schema::StoredImpactAssessment;
use aims_app::RecordId;
use aims_catalog::templates::ImpactTemplate;
use aims_domain::risk::Acceptance;
use axum::Json;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

/// Approve a draft assessment (managers and admins); earlier approved assessments of the same system become
/// `superseded`.
#[utoipa::path(
    post, path = "/api/v1/impact-assessments/{id}/approval", tag = "impact", operation_id = "approve_impact_assessment",
    params(
        ("id" = String, Path, description = "Impact assessment id"),
        ("If-Match" = Option<String>, Header, description = "Optional: ETag of the version being approved"),
    ),
    request_body = Acceptance,
    responses(
        (status = 200, description = "The approved assessment", body = StoredImpactAssessment,
            headers(("ETag" = String, description = "The new version, quoted"))),
        (status = 403, description = "Only managers and admins approve impact assessments; or the CSRF header is missing", body = ErrorBody),
        (status = 404, description = "No such impact assessment in this organization", body = ErrorBody),
        (status = 409, description = "The assessment is not a draft (already approved or superseded)", body = ErrorBody),
        (status = 422, description = "No approver, role or rationale, a bad date, or the id is not a UUID; `details` names every field", body = ErrorBody),
    )
)]
pub async fn approve(
    caller: Caller,
    Path(id): Path<RecordId>,
    headers: HeaderMap,
    ApiJson(approval): ApiJson<Acceptance>,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers, false)?;
    let s = caller
        .app
        .approve_impact(&caller.actor(), caller.org(), &id, expected, approval)
        .await?;
    Ok(one(&s))
}

/// The impact-assessment templates shipped with aims: the steps of the guided form and each template's own
/// questions.
#[utoipa::path(
    get, path = "/api/v1/impact-templates", tag = "impact", operation_id = "list_impact_templates",
    responses(
        (status = 200, description = "Every template", body = Vec<ImpactTemplate>),
    )
)]
pub async fn templates(caller: Caller) -> Result<Response, ApiError> {
    let list: Vec<ImpactTemplate> = caller.app.impact_templates(&caller.actor())?;
    Ok(Json(list).into_response())
}
