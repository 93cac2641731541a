//! The REST API at `/api/v1`: JSON over the same use cases as the pages and the CLI, for scripts and pipelines.
//! Callers authenticate with a personal API token (`Authorization: Bearer aims_…`) or the browser session (then
//! unsafe methods need the `X-CSRF-Token` header). Every request acts in the caller's organization with the
//! caller's role. Records carry their version as `ETag`; replacing one needs `If-Match`. Errors always have the
//! shape `{"error": {"code", "message", "details"}}`. The OpenAPI 3.1 document is generated from these handlers
//! and served at `/api/v1/openapi.json`, with an offline viewer at `/api/v1/docs`.

pub mod catalog;
pub mod classification;
pub mod context;
pub mod error;
pub mod extract;
pub mod impacts;
pub mod integrity;
pub mod records;
pub mod responses;
pub mod risks;
pub mod schema;
pub mod soa;
pub mod steps;
pub mod systems;
pub mod tokens;

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
        (name = "risks", description = "The risk method, the AI risk register and treatment plans (6.1.2, 6.1.3, 8.2, 8.3)"),
        (name = "controls", description = "How the organization implements each control"),
        (name = "soa", description = "The Statement of Applicability: computed live, approved versions, drift and differences"),
        (name = "impact", description = "AI system impact assessments (6.1.4, 8.4) and their templates"),
        (name = "classification", description = "EU AI Act classification of AI systems"),
        (name = "tokens", description = "The caller's personal API tokens"),
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
    steps::kit_steps(records::kit_records(OpenApiRouter::with_openapi(
        ApiDoc::openapi(),
    )))
    .routes(routes!(systems::list))
    .routes(routes!(context::organization))
    .routes(routes!(context::scope))
    .routes(routes!(context::scope_versions))
    .routes(routes!(context::save_draft))
    .routes(routes!(context::approve))
    .routes(routes!(catalog::frameworks))
    .routes(routes!(catalog::items))
    .routes(routes!(catalog::item))
    .routes(routes!(catalog::mappings))
    .routes(routes!(integrity::history))
    .routes(routes!(integrity::verify))
    .routes(routes!(risks::method, risks::save_method))
    .routes(routes!(risks::method_versions))
    .routes(routes!(risks::list))
    .routes(routes!(soa::controls))
    .routes(routes!(soa::control, soa::set_control))
    .routes(routes!(soa::live))
    .routes(routes!(soa::versions, soa::approve))
    .routes(routes!(soa::version))
    .routes(routes!(soa::diff))
    .routes(routes!(impacts::templates))
    .routes(routes!(classification::questionnaire))
    .routes(routes!(classification::get, classification::classify))
    .routes(routes!(classification::list))
    .routes(routes!(tokens::list, tokens::create))
    .routes(routes!(tokens::revoke))
}

/// The OpenAPI 3.1 document of the API, generated from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    responses::add_shared_errors(merge_stored_records(api().into_openapi()))
}

/// `Stored…` records are documented by utoipa as `allOf` of the data schema and the system fields, and so is any
/// body that flattens a struct into its own fields (a catalogue framework: the pack's header and the item count).
/// When a part forbids unknown properties (the data schemas and the pack headers do, as their input refuses
/// them), such an `allOf` is impossible to satisfy. This merges each into one object schema with the properties and
/// required fields of both parts.
fn merge_stored_records(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use serde_json::Value;
    use utoipa::openapi::{RefOr, schema::Schema};
    let Some(components) = doc.components.as_mut() else {
        return doc;
    };
    let Ok(Value::Object(schemas)) = serde_json::to_value(&components.schemas) else {
        return doc;
    };
    let resolve = |part: &Value| match part.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix("#/components/schemas/")
            .and_then(|n| schemas.get(n))
            .cloned()
            .unwrap_or(Value::Null),
        None => part.clone(),
    };
    for (name, schema) in &schemas {
        let Some(parts) = schema.get("allOf").and_then(Value::as_array) else {
            continue;
        };
        let closed = parts
            .iter()
            .any(|p| resolve(p).get("additionalProperties") == Some(&Value::Bool(false)));
        if !name.starts_with("Stored") && !closed {
            continue;
        }
        let mut properties = serde_json::Map::new();
        let mut required: Vec<Value> = Vec::new();
        // A record's own description is the generic "a stored …"; its data's says what it is. A flattening body
        // says what it is itself.
        let mut description = match schema.get("description") {
            Some(own) if !name.starts_with("Stored") => own.clone(),
            _ => Value::Null,
        };
        for part in parts {
            let resolved = resolve(part);
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
    let doc = responses::add_shared_errors(merge_stored_records(doc));
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

/// Default page size of the lists paged here.
pub const DEFAULT_LIMIT: i64 = 50;
/// Largest page size.
pub const MAX_LIMIT: i64 = 200;

/// The page size named by `limit`, 1 to [`MAX_LIMIT`] ([`DEFAULT_LIMIT`] when left out), read as sent: every
/// paged list checks `limit` with the same rule and the same message.
pub fn limit_number(limit: Option<&str>) -> Result<i64, ApiError> {
    match limit {
        None | Some("") => Ok(DEFAULT_LIMIT),
        Some(l) => match l.parse::<i64>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            _ => Err(ApiError::bad_field(
                "limit",
                format!("'{l}' is not a number from 1 to {MAX_LIMIT}"),
            )),
        },
    }
}

/// The page size named by `limit`, surrounding blanks ignored (see [`limit_number`]).
pub fn page_limit(limit: Option<&str>) -> Result<usize, ApiError> {
    limit_number(limit.map(str::trim)).map(|n| n as usize)
}

/// The store page to read for `limit` and `cursor`, for lists in creation order (ids are UUIDv7, so id order is
/// creation order; the cursor names the last id of the previous page, so a record added or removed meanwhile
/// neither repeats nor hides another). One record more than the page is read, to know whether another page
/// follows. Returns the paging and the page size.
pub fn paging(
    limit: Option<&str>,
    cursor: Option<&str>,
) -> Result<(aims_app::records::Paging, usize), ApiError> {
    let limit = page_limit(limit)?;
    let after = match cursor.map(str::trim) {
        None | Some("") => None,
        Some(c) => Some(decode_id_cursor(c)?),
    };
    Ok((
        aims_app::records::Paging {
            after,
            limit: Some(limit as i64 + 1),
        },
        limit,
    ))
}

/// A page from records read with [`paging`]: at most `limit` of them, and the cursor of the next page when
/// there was one more.
pub fn page_of<T>(items: Vec<Stored<T>>, limit: usize) -> schema::Page<Stored<T>> {
    cut_page(items, limit, |last| encode_id_cursor(&last.id))
}

/// A page from a store read of one item more than `limit`: at most `limit` items, and when there was one more,
/// the cursor `cursor_of` gives for the last item kept. Shared by every paged list, whatever its order.
pub fn cut_page<T>(
    mut items: Vec<T>,
    limit: usize,
    cursor_of: impl FnOnce(&T) -> String,
) -> schema::Page<T> {
    let next_cursor = if items.len() > limit {
        items.truncate(limit);
        items.last().map(cursor_of)
    } else {
        None
    };
    schema::Page { items, next_cursor }
}

/// 200 with a page of records read with [`paging`] (see [`page_of`]).
pub fn paged<T: Serialize>(items: Vec<Stored<T>>, limit: usize) -> Response {
    Json(page_of(items, limit)).into_response()
}

/// 200 with a list that is returned whole, in the same page shape as the paged lists (`next_cursor` null).
pub fn whole<T: Serialize>(items: Vec<T>) -> Response {
    Json(schema::Page {
        items,
        next_cursor: None,
    })
    .into_response()
}

fn encode_id_cursor(id: &str) -> String {
    hex::encode(serde_json::json!(["id", id]).to_string())
}

fn decode_id_cursor(cursor: &str) -> Result<String, ApiError> {
    let bad = || ApiError::bad_field("cursor", "is not a cursor given out by this list");
    let bytes = hex::decode(cursor).map_err(|_| bad())?;
    let parts: Vec<String> = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    match parts.as_slice() {
        [kind, id] if kind == "id" => Ok(id.clone()),
        _ => Err(bad()),
    }
}

/// A list filter naming a record id: empty means no filter; anything else must be an id (422 naming `field`).
pub fn id_filter(field: &str, value: Option<String>) -> Result<Option<String>, ApiError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => aims_domain::parse_id(field, v)
            .map(Some)
            .map_err(|e| AppError::from(e).into()),
    }
}

/// 200 with a record that was replaced, or 201 when the write created it (its first version).
pub fn saved<T: Serialize>(location: &str, s: &Stored<T>) -> Response {
    let mut res = one(s);
    if s.version == 1 {
        *res.status_mut() = StatusCode::CREATED;
        if let Ok(v) = HeaderValue::from_str(location) {
            res.headers_mut().insert(header::LOCATION, v);
        }
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
