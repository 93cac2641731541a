//! The REST API at `/api/v1`: JSON over the same use cases as the pages and the CLI, for scripts and pipelines.
//! Callers authenticate with a personal API token (`Authorization: Bearer aims_…`) or the browser session (then
//! unsafe methods need the `X-CSRF-Token` header). Every request acts in the caller's organization with the
//! caller's role. Records carry their version as `ETag`; replacing one needs `If-Match`. Errors always have the
//! shape `{"error": {"code", "message", "details"}}`. The OpenAPI 3.1 document is generated from these handlers
//! and served at `/api/v1/openapi.json`, with an offline viewer at `/api/v1/docs`.

pub mod catalog;
pub mod context;
pub mod error;
pub mod extract;
pub mod integrity;
pub mod schema;
pub mod systems;

use crate::AppState;
use aims_app::{AppError, Stored};
use axum::Json;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use error::ApiError;
use serde::Serialize;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

/// Where the OpenAPI document is served.
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";
/// Where the interactive viewer is served.
pub const DOCS_PATH: &str = "/api/v1/docs";

/// The document's fixed parts; the paths and schemas are added by the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "aims REST API",
        description = "The REST API of aims, an AI management system for ISO/IEC 42001:2023. Every request acts in \
                       the organization of its API token (or browser session) with the caller's role: admin, manager \
                       and contributor may change records; auditor and viewer read. Records carry their version as \
                       `ETag`; replacing one needs `If-Match`. Errors have the shape \
                       `{\"error\": {\"code\", \"message\", \"details\"}}`.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    modifiers(&Security),
    security(("api_token" = []), ("session_cookie" = [])),
    components(schemas(error::ErrorBody, error::ErrorDetail, aims_domain::FieldError)),
    tags(
        (name = "ai-systems", description = "The AI system inventory"),
        (name = "context", description = "Organization, scope, issues, interested parties, suppliers (clause 4)"),
        (name = "catalogue", description = "Frameworks, their items and crosswalks"),
        (name = "integrity", description = "Record history and verification of the hash-chained change log"),
    )
)]
struct ApiDoc;

/// Adds the two ways to authenticate.
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("aims_ followed by 40 hex digits (aims token create)")
                    .description(Some(
                        "A personal API token from `aims token create` or the account page.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "The browser session; unsafe methods also need the X-CSRF-Token header.",
            ))),
        );
    }
}

/// Every endpoint with its documentation, before the state is attached.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(systems::list, systems::create))
        .routes(routes!(systems::get, systems::replace))
        .routes(routes!(systems::retire))
        .routes(routes!(systems::history))
        .routes(routes!(context::organization))
        .routes(routes!(context::scope))
        .routes(routes!(context::scope_versions))
        .routes(routes!(context::issues::list, context::issues::create))
        .routes(routes!(
            context::issues::get,
            context::issues::replace,
            context::issues::delete
        ))
        .routes(routes!(context::parties::list, context::parties::create))
        .routes(routes!(
            context::parties::get,
            context::parties::replace,
            context::parties::delete
        ))
        .routes(routes!(
            context::suppliers::list,
            context::suppliers::create
        ))
        .routes(routes!(
            context::suppliers::get,
            context::suppliers::replace,
            context::suppliers::delete
        ))
        .routes(routes!(catalog::frameworks))
        .routes(routes!(catalog::items))
        .routes(routes!(catalog::item))
        .routes(routes!(catalog::mappings))
        .routes(routes!(integrity::history))
        .routes(routes!(integrity::verify))
}

/// The OpenAPI 3.1 document of the API, generated from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    merge_stored_records(api().into_openapi())
}

/// `Stored…` records are documented by utoipa as `allOf` of the data schema and the system fields. The data
/// schemas forbid unknown properties (the API refuses them in requests), which makes such an `allOf` impossible to
/// satisfy. This merges each into one object schema with the properties and required fields of both parts.
fn merge_stored_records(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use serde_json::Value;
    use utoipa::openapi::{RefOr, schema::Schema};
    let Some(components) = doc.components.as_mut() else {
        return doc;
    };
    let Ok(Value::Object(schemas)) = serde_json::to_value(&components.schemas) else {
        return doc;
    };
    for (name, schema) in &schemas {
        if !name.starts_with("Stored") {
            continue;
        }
        let Some(parts) = schema.get("allOf").and_then(Value::as_array) else {
            continue;
        };
        let mut properties = serde_json::Map::new();
        let mut required: Vec<Value> = Vec::new();
        let mut description = Value::Null;
        for part in parts {
            let resolved = match part.get("$ref").and_then(Value::as_str) {
                Some(r) => r
                    .strip_prefix("#/components/schemas/")
                    .and_then(|n| schemas.get(n))
                    .cloned()
                    .unwrap_or(Value::Null),
                None => part.clone(),
            };
            if let Some(p) = resolved.get("properties").and_then(Value::as_object) {
                for (k, mut prop) in p.clone() {
                    // `{}` ("any value") does not read back into utoipa's schema type; `true` means the same.
                    if prop
                        .get("additionalProperties")
                        .is_some_and(|a| a.as_object().is_some_and(|o| o.is_empty()))
                    {
                        prop["additionalProperties"] = Value::Bool(true);
                    }
                    properties.insert(k, prop);
                }
            }
            if let Some(r) = resolved.get("required").and_then(Value::as_array) {
                required.extend(r.iter().cloned());
            }
            if description.is_null() {
                description = resolved.get("description").cloned().unwrap_or(Value::Null);
            }
        }
        let mut obj = serde_json::json!({
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false,
        });
        if !description.is_null() {
            obj["description"] = description;
        }
        match serde_json::from_value::<Schema>(obj) {
            Ok(merged) => {
                components.schemas.insert(name.clone(), RefOr::T(merged));
            }
            Err(e) => tracing::warn!(schema = %name, error = %e, "could not merge a record schema"),
        }
    }
    doc
}

/// The API's routes, the OpenAPI document and its viewer, to be merged into the application's router.
pub fn router() -> Router<AppState> {
    let (routes, doc) = api().split_for_parts();
    let doc = merge_stored_records(doc);
    let viewer = SwaggerUi::new(DOCS_PATH)
        .url(OPENAPI_PATH, doc)
        .config(utoipa_swagger_ui::Config::default().validator_url("none"));
    routes
        .route(
            "/api/v1/{*rest}",
            axum::routing::any(error::no_such_endpoint),
        )
        .layer(DefaultBodyLimit::max(extract::BODY_LIMIT))
        .layer(axum::middleware::map_response(error::shape_bare_errors))
        .merge(Router::from(viewer))
}

/// The quoted entity tag of a version.
fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// 200 with one record and its `ETag`.
pub fn one<T: Serialize>(s: &Stored<T>) -> Response {
    let mut res = Json(s).into_response();
    res.headers_mut().insert(header::ETAG, etag(s.version));
    res
}

/// 201 with the new record, its `ETag` and its `Location`.
pub fn created<T: Serialize>(collection: &str, s: &Stored<T>) -> Response {
    let mut res = (StatusCode::CREATED, Json(s)).into_response();
    res.headers_mut().insert(header::ETAG, etag(s.version));
    if let Ok(v) = HeaderValue::from_str(&format!("{collection}/{}", s.id)) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// A write against a stale version is a failed precondition (412), not a conflict.
pub fn stale(e: AppError) -> ApiError {
    match e {
        AppError::Conflict(m) => {
            ApiError::new(StatusCode::PRECONDITION_FAILED, "precondition_failed", m)
        }
        other => other.into(),
    }
}
