//! EU AI Act classification for scripts: the questionnaire, the classification of one AI system (answer it to
//! get the risk class, the reasons and the obligations for the organization's role), and every classification
//! of the organization. The outcome is a first assessment for a person to review, not legal advice.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, Caller};
use super::saved;
use super::schema::{ClassificationRecordPage, ClassifyInput, StoredClassificationRecord};
use aims_app::AppError;
use aims_app::RecordId;
use aims_catalog::Questionnaire;
use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// The classification questionnaire: sections, questions with their options, and the obligations table.
#[utoipa::path(
    get, path = "/api/v1/classification-questionnaire", tag = "classification", operation_id = "get_classification_questionnaire",
    responses(
        (status = 200, description = "The questionnaire", body = Questionnaire),
    )
)]
pub async fn questionnaire(caller: Caller) -> Result<Response, ApiError> {
    let doc: Questionnaire = caller.app.classification_questionnaire(&caller.actor())?;
    Ok(Json(doc).into_response())
}

/// The id of the address, checked so that the error names the parameter.
fn system_id(id: &str) -> Result<String, ApiError> {
    aims_domain::parse_id("id", id).map_err(|e| AppError::from(e).into())
}

/// The EU AI Act classification of an AI system. A system that has not been classified yet answers 404 with the
/// code `not_classified` (an unknown system answers 404 with `not_found`).
#[utoipa::path(
    get, path = "/api/v1/ai-systems/{id}/classification", tag = "classification", operation_id = "get_classification",
    params(("id" = String, Path, description = "AI system id")),
    responses(
        (status = 200, description = "The classification with its answers, risk class, reasons and obligations", body = StoredClassificationRecord,
            headers(("ETag" = String, description = "The version, quoted"))),
        (status = 404, description = "No such AI system in this organization (`not_found`), or it has not been classified yet (`not_classified`)", body = ErrorBody),
        (status = 422, description = "The id is not a UUID", body = ErrorBody),
    )
)]
pub async fn get(caller: Caller, Path(id): Path<RecordId>) -> Result<Response, ApiError> {
    let id = system_id(&id)?;
    match caller
        .app
        .classification(&caller.actor(), caller.org(), &id.as_str().into())
        .await?
    {
        Some(s) => Ok(super::one(&s)),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_classified",
            format!(
                "AI system {id} has not been classified yet; answer the questionnaire with PUT /api/v1/ai-systems/{id}/classification"
            ),
        )),
    }
}

/// Classify an AI system from the answers to the questionnaire. The outcome replaces any earlier
/// classification of the system (the change log keeps the earlier answers).
#[utoipa::path(
    put, path = "/api/v1/ai-systems/{id}/classification", tag = "classification", operation_id = "classify_ai_system",
    params(("id" = String, Path, description = "AI system id")),
    request_body = ClassifyInput,
    responses(
        (status = 200, description = "The system was classified before; this is the new outcome", body = StoredClassificationRecord,
            headers(("ETag" = String, description = "The new version, quoted"))),
        (status = 201, description = "The system's first classification", body = StoredClassificationRecord,
            headers(("ETag" = String, description = "The version, quoted"), ("Location" = String, description = "Address of the classification"))),
        (status = 404, description = "No such AI system in this organization", body = ErrorBody),
        (status = 409, description = "The system was classified by someone else at the same moment; try again", body = ErrorBody),
        (status = 422, description = "An unknown role, or answers that do not fit the questionnaire (`answers.<question id>`), or the id is not a UUID", body = ErrorBody),
    )
)]
pub async fn classify(
    caller: Caller,
    Path(id): Path<RecordId>,
    ApiJson(input): ApiJson<ClassifyInput>,
) -> Result<Response, ApiError> {
    let id = system_id(&id)?;
    let role = input.role.as_deref().filter(|r| !r.trim().is_empty());
    let s = caller
        .app
        .classify_system(
            &caller.actor(),
            caller.org(),
            &id.as_str().into(),
            role,
            input.answers,
        )
        .await?;
    Ok(saved(
        &format!("/api/v1/ai-systems/{id}/classification"),
        &s,
    ))
}

/// Every EU AI Act classification of the organization's AI systems.
#[utoipa::path(
    get, path = "/api/v1/classifications", tag = "classification", operation_id = "list_classifications",
    responses(
        (status = 200, description = "Every classification, in creation order; the list is whole (`next_cursor` is null)", body = ClassificationRecordPage),
    )
)]
pub async fn list(caller: Caller) -> Result<Response, ApiError> {
    let items = caller
        .app
        .classifications(&caller.actor(), caller.org())
        .await?;
    Ok(crate::api::whole(items))
}
