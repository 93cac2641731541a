//! AI system impact assessments for scripts (6.1.4, 8.4, A.5): the templates assessments follow. Their list,
//! create, read, revision of a draft and history are the record kit's (`records`), their approval a kit step
//! (`steps`).

use super::error::ApiError;
use super::extract::Caller;
use aims_catalog::templates::ImpactTemplate;
use axum::Json;
use axum::response::{IntoResponse, Response};

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
