//! The REST endpoints of every kit record type, from its declaration: list (filtered, searched, ordered and
//! paged by cursor), create, read (`ETag`), replace (`If-Match`), delete and history, with their OpenAPI
//! operations built in code beside the routes, so that a new record type gets documented endpoints without
//! writing any. The types that keep their own pages (AI systems, risks, treatment plans, impact assessments)
//! get the endpoints their declaration allows, beside their own workflow steps.

use super::error::ApiError;
use super::extract::{ApiJson, ApiQuery, Caller, if_match};
use super::{created, one, stale};
use crate::AppState;
use aims_app::integrity::HistoryEntry;
use aims_app::kit::{
    FieldKind, ListParams, Record, RecordDef, RecordVisitor, each_record,
    each_record_with_own_faces,
};
use aims_app::{AppError, RecordId, Stored};
use axum::Json;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use utoipa::openapi::RefOr;
use utoipa::openapi::path::Paths;
use utoipa::openapi::schema::Schema;
use utoipa::{PartialSchema, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

/// The collection address of a record type.
pub(super) fn collection(def: &RecordDef) -> String {
    format!("/api/v1/{}", def.path)
}

/// Adds the endpoints of every kit record type (see `aims_app::kit::each_record`), and the kit's endpoints of
/// the types that keep their own pages (see `aims_app::kit::each_record_with_own_faces`).
pub fn kit_records(router: OpenApiRouter<AppState>) -> OpenApiRouter<AppState> {
    struct Add(Option<OpenApiRouter<AppState>>, Faces);
    impl RecordVisitor for Add {
        fn visit<T: Record>(&mut self) {
            let faces = self.1;
            self.0 = self.0.take().map(|r| add::<T>(r, faces));
        }
    }
    let mut add = Add(Some(router), Faces::All);
    each_record(&mut add);
    add.1 = Faces::Own;
    each_record_with_own_faces(&mut add);
    add.0.unwrap_or_default()
}

/// Which endpoints the kit serves for a record type.
#[derive(Clone, Copy)]
enum Faces {
    /// Every one, with every schema: a type of the kit's registry.
    All,
    /// Create, read, replace and history, and the list when the type declares the fields it is filtered by: a
    /// type with endpoints of its own for its workflow steps. Its `Stored…` schema comes with those (every such
    /// type has a step that answers with the stored record), so it is not added here.
    Own,
}

fn add<T: Record>(router: OpenApiRouter<AppState>, faces: Faces) -> OpenApiRouter<AppState> {
    let def = T::DEF;
    let list_path = collection(def);
    let item_path = format!("{list_path}/{{id}}");
    let generic_list = matches!(faces, Faces::All) || !def.filters.is_empty();
    let schemas = schemas::<T>(matches!(faces, Faces::All), generic_list);
    let mut collection_ops = json!({ "post": create_operation::<T>() });
    let mut collection_router = post(create::<T>);
    if generic_list {
        collection_ops["get"] = list_operation::<T>();
        collection_router = collection_router.get(list::<T>);
    }
    let mut item_ops = item_operations::<T>();
    let mut item_router = get(read::<T>).put(replace::<T>).patch(patch::<T>);
    if def.deletable {
        item_ops["delete"] = delete_operation::<T>();
        item_router = item_router.delete(delete::<T>);
    }
    let collection_ops: UtoipaMethodRouter<AppState> = (
        schemas.clone(),
        paths(&list_path, collection_ops),
        collection_router,
    );
    let history_ops: UtoipaMethodRouter<AppState> = (
        history_schemas(),
        paths(
            &format!("{item_path}/history"),
            json!({ "get": history_operation::<T>() }),
        ),
        get(history::<T>),
    );
    let item_ops: UtoipaMethodRouter<AppState> =
        (schemas, paths(&item_path, item_ops), item_router);
    router
        .routes(collection_ops)
        .routes(item_ops)
        .routes(history_ops)
}

/// The schema of a history entry and those it uses.
fn history_schemas() -> Vec<(String, RefOr<Schema>)> {
    let mut out = vec![(HistoryEntry::name().to_string(), HistoryEntry::schema())];
    HistoryEntry::schemas(&mut out);
    out
}

/// The record's data schema and those it uses.
fn data_schemas<T: Record>() -> Vec<(String, RefOr<Schema>)> {
    let mut out = vec![(T::name().to_string(), T::schema())];
    T::schemas(&mut out);
    out
}

/// The record's data schema and those it uses, the stored record (data beside the system fields; merged into
/// one object by the document's post-processing) and a page of stored records; the last two only when asked
/// for (a type with endpoints of its own documents its stored record there, and a page only with a list).
pub(super) fn schemas<T: Record>(stored: bool, page: bool) -> Vec<(String, RefOr<Schema>)> {
    let name = T::name().to_string();
    let mut out = data_schemas::<T>();
    let def = T::DEF;
    let stored_schema = json!({
        "allOf": [
            {"$ref": format!("#/components/schemas/{name}")},
            {
                "type": "object",
                "description": format!("A stored {}: id, version and timestamps beside the data fields.", def.singular),
                "properties": {
                    "id": {"type": "string", "description": "Record id (UUIDv7)."},
                    "version": {"type": "integer", "format": "int64", "description": "Version for optimistic concurrency; also the `ETag`. Send it back in `If-Match` to change the record."},
                    "created_at": {"type": "string", "description": "Creation time, RFC 3339 UTC."},
                    "updated_at": {"type": "string", "description": "Last change, RFC 3339 UTC."}
                },
                "required": ["id", "version", "created_at", "updated_at"]
            }
        ]
    });
    let page_schema = json!({
        "type": "object",
        "description": format!("A page of {}.", def.plural),
        "properties": {
            "items": {"type": "array", "items": {"$ref": format!("#/components/schemas/Stored{name}")}, "description": "The records of this page."},
            "next_cursor": {"type": ["string", "null"], "description": "Cursor of the next page (pass it as `cursor`); `null` on the last page."}
        },
        "required": ["items"]
    });
    let mut parts = vec![];
    if page {
        parts.push((format!("{name}Page"), page_schema));
    }
    if stored {
        parts.push((format!("Stored{name}"), stored_schema));
    }
    for (n, v) in parts {
        match serde_json::from_value::<Schema>(v) {
            Ok(s) => out.push((n, RefOr::T(s))),
            Err(e) => tracing::error!(schema = %n, error = %e, "a record schema does not build"),
        }
    }
    out
}

/// The operations of one path, read from their JSON form (the same form the document is served in).
pub(super) fn paths(path: &str, operations: Value) -> Paths {
    match serde_json::from_value::<Paths>(json!({ path: operations })) {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(path, error = %e, "record operations do not build");
            Paths::new()
        }
    }
}

pub(super) fn response(
    description: &str,
    schema: Option<String>,
    headers: &[(&str, &str)],
) -> Value {
    let mut r = json!({ "description": description });
    if let Some(s) = schema {
        r["content"] =
            json!({"application/json": {"schema": {"$ref": format!("#/components/schemas/{s}")}}});
    }
    if !headers.is_empty() {
        let h: serde_json::Map<String, Value> = headers
            .iter()
            .map(|(n, d)| {
                (
                    n.to_string(),
                    json!({"description": d, "schema": {"type": "string"}}),
                )
            })
            .collect();
        r["headers"] = Value::Object(h);
    }
    r
}

pub(super) fn error(description: &str) -> Value {
    response(description, Some("ErrorBody".into()), &[])
}

pub(super) fn param(name: &str, location: &str, required: bool, description: &str) -> Value {
    json!({"name": name, "in": location, "required": required, "description": description, "schema": {"type": "string"}})
}

pub(super) fn id_param(def: &RecordDef) -> Value {
    param("id", "path", true, &format!("Id of the {}", def.singular))
}

fn body<T: Record>() -> Value {
    json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{}", T::name())}}}})
}

fn list_operation<T: Record>() -> Value {
    let def = T::DEF;
    let name = T::name();
    let mut params = vec![
        param("limit", "query", false, "Page size, 1-200 (default 50)."),
        param(
            "cursor",
            "query",
            false,
            "Cursor from the previous page's `next_cursor`.",
        ),
    ];
    if !def.sorts.is_empty() {
        params.push(param(
            "sort",
            "query",
            false,
            &format!(
                "Order by one of: {} (prefix `-` for descending); creation order when left out.",
                def.sorts.join(", ")
            ),
        ));
    }
    if !def.search.is_empty() {
        params.push(param(
            "q",
            "query",
            false,
            &format!("Case-insensitive text in {}.", def.search.join(", ")),
        ));
    }
    for f in def.filters {
        let only = match def.field(f).map(|f| f.kind) {
            Some(FieldKind::Link(kind)) => format!("Only {} of this {kind} (its id).", def.plural),
            kind => {
                let what = match kind {
                    Some(FieldKind::Choice(allowed)) => {
                        format!(" (one of: {})", allowed.join(", "))
                    }
                    Some(FieldKind::Bool) => " (true or false)".to_string(),
                    _ => String::new(),
                };
                format!("Only records with this {}{what}.", f.replace('_', " "))
            }
        };
        params.push(param(f, "query", false, &only));
    }
    json!({
        "tags": [def.tag],
        "summary": format!("List {}", def.plural),
        "description": def.about,
        "operationId": format!("list_{}", def.plural_snake()),
        "parameters": params,
        "responses": {
            "200": response(&format!("A page of {}", def.plural), Some(format!("{name}Page")), &[]),
            "400": error("Unknown or malformed query parameter, or a bad cursor"),
            "422": error("A filter value, sort key or page size outside what the list accepts"),
        }
    })
}

fn create_operation<T: Record>() -> Value {
    let def = T::DEF;
    let name = T::name();
    json!({
        "tags": [def.tag],
        "summary": format!("Create {}", def.with_article()),
        "description": def.about,
        "operationId": format!("create_{}", def.singular_snake()),
        "requestBody": body::<T>(),
        "responses": {
            "201": response("Created; `Location` names the new record", Some(format!("Stored{name}")),
                &[("ETag", "The version, quoted"), ("Location", "Address of the new record")]),
            "422": error(&invalid(def)),
        }
    })
}

/// The 422 answer of a write: the record's own fields, and what the type checks beyond them.
fn invalid(def: &RecordDef) -> String {
    match def.rules {
        "" => "Invalid values; `details` names every field".to_string(),
        rules => format!("Invalid values ({rules}); `details` names every field"),
    }
}

fn item_operations<T: Record>() -> Value {
    let def = T::DEF;
    let name = T::name();
    let if_match_required = param(
        "If-Match",
        "header",
        true,
        "ETag of the version being replaced, e.g. \"3\"; `*` for any",
    );
    json!({
        "get": {
            "tags": [def.tag],
            "summary": format!("Read one {}", def.singular),
            "operationId": format!("get_{}", def.singular_snake()),
            "parameters": [id_param(def)],
            "responses": {
                "200": response(&format!("The {}", def.singular), Some(format!("Stored{name}")),
                    &[("ETag", "The version, quoted; send it back in If-Match")]),
                "404": not_found(def),
                "422": error("The id is not a UUID"),
            }
        },
        "put": {
            "tags": [def.tag],
            "summary": format!("Replace {}'s data", def.with_article()),
            "description": replace_note(def),
            "operationId": format!("replace_{}", def.singular_snake()),
            "parameters": [id_param(def), if_match_required],
            "requestBody": body::<T>(),
            "responses": {
                "200": response(&format!("The updated {}", def.singular), Some(format!("Stored{name}")),
                    &[("ETag", "The new version, quoted")]),
                "404": not_found(def),
                "422": error(&invalid(def)),
            }
        },
        "patch": {
            "tags": [def.tag],
            "summary": format!("Change some fields of {}", def.with_article()),
            "description": format!(
                "A JSON Merge Patch (RFC 7396): the fields sent replace the stored ones, objects merge, `null` \
                 removes a field (it takes its default); fields left out stay as they are. The result is checked \
                 like a replace. {}",
                def.kept
            ),
            "operationId": format!("patch_{}", def.singular_snake()),
            "parameters": [id_param(def), if_match_required],
            "requestBody": {"required": true, "content": {
                "application/merge-patch+json": {"schema": {"type": "object", "description": format!("The fields of {} to change", def.with_article())}},
                "application/json": {"schema": {"type": "object"}}
            }},
            "responses": {
                "200": response(&format!("The updated {}", def.singular), Some(format!("Stored{name}")),
                    &[("ETag", "The new version, quoted")]),
                "404": not_found(def),
                "422": error(&format!("A field of the wrong type, an unknown field, or invalid values ({}); `details` names every field", if def.rules.is_empty() { "as a replace" } else { def.rules })),
            }
        }
    })
}

fn delete_operation<T: Record>() -> Value {
    let def = T::DEF;
    json!({
        "tags": [def.tag],
        "summary": format!("Delete {} (with `If-Match`, only while it is still at that version)", def.with_article()),
        "operationId": format!("delete_{}", def.singular_snake()),
        "parameters": [id_param(def), param("If-Match", "header", false, "Optional: ETag of the version being deleted")],
        "responses": {
            "204": {"description": "Deleted"},
            "404": not_found(def),
            "422": error("The id is not a UUID"),
        }
    })
}

fn history_operation<T: Record>() -> Value {
    let def = T::DEF;
    json!({
        "tags": [def.tag],
        "summary": format!("The change history of {}, oldest first", def.with_article()),
        "operationId": format!("{}_history", def.singular_snake()),
        "parameters": [id_param(def)],
        "responses": {
            "200": {
                "description": "Every change, oldest first",
                "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/HistoryEntry"}}}}
            },
            "404": not_found(def),
            "422": error("The id is not a UUID"),
        }
    })
}

/// What a replace does: every field, but for what the type keeps for its own steps.
fn replace_note(def: &RecordDef) -> String {
    let all = "Every field is replaced: a field left out takes its default.";
    match def.kept {
        "" => all.to_string(),
        kept => format!("{all} {kept}"),
    }
}

pub(super) fn not_found(def: &RecordDef) -> Value {
    error(&format!("No such {} in this organization", def.singular))
}

/// Reads the list request from the query string: the paging and order parameters every list has, and the
/// filters this record type declares; anything else is a 400 naming it.
fn list_params(def: &RecordDef, query: Vec<(String, String)>) -> Result<ListParams, ApiError> {
    let mut p = ListParams::default();
    for (k, v) in query {
        match k.as_str() {
            "limit" => p.limit = Some(super::limit_number(Some(v.trim()))?),
            "cursor" => p.cursor = Some(v),
            "sort" if !def.sorts.is_empty() => p.sort = Some(v),
            "q" if !def.search.is_empty() => p.q = Some(v),
            f if def.filters.contains(&f) => {
                if !v.trim().is_empty() {
                    p.filters.push((k, v));
                }
            }
            _ => return Err(ApiError::bad_field(k, "is not a parameter of this list")),
        }
    }
    Ok(p)
}

async fn list<T: Record>(
    caller: Caller,
    ApiQuery(query): ApiQuery<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let params = list_params(T::DEF, query)?;
    let page = caller
        .app
        .list_page::<T>(&caller.actor(), caller.org(), &params)
        .await?;
    Ok(Json(page).into_response())
}

async fn create<T: Record>(
    caller: Caller,
    ApiJson(data): ApiJson<T>,
) -> Result<Response, ApiError> {
    let s = caller
        .app
        .create_record(&caller.actor(), caller.org(), data)
        .await?;
    Ok(created(&collection(T::DEF), &s))
}

async fn read<T: Record>(caller: Caller, Path(id): Path<RecordId>) -> Result<Response, ApiError> {
    let s = caller
        .app
        .get_record::<T>(&caller.actor(), caller.org(), &id)
        .await?;
    Ok(one(&s))
}

async fn replace<T: Record>(
    caller: Caller,
    Path(id): Path<RecordId>,
    headers: HeaderMap,
    ApiJson(data): ApiJson<T>,
) -> Result<Response, ApiError> {
    at_version(&headers, async |v| {
        let actor = caller.actor();
        caller
            .app
            .update_record(&actor, caller.org(), &id, v, data)
            .await
    })
    .await
}

/// A write at the version `If-Match` names (which it requires): the record with its new `ETag`, or 412 when the
/// record is no longer at that version.
async fn at_version<T: serde::Serialize>(
    headers: &HeaderMap,
    write: impl AsyncFnOnce(Option<i64>) -> Result<Stored<T>, AppError>,
) -> Result<Response, ApiError> {
    let expected = if_match(headers, true)?;
    Ok(one(&write(expected).await.map_err(stale)?))
}

async fn history<T: Record>(
    caller: Caller,
    Path(id): Path<RecordId>,
) -> Result<Response, ApiError> {
    let entries = caller
        .app
        .record_history::<T>(&caller.actor(), caller.org(), &id)
        .await?;
    Ok(Json(entries).into_response())
}

async fn patch<T: Record>(
    caller: Caller,
    Path(id): Path<RecordId>,
    headers: HeaderMap,
    ApiJson(patch): ApiJson<serde_json::Map<String, Value>>,
) -> Result<Response, ApiError> {
    at_version(&headers, async |v| {
        let actor = caller.actor();
        caller
            .app
            .patch_record::<T>(&actor, caller.org(), &id, v, &patch)
            .await
    })
    .await
}

async fn delete<T: Record>(
    caller: Caller,
    Path(id): Path<RecordId>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers, false)?;
    caller
        .app
        .delete_record::<T>(&caller.actor(), caller.org(), &id, expected)
        .await
        .map_err(stale)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
