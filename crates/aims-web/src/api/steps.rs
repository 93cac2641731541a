//! The REST endpoint of every workflow step of the kit (approving an impact assessment, accepting residual
//! risk, re-assessing a risk, retiring an AI system): `POST /api/v1/{path}/{id}/{segment}` with the step's
//! input, an optional `If-Match`, and the changed record as the answer, documented from the step's declaration.

use super::error::ApiError;
use super::extract::{ApiJson, Caller, if_match};
use super::one;
use super::records::{collection, error, id_param, not_found, param, paths, response, schemas};
use crate::AppState;
use aims_app::RecordId;
use aims_app::kit::{Record, Step, StepVisitor, each_step};
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use serde_json::{Value, json};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::{PartialSchema, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

/// Adds the endpoint of every workflow step (see `aims_app::kit::each_step`).
pub fn kit_steps(router: OpenApiRouter<AppState>) -> OpenApiRouter<AppState> {
    struct Add(Option<OpenApiRouter<AppState>>);
    impl StepVisitor for Add {
        fn visit<S: Step>(&mut self) {
            self.0 = self.0.take().map(add::<S>);
        }
    }
    let mut add = Add(Some(router));
    each_step(&mut add);
    add.0.unwrap_or_default()
}

fn add<S: Step>(router: OpenApiRouter<AppState>) -> OpenApiRouter<AppState> {
    let def = <S::Record as Record>::DEF;
    let path = format!("{}/{{id}}/{}", collection(def), S::DEF.segment);
    let mut schemas: Vec<(String, RefOr<Schema>)> = schemas::<S::Record>(true, false);
    schemas.push((S::Input::name().to_string(), S::Input::schema()));
    S::Input::schemas(&mut schemas);
    let ops: UtoipaMethodRouter<AppState> = (
        schemas,
        paths(&path, json!({ "post": operation::<S>() })),
        post(take::<S>),
    );
    router.routes(ops)
}

fn operation<S: Step>() -> Value {
    let def = <S::Record as Record>::DEF;
    let step = S::DEF;
    let mut responses = json!({
        "200": response(step.done, Some(format!("Stored{}", S::Record::name())),
            &[("ETag", "The new version, quoted")]),
        "403": error(&format!(
            "Only {} take this step; or the CSRF header is missing",
            step.permission.holders()
        )),
        "404": not_found(def),
        "412": error(&format!("The {} is no longer at the version in If-Match", def.singular)),
        "422": error(step.invalid),
    });
    if !step.conflict.is_empty() {
        responses["409"] = error(step.conflict);
    }
    json!({
        "tags": [def.tag],
        "summary": step.about.split(". ").next().unwrap_or(step.about).trim_end_matches('.'),
        "description": step.about,
        "operationId": step.operation,
        "parameters": [
            id_param(def),
            param("If-Match", "header", false, &format!("Optional: ETag of the {} version the step is taken on", def.singular)),
        ],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{}", S::Input::name())}}}},
        "responses": responses,
    })
}

async fn take<S: Step>(
    caller: Caller,
    Path(id): Path<RecordId>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<S::Input>,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers, false)?;
    let s = caller
        .app
        .step::<S>(&caller.actor(), caller.org(), &id, expected, input)
        .await?;
    Ok(one(&s))
}
